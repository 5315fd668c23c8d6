import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { compareStartTime, Span, startOffsetNs } from '../../src/model';

/** A span stores its start as seconds and nanoseconds; what it gives back must be exact. */

const at = (start: bigint, durationNs = 1000) =>
  new Span({
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    name: 'op',
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(durationNs),
  });

// Negative starts come from hand-made spans with relative times; 2^64 is OTLP's limit.
const anyStart = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n });
const nearby = fc.bigInt({ min: 0n, max: 2n ** 52n });

describe('span start times', () => {
  test('the start and end come back exactly, negative or beyond 2^53', () => {
    fc.assert(
      fc.property(anyStart, fc.nat(), (start, duration) => {
        const span = at(start, duration);
        expect(span.startTimeUnixNano).toBe(start);
        expect(span.endTimeUnixNano).toBe(start + BigInt(duration));
        expect(span.startNanos).toBeGreaterThanOrEqual(0);
        expect(span.startNanos).toBeLessThan(1e9);
        expect(span.detached().startTimeUnixNano).toBe(start);
      }),
    );
  });

  test('compareStartTime orders as the BigInts do', () => {
    fc.assert(
      fc.property(anyStart, anyStart, (a, b) => {
        expect(Math.sign(compareStartTime(at(a), at(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  test('startOffsetNs is the exact difference within 2^52 ns (52 days)', () => {
    fc.assert(
      fc.property(anyStart, nearby, fc.boolean(), (origin, gap, before) => {
        const start = before ? origin - gap : origin + gap;
        expect(startOffsetNs(at(start), at(origin))).toBe(Number(start - origin));
      }),
    );
  });

  test('times that are not bigints are refused with the span named', () => {
    const init = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), name: 'op' };
    expect(() => new Span({ ...init, startTimeUnixNano: 5 as never, endTimeUnixNano: 9n })).toThrow(
      `span ${'b'.repeat(16)}: startTimeUnixNano and endTimeUnixNano must be bigints`,
    );
  });

  test('sub-microsecond order survives: starts 1 ns apart at today’s epoch', () => {
    const base = 1_767_225_600_123_456_789n;
    expect(compareStartTime(at(base), at(base + 1n))).toBeLessThan(0);
    expect(startOffsetNs(at(base + 1n), at(base))).toBe(1);
  });
});
