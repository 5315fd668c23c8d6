import type { DurationMetric } from '../spec/types';

/** The quantile each percentile metric names, as a fraction. */
export const PERCENTILES: Readonly<Record<'p50' | 'p90' | 'p95' | 'p99' | 'p999', number>> = {
  p50: 0.5,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
  p999: 0.999,
};

/**
 * The `p`-quantile (`p` in [0, 1]) of values sorted ascending, exact: linear interpolation
 * between the closest ranks. With `h = (n - 1) · p`, the result is
 * `x[⌊h⌋] + (h - ⌊h⌋) · (x[⌊h⌋ + 1] - x[⌊h⌋])`. This is numpy's default (`linear`), R's
 * type 7, Excel's PERCENTILE.INC and what k6 reports for trends, so a number tracespec
 * prints can be checked with any of them. NaN for no values.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  if (lo + 1 >= n) return below;
  const above = sorted[lo + 1] as number;
  // Rounding in the product can land one ulp past `above`; a p99 above the max would be absurd.
  return Math.min(above, below + (h - lo) * (above - below));
}

/**
 * Every duration statistic an SLO can bound, from durations in nanoseconds: the
 * percentiles by {@link percentile}, min, max, and the mean (the exact sum divided by the
 * count). NaN for each when there are no durations.
 */
export function durationStats(durations: ArrayLike<number>): Record<DurationMetric, number> {
  const sorted = Float64Array.from(durations).sort();
  const n = sorted.length;
  return {
    p50: percentile(sorted, PERCENTILES.p50),
    p90: percentile(sorted, PERCENTILES.p90),
    p95: percentile(sorted, PERCENTILES.p95),
    p99: percentile(sorted, PERCENTILES.p99),
    p999: percentile(sorted, PERCENTILES.p999),
    min: n === 0 ? Number.NaN : (sorted[0] as number),
    max: n === 0 ? Number.NaN : (sorted[n - 1] as number),
    avg: n === 0 ? Number.NaN : exactSum(sorted) / n,
  };
}

// A running sum under 2^51 plus a value under 2^51 stays under 2^52: exact for integers.
const SPILL = 2 ** 51;

/**
 * The sum of durations without rounding error: integer nanoseconds add exactly in a double
 * while the running sum stays below 2^53, so the whole part is moved into a bigint before it
 * can get there. A million ten-second spans (10^16 ns) would otherwise lose nanoseconds.
 * Fractions (only from callers that pass non-integers) are added as doubles. NaN when a
 * value is not finite.
 */
export function exactSum(values: ArrayLike<number>): number {
  let carry = 0n;
  let acc = 0;
  // Comparisons only on the common path: no calls per value, which keeps a million spans cheap.
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x < SPILL && x > -SPILL) acc += x;
    else {
      if (!Number.isFinite(x)) return Number.NaN;
      const whole = Math.trunc(x);
      carry += BigInt(whole);
      acc += x - whole;
    }
    if (acc >= SPILL || acc <= -SPILL) {
      const whole = Math.trunc(acc);
      carry += BigInt(whole);
      acc -= whole;
    }
  }
  const whole = Math.trunc(acc);
  return Number(carry + BigInt(whole)) + (acc - whole);
}
