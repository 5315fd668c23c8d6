import { describe, expect, test } from '@jest/globals';
import type { Trace } from '../../src/model';
import { runSpec, type Spec } from '../../src/spec';
import { type SpanSpec, traceOf } from '../helpers/traces';
import { useTempDir } from '../ingest/tmp-dir';
import { tryLoad, writeFiles } from './write-spec';

const dir = useTempDir();

interface Checkout {
  readonly paymentMs?: number;
  readonly declined?: boolean;
  readonly payments?: number;
  readonly status?: number;
}

/** A checkout trace as the seed text draws it; each option bends one part of it. */
function checkout(n: number, options: Checkout = {}): Trace {
  const payment = options.paymentMs ?? 120;
  const spans: SpanSpec[] = [
    {
      id: 'a',
      name: 'POST /api/checkout',
      service: 'api-gateway',
      kind: 'server',
      start: 0,
      end: 200 + payment,
      attributes: { 'http.response.status_code': options.status ?? (options.declined ? 502 : 200) },
      ...(options.declined ? { error: 'payment failed' } : {}),
    },
    {
      id: 'b',
      parent: 'a',
      name: 'Order Service',
      service: 'orders',
      kind: 'server',
      start: 1,
      end: 190 + payment,
      ...(options.declined ? { error: 'declined' } : {}),
    },
    { id: 'c', parent: 'b', name: 'Inventory Service', service: 'inventory', start: 2, end: 40 },
  ];
  for (let i = 0; i < (options.payments ?? 1); i++) {
    spans.push({
      id: `d${i}`,
      parent: 'b',
      name: 'Payment Gateway API',
      service: 'orders',
      kind: 'client',
      start: 41 + i,
      end: 41 + i + payment,
      ...(options.declined ? { error: 'card declined' } : {}),
    });
  }
  if (!options.declined)
    spans.push({
      id: 'e',
      parent: 'b',
      name: 'Notification Service',
      service: 'notify',
      start: 50 + payment,
      end: 60 + payment,
    });
  return traceOf(spans, n.toString(16).padStart(32, '0'));
}

async function runCheck(check: string, traces: readonly Trace[]) {
  writeFiles(dir.path, {
    'spec.yaml': `name: t\nchecks:\n  - ${check.trim().replace(/\n/g, '\n    ')}\n`,
  });
  const { spec, problems } = await tryLoad(dir.path);
  if (!spec) throw new Error(problems?.join('\n'));
  const result = runSpec(spec, traces).checks[0];
  if (!result) throw new Error('no check result');
  return result;
}

const CHECKOUT = `for_each: '{ name = "POST /api/checkout" }'`;

describe('per-trace checks', () => {
  test('exists passes when every scope has the span and fails per scope that lacks it', async () => {
    const pass = await runCheck(`exists: '{ name = "Payment Gateway API" }'`, [
      checkout(1),
      checkout(2),
    ]);
    expect([pass.verdict, pass.samples, pass.failedScopes]).toEqual(['pass', 2, 0]);
    const fail = await runCheck(`exists: '{ name = "Notification Service" }'`, [
      checkout(1),
      checkout(2, { declined: true }),
    ]);
    expect([fail.verdict, fail.samples, fail.failedScopes]).toEqual(['fail', 2, 1]);
    expect(fail.failures[0]?.message).toBe('no span matches { name = "Notification Service" }');
    expect(fail.failures[0]?.trace?.traceId).toBe(checkout(2).traceId);
  });

  test('exists names the nearest span names on a typo', async () => {
    const fail = await runCheck(`exists: '{ name = "Payment Gateway" }'`, [checkout(1)]);
    expect(fail.failures[0]?.message).toBe(
      'no span matches { name = "Payment Gateway" }; nearest: "Payment Gateway API"',
    );
  });

  test('absent fails with the spans that should not be there, marked', async () => {
    const fail = await runCheck(`absent: '{ name = "Notification Service" }'`, [checkout(1)]);
    expect(fail.verdict).toBe('fail');
    expect(fail.failures[0]?.message).toBe(
      '1 span matches { name = "Notification Service" }, expected none: "Notification Service"',
    );
    expect(fail.failures[0]?.spans.map((s) => s.name)).toEqual(['Notification Service']);
  });

  test('count per for_each scope: exactly one payment per checkout', async () => {
    const check = `${CHECKOUT}\ncount: { select: '{ name = "Payment Gateway API" }', equals: 1 }`;
    expect((await runCheck(check, [checkout(1), checkout(2)])).verdict).toBe('pass');
    const fail = await runCheck(check, [checkout(1), checkout(2, { payments: 3 })]);
    expect([fail.verdict, fail.failedScopes]).toEqual(['fail', 1]);
    expect(fail.failures[0]?.message).toBe(
      '{ name = "Payment Gateway API" } matched 3 spans, expected exactly 1 span: "Payment Gateway API" ×3',
    );
    expect(fail.failures[0]?.scope?.name).toBe('POST /api/checkout');
    expect(fail.failures[0]?.spans).toHaveLength(3);
  });

  test('a for_each scope is the span and its subtree only', async () => {
    // Counted over the whole trace there are 2 payments; under Order Service's sibling, none.
    const trace = checkout(1, { payments: 2 });
    const scoped = await runCheck(
      `for_each: '{ name = "Inventory Service" }'\ncount: { select: '{ name = "Payment Gateway API" }', equals: 0 }`,
      [trace],
    );
    expect(scoped.verdict).toBe('pass');
  });

  test('tree: the shape of each scope, with budgets, and the first difference on failure', async () => {
    const check = `${CHECKOUT}\ntree: |\n  POST /api/checkout\n  └── Order Service\n      ├── Inventory Service\n      └── Payment Gateway API (<300ms)`;
    expect((await runCheck(check, [checkout(1)])).verdict).toBe('pass');
    const fail = await runCheck(check, [checkout(1), checkout(2, { paymentMs: 400 })]);
    expect(fail.verdict).toBe('fail');
    expect(fail.failures[0]?.message).toMatch(
      /^tree line "└── Payment Gateway API \(<300ms\)": .*400ms/,
    );
    expect(fail.failures[0]?.spans.map((s) => s.name)).toEqual(['Payment Gateway API']);
    expect(fail.failures[0]?.location.line).toBe(4);
  });

  test('tree strict and ordered', async () => {
    const strict = await runCheck(
      `${CHECKOUT}\ntree:\n  strict: true\n  expect: |\n    POST /api/checkout\n    └── Order Service\n        ├── Inventory Service\n        └── Payment Gateway API`,
      [checkout(1)],
    );
    expect(strict.verdict).toBe('fail');
    expect(strict.failures[0]?.spans.map((s) => s.name)).toEqual(['Notification Service']);
  });

  test('duration of the scope root, and of every selected span', async () => {
    const root = await runCheck(`${CHECKOUT}\nduration: '<400ms'`, [
      checkout(1),
      checkout(2, { paymentMs: 250 }),
    ]);
    expect([root.verdict, root.failedScopes]).toEqual(['fail', 1]);
    expect(root.failures[0]?.message).toBe(
      `"POST /api/checkout" [api-gateway] (span 000000000000000a) took 450ms, outside the budget < 400ms`,
    );
    const at = await runCheck(`${CHECKOUT}\nduration: '450ms'`, [checkout(2, { paymentMs: 250 })]);
    expect(at.verdict).toBe('pass');
    const selected = await runCheck(
      `duration: { select: '{ name = "Payment Gateway API" }', max: 200ms }`,
      [checkout(1, { paymentMs: 201, payments: 2 })],
    );
    expect(selected.failures[0]?.message).toMatch(
      /took 201ms, outside the budget <= 200ms \(and 1 more span\)$/,
    );
    const none = await runCheck(`duration: { select: '{ name = "Nope" }', max: 200ms }`, [
      checkout(1),
    ]);
    expect(none.failures[0]?.message).toBe('no span matches { name = "Nope" }');
  });

  test('attributes on the scope root, with the mismatch spelled out', async () => {
    const check = `${CHECKOUT}\nattributes: { values: { http.response.status_code: 200, service.name: api-gateway } }`;
    expect((await runCheck(check, [checkout(1)])).verdict).toBe('pass');
    const fail = await runCheck(check, [checkout(1, { status: 503 })]);
    expect(fail.failures[0]?.message).toBe(
      '"POST /api/checkout" [api-gateway] (span 000000000000000a): http.response.status_code is 503, expected 200',
    );
  });

  test('no_errors, with expected failures ignored', async () => {
    const traces = [checkout(1), checkout(2, { declined: true })];
    const fail = await runCheck(`no_errors: true`, traces);
    expect([fail.verdict, fail.failedScopes]).toEqual(['fail', 1]);
    expect(fail.failures[0]?.message).toBe(
      '3 spans failed: "POST /api/checkout" [api-gateway] (span 000000000000000a) (payment failed), and 2 more',
    );
    const ignored = await runCheck(`no_errors: { ignore: '{ status = error }' }`, traces);
    expect(ignored.verdict).toBe('pass');
  });

  test('error_origin: where the failure started, not where it propagated', async () => {
    const traces = [checkout(1), checkout(2, { declined: true })];
    const right = await runCheck(`error_origin: '{ name = "Payment Gateway API" }'`, traces);
    expect(right.verdict).toBe('pass');
    const wrong = await runCheck(`error_origin: '{ name = "Order Service" }'`, traces);
    expect(wrong.verdict).toBe('fail');
    expect(wrong.failures[0]?.message).toBe(
      'the failure started at "Payment Gateway API" [orders] (span 00000000000000d0) (card declined), not at a span matching { name = "Order Service" }',
    );
  });

  test('error_origin over scopes that all succeeded checked nothing, and fails saying so', async () => {
    const result = await runCheck(`error_origin: '{ name = "Payment Gateway API" }'`, [
      checkout(1),
    ]);
    expect(result.verdict).toBe('fail');
    expect(result.failures[0]?.message).toMatch(/^none of the 1 scopes failed/);
  });

  test('a for_each that selects nothing fails min_samples instead of passing', async () => {
    const result = await runCheck(`for_each: '{ name = "POST /api/chekout" }'\nno_errors: true`, [
      checkout(1),
    ]);
    expect(result).toMatchObject({ verdict: 'fail', samples: 0, tooFewSamples: { needed: 1 } });
    const enough = await runCheck(`${CHECKOUT}\nmin_samples: 3\nno_errors: true`, [
      checkout(1),
      checkout(2),
    ]);
    expect(enough).toMatchObject({ verdict: 'fail', samples: 2, tooFewSamples: { needed: 3 } });
  });

  test('severity warn turns a broken check into a warning', async () => {
    const result = await runCheck(`severity: warn\nno_errors: true`, [
      checkout(2, { declined: true }),
    ]);
    expect(result.verdict).toBe('warn');
  });

  test('several assertions in one check: each broken one is a failure of its own', async () => {
    const result = await runCheck(
      `${CHECKOUT}\nno_errors: true\nexists: '{ name = "Notification Service" }'\nduration: 1s`,
      [checkout(2, { declined: true })],
    );
    expect(result.failures.map((f) => f.assertion)).toEqual(['exists', 'no_errors']);
    expect(result.failedScopes).toBe(1);
  });
});

describe('rules from the analyses', () => {
  test('critical_path: the payment call is what a checkout waits for; the inventory call is not', async () => {
    const traces = [checkout(1, { paymentMs: 250 })];
    const on = await runCheck(
      `${CHECKOUT}\ncritical_path: '{ name = "Payment Gateway API" }'`,
      traces,
    );
    expect(on.verdict).toBe('pass');
    // Inventory (2–40ms) ends before payment starts (41ms), so it is on the path too:
    // the calls are sequential. Make it run alongside payment to take it off the path.
    const parallel = traceOf([
      { id: 'a', name: 'POST /api/checkout', start: 0, end: 300 },
      { id: 'b', parent: 'a', name: 'Inventory Service', start: 1, end: 40 },
      { id: 'c', parent: 'a', name: 'Payment Gateway API', start: 1, end: 290 },
    ]);
    const off = await runCheck(`critical_path: '{ name = "Inventory Service" }'`, [parallel]);
    expect(off.verdict).toBe('fail');
    expect(off.failures[0]?.message).toMatch(
      /^no span matching \{ name = "Inventory Service" \} is on the critical path; the time went to "Payment Gateway API" \[svc\] \(span 000000000000000c\) 289ms/,
    );
  });

  test('self_time: a service that spends too long in its own code', async () => {
    const trace = traceOf([
      { id: 'a', name: 'GET /report', service: 'api', start: 0, end: 500 },
      { id: 'b', parent: 'a', name: 'render', service: 'renderer', start: 10, end: 410 },
    ]);
    const within = await runCheck(`self_time: { max: 400ms }`, [trace]);
    expect(within.verdict).toBe('pass');
    const over = await runCheck(`self_time: { max: '<400ms' }`, [trace]);
    expect(over.failures[0]?.message).toBe(
      'service "renderer" spent 400ms in its own code, over 400ms',
    );
  });

  test('no_repeated_serial_calls: a loop of queries fails, the same queries concurrently pass', async () => {
    const loop = (concurrent: boolean) =>
      traceOf([
        { id: 'p', name: 'GET /orders', service: 'orders', start: 0, end: 100 },
        ...Array.from({ length: 6 }, (_, i) => ({
          id: `q${i}`,
          parent: 'p',
          name: 'SELECT order_lines',
          service: 'orders',
          kind: 'client' as const,
          start: concurrent ? 1 : 1 + i * 10,
          end: concurrent ? 9 : 9 + i * 10,
        })),
      ]);
    const serial = await runCheck('no_repeated_serial_calls: true', [loop(false)]);
    expect(serial.verdict).toBe('fail');
    expect(serial.failures[0]?.message).toMatch(
      /^6 × "SELECT order_lines" \[orders\] \(span 00000000000000q0\) one after another under "GET \/orders": 58ms wall, 48ms summed, 0 overlapping pairs$/,
    );
    expect(serial.failures[0]?.spans).toHaveLength(6);
    expect((await runCheck('no_repeated_serial_calls: true', [loop(true)])).verdict).toBe('pass');
    expect(
      (await runCheck('no_repeated_serial_calls: { min_count: 7 }', [loop(false)])).verdict,
    ).toBe('pass');
  });

  test('dependencies: who may call whom, over every trace at once', async () => {
    const traces = [checkout(1), checkout(2)];
    const write = (rules: string) => {
      writeFiles(dir.path, { 'spec.yaml': `name: t\ndependencies:\n${rules}` });
      return tryLoad(dir.path);
    };
    const ok = await write(
      '  - from: orders\n    allow: [inventory, notify]\n  - to: orders\n    allow_from: [api-gateway]\n',
    );
    const okResult = runSpec(ok.spec as Spec, traces).checks[0];
    expect(okResult).toMatchObject({ name: 'dependencies', verdict: 'pass', samples: 2 });

    const broken = await write(
      '  - from: orders\n    allow: [inventory]\n  - to: orderz\n    deny_from: [api-gateway]\n',
    );
    const result = runSpec(broken.spec as Spec, traces).checks[0];
    expect(result?.verdict).toBe('fail');
    expect(result?.failures.map((f) => f.message)).toEqual([
      '"orders" may call only "inventory", but "orders" calls "notify" (2 calls, 0 errors, p95 10ms)',
      '"api-gateway" must not call "orderz": no service or peer named "orderz" in the traces; did you mean "orders"?',
    ]);
    expect(result?.failures[0]?.spans.map((s) => s.name)).toEqual([
      'Order Service',
      'Notification Service',
    ]);
    expect(result?.failures[0]?.location.line).toBe(2);
  });

  test('a malformed dependency rule is a spec error at its line', async () => {
    writeFiles(dir.path, {
      'spec.yaml': 'name: t\ndependencies:\n  - from: a\n    allow: [b]\n    deny: [c]\n',
    });
    const { problems } = await tryLoad(dir.path);
    expect(problems?.[0]).toMatch(/^spec\.yaml:3:5: /);
  });
});

describe('capacity limits', () => {
  test('over every trace at once, each broken limit a failure', async () => {
    writeFiles(dir.path, {
      'spec.yaml':
        "name: t\ncapacity:\n  - service: orders\n    max_self_share: 99%\n  - service: '*'\n    max_error_rate: 0\n    min_throughput: 1/s\n",
    });
    const { spec, problems } = await tryLoad(dir.path);
    expect(problems).toBeUndefined();
    const result = runSpec(spec as Spec, [checkout(1), checkout(2, { declined: true })]).checks[0];
    expect(result?.name).toBe('capacity');
    expect(result?.failures.map((f) => f.message)).toEqual([
      'every service: error rate <= 0%, throughput >= 1/s, but orders: error rate 50%, over 0%',
      'every service: error rate <= 0%, throughput >= 1/s, but api-gateway: error rate 50%, over 0%',
    ]);
  });

  test('a service that is not in the traces fails with the nearest name', async () => {
    writeFiles(dir.path, {
      'spec.yaml': 'name: t\ncapacity:\n  - service: order\n    max_self_share: 0.5\n',
    });
    const { spec } = await tryLoad(dir.path);
    const result = runSpec(spec as Spec, [checkout(1)]).checks[0];
    expect(result?.failures.map((f) => f.message)).toEqual([
      'no span belongs to service "order"; did you mean "orders"?',
    ]);
  });
});
