import { describe, expect, test } from '@jest/globals';
import {
  checkSpanCount,
  checkSpanExists,
  describeCountRange,
  parseCountExpectation,
} from '../../src/assert';
import { checkoutTrace, names, nPlusOneTrace } from './build';

describe('checkSpanExists', () => {
  test('reports the matches, or the near misses when there are none', () => {
    const trace = checkoutTrace();
    const hit = checkSpanExists(trace, '{ kind = client }');
    expect(hit.pass).toBe(true);
    expect(names(hit.matched.map((m) => m.span))).toEqual(['SELECT stock', 'Payment Gateway API']);
    expect(hit.candidates).toEqual([]);

    const miss = checkSpanExists(trace, { name: 'Payment Gateway', kind: 'server' });
    expect(miss).toMatchObject({
      pass: false,
      matched: [],
      searched: 6,
      selector: '{ name: "Payment Gateway", kind: "server" }',
    });
    expect(names(miss.candidates.map((c) => c.span))).toEqual(['Payment Gateway API']);
  });

  test('searches every trace of a list', () => {
    const result = checkSpanExists(
      [nPlusOneTrace(2), checkoutTrace()],
      '{ name = "SELECT stock" }',
    );
    expect(result.pass).toBe(true);
    expect(result.searched).toBe(4 + 6);
  });
});

describe('checkSpanCount', () => {
  test('catches an N+1: one query per order line', () => {
    const result = checkSpanCount(nPlusOneTrace(12), '{ name = "SELECT order_lines" }', 1);
    expect(result).toMatchObject({ pass: false, count: 12, expected: { min: 1, max: 1 } });
    expect(
      checkSpanCount(nPlusOneTrace(12), '{ span.db.system.name = "postgresql" }', { max: 3 }).count,
    ).toBe(13);
  });

  test('accepts ranges with either bound', () => {
    const trace = nPlusOneTrace(3);
    const selector = '{ name = "SELECT order_lines" }';
    expect(checkSpanCount(trace, selector, { min: 1, max: 3 }).pass).toBe(true);
    expect(checkSpanCount(trace, selector, { min: 4 }).pass).toBe(false);
    expect(checkSpanCount(trace, selector, { max: 2 }).pass).toBe(false);
    expect(checkSpanCount(trace, '{ name = "nope" }', 0).pass).toBe(true);
  });

  test('totals over traces and says how many each had', () => {
    const result = checkSpanCount(
      [nPlusOneTrace(2), nPlusOneTrace(5)],
      '{ name = "SELECT order_lines" }',
      7,
    );
    expect(result).toMatchObject({ pass: true, count: 7, perTrace: [2, 5] });
  });
});

describe('count expectations', () => {
  test('are checked before anything runs', () => {
    expect(() => parseCountExpectation(-1)).toThrow(
      /the expected count must be a whole number of spans \(0 or more\), not -1/,
    );
    expect(() => parseCountExpectation(1.5)).toThrow(/not 1.5/);
    expect(() => parseCountExpectation({})).toThrow(/needs min, max or both/);
    expect(() => parseCountExpectation({ min: 3, max: 1 })).toThrow(/min 3 above max 1/);
    expect(() => parseCountExpectation({ minimum: 1 } as never)).toThrow(/unknown key "minimum"/);
    expect(() => parseCountExpectation('3' as never)).toThrow(
      /must be a number or \{ min, max \}, not string/,
    );
  });

  test('read as a person says them', () => {
    expect(describeCountRange(parseCountExpectation(1))).toBe('exactly 1 span');
    expect(describeCountRange(parseCountExpectation(0))).toBe('exactly 0 spans');
    expect(describeCountRange(parseCountExpectation({ min: 2 }))).toBe('at least 2 spans');
    expect(describeCountRange(parseCountExpectation({ max: 3 }))).toBe('at most 3 spans');
    expect(describeCountRange(parseCountExpectation({ min: 1, max: 3 }))).toBe(
      'between 1 and 3 spans',
    );
  });
});
