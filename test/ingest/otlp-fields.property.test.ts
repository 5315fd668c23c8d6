import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseTraces } from '../../src/ingest';
import { createInterner } from '../../src/ingest/context';
import { parseInt64, parseUnixNano } from '../../src/ingest/int64';
import { otlpId } from '../../src/ingest/otlp-ids';
import { request, span } from './otlp-build';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/** Each character's case flipped or not, as the booleans say. */
const mixCase = (text: string, upper: boolean[]) =>
  [...text].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');

describe('ids', () => {
  test('hex in any case and base64 of 16 or 8 bytes normalise to lower-case hex', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 32 }),
        (trace, spanBytes, upper) => {
          expect(otlpId(mixCase(hex(trace), upper), 32)).toBe(hex(trace));
          expect(otlpId(mixCase(hex(spanBytes), upper), 16)).toBe(hex(spanBytes));
          expect(otlpId(b64(trace), 32)).toBe(hex(trace));
          expect(otlpId(b64(spanBytes), 16)).toBe(hex(spanBytes));
        },
      ),
    );
  });

  test('hex of any other length is refused, never padded', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 24 }), (bytes) => {
        const text = hex(bytes);
        if (text.length !== 32) expect(otlpId(text, 32)).toBeUndefined();
        if (text.length !== 16) expect(otlpId(text, 16)).toBeUndefined();
      }),
    );
  });

  test('a character outside hex and base64 anywhere in an id is refused', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.nat(31),
        fc.constantFrom('g', 'z', '-', ' ', '!', 'é', '\u0000'),
        (bytes, at, bad) => {
          const text = hex(bytes);
          expect(otlpId(text.slice(0, at) + bad + text.slice(at + 1), 32)).toBeUndefined();
        },
      ),
    );
  });

  test('through the reader: a span with ids in any encoding loads with lower-case hex ids', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }).filter((b) => b.some((x) => x !== 0)),
        fc.uint8Array({ minLength: 8, maxLength: 8 }).filter((b) => b.some((x) => x !== 0)),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        (trace, spanBytes, base64, upper) => {
          const encode = (b: Uint8Array) => (base64 ? b64(b) : mixCase(hex(b), upper));
          const [t] = parseTraces(
            request([span({ traceId: encode(trace), spanId: encode(spanBytes) })]),
          );
          expect(t?.traceId).toBe(hex(trace));
          expect(t?.spans[0]?.spanId).toBe(hex(spanBytes));
        },
      ),
    );
  });
});

describe('64-bit integers', () => {
  const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

  test('nanosecond times as decimal strings are exact, whatever their size', () => {
    fc.assert(fc.property(uint64, (n) => expect(parseUnixNano(String(n))).toBe(n)));
    // Same seconds, different nanoseconds: the seconds cache must not leak between calls.
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1_700_000_000_000_000_000n, max: 1_700_000_002_000_000_000n }), {
          minLength: 2,
        }),
        (ns) => {
          for (const n of ns) expect(parseUnixNano(String(n))).toBe(n);
        },
      ),
    );
  });

  test('nanosecond times as JSON numbers, when they are integers', () => {
    fc.assert(fc.property(fc.maxSafeNat(), (n) => expect(parseUnixNano(n)).toBe(BigInt(n))));
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(parseUnixNano(bad)).toBeUndefined();
  });

  test('int64 attribute values: a number when exact, a bigint beyond 2^53', () => {
    fc.assert(
      fc.property(int64, (n) => {
        const parsed = parseInt64(String(n));
        const safe = n >= -(2n ** 53n - 1n) && n <= 2n ** 53n - 1n;
        expect(parsed).toBe(safe ? Number(n) : n);
      }),
    );
    expect(Object.is(parseInt64('-0'), 0)).toBe(true);
  });

  test('anything that is not a plain decimal integer is refused', () => {
    const notInteger = ['', '-', '+1', '1.5', '1e3', ' 1', '1 ', '0x10', 'NaN', '12a', '１２'];
    for (const text of notInteger) {
      expect(parseInt64(text)).toBeUndefined();
      expect(parseUnixNano(text)).toBeUndefined();
    }
    expect(parseUnixNano('-1')).toBeUndefined();
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^-?\d+$/.test(s)),
        (s) => {
          expect(parseInt64(s)).toBeUndefined();
          expect(parseUnixNano(s)).toBeUndefined();
        },
      ),
    );
  });
});

describe('interner', () => {
  test('always returns a string equal to its input, however values collide', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 400 }), (texts) => {
        const intern = createInterner();
        for (const text of [...texts, ...texts.reverse()]) expect(intern(text)).toBe(text);
      }),
    );
  });
});
