import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace, nPlusOneTrace } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

const trace = checkoutTrace();

describe('toHaveSpanWithin', () => {
  test('every matching span must be within budget', () => {
    expect(trace).toHaveSpanWithin('{ kind = client }', '300ms');
    expect(trace).toHaveSpanWithin({ name: 'Payment Gateway API' }, 280);
    expect(trace).not.toHaveSpanWithin('{ kind = server }', '300ms');
    expect([trace, nPlusOneTrace(3)]).toHaveSpanWithin(
      '{ span.db.system.name = "postgresql" }',
      '20ms',
    );
  });

  test('the failure lists the spans over budget and marks them in the tree', () => {
    const message = failureOf(() => expect(trace).toHaveSpanWithin('{ kind = server }', '300ms'));
    expect(message).toContain(
      'expect(trace).toHaveSpanWithin(selector, budget) // { kind = server }',
    );
    expect(message).toContain(
      'Expected: every matching span within 300ms\nReceived: 2 spans of 3 took longer:\n',
    );
    expect(message).toMatch(/POST \/api\/checkout\s+server\s+352ms/);
    expect(message).toContain('POST /api/checkout [api-gateway] (352ms)  ◀ match');
    expect(message).toContain('    ├── Inventory Service [inventory-service] (45ms)\n');
  });

  test('.not reports the slowest', () => {
    expect(
      failureOf(() => expect(trace).not.toHaveSpanWithin('{ kind = server }', '1s')),
    ).toContain(
      'Expected: some matching span to take longer than 1s\nReceived: all 3 matching spans took at most 1s; the slowest 352ms',
    );
  });

  test('a selector that matches nothing never passes, with or without .not', () => {
    const message = failureOf(() =>
      expect(trace).toHaveSpanWithin('{ name = "Paymnt Gateway API" }', '1s'),
    );
    expect(message).toContain(
      'Matcher error: the selector matched no span, so there is nothing to check',
    );
    expect(message).toContain('Selector: { name = "Paymnt Gateway API" }\nSearched: 6 spans');
    expect(message).toContain('Nearest by name:\n  "Payment Gateway API" [order-service]');
    expect(
      failureOf(() => expect(trace).not.toHaveSpanWithin('{ name = "Paymnt Gateway API" }', '1s')),
    ).toContain('the selector matched no span');
  });
});
