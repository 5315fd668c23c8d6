import { performance } from 'node:perf_hooks';

/**
 * The OpenTelemetry JS SDK stamps a span's start with `Date.now()` (whole milliseconds)
 * and its end as start plus a precise duration. Two spans that ran back to back within
 * the same millisecond therefore look as if they overlapped, and "A finished before B
 * started" cannot be asserted. The capture processor re-stamps the start of each span it
 * sees start with a sub-microsecond clock, and shifts the end and the events by the same
 * amount, so durations stay exactly as the SDK measured them.
 *
 * The clock is the monotonic `performance` clock, anchored to wall time once per process:
 * every span is stamped with the same offset, so order between spans is exact even though
 * the absolute time is only as good as `Date.now()` (±1 ms).
 */
const offsetMs = Date.now() - (performance.timeOrigin + performance.now());

/**
 * When the span started, in nanoseconds since the Unix epoch, with sub-microsecond
 * resolution. The SDK (2.x and 3.x) keeps the `performance.now()` reading its duration is
 * measured from; using that very reading makes start + duration the true end, even when a
 * pause (GC) separates the SDK's stamp from the processor's `onStart`. Without it, now.
 */
export function preciseStartNs(span: object): bigint {
  const perfStart = (span as { _performanceStartTime?: unknown })._performanceStartTime;
  const at = typeof perfStart === 'number' ? perfStart : performance.now();
  const ms = performance.timeOrigin + at + offsetMs;
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

/**
 * How far to move a span that the SDK says started at `sdkStartNs`, given that the
 * processor saw it start at `seenNs`. Zero when the two are further apart than the SDK's
 * millisecond truncation, the anchoring error and a pause between the SDK's stamp and
 * `onStart` (a GC on a loaded machine) explain: the application passed its own start time.
 */
export function startCorrectionNs(sdkStartNs: bigint, seenNs: bigint): bigint {
  const shift = seenNs - sdkStartNs;
  return shift > -2_000_000n && shift < 10_000_000n ? shift : 0n;
}
