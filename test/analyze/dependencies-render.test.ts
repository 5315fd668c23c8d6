import { describe, expect, test } from '@jest/globals';
import {
  buildDependencyMap,
  type DependencyEdge,
  type DependencyMap,
  type DependencyNode,
  describeEdge,
  formatDependencyDot,
  formatDependencyMermaid,
} from '../../src/analyze';
import { traceOf } from '../helpers/traces';

/**
 * checkout calls payment through its client span and reads its database; payment fails
 * once in two calls:
 *
 * ```
 * checkout ──2 calls, 1 error──→ payment
 *    └─────2 calls──→ postgresql orders
 * ```
 */
function smallMap(): DependencyMap {
  const call = (id: string, failed: boolean) =>
    traceOf(
      [
        { id: '1', service: 'checkout', kind: 'server', start: 0, end: 200 },
        { id: '2', parent: '1', service: 'checkout', kind: 'client', start: 10, end: 130 },
        {
          id: '3',
          parent: '2',
          service: 'payment',
          kind: 'server',
          start: 12,
          end: 120,
          ...(failed ? { error: 'card declined' } : {}),
        },
        {
          id: '4',
          parent: '1',
          service: 'checkout',
          kind: 'client',
          start: 140,
          end: 152,
          attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'orders' },
        },
      ],
      id.repeat(32),
    );
  // In each trace a payment call of 120ms (client span 10–130ms) and a 12ms query.
  return buildDependencyMap([call('1', true), call('2', false)]);
}

const edgeOf = (from: string, to: string, calls = 1, errors = 0, p95Ms = 5): DependencyEdge => ({
  from,
  to,
  calls,
  errors,
  p50Ms: p95Ms,
  p95Ms,
  p99Ms: p95Ms,
  examples: [],
});

const service = (id: string): DependencyNode => ({ id, kind: 'service', name: id });

/** Names that break naive output: quotes, spaces, a newline, non-ASCII, syntax characters. */
function oddMap(): DependencyMap {
  const nodes: DependencyNode[] = [
    service('say "hi"'),
    service('two words\nsecond line'),
    service('café ☕ 服务'),
    service('back\\slash'),
    service('end'),
    service('123-svc'),
    service('users-db'),
    service('users_db'),
    service('<b>&amp; C# x|y `tick`'),
    { id: 'kafka orders', kind: 'messaging', name: 'orders', system: 'kafka' },
    { id: 'api.example.com', kind: 'external', name: 'api.example.com' },
  ];
  const edges = [
    edgeOf('say "hi"', 'two words\nsecond line', 3, 1, 1500),
    edgeOf('café ☕ 服务', 'back\\slash'),
    edgeOf('end', '123-svc'),
    edgeOf('users-db', 'users_db'),
    edgeOf('<b>&amp; C# x|y `tick`', 'kafka orders'),
    edgeOf('end', 'api.example.com', 2, 0, 0.25),
  ];
  return { nodes, edges };
}

describe('describeEdge', () => {
  test('calls, errors and p95, singular where it is one', () => {
    expect(describeEdge(edgeOf('a', 'b', 1, 1, 0.25))).toBe('1 call, 1 error, p95 250µs');
    expect(describeEdge(edgeOf('a', 'b', 12, 0, 1500))).toBe('12 calls, 0 errors, p95 1.5s');
  });
});

describe('formatDependencyMermaid', () => {
  test('a flowchart: one shaped node per service or peer, one labelled arrow per edge, failing edges red', () => {
    expect(formatDependencyMermaid(smallMap())).toBe(
      [
        'flowchart LR',
        '  checkout["checkout"]',
        '  payment["payment"]',
        '  postgresql_orders[("postgresql orders")]',
        '  checkout -->|"2 calls, 1 error, p95 120ms"| payment',
        '  checkout -->|"2 calls, 0 errors, p95 12ms"| postgresql_orders',
        '  linkStyle 0 stroke:#d62728',
        '',
      ].join('\n'),
    );
  });

  test('odd names: ids reduced to safe characters and made unique, labels escaped as entity codes', () => {
    expect(formatDependencyMermaid(oddMap())).toBe(
      [
        'flowchart LR',
        '  say_hi["say #34;hi#34;"]',
        // The newline is shown as \n, as everywhere in tracespec, and cannot end the label.
        '  two_words_second_line["two words\\nsecond line"]',
        '  caf["café ☕ 服务"]',
        '  back_slash["back\\slash"]',
        // `end` closes a subgraph in Mermaid; an id must not start with a digit.
        '  end_["end"]',
        '  n_123_svc["123-svc"]',
        '  users_db["users-db"]',
        '  users_db_2["users_db"]',
        // Quotes, HTML, `#`, `|` and backticks would each be read as syntax.
        '  b_amp_C_x_y_tick["#60;b#62;#38;amp; C#35; x#124;y #96;tick#96;"]',
        '  kafka_orders>"kafka orders"]',
        '  api_example_com(["api.example.com"])',
        '  say_hi -->|"3 calls, 1 error, p95 1.5s"| two_words_second_line',
        '  caf -->|"1 call, 0 errors, p95 5ms"| back_slash',
        '  end_ -->|"1 call, 0 errors, p95 5ms"| n_123_svc',
        '  users_db -->|"1 call, 0 errors, p95 5ms"| users_db_2',
        '  b_amp_C_x_y_tick -->|"1 call, 0 errors, p95 5ms"| kafka_orders',
        '  end_ -->|"2 calls, 0 errors, p95 250µs"| api_example_com',
        '  linkStyle 0 stroke:#d62728',
        '',
      ].join('\n'),
    );
  });

  test('an empty map is an empty flowchart', () => {
    expect(formatDependencyMermaid({ nodes: [], edges: [] })).toBe('flowchart LR\n');
  });
});

describe('formatDependencyDot', () => {
  test('a digraph: quoted ids, labels, shapes by kind, failing edges red', () => {
    expect(formatDependencyDot(smallMap())).toBe(
      [
        'digraph dependencies {',
        '  rankdir=LR;',
        '  node [shape=box, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  "checkout" [label="checkout"];',
        '  "payment" [label="payment"];',
        '  "postgresql orders" [label="postgresql orders", shape=cylinder];',
        '  "checkout" -> "payment" [label="2 calls, 1 error, p95 120ms", color="#d62728", fontcolor="#d62728"];',
        '  "checkout" -> "postgresql orders" [label="2 calls, 0 errors, p95 12ms"];',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('odd names: quotes and backslashes escaped, & as an entity, newlines shown, unicode kept', () => {
    expect(formatDependencyDot(oddMap())).toBe(
      [
        'digraph dependencies {',
        '  rankdir=LR;',
        '  node [shape=box, fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  "say \\"hi\\"" [label="say \\"hi\\""];',
        // A label's \n would break the line in Graphviz; the name's newline is shown as text.
        '  "two words\\\\nsecond line" [label="two words\\\\nsecond line"];',
        '  "café ☕ 服务" [label="café ☕ 服务"];',
        '  "back\\\\slash" [label="back\\\\slash"];',
        '  "end" [label="end"];',
        '  "123-svc" [label="123-svc"];',
        '  "users-db" [label="users-db"];',
        '  "users_db" [label="users_db"];',
        // Graphviz decodes entities in labels: a literal "&amp;" must stay one.
        '  "<b>&amp;amp; C# x|y `tick`" [label="<b>&amp;amp; C# x|y `tick`"];',
        '  "kafka orders" [label="kafka orders", shape=cds];',
        '  "api.example.com" [label="api.example.com", shape=box, style="rounded,dashed"];',
        '  "say \\"hi\\"" -> "two words\\\\nsecond line" [label="3 calls, 1 error, p95 1.5s", color="#d62728", fontcolor="#d62728"];',
        '  "café ☕ 服务" -> "back\\\\slash" [label="1 call, 0 errors, p95 5ms"];',
        '  "end" -> "123-svc" [label="1 call, 0 errors, p95 5ms"];',
        '  "users-db" -> "users_db" [label="1 call, 0 errors, p95 5ms"];',
        '  "<b>&amp;amp; C# x|y `tick`" -> "kafka orders" [label="1 call, 0 errors, p95 5ms"];',
        '  "end" -> "api.example.com" [label="2 calls, 0 errors, p95 250µs"];',
        '}',
        '',
      ].join('\n'),
    );
  });
});
