import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

const trace = checkoutTrace();
const inventory = '{ name = "Inventory Service" }';
const payment = '{ name = "Payment Gateway API" }';
const notification = '{ name = "Notification Service" }';

describe('toHaveSpansInOrder', () => {
  test('each span ends before the next one starts', () => {
    expect(trace).toHaveSpansInOrder([inventory, payment, notification]);
    expect(trace).toHaveSpansInOrder([{ name: 'SELECT stock' }, { kind: 'producer' }]);
    expect([trace]).toHaveSpansInOrder([inventory, payment]);
    expect(trace).not.toHaveSpansInOrder([payment, inventory]);
  });

  test('the failure shows when each span ran and which one started too early', () => {
    expect(failureOf(() => expect(trace).toHaveSpansInOrder([payment, inventory]))).toContain(
      [
        'expect(trace).toHaveSpansInOrder(selectors) // { name = "Payment Gateway API" } then { name = "Inventory Service" }',
        '',
        'Expected: each span to end before the next one starts',
        'Received: "Inventory Service" [inventory-service] started 327ms before "Payment Gateway API" [order-service] ended',
        '',
        "Spans (start → end, from the trace's start):",
        '  1. +50ms → +330ms  "Payment Gateway API" [order-service]',
        '  2. +3ms → +48ms    "Inventory Service" [inventory-service]  ✗ started before the previous one ended',
      ].join('\n'),
    );
  });

  test('.not reads right', () => {
    expect(failureOf(() => expect(trace).not.toHaveSpansInOrder([inventory, payment]))).toContain(
      'Expected: some span to start before the previous one ended\nReceived: each ended before the next started',
    );
  });

  test('a selector that matches nothing, or only spans already taken, is an error', () => {
    expect(
      failureOf(() => expect(trace).not.toHaveSpansInOrder([inventory, '{ name = "Paymnt" }'])),
    ).toContain('Matcher error: the selectors[1] selector matched no span');
    expect(failureOf(() => expect(trace).toHaveSpansInOrder([payment, payment]))).toContain(
      'Matcher error: the selectors[1] selector matched only spans that earlier selectors already stand for',
    );
  });

  test('needs one trace and two selectors', () => {
    expect(
      failureOf(() => expect([trace, trace]).toHaveSpansInOrder([inventory, payment])),
    ).toContain(
      'received value must be a Trace (from captureTrace() or loadTraces()) or an array holding one',
    );
    expect(failureOf(() => expect(trace).toHaveSpansInOrder([inventory]))).toContain(
      'toHaveSpansInOrder needs an array of at least two selectors',
    );
  });
});
