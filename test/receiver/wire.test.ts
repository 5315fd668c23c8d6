import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { int64Decimal, uint64Decimal, WireReader, WireWriter } from '../../src/receiver/wire';

const halves = (v: bigint): [number, number] => [
  Number(v & 0xffffffffn),
  Number((v >> 32n) & 0xffffffffn),
];

describe('64-bit integers in decimal without BigInt', () => {
  test('uint64Decimal and int64Decimal agree with BigInt on every 64-bit pattern tried', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        const [lo, hi] = halves(v);
        expect(uint64Decimal(lo, hi)).toBe(v.toString());
        expect(int64Decimal(lo, hi)).toBe(BigInt.asIntN(64, v).toString());
      }),
      { numRuns: 5000 },
    );
  });

  test.each([
    0n,
    1n,
    2n ** 53n - 1n,
    2n ** 53n,
    2n ** 53n + 1n,
    1767225600123456789n,
    2n ** 63n - 1n,
    2n ** 63n,
    2n ** 64n - 1n,
  ])('%s', (v) => {
    const [lo, hi] = halves(v);
    expect(uint64Decimal(lo, hi)).toBe(v.toString());
    expect(int64Decimal(lo, hi)).toBe(BigInt.asIntN(64, v).toString());
  });
});

describe('varints', () => {
  test('what WireWriter writes, WireReader reads back', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (v) => {
        const bytes = new WireWriter().varint(v).finish();
        const reader = new WireReader(bytes);
        expect(reader.int64String(bytes.length)).toBe(v.toString());
        expect(reader.pos).toBe(bytes.length);
        const again = new WireReader(bytes);
        // uint32 keeps the low 32 bits, as protobuf reads a uint32 or an enum.
        expect(again.uint32(bytes.length)).toBe(Number(BigInt.asUintN(32, v)));
      }),
      { numRuns: 2000 },
    );
  });

  test('a negative int32 enum takes all ten bytes', () => {
    expect(new WireWriter().varint(-1).finish()).toHaveLength(10);
  });
});
