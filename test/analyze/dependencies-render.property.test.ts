import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import {
  type DependencyMap,
  formatDependencyDot,
  formatDependencyMermaid,
} from '../../src/analyze';
import { printable } from '../../src/report';

/** A map over arbitrary service names (any UTF-16, control characters included), chained. */
const maps = fc
  .uniqueArray(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), {
    minLength: 1,
    maxLength: 8,
  })
  .map(
    (names): DependencyMap => ({
      nodes: names.map((id) => ({ id, kind: 'service', name: id })),
      edges: names.slice(1).map((to, i) => ({
        from: names[i] as string,
        to,
        calls: 1,
        errors: i % 2,
        p50Ms: 1,
        p95Ms: 1,
        p99Ms: 1,
        examples: [],
      })),
    }),
  );

describe('graph text for any names', () => {
  test('Mermaid: one line per node and edge, safe unique ids, labels that cannot end early', () => {
    fc.assert(
      fc.property(maps, (map) => {
        const lines = formatDependencyMermaid(map).trimEnd().split('\n');
        const failing = map.edges.some((e) => e.errors > 0) ? 1 : 0;
        expect(lines).toHaveLength(1 + map.nodes.length + map.edges.length + failing);
        const ids = lines.slice(1, 1 + map.nodes.length).map((line) => {
          const match = /^ {2}([A-Za-z0-9_]+)\["([^"<>&`|]*)"\]$/.exec(line);
          expect(match).not.toBeNull();
          return match?.[1];
        });
        expect(new Set(ids).size).toBe(map.nodes.length);
        for (const line of lines.slice(
          1 + map.nodes.length,
          1 + map.nodes.length + map.edges.length,
        )) {
          expect(line).toMatch(/^ {2}[A-Za-z0-9_]+ -->\|"[^"|]*"\| [A-Za-z0-9_]+$/);
        }
      }),
    );
  });

  test('DOT: every name comes back from its quoted id once the escapes are undone', () => {
    const quoted = /"((?:[^"\\]|\\.)*)"/g;
    const undoEscapes = (text: string) => text.replace(/\\(.)/g, '$1').replace(/&amp;/g, '&');
    fc.assert(
      fc.property(maps, (map) => {
        const lines = formatDependencyDot(map).trimEnd().split('\n');
        expect(lines).toHaveLength(5 + map.nodes.length + map.edges.length);
        map.nodes.forEach((node, i) => {
          const line = lines[4 + i] as string;
          const [id, label] = [...line.matchAll(quoted)].map((m) => undoEscapes(m[1] as string));
          expect([id, label]).toEqual([printable(node.id), printable(node.id)]);
          // Nothing outside the quoted strings but the attribute syntax.
          expect(line.replace(quoted, 'S')).toBe('  S [label=S];');
        });
        map.edges.forEach((edge, i) => {
          const line = lines[4 + map.nodes.length + i] as string;
          const [from, to] = [...line.matchAll(quoted)].map((m) => undoEscapes(m[1] as string));
          expect([from, to]).toEqual([printable(edge.from), printable(edge.to)]);
          expect(line.replace(quoted, 'S')).toMatch(
            /^ {2}S -> S \[label=S(, color=S, fontcolor=S)?\];$/,
          );
        });
      }),
    );
  });
});
