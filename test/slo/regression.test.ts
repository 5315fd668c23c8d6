import { describe, expect, test } from '@jest/globals';
import { evaluateSlo } from '../../src/slo';
import type { Metric } from '../../src/spec/types';
import { baselineWith, contextOf, onlyGroup, regression, samples, sloOf, tracesOf } from './build';

/** The one outcome of a single regression budget on `metric` against a stored `before`. */
function compare(
  metric: Metric,
  traces: ReturnType<typeof samples>,
  before: number | undefined,
  allowed = 0.1,
) {
  const baseline =
    before === undefined
      ? undefined
      : baselineWith([{ key: [], samples: 100, values: { [metric]: before } }]);
  const slo = sloOf({ budgets: [regression(metric, allowed)] });
  const group = onlyGroup(evaluateSlo(slo, traces, contextOf({ baseline })));
  expect(group.budgets).toHaveLength(1);
  return { group, outcome: group.budgets[0] as (typeof group.budgets)[number] };
}

describe('regression budgets on durations (up is worse)', () => {
  test('within the allowed rise: passes, and reports the baseline it compared with', () => {
    const { outcome } = compare('p95', samples([105]), 100e6);
    expect(outcome).toEqual({
      metric: 'p95',
      budget: '<= +10% vs baseline',
      measured: 105e6,
      pass: true,
      baseline: 100e6,
    });
  });

  test('exactly the allowed rise passes; a nanosecond more fails', () => {
    expect(compare('p95', samples([110]), 100e6).outcome.pass).toBe(true);
    const over = compare('p95', samples([110.000001]), 100e6);
    expect(over.outcome.pass).toBe(false);
    expect(over.group.verdict).toBe('fail');
  });

  test('over the allowed rise: fails, saying by how much, with the slowest spans', () => {
    const { outcome, group } = compare('p95', samples([125]), 100e6);
    expect(outcome).toMatchObject({
      pass: false,
      baseline: 100e6,
      reason: 'p95 rose 25% from 100ms to 125ms, more than the allowed +10%',
    });
    expect(group.examples.map((e) => e.durationNs)).toEqual([125e6]);
  });

  test('a change of exactly the allowance passes despite rounding in the quotient', () => {
    // 33 failed of 1000 against 3%: (0.033 - 0.03) / 0.03 is 10.000000000000002% in doubles.
    expect((0.033 - 0.03) / 0.03).toBeGreaterThan(0.1);
    const traces = tracesOf(
      Array.from({ length: 1000 }, (_, i) => ({
        name: 'pay',
        start: 0,
        end: 5,
        error: i < 33 || undefined,
      })),
    );
    expect(compare('error_rate', traces, 0.03).outcome.pass).toBe(true);
    expect(compare('error_rate', traces, 0.0299).outcome.pass).toBe(false);
  });

  test('getting faster always passes', () => {
    expect(compare('max', samples([10]), 100e6).outcome.pass).toBe(true);
  });
});

describe('regression budgets from a baseline of 0', () => {
  const oneFailed = tracesOf([
    { name: 'pay', start: 0, end: 5, error: 'boom' },
    ...Array.from({ length: 99 }, () => ({ name: 'pay', start: 0, end: 5 })),
  ]);

  test('any rise fails, whatever the allowance', () => {
    const { outcome, group } = compare('error_rate', oneFailed, 0, 10);
    expect(outcome).toMatchObject({
      budget: '<= +1000% vs baseline',
      pass: false,
      baseline: 0,
      reason:
        'error_rate rose from 0 to 1%; from a baseline of 0 any rise is more than the allowed +1000%',
    });
    expect(group.examples.map((e) => e.spanId)).toEqual([oneFailed[0]?.spans[0]?.spanId]);
  });

  test('staying at 0 passes', () => {
    expect(compare('error_rate', samples([5, 5]), 0).outcome).toMatchObject({
      pass: true,
      baseline: 0,
    });
  });
});

describe('regression on count (up is worse) and rate (down is worse)', () => {
  // 100 spans over the ten-second window: count 100, rate 10/s.
  const hundred = samples(Array(100).fill(5));

  test('count: more spans than the baseline by over the allowance fails', () => {
    expect(compare('count', hundred, 95).outcome.pass).toBe(true);
    expect(compare('count', hundred, 80).outcome.reason).toBe(
      'count rose 25% from 80 to 100, more than the allowed +10%',
    );
  });

  test('rate: a fall beyond the allowance fails; a rise passes', () => {
    expect(compare('rate', hundred, 11).outcome).toMatchObject({
      budget: '>= -10% vs baseline',
      pass: true,
      baseline: 11,
    });
    expect(compare('rate', hundred, 12.5).outcome).toMatchObject({
      pass: false,
      reason: 'rate fell 20% from 12.5/s to 10/s, more than the allowed -10%',
    });
    expect(compare('rate', hundred, 1).outcome.pass).toBe(true);
  });

  test('rate: exactly the allowed fall passes', () => {
    // 10/s is 20% under 12.5/s.
    expect(compare('rate', hundred, 12.5, 0.2).outcome.pass).toBe(true);
  });

  test('rate failures list no example spans', () => {
    expect(compare('rate', hundred, 100).group.examples).toEqual([]);
  });
});

describe('without a baseline value', () => {
  test('no baseline given, if_no_baseline fail (the default): fails and says how to fix it', () => {
    const { outcome, group } = compare('p95', samples([100]), undefined);
    expect(outcome).toEqual({
      metric: 'p95',
      budget: '<= +10% vs baseline',
      measured: 100e6,
      pass: false,
      reason:
        'no baseline p95 to compare with: no baseline was given. Run with --baseline <file> (a file saved by --save-baseline), or set if_no_baseline: pass to let it pass without one',
    });
    expect(group.verdict).toBe('fail');
  });

  test('if_no_baseline pass: passes, and says nothing was compared', () => {
    const slo = sloOf({ budgets: [regression('p95', 0.1, 'pass')] });
    const group = onlyGroup(evaluateSlo(slo, samples([100]), contextOf()));
    expect(group.budgets[0]).toEqual({
      metric: 'p95',
      budget: '<= +10% vs baseline',
      measured: 100e6,
      pass: true,
      reason:
        'not compared with a baseline: no baseline was given; passes because of if_no_baseline: pass',
    });
    expect(group.verdict).toBe('pass');
  });

  test('a baseline without this SLO names what it lacks', () => {
    const baseline = baselineWith([{ key: [], samples: 3, values: { p95: 1 } }], 'other SLO');
    const slo = sloOf({ budgets: [regression('p95', 0.1)] });
    const group = onlyGroup(evaluateSlo(slo, samples([100]), contextOf({ baseline })));
    expect(group.budgets[0]?.reason).toBe(
      'no baseline p95 to compare with: baseline.json has no SLO "payment latency" in spec "checkout" (it has "other SLO"). Run with --baseline <file> (a file saved by --save-baseline), or set if_no_baseline: pass to let it pass without one',
    );
  });

  test('a baseline of another spec name', () => {
    const baseline = baselineWith([{ key: [], samples: 3, values: { p95: 1 } }]);
    const slo = sloOf({ budgets: [regression('p95', 0.1, 'pass')] });
    const context = contextOf({ baseline, specName: 'payments' });
    expect(onlyGroup(evaluateSlo(slo, samples([100]), context)).budgets[0]?.reason).toBe(
      'not compared with a baseline: baseline.json has no spec "payments" (it has "checkout"); passes because of if_no_baseline: pass',
    );
  });

  test('a baseline without the group, or without the metric', () => {
    const baseline = baselineWith([
      { key: ['payments'], samples: 40, values: { p95: 100e6 } },
      { key: ['inventory'], samples: 0, values: { count: 0 } },
    ]);
    const traces = tracesOf([
      { name: 'pay', service: 'inventory', start: 0, end: 10 },
      { name: 'pay', service: 'payments', start: 0, end: 300 },
      { name: 'pay', service: 'search', start: 0, end: 10 },
    ]);
    const slo = sloOf({ groupBy: ['service'], budgets: [regression('p95', 0.1)] });
    const result = evaluateSlo(slo, traces, contextOf({ baseline }));
    expect(result.groups.map((g) => [g.key[0], g.budgets[0]?.pass])).toEqual([
      ['inventory', false],
      ['payments', false],
      ['search', false],
    ]);
    expect(result.groups[0]?.budgets[0]?.reason).toMatch(
      /^no baseline p95 to compare with: baseline\.json has no p95 for SLO "payment latency" group \[inventory\] of spec "checkout": it could not be measured when the baseline was saved \(0 samples\)\. /,
    );
    expect(result.groups[1]?.budgets[0]?.reason).toBe(
      'p95 rose 200% from 100ms to 300ms, more than the allowed +10%',
    );
    expect(result.groups[2]?.budgets[0]?.reason).toMatch(
      /^no baseline p95 to compare with: baseline\.json has no group \[search\] for SLO "payment latency" of spec "checkout" \(it has \[payments\], \[inventory\]\)\. /,
    );
  });

  test('nothing measured: a regression budget fails rather than comparing NaN', () => {
    const slo = sloOf({ select: '{ name = "nope" }', budgets: [regression('p95', 0.1, 'pass')] });
    const baseline = baselineWith([{ key: [], samples: 3, values: { p95: 1e6 } }]);
    const group = onlyGroup(evaluateSlo(slo, samples([5]), contextOf({ baseline })));
    expect(group.budgets[0]).toMatchObject({
      pass: false,
      baseline: 1e6,
      reason: 'p95 could not be measured: no spans were selected',
    });
  });
});
