import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import { evaluateSlo, MAX_EXAMPLES } from '../../src/slo';
import { traceOf } from '../helpers/traces';
import {
  budget,
  contextOf,
  LOCATION,
  nextTraceId,
  onlyGroup,
  samples,
  sloOf,
  tracesOf,
} from './build';

describe('min_samples', () => {
  test('an SLO that selected nothing fails, says so, and measures NaN', () => {
    const slo = sloOf({ select: '{ name = "nope" }', budgets: [budget('p95', ['<=', 300e6])] });
    const result = evaluateSlo(slo, samples([10, 20, 30]), contextOf());
    const group = onlyGroup(result);
    expect(result.verdict).toBe('fail');
    expect(group).toMatchObject({
      key: [],
      samples: 0,
      verdict: 'fail',
      tooFewSamples: {
        needed: 1,
        reason: '{ name = "nope" } selected no spans in 3 traces; min_samples needs at least 1',
      },
    });
    expect(group.budgets).toEqual([
      {
        metric: 'p95',
        budget: '<= 300ms',
        measured: Number.NaN,
        pass: false,
        reason: 'p95 could not be measured: no spans were selected',
      },
    ]);
    expect(group.measured.p95).toBeNaN();
    expect(group.measured.error_rate).toBeNaN();
    expect(group.measured.count).toBe(0);
    expect(group.examples).toEqual([]);
  });

  test('no traces at all', () => {
    const group = onlyGroup(evaluateSlo(sloOf(), [], contextOf({ window: undefined })));
    expect(group.verdict).toBe('fail');
    expect(group.tooFewSamples?.reason).toBe(
      'there were no traces to select from; min_samples needs at least 1',
    );
  });

  test('fewer spans than needed fail even when every budget holds; enough pass', () => {
    const slo = sloOf({ minSamples: 50, budgets: [budget('p95', ['<=', 300e6])] });
    const few = onlyGroup(evaluateSlo(slo, samples([10, 20, 30]), contextOf()));
    expect(few.verdict).toBe('fail');
    expect(few.tooFewSamples).toEqual({
      needed: 50,
      reason: '{ name = "pay" } selected only 3 spans; min_samples needs at least 50',
    });
    expect(few.budgets.map((b) => b.pass)).toEqual([true]);

    const enough = onlyGroup(evaluateSlo(slo, samples(Array(50).fill(10)), contextOf()));
    expect(enough.verdict).toBe('pass');
    expect(enough.tooFewSamples).toBeUndefined();
    expect(enough.budgets.map((b) => b.metric)).toEqual(['p95']);
  });

  test('applies to each group of a group_by', () => {
    const traces = tracesOf([
      { name: 'pay', service: 'payments', start: 0, end: 10 },
      { name: 'pay', service: 'payments', start: 0, end: 10 },
      { name: 'pay', service: 'inventory', start: 0, end: 10 },
    ]);
    const result = evaluateSlo(sloOf({ minSamples: 2, groupBy: ['service'] }), traces, contextOf());
    expect(result.groups.map((g) => [g.key, g.samples, g.verdict])).toEqual([
      [['inventory'], 1, 'fail'],
      [['payments'], 2, 'pass'],
    ]);
    expect(result.groups[0]?.tooFewSamples?.reason).toBe(
      'group [inventory] has only 1 span; min_samples needs at least 2',
    );
    expect(result.verdict).toBe('fail');
  });

  test('with group_by and nothing selected there is still one group, and it fails', () => {
    const slo = sloOf({ select: '{ name = "nope" }', groupBy: ['service', 'name'] });
    const result = evaluateSlo(slo, samples([10]), contextOf());
    expect(onlyGroup(result)).toMatchObject({ key: [], samples: 0, verdict: 'fail' });
    expect(result.verdict).toBe('fail');
  });
});

describe('group_by', () => {
  const traces = [
    traceOf(
      [
        { id: '1', name: 'POST /api/checkout', service: 'gateway', start: 0, end: 400 },
        { id: '2', parent: '1', name: 'reserve', service: 'inventory', start: 1, end: 41 },
        { id: '3', parent: '1', name: 'charge', service: 'payments', start: 50, end: 330 },
        { id: '4', parent: '1', name: 'refund', service: 'payments', start: 340, end: 360 },
      ],
      nextTraceId(),
    ),
    traceOf(
      [
        { id: '1', name: 'POST /api/checkout', service: 'gateway', start: 0, end: 200 },
        { id: '2', parent: '1', name: 'reserve', service: 'inventory', start: 1, end: 61 },
        { id: '3', parent: '1', name: 'charge', service: 'payments', start: 70, end: 190 },
      ],
      nextTraceId(),
    ),
  ];
  const notGateway = '{ resource.service.name != "gateway" }';

  test('by service: one group per service, sorted, each measured on its own spans', () => {
    const slo = sloOf({ select: notGateway, groupBy: ['service'] });
    const result = evaluateSlo(slo, traces, contextOf());
    expect(result.groupBy).toEqual(['service']);
    expect(result.groups.map((g) => [g.key, g.samples, g.measured.max])).toEqual([
      [['inventory'], 2, 60e6],
      [['payments'], 3, 280e6],
    ]);
  });

  test('by name', () => {
    const result = evaluateSlo(sloOf({ select: '{ }', groupBy: ['name'] }), traces, contextOf());
    expect(result.groups.map((g) => [g.key, g.samples])).toEqual([
      [['POST /api/checkout'], 2],
      [['charge'], 2],
      [['refund'], 1],
      [['reserve'], 2],
    ]);
  });

  test('several keys: one group per distinct tuple, sorted by the first key, then the next', () => {
    const slo = sloOf({ select: notGateway, groupBy: ['service', 'name'] });
    const result = evaluateSlo(slo, traces, contextOf());
    expect(result.groups.map((g) => g.key)).toEqual([
      ['inventory', 'reserve'],
      ['payments', 'charge'],
      ['payments', 'refund'],
    ]);
  });

  test('spans without the value group together under (none)', () => {
    const withRoute = tracesOf([
      { name: 'pay', start: 0, end: 10, attributes: { 'http.route': '/pay' } },
      { name: 'pay', start: 0, end: 20 },
      { name: 'pay', start: 0, end: 30 },
    ]);
    const result = evaluateSlo(sloOf({ groupBy: ['span.http.route'] }), withRoute, contextOf());
    expect(result.groups.map((g) => [g.key, g.samples])).toEqual([
      [['(none)'], 2],
      [['/pay'], 1],
    ]);
  });

  test('a broken group fails the SLO; the others still pass', () => {
    const slo = sloOf({
      select: notGateway,
      groupBy: ['service'],
      budgets: [budget('max', ['<=', 100e6])],
    });
    const result = evaluateSlo(slo, traces, contextOf());
    expect(result.groups.map((g) => g.verdict)).toEqual(['pass', 'fail']);
    expect(result.groups[1]?.budgets[0]?.reason).toBe('max 280ms > 100ms (over by 180ms)');
    expect(result.verdict).toBe('fail');
  });

  test('an unknown key is an input error at the SLO', () => {
    const slo = sloOf({ groupBy: ['servce'] });
    expect(() => evaluateSlo(slo, traces, contextOf())).toThrow(InputError);
    expect(() => evaluateSlo(slo, traces, contextOf())).toThrow(
      /^specs\/checkout\.yaml:4:5: unknown group_by key "servce"; did you mean "service"\?/,
    );
  });
});

describe('severity and verdicts', () => {
  test('a broken SLO of severity warn warns', () => {
    const slo = sloOf({ severity: 'warn', budgets: [budget('p95', ['<=', 100e6])] });
    const result = evaluateSlo(slo, samples([200]), contextOf());
    expect(onlyGroup(result).verdict).toBe('warn');
    expect(result.verdict).toBe('warn');
    expect(result.severity).toBe('warn');
  });

  test('severity warn also covers too few samples', () => {
    const slo = sloOf({ severity: 'warn', select: '{ name = "nope" }' });
    expect(evaluateSlo(slo, samples([200]), contextOf()).verdict).toBe('warn');
  });

  test('the result describes the SLO as written', () => {
    const slo = sloOf({ name: 'p95', select: '  { name = "pay" }  ', minSamples: 3 });
    const result = evaluateSlo(slo, samples([1, 2, 3]), contextOf());
    expect(result).toMatchObject({
      name: 'p95',
      selector: '{ name = "pay" }',
      severity: 'fail',
      groupBy: [],
      minSamples: 3,
      verdict: 'pass',
      location: LOCATION,
    });
  });
});

describe('examples', () => {
  test('the slowest spans first, at most five, for a broken duration budget', () => {
    const traces = samples([50, 700, 20, 900, 300, 800, 10, 600, 650]);
    const slo = sloOf({ budgets: [budget('p90', ['<=', 100e6])] });
    const group = onlyGroup(evaluateSlo(slo, traces, contextOf()));
    expect(group.examples).toHaveLength(MAX_EXAMPLES);
    expect(group.examples.map((e) => e.durationNs / 1e6)).toEqual([900, 800, 700, 650, 600]);
    expect(group.examples[0]).toEqual({
      traceId: traces[3]?.traceId,
      spanId: '0000000000000001',
      name: 'pay',
      service: 'svc',
      durationNs: 900e6,
    });
  });

  test('the fastest spans for a broken lower bound on a duration', () => {
    const slo = sloOf({ budgets: [budget('min', ['>=', 15e6])] });
    const group = onlyGroup(evaluateSlo(slo, samples([50, 10, 20, 12]), contextOf()));
    expect(group.examples.map((e) => e.durationNs / 1e6)).toEqual([10, 12, 20, 50]);
  });

  test('both slow and failed spans when both budgets broke', () => {
    const traces = tracesOf([
      { name: 'pay', start: 0, end: 900 },
      { name: 'pay', start: 0, end: 800 },
      { name: 'pay', start: 0, end: 10, error: true },
      { name: 'pay', start: 0, end: 5 },
    ]);
    const slo = sloOf({
      budgets: [budget('max', ['<=', 100e6]), budget('error_rate', ['<=', 0])],
    });
    const group = onlyGroup(evaluateSlo(slo, traces, contextOf()));
    expect(group.examples.map((e) => e.durationNs / 1e6)).toEqual([900, 10, 800, 5]);
  });

  test('none when the group passes', () => {
    const slo = sloOf({ budgets: [budget('max', ['<=', 1e9])] });
    expect(onlyGroup(evaluateSlo(slo, samples([900]), contextOf())).examples).toEqual([]);
  });
});
