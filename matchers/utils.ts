/**
 * Message shaping shared by every matcher: one vocabulary for hints, labels, span lists,
 * trees and matcher errors, built on Jest's own `this.utils` so that tracespec's failures
 * read like Jest's.
 */

import type { MatcherContext } from 'expect';
import {
  type Candidate,
  CheckTarget,
  isSpan,
  isTrace,
  type NoMatch,
  type SpanRef,
  TargetError,
  type TargetRules,
} from '../src/assert';
import { InputError } from '../src/errors';
import { formatDuration, type Span, startOffsetNs, type Trace } from '../src/model';
import type { EqualityTester } from '../src/query';
import {
  formatSpanList,
  formatTraceHeader,
  formatTraceTree,
  printable,
  shortTraceId,
} from '../src/report';
import { spanName } from '../src/report/text';

export { spanName };

/** Spans printed in a tree before the rest are counted: a CI log must stay scrollable. */
export const MAX_TREE_SPANS = 40;
/** Spans listed one per line before the rest are counted. */
export const MAX_LISTED_SPANS = 10;
/** Trees printed for a list of traces; the others are counted. */
export const MAX_TREES = 2;

/** What a matcher returns: Jest's synchronous expectation result. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** The first line of every message: `expect(trace).not.toHaveSpan(selector) // { name = "x" }`. */
export function hint(
  ctx: MatcherContext,
  matcherName: string,
  received: unknown,
  expected = '',
  options: { comment?: string; secondArgument?: string } = {},
): string {
  return ctx.utils.matcherHint(matcherName, receivedLabel(received), expected, {
    isNot: ctx.isNot,
    promise: ctx.promise,
    ...(options.comment ? { comment: oneLine(options.comment) } : {}),
    ...(options.secondArgument ? { secondArgument: options.secondArgument } : {}),
  });
}

/** `trace`, `traces` or `span`, as the received value is: the hint names what was passed. */
function receivedLabel(received: unknown): string {
  if (Array.isArray(received)) return 'traces';
  if (received instanceof CheckTarget) return received.kind;
  return isSpan(received) ? 'span' : 'trace';
}

/** Jest's equality with the user's custom testers, so asymmetric matchers work in values. */
export function equalsOf(ctx: MatcherContext): EqualityTester {
  return (actual, expected) => ctx.equals(actual, expected, ctx.customTesters);
}

/** Whether to colour the trees: as Jest colours its own output (`--colors`, TTY, FORCE_COLOR). */
export function useColor(ctx: MatcherContext): boolean {
  return ctx.utils.RECEIVED_COLOR('x') !== 'x';
}

/**
 * Check the received value, or throw Jest's "Matcher error" (which fails the test whether
 * or not `.not` was used) saying what was received and what is expected.
 */
export function targetOf(
  ctx: MatcherContext,
  hintLine: () => string,
  received: unknown,
  rules: TargetRules = {},
): CheckTarget {
  return run(ctx, hintLine, () => CheckTarget.of(received, rules));
}

/**
 * Run an engine check; bad input (an unparsable selector or budget, a wrong received
 * value) becomes a matcher error under the matcher's hint, with the engine's explanation
 * (the selector and a caret under the problem) kept whole.
 */
export function run<T>(ctx: MatcherContext, hintLine: () => string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof TargetError) {
      const problem = error.problem.charAt(0).toUpperCase() + error.problem.slice(1);
      const specific = sections(
        error.hint ? `${problem}. ${error.hint}.` : `${problem}.`,
        printTarget(ctx, error.received),
      );
      throw matcherError(
        ctx,
        hintLine(),
        `${ctx.utils.RECEIVED_COLOR('received')} value must be ${error.expected}`,
        specific,
        error,
      );
    }
    if (error instanceof InputError) {
      throw matcherError(ctx, hintLine(), error.message, undefined, error);
    }
    throw error;
  }
}

/**
 * A selector that had to select something selected nothing: an error in both directions,
 * so that neither `toHaveSpanWithin` nor `.not.toHaveSpanWithin` passes over a typo.
 */
export function noMatchError(
  ctx: MatcherContext,
  hintLine: string,
  missing: NoMatch,
  traces: readonly Trace[],
): Error {
  const what =
    missing.argument === 'selector' ? 'the selector' : `the ${missing.argument} selector`;
  const generic =
    missing.taken > 0
      ? `${what} matched only spans that earlier selectors already stand for`
      : `${what} matched no span, so there is nothing to check`;
  const specific = sections(
    `${label('Selector')}${missing.selector}\n${label('Searched')}${searchedText(missing.searched, traces.length)}`,
    candidatesSection(ctx, missing.candidates),
    treesSection(ctx, traces, () => false),
  );
  return matcherError(ctx, hintLine, generic, specific);
}

/**
 * The received value under Jest's `Received has value:`; a trace, a span or a list of
 * traces is summed up in a line instead of being dumped (thousands of lines for a trace).
 */
function printTarget(ctx: MatcherContext, received: unknown): string {
  const summary = (trace: Trace) =>
    `Trace ${shortTraceId(trace.traceId)} (${count(trace.spans.length, 'span')}${trace.root ? `, root ${spanName(trace.root)}` : ''})`;
  let text: string | undefined;
  if (isSpan(received)) text = `Span ${spanName(received)}`;
  else if (isTrace(received)) text = summary(received);
  else if (Array.isArray(received) && received.length > 0 && received.every(isTrace)) {
    text = `${count(received.length, 'trace')}: ${received.slice(0, 3).map(summary).join(', ')}${received.length > 3 ? ', …' : ''}`;
  }
  return text === undefined
    ? ctx.utils.printWithType('Received', received, ctx.utils.printReceived)
    : `${label('Received')}${ctx.utils.RECEIVED_COLOR(text)}`;
}

function matcherError(
  ctx: MatcherContext,
  hintLine: string,
  generic: string,
  specific?: string,
  cause?: unknown,
): Error {
  return new Error(ctx.utils.matcherErrorMessage(hintLine, generic, specific), { cause });
}

/** Sections of a message, separated by blank lines; empty sections are left out. */
export function sections(...parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join('\n\n');
}

const LABEL_WIDTH = 'Received: '.length;

/** `Expected: ` padded like Jest's labels, so that columns line up. */
export function label(name: string): string {
  return `${name}: `.padEnd(LABEL_WIDTH);
}

/**
 * `Expected: ...` and `Received: ...`, coloured as Jest colours them; `details` (a list
 * the Received line announces with a colon) follow on the next lines.
 */
export function expectedReceived(
  ctx: MatcherContext,
  expected: string,
  received: string,
  details = '',
): string {
  const lines = `${label('Expected')}${ctx.utils.EXPECTED_COLOR(expected)}\n${label('Received')}${ctx.utils.RECEIVED_COLOR(received)}`;
  return details ? `${lines}\n${details}` : lines;
}

/** `5 spans`, `12 spans in 3 traces`. */
export function searchedText(spans: number, traces: number): string {
  return `${count(spans, 'span')}${traces > 1 ? ` in ${traces} traces` : ''}`;
}

/** `1 span`, `3 spans`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * The spans, indented: one aligned line each (trace, service, name, kind, duration,
 * status), or, when names repeat (an N+1), one line per name with a count. Long lists cut.
 */
export function spanList(
  ctx: MatcherContext,
  spans: readonly Span[],
  max = MAX_LISTED_SPANS,
): string {
  const groups = new Map<string, Span[]>();
  for (const span of spans) {
    const key = `${span.service}\u0000${span.name}`;
    const group = groups.get(key);
    if (group) group.push(span);
    else groups.set(key, [span]);
  }
  const lines =
    groups.size < spans.length
      ? [...groups.values()].slice(0, max).map((group) => `  ${groupLine(group)}`)
      : formatSpanList(spans.slice(0, max), { color: useColor(ctx) })
          .split('\n')
          .map((line) => `  ${line}`);
  const rest = groups.size < spans.length ? groups.size - max : spans.length - max;
  if (rest > 0) lines.push(`  … and ${rest} more`);
  return lines.join('\n');
}

/** `12 × "SELECT order_lines" [orders] client, 4ms each` */
function groupLine(group: readonly Span[]): string {
  const first = group[0] as Span;
  let min = first.durationNs;
  let max = first.durationNs;
  for (const span of group) {
    if (span.durationNs < min) min = span.durationNs;
    if (span.durationNs > max) max = span.durationNs;
  }
  const durations =
    min === max
      ? `${formatDuration(min)}${group.length > 1 ? ' each' : ''}`
      : `${formatDuration(min)} to ${formatDuration(max)}`;
  const failed = group.filter((s) => s.isError).length;
  return `${group.length} × ${spanName(first)} ${first.kind}, ${durations}${failed > 0 ? `, ${failed} failed` : ''}`;
}

/** When a span started and ended, from its trace's start: `+50ms → +330ms`. */
export function timeRange(span: Span, trace: Trace): string {
  const from = startOffsetNs(span, trace);
  const to = from + span.durationNs;
  return `+${formatDuration(from)} → +${formatDuration(to)}`;
}

/**
 * One numbered line per span with when it ran, aligned: the picks of an order or
 * parallel check. `marks[i]` is appended to line i.
 */
export function timeline(spans: readonly SpanRef[], marks: readonly string[] = []): string {
  const ranges = spans.map(({ span, trace }) => timeRange(span, trace));
  const width = Math.max(...ranges.map((r) => r.length));
  const lines = spans.map(({ span }, i) => {
    const mark = marks[i] ? `  ${marks[i]}` : '';
    return `  ${i + 1}. ${(ranges[i] as string).padEnd(width)}  ${spanName(span)}${mark}`;
  });
  return `Spans (start → end, from the trace's start):\n${lines.join('\n')}`;
}

/** How a failed span was seen to fail: `status ERROR: card declined`. */
/** The near misses by name, one per line, or nothing when there are none. */
export function candidatesSection(ctx: MatcherContext, candidates: readonly Candidate[]): string {
  if (candidates.length === 0) return '';
  const lines = candidates.map((c) => {
    const times = c.count > 1 ? ` (${c.count} spans)` : '';
    const why = c.distance === 0 ? ' (same name: something else in the selector differs)' : '';
    const span = c.span;
    return `  ${ctx.utils.RECEIVED_COLOR(`"${printable(span.name)}"`)} [${printable(span.service)}] ${span.kind}, ${formatDuration(span.durationNs)}, status ${span.status.code}${times}${why}`;
  });
  return `Nearest by name:\n${lines.join('\n')}`;
}

/**
 * The trees of the traces (at most {@link MAX_TREES}, each at most {@link MAX_TREE_SPANS}
 * spans), `highlight`ed spans marked. Traces with a highlighted span are shown first.
 */
export function treesSection(
  ctx: MatcherContext,
  traces: readonly Trace[],
  highlight: (span: Span) => boolean,
  title = traces.length > 1 ? 'Traces:' : 'Trace:',
  options: TreesOptions = {},
): string {
  const color = useColor(ctx);
  const mark = options.mark;
  const ordered = options.keepOrder
    ? traces
    : [...traces].sort((a, b) => Number(hasAny(b, highlight)) - Number(hasAny(a, highlight)));
  const shown = ordered.slice(0, MAX_TREES).map((trace) => {
    const tree = formatTraceTree(trace, { color, highlight, mark, maxSpans: MAX_TREE_SPANS });
    return traces.length > 1 ? `${formatTraceHeader(trace, { color })}\n${tree}` : tree;
  });
  const rest = traces.length - shown.length;
  if (rest > 0) shown.push(`… and ${count(rest, 'more trace')}`);
  return `${title}\n${shown.join('\n\n')}`;
}

export interface TreesOptions {
  /** A `◀ note` after the spans an analysis singles out (time on the critical path, self time). */
  readonly mark?: (span: Span) => string | undefined;
  /** Show the traces in the order given (the caller put the failing ones first). */
  readonly keepOrder?: boolean;
}

function hasAny(trace: Trace, highlight: (span: Span) => boolean): boolean {
  return trace.spans.some(highlight);
}

/** A predicate true for exactly these spans, for tree highlighting. */
export function isOneOf(spans: Iterable<Span | SpanRef>): (span: Span) => boolean {
  const set = new Set<Span>();
  for (const s of spans) set.add('trace' in s && 'span' in s ? s.span : (s as Span));
  return (span) => set.has(span);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > 100 ? `${flat.slice(0, 99)}…` : flat;
}
