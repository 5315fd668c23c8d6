import { describe, expect, test } from '@jest/globals';
import { isoNano, type RunReportJson, toReportJson } from '../../../src/report/spec';
import { mixedSpec, passingSpec, run, warnOnlyRun } from './results';

/** What the reporter writes, read back as a consumer would. */
const roundTrip = (json: RunReportJson) => JSON.parse(JSON.stringify(json)) as RunReportJson;

describe('json reporter shape', () => {
  const doc = roundTrip(toReportJson(run([mixedSpec(), passingSpec()]), '1.2.3'));
  const checkout = doc.specs[0];
  const sloNamed = (name: string) => checkout?.slos.find((s) => s.name === name);
  const checkNamed = (name: string) => checkout?.checks.find((c) => c.name === name);

  test('has the version, the verdict and one entry per spec', () => {
    expect(doc.tracespec).toBe('1.2.3');
    expect(doc.verdict).toBe('fail');
    expect(doc.warnOnly).toBe(false);
    expect(doc.specs.map((s) => [s.name, s.verdict])).toEqual([
      ['checkout', 'fail'],
      ['inventory', 'pass'],
    ]);
    expect(Object.keys(toReportJson(run([])))).toEqual(['verdict', 'warnOnly', 'specs']);
  });

  test('describes what each spec read, with the window as exact strings', () => {
    expect(checkout).toMatchObject({
      file: '/repo/specs/checkout.yaml',
      sources: ['/repo/traces/checkout-run.jsonl'],
      traces: 120,
      spans: 600,
      window: {
        start: '2026-01-01T00:00:00.000000001Z',
        end: '2026-01-01T00:05:00.123456789Z',
        startUnixNano: '1767225600000000001',
        endUnixNano: '1767225900123456789',
      },
    });
  });

  test('budgets: durations in ms, error rates as ratios, rates per second, reasons', () => {
    const payment = sloNamed('payment gateway under 300ms');
    expect(payment).toMatchObject({
      selector: '{ name = "payment gateway under 300ms" }',
      severity: 'fail',
      groupBy: [],
      minSamples: 50,
      location: { file: '/repo/specs/checkout.yaml', line: 6, column: 3 },
      verdict: 'pass',
    });
    expect(payment?.groups[0]?.budgets[0]).toEqual({
      metric: 'p95',
      budget: '<= 300ms',
      measured: 212,
      unit: 'ms',
      baseline: null,
      pass: true,
      reason: null,
    });
    expect(sloNamed('checkout error rate')?.groups[0]?.budgets[0]).toMatchObject({
      metric: 'error_rate',
      measured: 0.025,
      unit: 'ratio',
      pass: false,
      reason: 'error_rate = 2.5%, over the budget of 1% by 1.5%',
    });
    const regression = sloNamed('p95 no worse than last release')?.groups[0];
    expect(regression?.budgets.map((b) => [b.metric, b.measured, b.unit, b.baseline])).toEqual([
      ['p95', 230, 'ms', 200],
      ['rate', 12.5, 'spans/s', null],
    ]);
    expect(regression?.measured).toMatchObject({ p95: 230, rate: 12.5, p50: null });
  });

  test('groups carry their key by group_by name, verdict and examples', () => {
    const groups = sloNamed('latency by service')?.groups;
    expect(groups?.map((g) => [g.key, g.verdict, g.samples])).toEqual([
      [{ 'resource.service.name': 'cart' }, 'pass', 200],
      [{ 'resource.service.name': 'payment' }, 'warn', 80],
    ]);
    expect(sloNamed('checkout error rate')?.groups[0]?.examples).toEqual([
      {
        traceId: 'aaaa0000000000000000000000000001',
        spanId: '0000000000000001',
        name: 'POST /api/checkout',
        service: 'api-gateway',
        durationMs: 352,
      },
    ]);
  });

  test('too few samples: the number needed, and null (not NaN) for what was not measured', () => {
    const group = sloNamed('search latency')?.groups[0];
    expect(group?.tooFewSamples).toEqual({
      needed: 50,
      reason: '{ name = "search" } selected no spans in 2 traces; min_samples needs at least 50',
    });
    expect(group?.budgets[0]?.measured).toBeNull();
    expect(sloNamed('checkout error rate')?.groups[0]?.tooFewSamples).toBeNull();
    expect(checkNamed('search traces exist')).toMatchObject({
      samples: 0,
      minSamples: 5,
      tooFewSamples: { needed: 5 },
      verdict: 'fail',
      failures: [],
    });
  });

  test('checks list each failure with its trace, scope, blamed spans and assertion line', () => {
    const shape = checkNamed('checkout shape');
    expect(shape).toMatchObject({
      forEach: '{ name = "POST /api/checkout" && kind = server }',
      assertions: ['count', 'duration'],
      samples: 120,
      failedScopes: 4,
      verdict: 'fail',
      location: { line: 34 },
    });
    expect(shape?.failures).toHaveLength(5);
    expect(shape?.failures[1]).toEqual({
      assertion: 'duration',
      message: 'Payment Gateway API took 280ms, over the budget of 250ms',
      traceId: 'aaaa0000000000000000000000000001',
      scopeSpanId: '0000000000000001',
      spanIds: ['0000000000000004'],
      location: { file: '/repo/specs/checkout.yaml', line: 39, column: 5 },
    });
    expect(checkNamed('no errors')?.forEach).toBeNull();
    expect(checkNamed('no errors')?.failures[0]?.scopeSpanId).toBeNull();
  });

  test('--warn-only is recorded with the downgraded verdicts', () => {
    const doc = roundTrip(toReportJson(warnOnlyRun()));
    expect(doc.warnOnly).toBe(true);
    expect(doc.verdict).toBe('warn');
    expect(doc.specs[0]?.slos.map((s) => s.verdict)).toEqual(['pass', 'warn']);
  });
});

describe('isoNano', () => {
  test('keeps every nanosecond, before and after 1970', () => {
    expect(isoNano(0n)).toBe('1970-01-01T00:00:00.000000000Z');
    expect(isoNano(1_767_225_600_123_456_789n)).toBe('2026-01-01T00:00:00.123456789Z');
    expect(isoNano(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(isoNano(-1_500_000_000n)).toBe('1969-12-31T23:59:58.500000000Z');
  });

  test('falls back to the decimal nanoseconds beyond year 9999', () => {
    expect(isoNano(300_000_000_000_000_000_000n)).toBe('300000000000000000000');
  });
});
