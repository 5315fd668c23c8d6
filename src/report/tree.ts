import { createColors } from 'picocolors';
import { formatDuration, type Span, type Trace } from '../model';
import { errorReason, plural, printable } from './text';

export interface TreeOptions {
  /** ANSI colours. Off by default: the caller decides (TTY, NO_COLOR), never this module. */
  readonly color?: boolean;
  /** Spans to mark with {@link MATCH_MARK} (e.g. the spans a `--select` query matched). */
  readonly highlight?: (span: Span) => boolean;
  /**
   * A note to print after a span as `◀ note`, in red: why a failure report singles it out
   * (`◀ duration`, `◀ for_each`). Undefined or empty for spans without one. The `◀` keeps
   * a pasted tree readable as an expectation: the tree parser ignores `◀` notes.
   */
  readonly mark?: (span: Span) => string | undefined;
  /** Print at most this many spans (in tree order), then one `… N more spans` line. */
  readonly maxSpans?: number;
}

/** Tree guides, as the seed text and DESIGN.md draw them. */
export const GUIDE = { tee: '├── ', last: '└── ', pipe: '│   ', blank: '    ' } as const;
export const ERROR_MARK = '✗ error';
export const ORPHAN_MARK = '⚠ orphan';
export const CYCLE_MARK = '⚠ parent loop cut here';
export const MATCH_MARK = '◀ match';
/** What precedes the text of a {@link TreeOptions.mark} note. */
export const NOTE_MARK = '◀';

/**
 * A trace as an indented tree, one span per line:
 *
 * ```
 * POST /api/checkout [api-gateway] (352ms)
 * └── Order Service [order-service] (350ms)
 *     ├── Inventory Service [inventory-service] (45ms)
 *     ├── Payment Gateway API (280ms)  ✗ error: card declined
 *     └── Notification Service (25ms)
 * ```
 *
 * A line reads `name [service] (duration)  marks`. Names are verbatim (control characters
 * escaped), so the text can be read back from the right: the last `(...)` is the duration
 * and a `[...]` just before it is the service. The service is shown on roots and wherever
 * it changes from the parent's, and always when the name itself ends in `]`, so that a
 * name like `items[0]` is never mistaken for a service. Marks follow two spaces:
 * `✗ error: reason`, `⚠ orphan: ...`, `◀ match`, `◀ note`.
 *
 * The result has no trailing newline.
 */
export function formatTraceTree(trace: Trace, options: TreeOptions = {}): string {
  const c = createColors(options.color === true);
  const limit = spanLimit(options.maxSpans);
  const highlight = options.highlight;
  const mark = options.mark;
  const shown = Math.min(limit, trace.spans.length);
  const lines: string[] = [];
  // isLast[d]: whether the ancestor at depth d is the last of its siblings, which decides
  // if a `│` continues below it. Pre-order visits ancestors before descendants, so the
  // entries above the current depth are always those of the current span's ancestors.
  const isLast: boolean[] = [];

  for (let i = 0; i < shown; i++) {
    const span = trace.spans[i] as Span;
    const depth = trace.depthOf(span);
    const parent = trace.parentOf(span);
    let guides = '';
    if (parent) {
      const siblings = trace.childrenOf(parent);
      const last = siblings[siblings.length - 1] === span;
      isLast[depth] = last;
      for (let d = 1; d < depth; d++) guides += isLast[d] ? GUIDE.blank : GUIDE.pipe;
      guides += last ? GUIDE.last : GUIDE.tee;
    }

    const matched = highlight?.(span) === true;
    let line = c.dim(guides);
    const name = printable(span.name);
    line += matched ? c.bold(c.cyan(name)) : span.isError ? c.red(name) : name;
    if (!parent || parent.service !== span.service || span.name.endsWith(']')) {
      line += ` ${c.dim(`[${printable(span.service)}]`)}`;
    }
    line += ` (${formatDuration(span.durationNs)})`;

    if (span.isError) {
      const reason = printable(errorReason(span));
      line += `  ${c.red(c.bold(reason ? `${ERROR_MARK}: ${reason}` : ERROR_MARK))}`;
    }
    if (!parent && span.parentSpanId !== undefined) {
      line += trace.isOrphan(span)
        ? `  ${c.yellow(`${ORPHAN_MARK}: parent ${span.parentSpanId} is not in the trace`)}`
        : `  ${c.yellow(CYCLE_MARK)}`;
    }
    if (matched) line += `  ${c.cyan(MATCH_MARK)}`;
    const note = mark?.(span);
    if (note) line += `  ${c.red(c.bold(`${NOTE_MARK} ${printable(note)}`))}`;
    lines.push(line);
  }

  const hidden = trace.spans.length - shown;
  if (hidden > 0) {
    let matches = 0;
    let marked = 0;
    for (let i = shown; (highlight || mark) && i < trace.spans.length; i++) {
      const span = trace.spans[i] as Span;
      if (highlight?.(span) === true) matches++;
      if (mark?.(span)) marked++;
    }
    // A marked span cut off by the limit is the one the reader is looking for: say so.
    const counts: string[] = [];
    if (matches > 0) counts.push(`${matches} of them ${matches === 1 ? 'matches' : 'match'}`);
    if (marked > 0) counts.push(`${marked} of them marked ${NOTE_MARK}`);
    let note = `… ${plural(hidden, 'more span')}`;
    if (counts.length > 0) note += ` (${counts.join(', ')})`;
    lines.push(c.dim(note));
  }
  return lines.join('\n');
}

function spanLimit(maxSpans: number | undefined): number {
  if (maxSpans === undefined || maxSpans === Number.POSITIVE_INFINITY) {
    return Number.POSITIVE_INFINITY;
  }
  if (!Number.isInteger(maxSpans) || maxSpans < 1) {
    throw new RangeError(`maxSpans must be a positive integer, got ${maxSpans}`);
  }
  return maxSpans;
}

export interface HeaderOptions {
  readonly color?: boolean;
  /** List at most this many services by name; the rest are counted. */
  readonly maxServices?: number;
}

/**
 * One line that identifies a trace above its tree:
 * `trace 0af7651916cd43dd8448eb211c80319c · 6 spans · 352ms · api-gateway, order-service`.
 * Services are in tree order (the root's first).
 */
export function formatTraceHeader(trace: Trace, options: HeaderOptions = {}): string {
  const c = createColors(options.color === true);
  const max = options.maxServices ?? 8;
  const services: string[] = [];
  const seen = new Set<string>();
  for (const span of trace.spans) {
    if (seen.has(span.service)) continue;
    seen.add(span.service);
    services.push(printable(span.service));
  }
  let serviceList = services.slice(0, max).join(', ');
  if (services.length > max) serviceList += ` and ${services.length - max} more`;
  const parts = [
    `${c.bold('trace')} ${c.bold(trace.traceId)}`,
    plural(trace.spans.length, 'span'),
    formatDuration(trace.durationNs),
    `${services.length === 1 ? 'service' : 'services'}: ${serviceList}`,
  ];
  return parts.join(c.dim(' · '));
}

export interface IssueOptions {
  readonly color?: boolean;
  /** List at most this many issues; the rest are counted in one line. */
  readonly maxIssues?: number;
}

/**
 * What the model had to repair in a trace (orphans, parent loops, clock skew, duplicate
 * span ids), one `warning: ...` line each. Empty string when the trace is clean.
 */
export function formatTraceIssues(trace: Trace, options: IssueOptions = {}): string {
  const c = createColors(options.color === true);
  const max = options.maxIssues ?? 10;
  const lines = trace.issues
    .slice(0, max)
    .map((issue) => `${c.yellow('warning:')} ${printable(issue.message)}`);
  const rest = trace.issues.length - max;
  if (rest > 0) lines.push(c.dim(`… ${plural(rest, 'more warning')} about this trace`));
  return lines.join('\n');
}
