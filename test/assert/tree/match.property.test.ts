import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { matchTraceTree, stableTreeText, type TreeMatchOptions } from '../../../src/assert/tree';
import type { Span, Trace } from '../../../src/model';
import { type SpanSpec, traceOf } from './build';

/**
 * The matcher against a brute-force oracle: on small random traces and expectations, try
 * every way of giving the span lines spans, and check the semantics as written down in
 * `matchTraceTree`'s documentation, independently of how the matcher searches.
 */

const NAMES = ['a', 'b'];

interface Line {
  readonly gap: boolean;
  readonly name: string;
  readonly fast: boolean;
  readonly children: readonly Line[];
}

const line: fc.Memo<Line> = fc.memo((depth) =>
  fc.record({
    gap: fc.boolean().map((g) => g && depth > 1),
    name: fc.constantFrom(...NAMES),
    fast: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
    children: depth <= 1 ? fc.constant([]) : fc.array(line(depth - 1), { maxLength: 2 }),
  }),
);
const expectation = fc
  .array(line(3), { minLength: 1, maxLength: 2 })
  .filter((lines) => countSpanLines(lines) >= 1 && countSpanLines(lines) <= 5);

function countSpanLines(lines: readonly Line[]): number {
  return lines.reduce((n, l) => n + (l.gap ? 0 : 1) + countSpanLines(l.children), 0);
}

function textOf(lines: readonly Line[], depth = 0): string[] {
  return lines.flatMap((l) => [
    `${'  '.repeat(depth)}${l.gap ? '...' : `${l.name}${l.fast ? ' (<3ms)' : ''}`}`,
    ...textOf(l.children, depth + 1),
  ]);
}

const trace = fc
  .array(
    fc.record({
      parent: fc.nat(),
      orphan: fc.integer({ min: 0, max: 9 }).map((n) => n < 1),
      name: fc.constantFrom(...NAMES),
      start: fc.integer({ min: 0, max: 4 }),
      duration: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 7 },
  )
  .map((rows) =>
    traceOf(
      rows.map((row, i): SpanSpec => {
        const parent = i === 0 || row.orphan ? undefined : String(1 + (row.parent % i));
        return {
          id: String(i + 1),
          ...(parent ? { parent } : {}),
          name: row.name,
          start: row.start,
          end: row.start + row.duration,
        };
      }),
    ),
  );

/** A span line with where it hangs: `deep` when a `...` is between it and its parent. */
interface Flat {
  readonly line: Line;
  readonly parent: Flat | undefined;
  readonly deep: boolean;
}

/** Span lines in pre-order, and the levels (sibling slots) each parent line has. */
function flatten(lines: readonly Line[]) {
  const flat: Flat[] = [];
  const levels: { owner: Flat | undefined; slots: Flat[]; open: boolean }[] = [];
  const level = (children: readonly Line[], owner: Flat | undefined) => {
    const entry = { owner, slots: [] as Flat[], open: false };
    levels.push(entry);
    const add = (nodes: readonly Line[], deep: boolean) => {
      for (const node of nodes) {
        if (node.gap) {
          entry.open = true;
          add(node.children, true);
        } else {
          const f: Flat = { line: node, parent: owner, deep };
          flat.push(f);
          entry.slots.push(f);
          level(node.children, f);
        }
      }
    };
    add(children, false);
  };
  level(lines, undefined);
  return { flat, levels };
}

function oracle(lines: readonly Line[], t: Trace, options: TreeMatchOptions): boolean {
  const { flat, levels } = flatten(lines);
  const chosen = new Map<Flat, Span>();
  const used = new Set<Span>();
  const fits = (f: Flat, span: Span): boolean => {
    if (span.name !== f.line.name || used.has(span)) return false;
    if (f.line.fast && !(span.durationNs < 3e6)) return false;
    const parentSpan = f.parent ? chosen.get(f.parent) : undefined;
    if (!parentSpan) return f.deep || t.parentOf(span) === undefined;
    return f.deep ? t.isAncestor(parentSpan, span) : t.parentOf(span) === parentSpan;
  };
  const complete = (): boolean =>
    levels.every(({ owner, slots, open }) => {
      const spans = slots.map((s) => chosen.get(s) as Span);
      for (let i = 0; i < spans.length; i++) {
        for (let j = i + 1; j < spans.length; j++) {
          const [x, y] = [spans[i] as Span, spans[j] as Span];
          if (t.isAncestor(x, y) || t.isAncestor(y, x)) return false;
        }
      }
      if (options.ordered) {
        for (let i = 1; i < spans.length; i++) {
          if ((spans[i] as Span).startTimeUnixNano < (spans[i - 1] as Span).startTimeUnixNano) {
            return false;
          }
        }
      }
      if (options.strict && !open) {
        const ownerSpan = owner ? chosen.get(owner) : undefined;
        const actual = ownerSpan ? t.childrenOf(ownerSpan) : t.roots;
        if (actual.length !== slots.length) return false;
      }
      return true;
    });
  const search = (i: number): boolean => {
    if (i === flat.length) return complete();
    const f = flat[i] as Flat;
    for (const span of t.spans) {
      if (!fits(f, span)) continue;
      chosen.set(f, span);
      used.add(span);
      if (search(i + 1)) return true;
      used.delete(span);
      chosen.delete(f);
    }
    return false;
  };
  return search(0);
}

const OPTIONS: TreeMatchOptions[] = [
  {},
  { strict: true },
  { ordered: true },
  { strict: true, ordered: true },
];

describe('matchTraceTree agrees with a brute-force oracle', () => {
  test.each(OPTIONS.map((o) => [JSON.stringify(o), o] as const))('%s', (_, options) => {
    fc.assert(
      fc.property(expectation, trace, (lines, t) => {
        const text = textOf(lines).join('\n');
        const result = matchTraceTree(text, t, options);
        expect({ text, pass: result.pass }).toEqual({ text, pass: oracle(lines, t, options) });
        if (!result.pass) {
          // A failure always names a line of the expectation.
          expect(result.mismatch?.expectedLine).toBeGreaterThanOrEqual(1);
          expect(result.mismatch?.expectedLine).toBeLessThanOrEqual(text.split('\n').length);
        } else {
          // Each span line got its own span, with its name.
          const spans = result.matches.map((m) => m.span);
          expect(new Set(spans).size).toBe(spans.length);
          for (const m of result.matches) {
            expect(m.span.name).toBe(
              text
                .split('\n')
                [m.line - 1]?.trim()
                .replace(/ \(.*$/, ''),
            );
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('stableTreeText as an expectation', () => {
  test('a trace always matches its own stable text, strictly', () => {
    fc.assert(
      fc.property(trace, (t) => {
        const text = stableTreeText(t);
        expect({ text, pass: matchTraceTree(text, t, { strict: true }).pass }).toEqual({
          text,
          pass: true,
        });
      }),
      { numRuns: 300 },
    );
  });
});
