import { describe, expect, test } from '@jest/globals';
import { durationStats, exactSum, PERCENTILES, percentile } from '../../src/slo';

const QUANTILES = [0.5, 0.9, 0.95, 0.99, 0.999] as const;

/**
 * Reference values from numpy 2.4.6, produced with
 *   np.quantile(np.array(values, dtype=np.float64), [0.5, 0.9, 0.95, 0.99, 0.999], method='linear')
 * and pasted as printed (repr of each float).
 */
const NUMPY: readonly { name: string; values: number[]; quantiles: number[] }[] = [
  {
    name: 'ties',
    values: [5, 1, 3, 3, 3, 9, 1, 7],
    quantiles: [3.0, 7.6, 8.299999999999999, 8.86, 8.986],
  },
  {
    name: 'ten durations',
    values: [120e6, 80e6, 95e6, 300e6, 101e6, 99e6, 450e6, 87e6, 110e6, 105e6],
    quantiles: [
      103000000.0, 314999999.99999994, 382499999.9999998, 436500000.0, 448649999.99999994,
    ],
  },
  {
    name: 'skewed (µs to seconds)',
    values: [
      1000, 1500, 2200, 2300, 5000, 10000, 12000, 13000, 40000, 95000, 250000, 1_200_000, 3_700_000,
    ],
    quantiles: [
      12000.0, 1010000.0000000007, 2199999.9999999963, 3399999.9999999977, 3669999.999999999,
    ],
  },
  {
    name: 'the checkout trace',
    values: [352e6, 350e6, 45e6, 280e6, 25e6, 12e6, 3e6],
    quantiles: [45000000.0, 350800000.0, 351400000.0, 351880000.0, 351988000.0],
  },
];

describe('percentile', () => {
  test.each(NUMPY)('agrees with numpy (linear) on $name', ({ values, quantiles }) => {
    const sorted = Float64Array.from(values).sort();
    QUANTILES.forEach((p, i) => {
      // numpy interpolates as b - (b - a)(1 - t) for t >= 0.5, so the last bit may differ.
      expect(percentile(sorted, p)).toBeCloseTo(quantiles[i] as number, 5);
      expect(Math.abs(percentile(sorted, p) - (quantiles[i] as number))).toBeLessThanOrEqual(
        Math.abs(quantiles[i] as number) * 1e-14,
      );
    });
  });

  test('one value is every percentile', () => {
    for (const p of QUANTILES) expect(percentile([42], p)).toBe(42);
    expect(percentile([42], 0)).toBe(42);
    expect(percentile([42], 1)).toBe(42);
  });

  test('two values interpolate between them', () => {
    const sorted = [100, 200];
    expect(percentile(sorted, 0)).toBe(100);
    expect(percentile(sorted, 0.5)).toBe(150);
    expect(percentile(sorted, 0.9)).toBeCloseTo(190, 9);
    expect(percentile(sorted, 0.99)).toBeCloseTo(199, 9);
    expect(percentile(sorted, 1)).toBe(200);
  });

  test('ties give the tied value exactly, not something near it', () => {
    const sorted = [1, 7, 7, 7, 7, 7, 9];
    for (const p of [1 / 6, 0.25, 0.5, 0.75, 5 / 6]) expect(percentile(sorted, p)).toBe(7);
  });

  test('no values: NaN, never 0', () => {
    expect(percentile([], 0.95)).toBeNaN();
  });

  test('the metric names map to their quantiles', () => {
    expect(PERCENTILES).toEqual({ p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 });
  });
});

describe('durationStats', () => {
  test('every statistic, from unsorted durations, without touching the input', () => {
    const input = [300e6, 100e6, 200e6, 400e6, 500e6];
    const stats = durationStats(input);
    expect(stats).toEqual({
      p50: 300e6,
      p90: expect.closeTo(460e6, 3),
      p95: expect.closeTo(480e6, 3),
      p99: expect.closeTo(496e6, 3),
      p999: expect.closeTo(499.6e6, 3),
      min: 100e6,
      max: 500e6,
      avg: 300e6,
    });
    expect(input).toEqual([300e6, 100e6, 200e6, 400e6, 500e6]);
  });

  test('sorts numerically, not as text (a plain Array#sort would put 1000 before 200)', () => {
    const stats = durationStats([1000, 200, 30]);
    expect(stats.min).toBe(30);
    expect(stats.max).toBe(1000);
    expect(stats.p50).toBe(200);
  });

  test('no durations: every statistic is NaN', () => {
    const stats = durationStats([]);
    for (const value of Object.values(stats)) expect(value).toBeNaN();
  });
});

describe('exactSum', () => {
  test('keeps the nanoseconds a plain running sum loses past 2^53', () => {
    const values = [2 ** 52, 2 ** 52, 1, 1];
    // The naive sum rounds 2^53 + 1 back down to 2^53 twice.
    expect(values.reduce((a, b) => a + b, 0)).toBe(2 ** 53);
    expect(exactSum(values)).toBe(2 ** 53 + 2);
  });

  test('the mean of a million ten-second spans is exact', () => {
    const values = new Float64Array(1_000_000).fill(10e9 + 7);
    expect(durationStats(values).avg).toBe(10e9 + 7);
  });

  test('fractions and negative values still add up', () => {
    expect(exactSum([0.5, 0.25, -3, 2 ** 51 + 1, -(2 ** 51)])).toBe(-1.25);
    expect(exactSum([])).toBe(0);
  });
});
