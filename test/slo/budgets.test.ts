import { describe, expect, test } from '@jest/globals';
import { evaluateSlo } from '../../src/slo';
import type { Comparison, DurationMetric } from '../../src/spec/types';
import { budget, contextOf, onlyGroup, samples, sloOf, TEN_SECONDS, tracesOf } from './build';

// 1..1000ms and one 100s outlier: n = 1001, so rank (n - 1)·p is a whole number for every
// percentile and each statistic is a distinct, exactly known number of nanoseconds.
const durationsMs = [...Array.from({ length: 1000 }, (_, i) => i + 1), 100_000];
const traces = samples(durationsMs);
const EXPECTED: Readonly<Record<DurationMetric, number>> = {
  p50: 501e6,
  p90: 901e6,
  p95: 951e6,
  p99: 991e6,
  p999: 1000e6,
  min: 1e6,
  max: 100e9,
  avg: 600_500e6 / 1001,
};
const DURATIONS = Object.keys(EXPECTED) as DurationMetric[];

function outcome(metric: Parameters<typeof budget>[0], op: Comparison, value: number, t = traces) {
  const result = evaluateSlo(sloOf({ budgets: [budget(metric, [op, value])] }), t, contextOf());
  const group = onlyGroup(result);
  expect(group.budgets).toHaveLength(1);
  return { result, group, outcome: group.budgets[0] as (typeof group.budgets)[number] };
}

describe('duration budgets', () => {
  test('measure each statistic exactly', () => {
    const group = onlyGroup(evaluateSlo(sloOf(), traces, contextOf()));
    for (const metric of DURATIONS) expect(group.measured[metric]).toBe(EXPECTED[metric]);
  });

  test.each(DURATIONS)('%s: a value exactly at the budget passes <= and >=', (metric) => {
    for (const op of ['<=', '>='] as const) {
      const { result, outcome: o } = outcome(metric, op, EXPECTED[metric]);
      expect(o).toMatchObject({ metric, pass: true, measured: EXPECTED[metric] });
      expect(o.reason).toBeUndefined();
      expect(result.verdict).toBe('pass');
    }
  });

  test.each(DURATIONS)('%s: a value exactly at the budget fails < and >', (metric) => {
    for (const op of ['<', '>'] as const) {
      const { result, outcome: o } = outcome(metric, op, EXPECTED[metric]);
      expect(o.pass).toBe(false);
      expect(o.reason).toMatch(
        new RegExp(`^${metric} \\S+ is not \\${op} \\S+ \\(exactly at it\\)$`),
      );
      expect(result.verdict).toBe('fail');
    }
  });

  test.each(DURATIONS)('%s: one nanosecond over an upper bound fails', (metric) => {
    const { outcome: o } = outcome(metric, '<=', EXPECTED[metric] - 1);
    expect(o.pass).toBe(false);
    expect(o.reason).toMatch(new RegExp(`^${metric} .* > .* \\(over by 1ns\\)$`));
  });

  test.each(DURATIONS)('%s: one nanosecond under a lower bound fails', (metric) => {
    const { outcome: o } = outcome(metric, '>=', EXPECTED[metric] + 1);
    expect(o.pass).toBe(false);
    expect(o.reason).toMatch(new RegExp(`^${metric} .* < .* \\(under by 1ns\\)$`));
  });

  test('budget and reason read as a person writes them', () => {
    const over = samples([312, 312, 312]);
    const { outcome: o } = outcome('p95', '<=', 300e6, over);
    expect(o).toEqual({
      metric: 'p95',
      budget: '<= 300ms',
      measured: 312e6,
      pass: false,
      reason: 'p95 312ms > 300ms (over by 12ms)',
    });
    expect(outcome('max', '<', 1e9, over).outcome.budget).toBe('< 1s');
    expect(outcome('min', '>=', 5e6, over).outcome.budget).toBe('>= 5ms');
  });

  test('values that print alike get more digits, so the reason never reads "300ms > 300ms"', () => {
    const { outcome: o } = outcome('p95', '<=', 300e6, samples([300.4]));
    expect(o.reason).toBe('p95 300.4ms > 300ms (over by 400µs)');
  });

  test('every bound of a budget must hold', () => {
    const slo = sloOf({ budgets: [budget('p50', ['>', 5e6], ['<', 300e6])] });
    const group = onlyGroup(evaluateSlo(slo, samples([2, 3, 4]), contextOf()));
    expect(group.budgets.map((b) => [b.budget, b.pass])).toEqual([
      ['> 5ms', false],
      ['< 300ms', true],
    ]);
    expect(group.verdict).toBe('fail');
  });
});

describe('error_rate', () => {
  // 200 spans: one with ERROR status, one that recorded an exception and set no status
  // (both failed, as the no-errors check sees it), one that handled its exception (OK).
  const spans = Array.from({ length: 200 }, (_, i) => ({ name: 'pay', start: i, end: i + 1 }));
  const withErrors = tracesOf([
    { name: 'pay', start: 0, end: 1, error: 'card declined' },
    { name: 'pay', start: 1, end: 2, exceptions: [{ type: 'TimeoutError' }] },
    { name: 'pay', start: 2, end: 3, status: 'ok', exceptions: [{ type: 'Handled' }] },
    ...spans.slice(3),
  ]);

  test('counts failures as failureSignal does: ERROR status, or an exception with no status', () => {
    const group = onlyGroup(evaluateSlo(sloOf(), withErrors, contextOf()));
    expect(group.measured.error_rate).toBe(0.01);
  });

  test('exactly at the budget: passes <=, fails <', () => {
    expect(outcome('error_rate', '<=', 0.01, withErrors).outcome).toEqual({
      metric: 'error_rate',
      budget: '<= 1%',
      measured: 0.01,
      pass: true,
    });
    expect(outcome('error_rate', '<', 0.01, withErrors).outcome).toMatchObject({
      budget: '< 1%',
      pass: false,
      reason: 'error_rate 1% is not < 1% (exactly at it)',
    });
  });

  test('over the budget, by percentage points', () => {
    expect(outcome('error_rate', '<=', 0.005, withErrors).outcome.reason).toBe(
      'error_rate 1% > 0.5% (over by 0.5 percentage points)',
    );
  });

  test('failed spans are the examples', () => {
    const { group } = outcome('error_rate', '<', 0.01, withErrors);
    expect(group.examples.map((e) => e.spanId)).toEqual([
      withErrors[0]?.spans[0]?.spanId,
      withErrors[1]?.spans[0]?.spanId,
    ]);
    expect(group.examples.map((e) => e.traceId)).toEqual([
      withErrors[0]?.traceId,
      withErrors[1]?.traceId,
    ]);
  });
});

describe('count', () => {
  const twenty = samples(Array.from({ length: 20 }, () => 5));

  test('at the budget: passes <= and >=, fails < and >', () => {
    expect(outcome('count', '<=', 20, twenty).outcome.pass).toBe(true);
    expect(outcome('count', '>=', 20, twenty).outcome.pass).toBe(true);
    expect(outcome('count', '<', 20, twenty).outcome).toMatchObject({
      budget: '< 20',
      pass: false,
      reason: 'count 20 is not < 20 (exactly at it)',
    });
    expect(outcome('count', '>', 20, twenty).outcome.pass).toBe(false);
  });

  test('past the budget either way, with no example spans', () => {
    const low = outcome('count', '>=', 21, twenty);
    expect(low.outcome.reason).toBe('count 20 < 21 (under by 1)');
    expect(low.group.examples).toEqual([]);
    expect(outcome('count', '<=', 19, twenty).outcome.reason).toBe('count 20 > 19 (over by 1)');
  });
});

describe('rate', () => {
  // 200 spans over the ten-second window: 20 spans per second.
  const busy = samples(Array.from({ length: 200 }, () => 5));

  test('is spans per second of the window', () => {
    const group = onlyGroup(evaluateSlo(sloOf(), busy, contextOf({ window: TEN_SECONDS })));
    expect(group.measured.rate).toBe(20);
  });

  test('at a lower bound: passes >=, fails >', () => {
    expect(outcome('rate', '>=', 20, busy).outcome).toEqual({
      metric: 'rate',
      budget: '>= 20/s',
      measured: 20,
      pass: true,
    });
    expect(outcome('rate', '>', 20, busy).outcome.reason).toBe(
      'rate 20/s is not > 20/s (exactly at it)',
    );
  });

  test('under a floor, over a ceiling', () => {
    expect(outcome('rate', '>=', 25, busy).outcome.reason).toBe('rate 20/s < 25/s (under by 5/s)');
    expect(outcome('rate', '<=', 12.5, busy).outcome.reason).toBe(
      'rate 20/s > 12.5/s (over by 7.5/s)',
    );
    expect(outcome('rate', '<=', 20, busy).outcome.pass).toBe(true);
  });

  test('a zero-length window makes the rate NaN, and a rate budget fails saying why', () => {
    const slo = sloOf({ budgets: [budget('rate', ['>=', 0])] });
    const instant = { startNs: 5n, endNs: 5n };
    const group = onlyGroup(evaluateSlo(slo, busy, contextOf({ window: instant })));
    expect(group.measured.rate).toBeNaN();
    expect(group.budgets[0]).toMatchObject({
      pass: false,
      reason:
        'rate could not be measured: the traces cover no time (they start and end at the same instant), so there is no rate per second',
    });
  });

  test('no window at all: NaN, and the budget fails', () => {
    const slo = sloOf({ budgets: [budget('rate', ['<=', 1000])] });
    const group = onlyGroup(evaluateSlo(slo, busy, contextOf({ window: undefined })));
    expect(group.measured.rate).toBeNaN();
    expect(group.budgets[0]?.pass).toBe(false);
    expect(group.budgets[0]?.reason).toMatch(/^rate could not be measured: /);
  });
});

describe('measured', () => {
  test('holds every metric, whether or not a budget names it', () => {
    const group = onlyGroup(evaluateSlo(sloOf(), samples([100, 200]), contextOf()));
    expect(Object.keys(group.measured).sort()).toEqual(
      [
        'p50',
        'p90',
        'p95',
        'p99',
        'p999',
        'min',
        'max',
        'avg',
        'error_rate',
        'count',
        'rate',
      ].sort(),
    );
    expect(group.measured).toMatchObject({ count: 2, error_rate: 0, rate: 0.2, min: 100e6 });
    expect(group.verdict).toBe('pass');
    expect(group.examples).toEqual([]);
  });
});
