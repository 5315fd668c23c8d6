import { describe, expect, test } from '@jest/globals';
import { checkOnCriticalPath } from '../../src/assert';
import { checkoutTrace, names, traceOf } from './build';

describe('checkOnCriticalPath', () => {
  test('returns each trace’s path, the matches on it, and the traces without one', () => {
    const parallel = traceOf(
      [
        { id: '1', name: 'GET /search', start: 0, end: 100 },
        { id: '2', parent: '1', name: 'Payment Gateway API', start: 10, end: 40 },
        { id: '3', parent: '1', name: 'ranking', start: 10, end: 90 },
      ],
      'b'.repeat(32),
    );
    const result = checkOnCriticalPath(
      [checkoutTrace(), parallel],
      '{ name = "Payment Gateway API" }',
    );
    expect(result.pass).toBe(false);
    expect(result.selector).toBe('{ name = "Payment Gateway API" }');
    expect(result.paths.map((p) => p.trace.traceId)).toEqual([
      checkoutTrace().traceId,
      'b'.repeat(32),
    ]);
    expect(result.matched).toHaveLength(2);
    expect(result.onPath.map((m) => m.trace.traceId)).toEqual([checkoutTrace().traceId]);
    expect(result.without.map((p) => names(p.spans))).toEqual([['GET /search', 'ranking']]);
    expect(result.noMatch).toBeUndefined();
  });

  test('a selector that matches nothing fails with noMatch', () => {
    const result = checkOnCriticalPath(checkoutTrace(), '{ name = "Paymnet Gateway API" }');
    expect(result.pass).toBe(false);
    expect(result.noMatch?.candidates[0]?.span.name).toBe('Payment Gateway API');
  });
});
