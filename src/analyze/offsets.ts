import { type Span, startOffsetNs, type Trace } from '../model';

// Traces are never mutated once built, so the offsets of one stay right for its lifetime;
// the WeakMap lets them go with it.
const CACHE = new WeakMap<Trace, Float64Array>();

/**
 * Each span's start in nanoseconds from the trace's start, by position in `trace.spans`.
 * Exact as numbers (traces are shorter than 104 days). Computed once per trace and shared by
 * the analyses, as `tracespec analyze` runs several over each trace.
 */
export function spanOffsets(trace: Trace): Float64Array {
  const cached = CACHE.get(trace);
  if (cached) return cached;
  const spans = trace.spans;
  const out = new Float64Array(spans.length);
  for (let i = 0; i < spans.length; i++) out[i] = startOffsetNs(spans[i] as Span, trace);
  CACHE.set(trace, out);
  return out;
}
