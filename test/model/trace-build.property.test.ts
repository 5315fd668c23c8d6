import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { Span, Trace } from '../../src/model';

/**
 * The trace builder against a brute-force reference: parents resolved by scanning, loops
 * found by walking up, siblings ordered by (start, input position), the tree walked
 * recursively. The builder does all of this in linear time with typed arrays and a hash
 * table of its own; here every answer is computed the slow, obvious way.
 */

const T = 'c'.repeat(32);
const idOf = (i: number) => (i + 1).toString(16).padStart(16, '0');
const MISSING = 'f'.repeat(16);

interface Plan {
  /** Parent of each span: an index, -1 for a root, -2 for an id that is not in the trace. */
  readonly parents: readonly number[];
  readonly starts: readonly number[];
}

function spansOf(plan: Plan): Span[] {
  return plan.parents.map(
    (p, i) =>
      new Span({
        traceId: T,
        spanId: idOf(i),
        parentSpanId: p === -1 ? undefined : p === -2 ? MISSING : idOf(p),
        name: `op-${i}`,
        startTimeUnixNano: 1_767_225_600_000_000_000n + BigInt(plan.starts[i] as number),
        endTimeUnixNano: 1_767_225_600_000_000_000n + BigInt((plan.starts[i] as number) + 50),
      }),
  );
}

interface Reference {
  /** Input positions in pre-order. */
  readonly order: number[];
  readonly parent: number[];
  readonly orphans: Set<number>;
  readonly cuts: Set<number>;
}

function reference(plan: Plan): Reference {
  const n = plan.parents.length;
  const parent = plan.parents.map((p) => (p < 0 ? -1 : p));
  const orphans = new Set(plan.parents.flatMap((p, i) => (p === -2 ? [i] : [])));
  const cuts = new Set<number>();
  for (let i = 0; i < n; i++) {
    // Walk up n steps: whoever is reached twice is on a loop.
    const seen: number[] = [];
    let at = i;
    while (at >= 0 && !seen.includes(at)) {
      seen.push(at);
      at = parent[at] as number;
    }
    if (at < 0) continue;
    const loop = seen.slice(seen.indexOf(at));
    const cut = loop.reduce((a, b) =>
      (plan.starts[b] as number) < (plan.starts[a] as number) ? b : a,
    );
    parent[cut] = -1;
    cuts.add(cut);
  }
  const byStart = (a: number, b: number) =>
    (plan.starts[a] as number) - (plan.starts[b] as number) || a - b;
  const children = (p: number) => parent.flatMap((q, i) => (q === p ? [i] : [])).sort(byStart);
  const order: number[] = [];
  const visit = (i: number): void => {
    order.push(i);
    for (const c of children(i)) visit(c);
  };
  for (const r of children(-1)) visit(r);
  return { order, parent, orphans, cuts };
}

function check(plan: Plan): void {
  const input = spansOf(plan);
  const trace = Trace.from(input);
  const ref = reference(plan);
  const positions = new Map(input.map((s, i) => [s, i]));
  const at = (s: Span) => positions.get(s) as number;
  expect(trace.spans.map(at)).toEqual(ref.order);
  expect(trace.spans.map((s) => s.index)).toEqual(ref.order.map((_, k) => k));
  for (const span of trace.spans) {
    const i = at(span);
    const p = ref.parent[i] as number;
    expect(trace.parentOf(span)).toBe(p < 0 ? undefined : input[p]);
    let depth = 0;
    for (let q = p; q >= 0; q = ref.parent[q] as number) depth++;
    expect(trace.depthOf(span)).toBe(depth);
    expect(trace.isOrphan(span)).toBe(ref.orphans.has(i));
    expect(trace.childrenOf(span).map(at)).toEqual(ref.order.filter((j) => ref.parent[j] === i));
  }
  expect(trace.roots.map(at)).toEqual(ref.order.filter((j) => ref.parent[j] === -1));
  // Ancestry for every pair, against the reference's parent chains.
  const ancestry: boolean[] = [];
  const expected: boolean[] = [];
  for (const a of trace.spans) {
    for (const d of trace.spans) {
      let ancestor = false;
      for (let q = ref.parent[at(d)] as number; q >= 0; q = ref.parent[q] as number) {
        if (q === at(a)) ancestor = true;
      }
      expected.push(ancestor);
      ancestry.push(trace.isAncestor(a, d));
    }
  }
  expect(ancestry).toEqual(expected);
  expect(trace.issues.filter((x) => x.kind === 'orphan')).toHaveLength(ref.orphans.size);
  expect(trace.issues.filter((x) => x.kind === 'cycle')).toHaveLength(ref.cuts.size);
}

/** A forest: each span's parent comes earlier in a random order; input order shuffled. */
const forest = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.record({
      parents: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          i === 0
            ? fc.constant(-1)
            : fc.oneof(
                { weight: 1, arbitrary: fc.constantFrom(-1, -2) },
                { weight: 6, arbitrary: fc.integer({ min: 0, max: i - 1 }) },
              ),
        ),
      ),
      // Few distinct starts: many ties, which must keep input order.
      starts: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
      order: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
    }),
  )
  .map(({ parents, starts, order }): Plan => {
    // Renumber so that input position `k` holds planned span `order[k]`.
    const position = new Array<number>(order.length);
    order.forEach((planned, k) => {
      position[planned] = k;
    });
    return {
      parents: order.map((planned) => {
        const p = parents[planned] as number;
        return p < 0 ? p : (position[p] as number);
      }),
      starts: order.map((planned) => starts[planned] as number),
    };
  });

/** Any parent links at all, loops included; distinct starts so that each loop's cut is unique. */
const tangle = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc.record({
    parents: fc.array(fc.integer({ min: -2, max: n - 1 }), { minLength: n, maxLength: n }),
    starts: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i * 7),
      { minLength: n, maxLength: n },
    ),
  }),
);

describe('building a trace, against a brute-force reference', () => {
  test('forests in any input order, with orphans and equal starts', () => {
    fc.assert(fc.property(forest, check), { numRuns: 300 });
  });

  test('arbitrary parent links: every loop is cut once, at its earliest span', () => {
    fc.assert(fc.property(tangle, check), { numRuns: 300 });
  });
});
