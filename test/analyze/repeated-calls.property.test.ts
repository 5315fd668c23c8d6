import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { findRepeatedCalls, operationOf } from '../../src/analyze';
import {
  countOverlappingPairs,
  type Interval,
  unionLength,
} from '../../src/analyze/repeated-calls';
import { traceOf } from '../helpers/traces';

// Small integer times so that equal starts, equal ends, touching ranges and empty ones
// come up often; a negative length stands for corrupt data (end before start).
const interval: fc.Arbitrary<Interval> = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: -2, max: 15 }))
  .map(([start, length]) => ({ start, end: start + length }));

const intervals = fc.array(interval, { maxLength: 60 });

/** Two ranges overlap when they share a moment: the later start is before the earlier end. */
function bruteForcePairs(list: readonly Interval[]): number {
  let pairs = 0;
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i] as Interval;
      const b = list[j] as Interval;
      if (Math.max(a.start, b.start) < Math.min(a.end, b.end)) pairs++;
    }
  }
  return pairs;
}

/** Covered time, one unit at a time. */
function bruteForceUnion(list: readonly Interval[]): number {
  let covered = 0;
  for (let t = 0; t < 60; t++) if (list.some((i) => i.start <= t && t < i.end)) covered++;
  return covered;
}

describe('countOverlappingPairs', () => {
  test('equals the O(k²) count over every pair', () => {
    fc.assert(
      fc.property(intervals, (list) => {
        expect(countOverlappingPairs(list)).toBe(bruteForcePairs(list));
      }),
      { numRuns: 500 },
    );
  });

  test('does not depend on the order the intervals come in', () => {
    fc.assert(
      fc.property(intervals, fc.infiniteStream(fc.nat()), (list, seeds) => {
        const shuffled = list
          .map((i) => ({ i, key: seeds.next().value as number }))
          .sort((a, b) => a.key - b.key)
          .map(({ i }) => i);
        expect(countOverlappingPairs(shuffled)).toBe(countOverlappingPairs(list));
      }),
    );
  });
});

describe('unionLength', () => {
  test('is the covered time, and equals the summed lengths exactly when no pair overlaps', () => {
    fc.assert(
      fc.property(intervals, (list) => {
        const union = unionLength(list);
        expect(union).toBe(bruteForceUnion(list));
        const sum = list.reduce((total, i) => total + Math.max(0, i.end - i.start), 0);
        expect(union).toBeLessThanOrEqual(sum);
        expect(union === sum).toBe(countOverlappingPairs(list) === 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('findRepeatedCalls on random siblings', () => {
  test("each group's numbers are those of its spans, and every call is in at most one group", () => {
    const child = fc.record({
      name: fc.constantFrom('a', 'b'),
      service: fc.constantFrom('x', 'y'),
      parent: fc.constantFrom('1', '2'),
      start: fc.integer({ min: 1, max: 40 }),
      length: fc.integer({ min: 0, max: 10 }),
    });
    fc.assert(
      fc.property(
        fc.array(child, { maxLength: 40 }),
        fc.integer({ min: 2, max: 6 }),
        (kids, minCount) => {
          const trace = traceOf([
            { id: '1', name: 'p1', start: 0, end: 100 },
            { id: '2', parent: '1', name: 'p2', start: 0, end: 100 },
            ...kids.map((k, i) => ({
              id: (0x100 + i).toString(16),
              parent: k.parent,
              name: k.name,
              service: k.service,
              start: k.start,
              end: k.start + k.length,
            })),
          ]);
          const groups = findRepeatedCalls(trace, { minCount });
          const seen = new Set<unknown>();
          for (const g of groups) {
            expect(g.count).toBeGreaterThanOrEqual(minCount);
            const ranges = g.spans.map((s) => ({
              start: Number(s.startTimeUnixNano - trace.startTimeUnixNano),
              end: Number(s.startTimeUnixNano - trace.startTimeUnixNano) + s.durationNs,
            }));
            expect(g.overlappingPairs).toBe(bruteForcePairs(ranges));
            for (const s of g.spans) {
              expect(seen.has(s)).toBe(false);
              seen.add(s);
              expect([trace.parentOf(s), s.service, operationOf(s)]).toEqual([
                g.parent,
                g.service,
                g.operation,
              ]);
            }
          }
          // Every sibling set of minCount or more with one service and name was found.
          const sizes = new Map<string, number>();
          for (const k of kids) {
            const key = `${k.parent}/${k.service}/${k.name}`;
            sizes.set(key, (sizes.get(key) ?? 0) + 1);
          }
          expect(groups.length).toBe([...sizes.values()].filter((n) => n >= minCount).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
