import type { Span, Trace } from '../../model';
import { formatTraceTree, shortTraceId } from '../../report';
import { plural } from '../../report/text';
import type { TreeExpectation, TreeMatchResult } from './types';

export interface RenderOptions {
  /** Columns available; the two trees go side by side when they fit. Default 160. */
  readonly width?: number;
  /** Colour for the expected tree (Jest passes its green). */
  readonly expectedColor?: (text: string) => string;
  /** Colour for the received tree (Jest passes its red). */
  readonly receivedColor?: (text: string) => string;
  /** Print at most this many spans of the received trace (the marked span always shows). */
  readonly maxSpans?: number;
}

const DEFAULT_WIDTH = 160;
const DEFAULT_MAX_SPANS = 80;
const GAP = '    ';
const plain = (text: string) => text;

/**
 * A failed match, for a person: the first difference in one sentence, then the expected
 * tree (the user's lines, the failing one marked `✗ <what>`) beside the received trace
 * (as the reporter prints it, the span concerned marked `◀ line N`), or one above the other
 * when the two do not fit in `width` columns.
 *
 * ```
 * First difference, line 5: "Payment Gateway API" took 412ms, which breaks its budget <300ms
 *
 * Expected                                          Received: trace 0af76519, 5 spans
 * POST /api/checkout                                POST /api/checkout [api-gateway] (472ms)
 * └── Order Service (<500ms)                        └── Order Service [order-service] (470ms)
 *     ├── Inventory Service                             ├── Inventory Service [inventory-service] (45ms)
 *     └── Payment Gateway API (<300ms)  ✗ took 412ms    ├── Payment Gateway API (412ms)  ◀ line 5
 *                                                       └── Notification Service (5ms)
 * ```
 */
export function renderTreeMismatch(
  expectation: TreeExpectation,
  result: TreeMatchResult,
  options: RenderOptions = {},
): string {
  const mismatch = result.mismatch;
  if (!mismatch) {
    return result.tried === 0
      ? 'There are no traces to match the tree against.'
      : 'The trace matches the expected tree.';
  }
  const expected = expectation.lines.map((l) =>
    l.line === mismatch.expectedLine ? `${l.text}  ✗ ${mismatch.label}` : l.text,
  );
  const marks = new Map<Span, string>();
  if (mismatch.actualSpan) marks.set(mismatch.actualSpan, `◀ line ${mismatch.expectedLine}`);
  const received = receivedLines(mismatch.trace, marks, options.maxSpans);
  const header = `First difference, line ${mismatch.expectedLine}: ${mismatch.reason}`;
  return `${header}\n\n${columns(expected, received, receivedTitle(mismatch.trace, result.tried, 'the closest'), options)}`;
}

/**
 * A successful match (for `.not`): both trees, each received span that a line matched
 * marked `◀ line N`.
 */
export function renderTreeMatch(
  expectation: TreeExpectation,
  result: TreeMatchResult,
  options: RenderOptions = {},
): string {
  const trace = result.trace;
  const expected = expectation.lines.map((l) => l.text);
  if (!trace) return expected.join('\n');
  const marks = new Map<Span, string>();
  for (const { line, span } of result.matches) {
    const before = marks.get(span);
    marks.set(span, before ? `${before}, ${line}` : `◀ line ${line}`);
  }
  const received = receivedLines(trace, marks, options.maxSpans);
  return columns(expected, received, receivedTitle(trace, result.tried, 'one'), options);
}

function receivedTitle(trace: Trace, tried: number, among: 'the closest' | 'one'): string {
  const which = `trace ${shortTraceId(trace.traceId)}, ${plural(trace.spans.length, 'span')}`;
  return tried > 1 ? `Received: ${which} (${among} of ${tried} traces)` : `Received: ${which}`;
}

function receivedLines(
  trace: Trace,
  marks: ReadonlyMap<Span, string>,
  maxSpans = DEFAULT_MAX_SPANS,
): string[] {
  let last = 0;
  for (const span of marks.keys()) last = Math.max(last, span.index);
  // Lines follow `trace.spans` (pre-order) one to one, so a span's line is its index.
  const lines = formatTraceTree(trace, { maxSpans: Math.max(maxSpans, last + 6) }).split('\n');
  for (const [span, mark] of marks) {
    if (span.index < lines.length) lines[span.index] = `${lines[span.index]}  ${mark}`;
  }
  return lines;
}

/** Expected and received trees side by side when they fit, else one above the other. */
function columns(
  expected: readonly string[],
  received: readonly string[],
  receivedTitle: string,
  options: RenderOptions,
): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const green = options.expectedColor ?? plain;
  const red = options.receivedColor ?? plain;
  const left = ['Expected', ...expected];
  const right = [receivedTitle, ...received];
  const leftWidth = Math.max(...left.map(textWidth));
  const rightWidth = Math.max(...right.map(textWidth));

  if (leftWidth + GAP.length + rightWidth > width) {
    return ['Expected', ...expected.map(green), '', receivedTitle, ...received.map(red)].join('\n');
  }
  const rows: string[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i] ?? '';
    const r = right[i] ?? '';
    const colorLeft = i === 0 ? plain : green;
    const colorRight = i === 0 ? plain : red;
    if (r === '') {
      rows.push(l === '' ? '' : colorLeft(l));
      continue;
    }
    const padding = ' '.repeat(leftWidth - textWidth(l));
    rows.push(`${l === '' ? '' : colorLeft(l)}${padding}${GAP}${colorRight(r)}`);
  }
  return rows.join('\n');
}

/**
 * Columns a line takes: code points, which is right for the box guides and the marks.
 * East Asian wide characters and emoji in span names take two columns and will push their
 * row out of line; the text stays correct.
 */
function textWidth(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
