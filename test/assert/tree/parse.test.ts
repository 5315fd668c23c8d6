import { describe, expect, test } from '@jest/globals';
import { type ExpectedNode, parseTreeExpectation, TreeSyntaxError } from '../../../src/assert/tree';
import { InputError } from '../../../src/errors';
import { formatDuration } from '../../../src/model';
import { SelectorError } from '../../../src/query';

/** The parsed tree, one line per node, two spaces per level: what each line says. */
function summary(text: string): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly ExpectedNode[], depth: number) => {
    for (const node of nodes) {
      let line = '  '.repeat(depth);
      if (node.kind === 'gap') line += '...';
      else {
        line += node.label.kind === 'name' ? `"${node.label.name}"` : node.label.selector.text;
        if (node.service !== undefined) line += ` [${node.service}]`;
        if (node.budget.length > 0) {
          line += ` (${node.budget.map((b) => `${b.op}${formatDuration(b.ns)}`).join(', ')})`;
        }
        if (node.error)
          line += node.error.reason === undefined ? ' error' : ` error: ${node.error.reason}`;
      }
      line += ` @${node.line}:${node.column}`;
      out.push(line);
      walk(node.children, depth + 1);
    }
  };
  walk(parseTreeExpectation(text).roots, 0);
  return out;
}

function errorOf(text: string): TreeSyntaxError {
  try {
    parseTreeExpectation(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TreeSyntaxError);
    expect(error).toBeInstanceOf(InputError);
    return error as TreeSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

/** The problem, and the line and column it points at. */
function problemOf(text: string): [string, number, number] {
  const error = errorOf(text);
  expect(error.location).toEqual({ line: error.line, column: error.column });
  return [error.problem, error.line, error.column];
}

describe('parseTreeExpectation: notation', () => {
  test('reads the DESIGN.md expectation: box guides, budgets, dedented, numbered as written', () => {
    expect(
      summary(`
        POST /api/checkout
        └── Order Service (<400ms)
            ├── Inventory Service
            └── Payment Gateway API (<300ms)
      `),
    ).toEqual([
      '"POST /api/checkout" @2:9',
      '  "Order Service" (<400ms) @3:13',
      '    "Inventory Service" @4:17',
      '    "Payment Gateway API" (<300ms) @5:17',
    ]);
  });

  test('keeps the lines, dedented, for the failure message', () => {
    const parsed = parseTreeExpectation('\n    A\n    └── B (<1s)\n\n    C\n  ');
    expect(parsed.lines).toEqual([
      { line: 2, text: 'A' },
      { line: 3, text: '└── B (<1s)' },
      { line: 5, text: 'C' },
    ]);
    expect(parsed.roots).toHaveLength(2);
  });

  test('continues │ guides below siblings, and skips lines of guides alone', () => {
    expect(
      summary(`
        A
        ├── B
        │   ├── C
        │   │   └── D
        │
        │   └── E
        └── F
            └── G
      `),
    ).toEqual([
      '"A" @2:9',
      '  "B" @3:13',
      '    "C" @4:17',
      '      "D" @5:21',
      '    "E" @7:17',
      '  "F" @8:13',
      '    "G" @9:17',
    ]);
  });

  test.each([
    ['two spaces', 'A\n  B\n    C\n  D'],
    ['four spaces', 'A\n    B\n        C\n    D'],
    ['tabs', 'A\n\tB\n\t\tC\n\tD'],
    ['ASCII guides', 'A\n|-- B\n|   `-- C\n`-- D'],
    ['tree --charset=ascii with +--', 'A\n+-- B\n|   `-- C\n`-- D'],
    ['short box guides', 'A\n├─ B\n│  └─ C\n└─ D'],
  ])('accepts indentation by %s', (_, text) => {
    expect(summary(text).map((line) => line.replace(/ @.*/, ''))).toEqual([
      '"A"',
      '  "B"',
      '    "C"',
      '  "D"',
    ]);
  });

  test('takes names verbatim: spaces, slashes, braces, brackets and parentheses inside', () => {
    expect(
      summary(
        [
          'POST /api/v2/orders/{id}/items',
          '├── resize (v2)',
          '├── items[0]',
          '├── SELECT * FROM t WHERE a = $1',
          '└── ...foo',
        ].join('\n'),
      ).map((line) => line.replace(/ @.*/, '')),
    ).toEqual([
      '"POST /api/v2/orders/{id}/items"',
      '  "resize (v2)"',
      '  "items[0]"',
      '  "SELECT * FROM t WHERE a = $1"',
      '  "...foo"',
    ]);
  });

  test('reads a service in brackets, after the name, as the reporter prints it', () => {
    expect(
      summary(
        'Order Service [orders]\n└── GET [id] [api] (<5ms)\n    └── cache [redis cluster]',
      ).map((line) => line.replace(/ @.*/, '')),
    ).toEqual([
      '"Order Service" [orders]',
      '  "GET [id]" [api] (<5ms)',
      '    "cache" [redis cluster]',
    ]);
  });

  test('reads budgets: <, <=, >, >=, several at once, every unit', () => {
    const budgets = (text: string) => {
      const node = parseTreeExpectation(text).roots[0];
      return node?.kind === 'span' ? node.budget.map((b) => [b.op, b.ns, b.text]) : [];
    };
    expect(budgets('A (<300ms)')).toEqual([['<', 300e6, '<300ms']]);
    expect(budgets('A (<=1s)')).toEqual([['<=', 1e9, '<=1s']]);
    expect(budgets('A (>5ms)')).toEqual([['>', 5e6, '>5ms']]);
    expect(budgets('A (>= 1.5s)')).toEqual([['>=', 1.5e9, '>=1.5s']]);
    expect(budgets('A (>5ms, <300ms)')).toEqual([
      ['>', 5e6, '>5ms'],
      ['<', 300e6, '<300ms'],
    ]);
    expect(budgets('A (<250µs)')).toEqual([['<', 250e3, '<250µs']]);
    expect(budgets('A (<250us)')).toEqual([['<', 250e3, '<250us']]);
    expect(budgets('A (<2m)')).toEqual([['<', 120e9, '<2m']]);
  });

  test('reads { selector } lines, with a budget and a service, braces inside strings and all', () => {
    const parsed = parseTreeExpectation(
      [
        '{ name = "POST /api/checkout" && kind = server }',
        '├── { name =~ "Inventory.*" } (<50ms)',
        '├── { span.note = "} (<1ms)" } [orders]',
        '└── { name = "a" } >> { status = error }',
      ].join('\n'),
    );
    const [root] = parsed.roots;
    expect(root?.kind === 'span' && root.label.kind).toBe('selector');
    expect(summary(parsed.source).map((line) => line.replace(/ @.*/, ''))).toEqual([
      '{ name = "POST /api/checkout" && kind = server }',
      '  { name =~ "Inventory.*" } (<50ms)',
      '  { span.note = "} (<1ms)" } [orders]',
      '  { name = "a" } >> { status = error }',
    ]);
  });

  test('reads ... lines, at the top (the first span may be anywhere) and below a span', () => {
    expect(
      summary(`
        ...
        └── Payment Gateway API
            ├── ...
            │   └── INSERT payments
            └── ...
      `).map((line) => line.replace(/ @.*/, '')),
    ).toEqual(['...', '  "Payment Gateway API"', '    ...', '      "INSERT payments"', '    ...']);
    expect(summary('A\n  …\n    B').map((l) => l.replace(/ @.*/, ''))).toEqual([
      '"A"',
      '  ...',
      '    "B"',
    ]);
  });

  test('reads ✗ error marks as expectations and ignores the reporter’s other marks', () => {
    expect(
      summary(
        [
          'A  ⚠ orphan: parent 00f067aa0ba902b7 is not in the trace',
          '├── B  ✗ error',
          '├── C (<300ms)  ✗ error: card declined  ◀ match',
          '└── D  ◀ match',
        ].join('\n'),
      ).map((line) => line.replace(/ @.*/, '')),
    ).toEqual(['"A"', '  "B" error', '  "C" (<300ms) error: card declined', '  "D"']);
  });

  test('accepts what the reporter prints once the durations are taken out', () => {
    const printed = [
      'POST /api/checkout [api-gateway] (352ms)',
      '└── Order Service [order-service] (350ms)',
      '    ├── Inventory Service [inventory-service] (45ms)',
      '    ├── Payment Gateway API (280ms)  ✗ error: card declined',
      '    └── Notification Service (25ms)',
    ].join('\n');
    expect(summary(printed.replace(/ \(\d+ms\)/g, '')).map((l) => l.replace(/ @.*/, ''))).toEqual([
      '"POST /api/checkout" [api-gateway]',
      '  "Order Service" [order-service]',
      '    "Inventory Service" [inventory-service]',
      '    "Payment Gateway API" error: card declined',
      '    "Notification Service"',
    ]);
  });

  test('allows several top-level lines (a trace with several roots) and CRLF line ends', () => {
    expect(summary('A\r\n└── B\r\nC\r\n').map((l) => l.replace(/ @.*/, ''))).toEqual([
      '"A"',
      '  "B"',
      '"C"',
    ]);
  });
});

describe('parseTreeExpectation: errors point at the line and column', () => {
  test('the whole message: position, problem, the line, a caret', () => {
    const error = errorOf(`
      POST /api/checkout
      └── Payment Gateway API (<300)
    `);
    expect(error.message).toBe(
      [
        'line 3, column 33: the budget "<300" has no unit; write it as <300ms (units: ns, us, µs, ms, s, m, h)',
        '        └── Payment Gateway API (<300)',
        `${' '.repeat(34)}^^^`,
      ].join('\n'),
    );
  });

  test('bad indentation: a child indented unlike the others', () => {
    expect(problemOf('A\n    B\n      C')).toEqual([
      'bad indentation: this line is indented 2 columns more than its parent "B" (line 2), but children in this tree are indented 4 columns more than their parent',
      3,
      7,
    ]);
  });

  test('bad indentation: a line between two levels', () => {
    expect(problemOf('A\n    B\n        C\n      D')).toEqual([
      'bad indentation: this line starts left of "C" (line 3) and right of "B" (line 2); line it up with a sibling, or indent it 4 columns more than its parent',
      4,
      7,
    ]);
  });

  test('bad indentation: a first child indented 1 or 6 columns', () => {
    expect(problemOf('A\n B')[0]).toBe(
      'bad indentation: this line is indented 1 column more than its parent "A" (line 1); indent a child by 2 or 4 spaces, or with the ├── guides',
    );
    expect(problemOf('A\n      B')[2]).toBe(7);
  });

  test('bad indentation: the first line indented under nothing', () => {
    expect(problemOf('\n  ├── B\n  └── C')).toEqual([
      'bad indentation: this line is indented, but there is no line above it to be its parent; a tree starts with its root (or ...) at the left',
      2,
      7,
    ]);
  });

  test('a child that jumps two levels', () => {
    expect(
      problemOf(`
        POST /api/checkout
        └── Order Service
                └── Payment Gateway API
      `),
    ).toEqual([
      'this line is indented 8 columns more than "Order Service" (line 3), which jumps 2 levels; a child is indented 4 columns more than its parent (use ... for "any spans in between")',
      4,
      21,
    ]);
  });

  test('budgets: no unit, no duration, no comparison, a wrong comparison, no closing parenthesis', () => {
    expect(problemOf('A (<300)')).toEqual([
      'the budget "<300" has no unit; write it as <300ms (units: ns, us, µs, ms, s, m, h)',
      1,
      5,
    ]);
    expect(problemOf('A (<fast)')).toEqual([
      'expected a duration such as 300ms after <, not "fast"',
      1,
      5,
    ]);
    expect(problemOf('A (<)')).toEqual(['expected a duration such as 300ms after <, not ""', 1, 5]);
    expect(problemOf('A (>5ms, 300ms)')).toEqual([
      'expected a budget such as <300ms, >5ms or <=1s, not "300ms"',
      1,
      10,
    ]);
    expect(problemOf('A (352ms)')).toEqual([
      'a budget needs a comparison: write (<352ms) for "under 352ms" or (>352ms) for "over"; a bare duration is what the reporter prints, and is not checked (if "(352ms)" is part of the span name, write { name = "..." })',
      1,
      4,
    ]);
    expect(problemOf('A (=300ms)')).toEqual([
      'a budget compares with <, <=, > or >=, not =; write < or <=300ms',
      1,
      4,
    ]);
    expect(problemOf('A (≤300ms)')[0]).toBe(
      'a budget compares with <, <=, > or >=, not ≤; write <=300ms',
    );
    expect(problemOf('A\n└── B (<300ms')).toEqual(['this budget has no closing )', 2, 7]);
  });

  test('an unterminated { selector', () => {
    expect(problemOf('A\n└── { name = "B" (<300ms)')).toEqual([
      'unterminated {: the selector that starts here has no closing }',
      2,
      5,
    ]);
    expect(problemOf('A\n└── { name = "}" && { kind = client }')[2]).toBe(5);
  });

  test('a selector error is re-located to its line, with the selector error as the cause', () => {
    const error = errorOf('POST /api/checkout\n└── { nme = "Order Service" }');
    expect(error.problem).toMatch(/^in the selector: /);
    expect(error.line).toBe(2);
    expect(error.column).toBe(7);
    expect(error.cause).toBeInstanceOf(SelectorError);
    expect(error.message.split('\n').slice(1)).toEqual([
      '  └── { nme = "Order Service" }',
      '        ^',
    ]);
    const quoted = errorOf("A\n  B\n  { name = 'x' }");
    expect([quoted.line, quoted.column]).toEqual([3, 12]);
  });

  test('a ... line with more on it, the reporter’s truncation note, an unknown mark, an empty service', () => {
    expect(problemOf('A\n└── ... (<300ms)')).toEqual([
      'a ... line stands for any spans in between: it takes no name, budget or service; put the span on the next line, indented under the ...',
      2,
      9,
    ]);
    expect(problemOf('A\n└── … 3 more spans')[0]).toBe(
      'this is the note the reporter prints when it shortens a tree, not a span; write ... for "any spans in between"',
    );
    expect(problemOf('A  ✗ slow')).toEqual([
      'unknown mark "✗ slow": a line expects an error with "✗ error" or "✗ error: <reason>"',
      1,
      4,
    ]);
    expect(problemOf('A [ ]')).toEqual(['the service in [ ] is empty', 1, 3]);
  });

  test('a line with a budget but no name', () => {
    expect(problemOf('A\n└── (<300ms)')).toEqual([
      'expected a span name or a { selector } at the start of the line',
      2,
      5,
    ]);
  });

  test('an empty expectation', () => {
    expect(() => parseTreeExpectation('\n   \n')).toThrow(
      new InputError({}, 'the tree expectation is empty: write at least one span name'),
    );
  });
});
