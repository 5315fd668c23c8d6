import type { Span, Trace } from '../model';

// Traces are never mutated once built, so the offsets of one stay right for its lifetime;
// the WeakMap lets them go with it.
const CACHE = new WeakMap<Trace, Float64Array>();

/**
 * Each span's start in nanoseconds from the trace's start, by position in `trace.spans`.
 * Exact as numbers (traces are shorter than 104 days). Computed once per trace and shared by
 * the analyses: the BigInt subtraction per span is most of what an analysis of a large
 * trace costs, and `tracespec analyze` runs several over each trace.
 */
export function spanOffsets(trace: Trace): Float64Array {
  const cached = CACHE.get(trace);
  if (cached) return cached;
  const spans = trace.spans;
  const out = new Float64Array(spans.length);
  const start = trace.startTimeUnixNano;
  for (let i = 0; i < spans.length; i++) {
    out[i] = Number((spans[i] as Span).startTimeUnixNano - start);
  }
  CACHE.set(trace, out);
  return out;
}
