import { describe, expect, test } from '@jest/globals';
import { parseTraces } from '../../src/ingest';
import type { Span } from '../../src/model';
import { request, span } from './otlp-build';

const only = (overrides: Record<string, unknown>): Span => {
  const [trace] = parseTraces(request([span(overrides)]));
  return trace?.spans[0] as Span;
};

describe('OTLP/JSON fast paths give what the general ones do', () => {
  test.each([
    ['1700000000000000000', '1700000000250000000', 250_000_000],
    ['1700000000999999999', '1700000001000000001', 2],
    ['1700000000500000000', '1700000000500000000', 0],
    ['999', '1000000000', 999_999_001],
    ['5', '7', 2],
    ['1700000000000000000', '1700000100000000000', 100_000_000_000],
    // Beyond 104 days: the bigint path.
    ['1000000000000000000', '1700000000000000123', Number(700_000_000_000_000_123n)],
  ])('start %s, end %s: duration %d ns, exact start and end', (start, end, duration) => {
    const s = only({ startTimeUnixNano: start, endTimeUnixNano: end });
    expect(s.durationNs).toBe(duration);
    expect(s.startTimeUnixNano).toBe(BigInt(start));
    if (duration <= Number.MAX_SAFE_INTEGER) expect(s.endTimeUnixNano).toBe(BigInt(end));
  });

  test('mixed string and number times, and an end before the start, as before', () => {
    const s = only({ startTimeUnixNano: 1_000_000, endTimeUnixNano: '3000000' });
    expect(s.durationNs).toBe(2_000_000);
    expect(() =>
      only({ startTimeUnixNano: '1700000000000000002', endTimeUnixNano: '1700000000000000001' }),
    ).toThrow(/ends before it starts/);
  });

  test('attribute objects are plain objects with every key, whatever their number', () => {
    for (const n of [0, 1, 4, 5, 10, 11, 17, 25]) {
      const attributes = Array.from({ length: n }, (_, i) => ({
        key: `k${i}`,
        value: { intValue: String(i) },
      }));
      const a = only({ attributes }).attributes;
      expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
      expect(a.constructor).toBe(Object);
      expect(Object.keys(a)).toEqual(attributes.map((kv) => kv.key));
      expect(a).toStrictEqual(Object.fromEntries(attributes.map((kv, i) => [kv.key, i])));
    }
  });

  test('a "__proto__" key is an own attribute, not a prototype', () => {
    const a = only({
      attributes: [
        { key: '__proto__', value: { stringValue: 'x' } },
        { key: 'b', value: { boolValue: true } },
      ],
    }).attributes;
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.keys(a)).toEqual(['__proto__', 'b']);
  });
});
