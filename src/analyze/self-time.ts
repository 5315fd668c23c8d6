import type { Span, Trace } from '../model';
import { spanOffsets } from './offsets';

/**
 * Each span's self time in nanoseconds, by position in `trace.spans`: its duration minus
 * the time its children cover. Children are clipped to the span (a child that outlives its
 * parent, or starts before it on a skewed clock, covers only the part inside), and children
 * that overlap are counted once: two parallel 40ms calls under a 100ms span leave it 60ms
 * of its own, not 20ms.
 *
 * Linear in the spans: children come sorted by start, so their union is one sweep.
 */
export function selfTimes(trace: Trace): Float64Array {
  const spans = trace.spans;
  const offsets = spanOffsets(trace);
  const out = new Float64Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i] as Span;
    out[i] = span.durationNs - covered(trace, span, offsets);
  }
  return out;
}

/** The self time of one span of `trace`; {@link selfTimes} for many. */
export function selfTimeOf(trace: Trace, span: Span): number {
  return span.durationNs - covered(trace, span, spanOffsets(trace));
}

/** How much of `span` its children cover, as the length of the union of their clipped intervals. */
function covered(trace: Trace, span: Span, offsets: Float64Array): number {
  const from = offsets[span.index] as number;
  const to = from + span.durationNs;
  let total = 0;
  let runFrom = 0;
  let runTo = Number.NEGATIVE_INFINITY;
  for (const child of trace.childrenOf(span)) {
    const start = offsets[child.index] as number;
    // Clipping the start with `max` keeps the children in start order.
    const childFrom = Math.max(start, from);
    const childTo = Math.min(start + child.durationNs, to);
    if (childTo <= childFrom) continue;
    if (childFrom > runTo) {
      if (runTo > runFrom) total += runTo - runFrom;
      runFrom = childFrom;
      runTo = childTo;
    } else if (childTo > runTo) runTo = childTo;
  }
  if (runTo > runFrom) total += runTo - runFrom;
  return total;
}
