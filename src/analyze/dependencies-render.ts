import { formatDuration } from '../model';
import { printable } from '../report/text';
import type { DependencyEdge, DependencyMap, DependencyNodeKind } from './dependencies';

/** `12 calls, 1 error, p95 45ms`: what an edge of the map says, in graphs and messages. */
export function describeEdge(edge: DependencyEdge): string {
  const calls = `${edge.calls} ${edge.calls === 1 ? 'call' : 'calls'}`;
  const errors = `${edge.errors} ${edge.errors === 1 ? 'error' : 'errors'}`;
  return `${calls}, ${errors}, p95 ${formatDuration(edge.p95Ms * 1e6)}`;
}

// Mermaid shapes by kind: a box, a cylinder, a flag, a stadium.
const MERMAID_SHAPES: Readonly<Record<DependencyNodeKind, readonly [string, string]>> = {
  service: ['[', ']'],
  database: ['[(', ')]'],
  messaging: ['>', ']'],
  external: ['([', '])'],
};

/** Words Mermaid reads as keywords where a node id is expected (`end` closes a subgraph). */
const MERMAID_KEYWORDS = new Set([
  'end',
  'graph',
  'flowchart',
  'subgraph',
  'direction',
  'style',
  'class',
  'classdef',
  'click',
  'linkstyle',
  'call',
  'href',
  'default',
]);

/**
 * The map as a Mermaid flowchart (left to right), for Markdown that GitHub and GitLab
 * render. Node ids are the names reduced to letters, digits and `_` (made unique: the
 * same name reduced can come from `users-db` and `users.db`); the
 * names themselves are quoted labels, with the characters Mermaid would read as syntax
 * written as its entity codes. Edges carry calls, errors and p95; edges with errors are
 * drawn red.
 */
export function formatDependencyMermaid(map: DependencyMap): string {
  const ids = mermaidIds(map.nodes.map((n) => n.id));
  const idOf = (name: string) => ids.get(name) ?? mermaidId(name);
  const lines = ['flowchart LR'];
  for (const node of map.nodes) {
    const [open, close] = MERMAID_SHAPES[node.kind];
    lines.push(`  ${idOf(node.id)}${open}"${mermaidText(node.id)}"${close}`);
  }
  const failing: number[] = [];
  map.edges.forEach((edge, i) => {
    lines.push(`  ${idOf(edge.from)} -->|"${mermaidText(describeEdge(edge))}"| ${idOf(edge.to)}`);
    if (edge.errors > 0) failing.push(i);
  });
  if (failing.length > 0) lines.push(`  linkStyle ${failing.join(',')} stroke:#d62728`);
  return `${lines.join('\n')}\n`;
}

function mermaidIds(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    const base = mermaidId(name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    out.set(name, id);
  }
  return out;
}

function mermaidId(name: string): string {
  let id = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (id === '') id = 'node';
  if (/^[0-9]/.test(id)) id = `n_${id}`;
  if (MERMAID_KEYWORDS.has(id.toLowerCase())) id = `${id}_`;
  return id;
}

/**
 * Text inside a quoted Mermaid label. Quotes would end it, `<`/`>`/`&` are read as HTML,
 * a leading backtick starts a Markdown string, `|` ends an edge label and `#` starts an
 * entity code: each becomes an entity code. Control characters are shown as `\n`, as
 * everywhere in tracespec.
 */
function mermaidText(text: string): string {
  return printable(text).replace(/[#"<>&`|]/g, (c) => `#${c.charCodeAt(0)};`);
}

// Graphviz shapes by kind (services use the default box).
const DOT_SHAPES: Readonly<Record<DependencyNodeKind, string>> = {
  service: '',
  database: ', shape=cylinder',
  messaging: ', shape=cds',
  external: ', shape=box, style="rounded,dashed"',
};

/**
 * The map as a Graphviz DOT digraph (left to right): `dot -Tsvg deps.dot > deps.svg`.
 * Node ids are the names, quoted; labels repeat them (so that `\`, which Graphviz reads
 * as an escape in labels, can be written as `\\`) and give each edge its calls, errors
 * and p95. Edges with errors are red.
 */
export function formatDependencyDot(map: DependencyMap): string {
  const lines = [
    'digraph dependencies {',
    '  rankdir=LR;',
    '  node [shape=box, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const node of map.nodes) {
    lines.push(`  ${dotString(node.id)} [label=${dotString(node.id)}${DOT_SHAPES[node.kind]}];`);
  }
  for (const edge of map.edges) {
    const red = edge.errors > 0 ? ', color="#d62728", fontcolor="#d62728"' : '';
    lines.push(
      `  ${dotString(edge.from)} -> ${dotString(edge.to)} [label=${dotString(describeEdge(edge))}${red}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * A DOT quoted string. In labels Graphviz decodes HTML entities before reading `\`
 * escapes, so `&` is written `&amp;` and `\` is doubled; control characters are shown
 * as `\n` text rather than breaking the line. (An id starting with `%` falls in
 * Graphviz's internal namespace: it still names one node, and the label shows the name.)
 */
function dotString(text: string): string {
  const escaped = printable(text)
    .replace(/&/g, '&amp;')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"');
  return `"${escaped}"`;
}
