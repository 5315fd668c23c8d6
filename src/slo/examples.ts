import { failureSignal } from '../analyze';
import type { Span } from '../model';
import type { SpanPointer } from '../spec/result';

/** At most this many example spans per SLO group: enough to open in a trace viewer. */
export const MAX_EXAMPLES = 5;

/** Which spans explain a group's failure. */
export interface ExampleKinds {
  /** A duration budget was exceeded (or a duration regressed). */
  readonly slowest: boolean;
  /** A lower bound on a duration broke (`min >= 1ms`): the fastest spans explain it. */
  readonly fastest: boolean;
  /** error_rate broke. */
  readonly failed: boolean;
}

/**
 * Up to {@link MAX_EXAMPLES} spans that explain a failure: the slowest (or fastest) first
 * for duration budgets, the failed ones (in trace order) for error_rate. When several
 * kinds apply, they take turns, so that each failure gets an example.
 */
export function pickExamples(spans: readonly Span[], kinds: ExampleKinds): SpanPointer[] {
  const lists: Span[][] = [];
  if (kinds.slowest) lists.push(extremes(spans, (a, b) => b.durationNs - a.durationNs));
  if (kinds.fastest) lists.push(extremes(spans, (a, b) => a.durationNs - b.durationNs));
  if (kinds.failed) lists.push(firstFailed(spans));
  const chosen = new Set<Span>();
  for (let round = 0; round < MAX_EXAMPLES && chosen.size < MAX_EXAMPLES; round++) {
    for (const list of lists) {
      const span = list[round];
      if (span !== undefined && chosen.size < MAX_EXAMPLES) chosen.add(span);
    }
  }
  return [...chosen].map(pointer);
}

/**
 * The first {@link MAX_EXAMPLES} spans in `order`, earlier spans first among equals. One
 * pass with a short sorted list: a group can hold a million spans, and only five are wanted.
 */
function extremes(spans: readonly Span[], order: (a: Span, b: Span) => number): Span[] {
  const top: Span[] = [];
  for (const span of spans) {
    if (top.length === MAX_EXAMPLES && order(span, top[MAX_EXAMPLES - 1] as Span) >= 0) continue;
    let at = top.length;
    while (at > 0 && order(span, top[at - 1] as Span) < 0) at--;
    top.splice(at, 0, span);
    if (top.length > MAX_EXAMPLES) top.pop();
  }
  return top;
}

function firstFailed(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    if (failureSignal(span) === undefined) continue;
    out.push(span);
    if (out.length === MAX_EXAMPLES) break;
  }
  return out;
}

function pointer(span: Span): SpanPointer {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    name: span.name,
    service: span.service,
    durationNs: span.durationNs,
  };
}
