import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { loadTraces } from '../../src/ingest';
import { realFixture } from '../helpers/fixtures';
import { traceOf } from '../helpers/traces';
import { failureOf } from './helpers';

expect.extend(matchers);

/**
 * checkout calls inventory and payment (which fails), and also fraud-check; users reads
 * users-db, and so does reports.
 */
const shop = () =>
  traceOf([
    { id: '1', service: 'gateway', kind: 'server', start: 0, end: 100 },
    { id: '2', parent: '1', service: 'gateway', kind: 'client', start: 1, end: 50 },
    {
      id: '3',
      parent: '2',
      name: 'POST /checkout',
      service: 'checkout',
      kind: 'server',
      start: 2,
      end: 49,
    },
    {
      id: '4',
      parent: '3',
      name: 'reserve',
      service: 'checkout',
      kind: 'client',
      start: 3,
      end: 10,
    },
    { id: '5', parent: '4', service: 'inventory', kind: 'server', start: 4, end: 9 },
    {
      id: '6',
      parent: '3',
      name: 'charge',
      service: 'checkout',
      kind: 'client',
      start: 11,
      end: 31,
    },
    {
      id: '7',
      parent: '6',
      name: 'Charge',
      service: 'payment',
      kind: 'server',
      start: 12,
      end: 30,
      error: 'declined',
    },
    {
      id: '8',
      parent: '3',
      name: 'score',
      service: 'checkout',
      kind: 'client',
      start: 32,
      end: 44,
    },
    {
      id: '9',
      parent: '8',
      name: 'Score',
      service: 'fraud-check',
      kind: 'server',
      start: 33,
      end: 43,
    },
    { id: 'a', parent: '1', service: 'gateway', kind: 'client', start: 51, end: 60 },
    { id: 'b', parent: 'a', service: 'users', kind: 'server', start: 52, end: 59 },
    {
      id: 'c',
      parent: 'b',
      name: 'SELECT users',
      service: 'users',
      kind: 'client',
      start: 53,
      end: 58,
      attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'users-db' },
    },
    { id: 'd', parent: '1', service: 'gateway', kind: 'client', start: 61, end: 90 },
    { id: 'e', parent: 'd', service: 'reports', kind: 'server', start: 62, end: 89 },
    {
      id: 'f',
      parent: 'e',
      name: 'SELECT users',
      service: 'reports',
      kind: 'client',
      start: 63,
      end: 88,
      attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'users-db' },
    },
  ]);

describe('toHaveDependencies', () => {
  test('rules, a list of them, or allow-lists per caller', () => {
    const trace = shop();
    expect(trace).toHaveDependencies({
      from: 'checkout',
      allow: ['inventory', 'payment', 'fraud-check'],
    });
    expect(trace).toHaveDependencies([
      { from: 'gateway', allow: ['checkout', 'users', 'reports'] },
      { to: 'users-db', allowFrom: ['users', 'reports'] },
      { from: 'checkout', deny: ['users-db'] },
    ]);
    expect(trace).toHaveDependencies({ gateway: ['checkout', 'users', 'reports'], inventory: [] });
    expect(trace).not.toHaveDependencies({ checkout: ['inventory', 'payment'] });
    expect([trace]).not.toHaveDependencies({ to: 'users-db', allowFrom: ['users'] });
  });

  test('the failure lists each rule, the edges that break it with example spans, and the whole map', () => {
    const message = failureOf(() =>
      expect(shop()).toHaveDependencies([
        { from: 'checkout', allow: ['inventory', 'payment'] },
        { to: 'users-db', allowFrom: ['users'] },
        { from: 'gateway', allow: ['checkout', 'users', 'reports'] },
      ]),
    );
    expect(message).toBe(
      [
        'expect(trace).toHaveDependencies(rules)',
        '',
        'Expected: every dependency rule to hold',
        'Received: 2 of 3 rules broken',
        '',
        '✗ "checkout" may call only "inventory", "payment"',
        '    checkout → fraud-check: 1 call, 0 errors, p95 12ms',
        '      e.g. trace 0af76519: "score" (0000000000000008) → "Score" (0000000000000009)',
        '✗ only "users" may call "users-db"',
        '    reports → postgresql users-db: 1 call, 0 errors, p95 25ms',
        '      e.g. trace 0af76519: "SELECT users" (000000000000000f)',
        '✓ "gateway" may call only "checkout", "users", "reports"',
        '',
        'Dependencies:',
        '  checkout → fraud-check: 1 call, 0 errors, p95 12ms',
        '  checkout → inventory: 1 call, 0 errors, p95 7ms',
        '  checkout → payment: 1 call, 1 error, p95 20ms',
        '  gateway → checkout: 1 call, 0 errors, p95 49ms',
        '  gateway → reports: 1 call, 0 errors, p95 29ms',
        '  gateway → users: 1 call, 0 errors, p95 9ms',
        '  reports → postgresql users-db: 1 call, 0 errors, p95 25ms',
        '  users → postgresql users-db: 1 call, 0 errors, p95 5ms',
      ].join('\n'),
    );
  });

  test('.not says every rule held', () => {
    const message = failureOf(() =>
      expect(shop()).not.toHaveDependencies({ from: 'users', allow: ['users-db'] }),
    );
    expect(message).toContain(
      [
        'expect(trace).not.toHaveDependencies(rules)',
        '',
        'Expected: some dependency rule to be broken',
        'Received: the rule holds',
        '',
        '✓ "users" may call only "users-db"',
      ].join('\n'),
    );
  });

  test('a service that appears nowhere is a matcher error both ways, with the nearest name', () => {
    const rules = [
      { from: 'checkout', allow: ['inventory', 'payment', 'fraud-check'] },
      { from: 'chekout', allow: ['inventory'] },
    ];
    const message = failureOf(() => expect(shop()).toHaveDependencies(rules));
    expect(message).toBe(
      [
        'expect(trace).toHaveDependencies(rules)',
        '',
        'Matcher error: rule [1] names "chekout", which appears nowhere in the traces',
        '',
        '  rule [1], from: "chekout"; did you mean "checkout"?',
        '',
        'Services and peers in the traces: "checkout", "fraud-check", "gateway", "inventory", "payment", "reports", "users", "postgresql users-db"',
      ].join('\n'),
    );
    expect(failureOf(() => expect(shop()).not.toHaveDependencies(rules))).toContain(
      'Matcher error: rule [1] names "chekout"',
    );
  });

  test('an absent listed name is noted when the rule fails, not an error', () => {
    const message = failureOf(() =>
      expect(shop()).toHaveDependencies({ from: 'checkout', allow: ['inventory', 'loyalty'] }),
    );
    expect(message).toContain('    note: "loyalty" appears nowhere in the traces');
  });

  test('malformed rules and received values are matcher errors', () => {
    expect(
      failureOf(() => expect(shop()).toHaveDependencies({ from: 'checkout', alow: [] } as never)),
    ).toContain(
      'Matcher error: the dependency rule has an unknown key "alow" (did you mean "allow"?)',
    );
    expect(
      failureOf(() => expect(undefined).toHaveDependencies({ from: 'checkout', allow: [] })),
    ).toContain('Matcher error: received value must be a Trace');
  });

  test('HotROD: frontend calls customer, driver and route; nothing else reaches redis', async () => {
    const traces = await loadTraces(realFixture('jaeger-skills/n_plus_one_full_serial.json'));
    // HotROD reports its stores as services of their own: mysql under customer,
    // redis-manual under driver (see dependencies.real.test.ts).
    expect(traces).toHaveDependencies({
      frontend: ['customer', 'driver', 'route'],
      customer: ['mysql'],
      driver: ['redis-manual'],
      route: [],
    });
    expect(traces).toHaveDependencies({ to: 'redis-manual', allowFrom: ['driver'] });
  });
});
