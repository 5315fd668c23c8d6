import { InputError } from '../../errors';
import { type LineHead, parseLine } from './line';
import { outline } from './outline';
import type { ExpectedNode, TreeExpectation } from './types';

/**
 * Read the tree notation of DESIGN.md as an expectation:
 *
 * ```
 * POST /api/checkout [api-gateway]
 * └── Order Service (<400ms)
 *     ├── { name =~ "Inventory.*" && kind = client }
 *     ├── ...
 *     │   └── SELECT stock (<50ms)
 *     └── Payment Gateway API (<300ms)  ✗ error: card declined
 * ```
 *
 * Structure comes from {@link outline}, each line's content from {@link parseLine}.
 * Throws {@link TreeSyntaxError} (an `InputError`) with the line, column and a caret.
 */
export function parseTreeExpectation(text: string): TreeExpectation {
  if (typeof text !== 'string') {
    throw new TypeError(`a tree expectation is a string, not ${typeof text}`);
  }
  const lines = outline(text);
  const heads: LineHead[] = lines.map(parseLine);
  const children: ExpectedNode[][] = lines.map(() => []);
  const nodes: ExpectedNode[] = heads.map((head, i) => ({
    ...head,
    children: children[i] as ExpectedNode[],
  }));
  const roots: ExpectedNode[] = [];
  lines.forEach((line, i) => {
    const node = nodes[i] as ExpectedNode;
    if (line.parent < 0) roots.push(node);
    else (children[line.parent] as ExpectedNode[]).push(node);
  });
  if (roots.length === 0) {
    throw new InputError({}, 'the tree expectation is empty: write at least one span name');
  }
  return {
    source: text,
    lines: lines.map((l) => ({ line: l.line, text: l.text })),
    roots,
  };
}
