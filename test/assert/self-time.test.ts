import { describe, expect, test } from '@jest/globals';
import { checkSelfTime } from '../../src/assert';
import { InputError } from '../../src/errors';
import { checkoutTrace } from './build';

describe('checkSelfTime', () => {
  test('by service: one entry per service and trace, with the spans added up', () => {
    const result = checkSelfTime(checkoutTrace(), '100ms');
    expect(result).toMatchObject({ pass: false, by: 'service', budgetNs: 100e6, measured: 3 });
    expect(result.selector).toBeUndefined();
    expect(result.over.map((e) => [e.service, e.selfNs / 1e6, e.spans.length, e.span])).toEqual([
      ['order-service', 310, 3, undefined],
    ]);
    expect(result.largest?.service).toBe('order-service');
  });

  test('by span, over the selected spans only', () => {
    const result = checkSelfTime(checkoutTrace(), '10ms', {
      by: 'span',
      select: '{ kind = client }',
    });
    expect(result.measured).toBe(2);
    expect(result.over.map((e) => [e.span?.name, e.selfNs / 1e6])).toEqual([
      ['Payment Gateway API', 280],
      ['SELECT stock', 12],
    ]);
  });

  test('a select that matches nothing fails with noMatch; a bad `by` throws', () => {
    const result = checkSelfTime(checkoutTrace(), '1s', { select: '{ name = "nope" }' });
    expect(result.pass).toBe(false);
    expect(result.noMatch?.selector).toBe('{ name = "nope" }');
    expect(() => checkSelfTime(checkoutTrace(), '1s', { by: 'trace' as 'span' })).toThrow(
      InputError,
    );
  });
});
