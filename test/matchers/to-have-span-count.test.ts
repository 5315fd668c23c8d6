import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace, nPlusOneTrace } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

const lines = '{ name = "SELECT order_lines" }';

describe('toHaveSpanCount', () => {
  test('catches an N+1: one query per order line instead of one for all', () => {
    expect(nPlusOneTrace(1)).toHaveSpanCount(lines, 1);
    const message = failureOf(() => expect(nPlusOneTrace(12)).toHaveSpanCount(lines, 1));
    expect(message).toContain(
      [
        'expect(trace).toHaveSpanCount(selector, expected) // { name = "SELECT order_lines" }',
        '',
        'Expected: exactly 1 span',
        'Received: 12 spans:',
        '  12 × "SELECT order_lines" [orders] client, 4ms each',
        '',
        'Trace:',
        'GET /orders/42 [orders] (70ms)',
        '├── SELECT orders (3ms)',
        '├── SELECT order_lines (4ms)  ◀ match',
      ].join('\n'),
    );
  });

  test('takes a range with either bound', () => {
    const db = '{ span.db.system.name = "postgresql" }';
    expect(nPlusOneTrace(2)).toHaveSpanCount(db, { max: 3 });
    expect(nPlusOneTrace(2)).toHaveSpanCount(db, { min: 1, max: 3 });
    expect(nPlusOneTrace(5)).not.toHaveSpanCount(db, { max: 3 });
    expect(failureOf(() => expect(nPlusOneTrace(5)).toHaveSpanCount(db, { max: 3 }))).toContain(
      'Expected: at most 3 spans\nReceived: 6 spans:',
    );
    expect(failureOf(() => expect(nPlusOneTrace(0)).toHaveSpanCount(db, { min: 2 }))).toContain(
      'Expected: at least 2 spans\nReceived: 1 span:',
    );
  });

  test('.not reads as the negation of the expectation', () => {
    expect(failureOf(() => expect(nPlusOneTrace(1)).not.toHaveSpanCount(lines, 1))).toContain(
      'Expected: not exactly 1 span\nReceived: 1 span:',
    );
  });

  test('zero matches show the near misses', () => {
    const message = failureOf(() =>
      expect(checkoutTrace()).toHaveSpanCount('{ name = "SELECT stok" }', 1),
    );
    expect(message).toContain(
      'Received: 0 spans\n\nNearest by name:\n  "SELECT stock" [inventory-service]',
    );
  });

  test('over a list of traces, the total, with the count per trace', () => {
    expect([nPlusOneTrace(2), nPlusOneTrace(3)]).toHaveSpanCount(lines, 5);
    const message = failureOf(() =>
      expect([nPlusOneTrace(2), nPlusOneTrace(3)]).toHaveSpanCount(lines, 2),
    );
    expect(message).toContain('expect(traces).toHaveSpanCount');
    expect(message).toContain('Per trace: 2, 3');
  });

  test('a wrong count is a matcher error', () => {
    expect(failureOf(() => expect(checkoutTrace()).toHaveSpanCount('{ }', -1))).toContain(
      'Matcher error: the expected count must be a whole number of spans (0 or more), not -1',
    );
    expect(
      failureOf(() => expect(checkoutTrace()).toHaveSpanCount('{ }', { min: 3, max: 1 })),
    ).toContain('the expected count has min 3 above max 1');
  });
});
