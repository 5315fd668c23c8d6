import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { findCriticalPath, selfTimes } from '../../src/analyze';
import type { Span, Trace } from '../../src/model';
import { type SpanSpec, traceOf } from '../helpers/traces';

/** A random tree: span 0 is the root, every other span's parent comes before it. */
interface Shape {
  /** For span i > 0, a number that picks its parent among spans 0..i-1. */
  readonly parents: readonly number[];
  /** Two numbers per span, each in 0..1: where it starts and ends. */
  readonly times: readonly [number, number][];
}

const shapes = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    parents: fc.array(fc.nat(), { minLength: n - 1, maxLength: n - 1 }),
    times: fc.array(
      fc.tuple(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
      ),
      {
        minLength: n,
        maxLength: n,
      },
    ),
  }),
);

/**
 * Whole milliseconds, so that ties (equal ends, zero lengths, touching children) are
 * common. `nested`: every child lies within its parent (no asynchronous overflow, no
 * skew); otherwise a child may start before its parent or end after it.
 */
function build(shape: Shape, nested: boolean): Trace {
  const specs: SpanSpec[] = [];
  const bounds: [number, number][] = [];
  shape.times.forEach(([a, b], i) => {
    const parent = i === 0 ? undefined : (shape.parents[i - 1] as number) % i;
    const [lo, hi] =
      parent === undefined || !nested ? [0, 1000] : (bounds[parent] as [number, number]);
    const x = lo + Math.round(a * (hi - lo));
    const y = lo + Math.round(b * (hi - lo));
    const [start, end] = x <= y ? [x, y] : [y, x];
    bounds.push([start, end]);
    specs.push({
      id: (i + 1).toString(16),
      ...(parent === undefined ? {} : { parent: (parent + 1).toString(16) }),
      name: `s${i}`,
      start,
      end,
    });
  });
  return traceOf(specs);
}

const offset = (trace: Trace, span: Span) =>
  Number(span.startTimeUnixNano - trace.startTimeUnixNano);

/**
 * The walk as the definition states it, with nothing clever: for each span on the path,
 * repeatedly scan all its children for the one ending last at or before the cursor.
 * Quadratic; checks the sorted single pass of the implementation.
 */
function referencePath(trace: Trace): string[] {
  const walk = (span: Span, from: number, to: number): string[] => {
    let cursor = to;
    const backwards: string[][] = [];
    for (;;) {
      let best: { span: Span; from: number; to: number } | undefined;
      for (const child of trace.childrenOf(span)) {
        const start = offset(trace, child);
        const cf = Math.max(start, from);
        const ct = Math.min(start + child.durationNs, to);
        if (ct <= cf || ct > cursor) continue;
        if (!best || ct > best.to || (ct === best.to && cf < best.from)) {
          best = { span: child, from: cf, to: ct };
        }
      }
      if (!best) break;
      if (best.to < cursor) backwards.push([`${span.name} ${best.to}-${cursor}`]);
      backwards.push(walk(best.span, best.from, best.to));
      cursor = best.from;
    }
    if (from < cursor) backwards.push([`${span.name} ${from}-${cursor}`]);
    return backwards.reverse().flat();
  };
  const root = trace.roots[0] as Span;
  const start = offset(trace, root);
  return walk(root, start, start + root.durationNs);
}

describe('findCriticalPath (properties)', () => {
  test('segments tile the root: in order, touching, disjoint, summing to its duration', () => {
    fc.assert(
      fc.property(shapes, fc.boolean(), (shape, nested) => {
        const trace = build(shape, nested);
        const path = findCriticalPath(trace);
        const rootStart = offset(trace, path.root);
        let at = rootStart;
        let sum = 0;
        for (const s of path.segments) {
          expect(s.startNs).toBe(at);
          expect(s.endNs).toBeGreaterThan(s.startNs);
          sum += s.endNs - s.startNs;
          at = s.endNs;
        }
        expect(at).toBe(rootStart + path.root.durationNs);
        expect(sum).toBe(path.root.durationNs);
        if (nested) expect(path.overflow).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  test('each segment lies within its own span, and a path span’s parent is on the path', () => {
    fc.assert(
      fc.property(shapes, fc.boolean(), (shape, nested) => {
        const trace = build(shape, nested);
        const path = findCriticalPath(trace);
        for (const s of path.segments) {
          expect(s.startNs).toBeGreaterThanOrEqual(offset(trace, s.span));
          expect(s.endNs).toBeLessThanOrEqual(offset(trace, s.span) + s.span.durationNs);
        }
        const on = new Set(path.spans);
        for (const span of path.spans) {
          if (span !== path.root) expect(on.has(trace.parentOf(span) as Span)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  test('matches the definition walked naively', () => {
    fc.assert(
      fc.property(shapes, fc.boolean(), (shape, nested) => {
        const trace = build(shape, nested);
        const path = findCriticalPath(trace);
        expect(path.segments.map((s) => `${s.span.name} ${s.startNs}-${s.endNs}`)).toEqual(
          referencePath(trace),
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('selfTimes (properties)', () => {
  /** How much of `span` its children cover, by testing every elementary interval. */
  function coveredByBruteForce(trace: Trace, span: Span): number {
    const from = offset(trace, span);
    const to = from + span.durationNs;
    const children = trace
      .childrenOf(span)
      .map((c) => [offset(trace, c), offset(trace, c) + c.durationNs] as const);
    const points = [...new Set([from, to, ...children.flat()])]
      .filter((p) => p >= from && p <= to)
      .sort((a, b) => a - b);
    let covered = 0;
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k] as number;
      const b = points[k + 1] as number;
      if (children.some(([s, e]) => s <= a && e >= b)) covered += b - a;
    }
    return covered;
  }

  test('self time plus the time children cover is the duration, for every span', () => {
    fc.assert(
      fc.property(shapes, fc.boolean(), (shape, nested) => {
        const trace = build(shape, nested);
        const self = selfTimes(trace);
        for (const span of trace.spans) {
          const selfNs = self[span.index] as number;
          expect(selfNs).toBeGreaterThanOrEqual(0);
          expect(selfNs + coveredByBruteForce(trace, span)).toBe(span.durationNs);
        }
      }),
      { numRuns: 500 },
    );
  });
});
