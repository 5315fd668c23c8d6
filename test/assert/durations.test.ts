import { describe, expect, test } from '@jest/globals';
import { checkCompletion, checkSpanDurations } from '../../src/assert';
import { checkoutTrace, names, nPlusOneTrace, spanNamed } from './build';

describe('checkSpanDurations', () => {
  test('every matching span must be within budget; the offenders come slowest first', () => {
    const trace = checkoutTrace();
    const result = checkSpanDurations(trace, '{ kind = server }', '300ms');
    expect(result.pass).toBe(false);
    expect(result.budgetNs).toBe(300e6);
    expect(names(result.over.map((o) => o.span))).toEqual(['POST /api/checkout', 'Order Service']);
    expect(result.slowest?.span.name).toBe('POST /api/checkout');
    expect(checkSpanDurations(trace, '{ kind = server }', '1s').pass).toBe(true);
    expect(checkSpanDurations(trace, '{ kind = server }', 352).pass).toBe(true);
  });

  test('a selector that matches nothing never passes', () => {
    const result = checkSpanDurations(checkoutTrace(), '{ name = "Paymnt Gateway API" }', '10s');
    expect(result.pass).toBe(false);
    expect(result.matched).toEqual([]);
    expect(result.noMatch).toMatchObject({
      selector: '{ name = "Paymnt Gateway API" }',
      argument: 'selector',
      searched: 6,
      taken: 0,
    });
    expect(result.noMatch?.candidates.map((c) => c.span.name)).toEqual(['Payment Gateway API']);
  });

  test('a bad budget is an input error before anything is selected', () => {
    expect(() => checkSpanDurations(checkoutTrace(), '{ }', '300 ms')).toThrow(/without the space/);
  });
});

describe('checkCompletion', () => {
  test('measures a trace from its first start to its last end', () => {
    // The notification ends at 356ms, after the root's 352ms: the trace took 356ms.
    const result = checkCompletion(checkoutTrace(), '350ms');
    expect(result).toMatchObject({ pass: false, subject: 'trace', budgetNs: 350e6 });
    expect(result.over[0]?.durationNs).toBe(356e6);
    expect(checkCompletion(checkoutTrace(), '356ms').pass).toBe(true);
  });

  test('measures a span by itself', () => {
    const span = spanNamed(checkoutTrace(), 'Payment Gateway API');
    const result = checkCompletion(span, '250ms');
    expect(result).toMatchObject({ pass: false, subject: 'span' });
    expect(result.measured[0]?.span).toBe(span);
    expect(result.measured[0]?.durationNs).toBe(280e6);
  });

  test('every trace of a list must be within budget', () => {
    const result = checkCompletion([nPlusOneTrace(2), nPlusOneTrace(30)], '100ms');
    expect(result.pass).toBe(false);
    expect(result.measured).toHaveLength(2);
    expect(result.over).toHaveLength(1);
  });
});
