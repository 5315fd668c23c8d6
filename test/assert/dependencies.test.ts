import { describe, expect, test } from '@jest/globals';
import {
  checkDependencies,
  type DependencyRule,
  describeDependencyRule,
  normalizeDependencyRules,
  TargetError,
} from '../../src/assert';
import { InputError } from '../../src/errors';
import { loadTraces } from '../../src/ingest';
import type { Attributes, Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';
import { type SpanSpec, traceOf } from '../helpers/traces';

const pad = (id: string) => id.padStart(16, '0');
const pg = (name: string): Attributes => ({ 'db.system.name': 'postgresql', 'db.namespace': name });

/**
 * A shop: the gateway calls checkout, users and reports. checkout calls inventory,
 * payment (which fails), notification (through a queue) and fraud-check; inventory, users
 * and reports read their databases, and reports reads users-db too.
 *
 * ```
 * gateway → checkout → inventory → postgresql inventory-db
 *                    → payment ✗
 *                    → notification (producer → consumer)
 *                    → fraud-check
 *         → users → postgresql users-db
 *         → reports → postgresql users-db
 * ```
 */
function shop(): Trace {
  const call = (id: string, parent: string, from: string, to: string, start: number) => [
    { id, parent, service: from, kind: 'client', start, end: start + 10 } satisfies SpanSpec,
    {
      id: `${id}1`,
      parent: id,
      service: to,
      kind: 'server',
      start: start + 1,
      end: start + 9,
    } satisfies SpanSpec,
  ];
  return traceOf([
    { id: '1', service: 'gateway', kind: 'server', start: 0, end: 200 },
    ...call('2', '1', 'gateway', 'checkout', 1),
    ...call('3', '21', 'checkout', 'inventory', 2),
    {
      id: '4',
      parent: '31',
      service: 'inventory',
      kind: 'client',
      start: 3,
      end: 4,
      attributes: pg('inventory-db'),
    },
    ...call('5', '21', 'checkout', 'payment', 5).map((s, i) =>
      i === 1 ? { ...s, error: 'card declined' as const } : s,
    ),
    { id: '6', parent: '21', service: 'checkout', kind: 'producer', start: 6, end: 7 },
    { id: '61', parent: '6', service: 'notification', kind: 'consumer', start: 20, end: 30 },
    ...call('7', '21', 'checkout', 'fraud-check', 8),
    ...call('8', '1', 'gateway', 'users', 40),
    {
      id: '9',
      parent: '81',
      service: 'users',
      kind: 'client',
      start: 42,
      end: 45,
      attributes: pg('users-db'),
    },
    ...call('a', '1', 'gateway', 'reports', 60),
    {
      id: 'b',
      parent: 'a1',
      service: 'reports',
      kind: 'client',
      start: 62,
      end: 66,
      attributes: pg('users-db'),
    },
  ]);
}

const violations = (trace: Trace, rule: DependencyRule) =>
  (checkDependencies(trace, rule).rules[0]?.violations ?? []).map(
    (v) => `${v.edge.from} → ${v.edge.to}`,
  );

describe('checkDependencies', () => {
  test('"checkout may call only …": every call out of checkout goes to a listed service', () => {
    const trace = shop();
    const rule = { from: 'checkout', allow: ['inventory', 'payment', 'notification'] };
    const result = checkDependencies(trace, rule);
    expect(result.pass).toBe(false);
    const [ruleResult] = result.rules;
    expect(ruleResult).toMatchObject({
      rule,
      description: '"checkout" may call only "inventory", "payment", "notification"',
      pass: false,
      unknown: [],
    });
    // The violation points at the call: checkout's client span 7 and fraud-check's span 71.
    expect(ruleResult?.violations).toEqual([
      {
        edge: expect.objectContaining({
          from: 'checkout',
          to: 'fraud-check',
          calls: 1,
          examples: [{ traceId: trace.traceId, spanId: pad('7'), calleeSpanId: pad('71') }],
        }),
      },
    ]);
    expect(checkDependencies(trace, { ...rule, allow: [...rule.allow, 'fraud-check'] }).pass).toBe(
      true,
    );
  });

  test('"nothing calls users-db except users": a database named without its system', () => {
    const trace = shop();
    expect(violations(trace, { to: 'users-db', allowFrom: ['users'] })).toEqual([
      'reports → postgresql users-db',
    ]);
    // The full id works as well, in either place.
    expect(
      checkDependencies(trace, { to: 'postgresql users-db', allowFrom: ['users', 'reports'] }).pass,
    ).toBe(true);
  });

  test('deny-lists: a call to (or from) a listed service breaks the rule, and says which name matched', () => {
    const trace = shop();
    expect(
      checkDependencies(trace, { from: 'checkout', deny: ['fraud-check'] }).rules[0],
    ).toMatchObject({
      description: '"checkout" must not call "fraud-check"',
      violations: [{ edge: expect.objectContaining({ to: 'fraud-check' }), denied: 'fraud-check' }],
    });
    // The gateway reaches users-db only through users and reports.
    expect(checkDependencies(trace, { from: 'gateway', deny: ['users-db'] }).pass).toBe(true);
    expect(violations(trace, { to: 'users-db', denyFrom: ['reports'] })).toEqual([
      'reports → postgresql users-db',
    ]);
  });

  test('an empty allow-list: the service calls nothing', () => {
    const trace = shop();
    expect(checkDependencies(trace, { from: 'notification', allow: [] }).rules[0]).toMatchObject({
      description: '"notification" calls nothing',
      pass: true,
    });
    expect(violations(trace, { from: 'users', allow: [] })).toEqual([
      'users → postgresql users-db',
    ]);
    expect(describeDependencyRule({ to: 'payment', allowFrom: [] })).toBe(
      'nothing calls "payment"',
    );
  });

  test('a subject that appears nowhere in the traces fails the rule, with the nearest name', () => {
    // Without this, a typo would pass: nothing named "chekout" calls anything.
    const result = checkDependencies(shop(), { from: 'chekout', allow: [] });
    expect(result.pass).toBe(false);
    expect(result.rules[0]).toMatchObject({
      pass: false,
      violations: [],
      unknown: [{ name: 'chekout', role: 'from', suggestion: 'checkout', fatal: true }],
    });
    expect(
      checkDependencies(shop(), { to: 'billing-db', allowFrom: [] }).rules[0]?.unknown,
    ).toEqual([{ name: 'billing-db', role: 'to', suggestion: undefined, fatal: true }]);
  });

  test('a listed name that appears nowhere fails only when it is close to one that does (a typo)', () => {
    const trace = shop();
    // A decommissioned service: nothing near it in the traces, and its absence is the point.
    const gone = checkDependencies(trace, { from: 'checkout', deny: ['legacy-billing'] });
    expect(gone.pass).toBe(true);
    expect(gone.rules[0]?.unknown).toEqual([
      { name: 'legacy-billing', role: 'deny', suggestion: undefined, fatal: false },
    ]);
    // "fraud-chek" would deny nothing while fraud-check is called.
    const typo = checkDependencies(trace, { from: 'checkout', deny: ['fraud-chek'] });
    expect(typo.pass).toBe(false);
    expect(typo.rules[0]?.unknown).toEqual([
      { name: 'fraud-chek', role: 'deny', suggestion: 'fraud-check', fatal: true },
    ]);
    // An allowed service this run does not call is fine.
    expect(
      checkDependencies(trace, {
        from: 'checkout',
        allow: ['inventory', 'payment', 'notification', 'fraud-check', 'loyalty'],
      }).pass,
    ).toBe(true);
  });

  test('several rules: one result each, in order; the check passes when all do', () => {
    const result = checkDependencies(shop(), [
      { from: 'gateway', allow: ['checkout', 'users', 'reports'] },
      { to: 'users-db', allowFrom: ['users'] },
    ]);
    expect(result.pass).toBe(false);
    expect(result.rules.map((r) => r.pass)).toEqual([true, false]);
    // The map the rules saw: gateway's 3 edges, checkout's 4, and 3 database edges.
    expect(result.map.edges).toHaveLength(10);
  });

  test('the compact form: an allow-list per caller', () => {
    const result = checkDependencies(shop(), {
      gateway: ['checkout', 'users', 'reports'],
      checkout: ['inventory', 'payment', 'notification'],
    });
    expect(result.rules.map((r) => [r.description, r.pass])).toEqual([
      ['"gateway" may call only "checkout", "users", "reports"', true],
      ['"checkout" may call only "inventory", "payment", "notification"', false],
    ]);
  });

  test('the received value must be traces: a span does not know its calls', () => {
    const trace = shop();
    expect(() =>
      checkDependencies(trace.spans[0] as never, { from: 'gateway', allow: [] }),
    ).toThrow(TargetError);
    expect(() => checkDependencies([], { from: 'gateway', allow: [] })).toThrow(TargetError);
  });

  test('on the OpenTelemetry Demo trace: the load generator reaches only the proxy', async () => {
    const traces = await loadTraces(realFixture('jaeger-skills/error_timeout_masked.json'));
    // frontend-proxy's egress clients call frontend only; frontend calls cart and
    // product-catalog; only cart touches valkey (see dependencies.real.test.ts).
    const result = checkDependencies(traces, [
      { from: 'load-generator', allow: ['frontend-proxy'] },
      { from: 'frontend-proxy', allow: ['frontend'] },
      { to: 'valkey-cart', allowFrom: ['cart'] },
      { from: 'frontend', deny: ['astronomy-db'] },
    ]);
    expect(result.rules.map((r) => r.pass)).toEqual([true, true, true, true]);
    expect(
      checkDependencies(traces, { from: 'frontend', allow: ['cart'] }).rules[0]?.violations.map(
        (v) => v.edge.to,
      ),
    ).toEqual(['product-catalog']);
  });
});

describe('normalizeDependencyRules', () => {
  test('one rule, a list, or allow-lists per caller', () => {
    expect(normalizeDependencyRules({ to: 'db', denyFrom: ['web'] })).toEqual([
      { to: 'db', denyFrom: ['web'] },
    ]);
    expect(normalizeDependencyRules({ web: ['api'], from: ['x'] })).toEqual([
      { from: 'web', allow: ['api'] },
      // A service named "from" in the compact form: its value is a list, not a name.
      { from: 'from', allow: ['x'] },
    ]);
  });

  test.each([
    [[], 'no dependency rules were given'],
    [{}, 'no dependency rules were given'],
    [
      'checkout',
      'dependency rules must be { from, allow: [...] }, { from, deny: [...] }, { to, allowFrom: [...] }, { to, denyFrom: [...] }, or { caller: [\'callee\', ...] }; got "checkout"',
    ],
    [
      { from: 'a', to: 'b', allow: [] },
      'the dependency rule has the keys "from", "to", "allow"; a rule is one of',
    ],
    [{ from: 'a' }, 'the dependency rule has the keys "from"; a rule is one of'],
    [
      { from: 'a', alow: ['b'] },
      'the dependency rule has an unknown key "alow" (did you mean "allow"?)',
    ],
    [
      { from: 'a', allow: 'b' },
      'the dependency rule: "allow" must be a list of service names; got "b"',
    ],
    [
      [{ from: 'a', deny: [] }],
      'dependency rule [0]: "deny" is empty, so the rule forbids nothing',
    ],
    [
      [
        { from: 'a', allow: [] },
        { to: 3, allowFrom: [] },
      ],
      'dependency rule [1]: "to" must be a service name; got 3',
    ],
    [{ web: 'api' }, 'the allow-list of "web" must be a list of service names; got "api"'],
  ])('%j is refused: %s', (input, message) => {
    expect(() => normalizeDependencyRules(input)).toThrow(InputError);
    expect(() => normalizeDependencyRules(input)).toThrow(message);
  });
});
