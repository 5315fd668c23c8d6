import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { durationStats, exactSum, percentile } from '../../src/slo';

/**
 * The textbook definition, written apart from the implementation: sort a plain array with
 * a comparator, take the rank (n - 1)·p, and weigh the two neighbours by their distance
 * to it. No typed arrays, no shared helpers.
 */
function referenceQuantile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const weight = rank - lower;
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

const durations = fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 300 });
const quantile = fc.oneof(
  fc.constantFrom(0, 0.5, 0.9, 0.95, 0.99, 0.999, 1),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

describe('percentile (properties)', () => {
  test('matches the reference definition', () => {
    fc.assert(
      fc.property(durations, quantile, (values, p) => {
        const actual = percentile(Float64Array.from(values).sort(), p);
        const expected = referenceQuantile(values, p);
        // The two formulas round differently; they agree to a few ulps of the largest value.
        expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(...values) * 1e-12);
      }),
      { numRuns: 500 },
    );
  });

  test('stays within the two neighbouring samples and never decreases with p', () => {
    fc.assert(
      fc.property(durations, quantile, quantile, (values, p, q) => {
        const sorted = Float64Array.from(values).sort();
        const [low, high] = p <= q ? [p, q] : [q, p];
        const at = percentile(sorted, low);
        const rank = (sorted.length - 1) * low;
        expect(at).toBeGreaterThanOrEqual(sorted[Math.floor(rank)] as number);
        expect(at).toBeLessThanOrEqual(
          sorted[Math.min(sorted.length - 1, Math.ceil(rank))] as number,
        );
        expect(percentile(sorted, high)).toBeGreaterThanOrEqual(at);
      }),
      { numRuns: 500 },
    );
  });

  test('statistics are ordered: min <= p50 <= ... <= p999 <= max, and min <= avg <= max', () => {
    fc.assert(
      fc.property(durations, (values) => {
        const s = durationStats(values);
        const chain = [s.min, s.p50, s.p90, s.p95, s.p99, s.p999, s.max];
        for (let i = 1; i < chain.length; i++) {
          expect(chain[i]).toBeGreaterThanOrEqual(chain[i - 1] as number);
        }
        expect(s.min).toBe(Math.min(...values));
        expect(s.max).toBe(Math.max(...values));
        expect(s.avg).toBeGreaterThanOrEqual(s.min);
        expect(s.avg).toBeLessThanOrEqual(s.max);
      }),
    );
  });

  test('the sum behind avg is the exact (bigint) sum, rounded once', () => {
    const big = fc.array(fc.integer({ min: 0, max: 2 ** 52 }), { maxLength: 100 });
    fc.assert(
      fc.property(big, (values) => {
        const exact = values.reduce((sum, v) => sum + BigInt(v), 0n);
        expect(exactSum(values)).toBe(Number(exact));
      }),
      { numRuns: 500 },
    );
  });
});
