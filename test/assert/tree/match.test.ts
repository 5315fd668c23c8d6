import { describe, expect, test } from '@jest/globals';
import { matchTraceTree, type TreeMatchResult } from '../../../src/assert/tree';
import type { Trace } from '../../../src/model';
import { checkoutTrace, type SpanSpec, traceOf } from './build';

/** `[line, kind, reason]` of the first difference, or `'pass'`. */
function outcome(result: TreeMatchResult): 'pass' | [number, string, string] {
  if (result.pass) return 'pass';
  const m = result.mismatch;
  if (!m) throw new Error('a failing result without a mismatch');
  return [m.expectedLine, m.kind, m.reason];
}

const DESIGN_EXAMPLE = `
  POST /api/checkout
  └── Order Service (<400ms)
      ├── Inventory Service
      └── Payment Gateway API (<300ms)
`;

describe('matchTraceTree: partial by default', () => {
  test('the DESIGN.md example matches the checkout, other spans allowed', () => {
    const trace = checkoutTrace();
    const result = matchTraceTree(DESIGN_EXAMPLE, trace);
    expect(outcome(result)).toBe('pass');
    expect(result.trace).toBe(trace);
    expect(result.matches.map((m) => [m.line, m.span.name])).toEqual([
      [2, 'POST /api/checkout'],
      [3, 'Order Service'],
      [4, 'Inventory Service'],
      [5, 'Payment Gateway API'],
    ]);
  });

  test('a missing child: the line, and the children that are there', () => {
    expect(
      outcome(
        matchTraceTree('POST /api/checkout\n└── Order Service\n    └── Audit Log', checkoutTrace()),
      ),
    ).toEqual([
      3,
      'missing',
      'no span named "Audit Log" under "Order Service"; its children are "Inventory Service", "Payment Gateway API" and "Notification Service"',
    ]);
  });

  test('a typo gets a suggestion', () => {
    expect(
      outcome(
        matchTraceTree(
          'POST /api/checkout\n└── Order Service\n    └── Payment Gatway API',
          checkoutTrace(),
        ),
      ),
    ).toEqual([
      3,
      'missing',
      'no span named "Payment Gatway API" under "Order Service"; did you mean "Payment Gateway API"?',
    ]);
  });

  test('children are direct children; a deeper span needs ... and the message says so', () => {
    const direct = 'POST /api/checkout\n└── Order Service\n    └── SELECT stock';
    const result = matchTraceTree(direct, checkoutTrace());
    expect(outcome(result)).toEqual([
      3,
      'missing',
      'no span named "SELECT stock" under "Order Service"; there is one deeper, under "Inventory Service": put a ... line above it to allow spans in between',
    ]);
    expect(result.mismatch?.actualSpan?.name).toBe('Order Service');
    const gap = 'POST /api/checkout\n└── ...\n    ├── SELECT stock\n    └── charge card';
    expect(outcome(matchTraceTree(gap, checkoutTrace()))).toBe('pass');
    expect(
      outcome(
        matchTraceTree('POST /api/checkout\n└── ...\n    └── Order Service', checkoutTrace()),
      ),
    ).toBe('pass');
  });

  test('the first line matches a root, unless it is under a top-level ...', () => {
    const trace = checkoutTrace();
    expect(outcome(matchTraceTree('Payment Gateway API\n└── charge card', trace))).toEqual([
      1,
      'missing',
      'no span named "Payment Gateway API" at the root of the trace; there is one under "Order Service"',
    ]);
    expect(
      outcome(matchTraceTree('...\n└── Payment Gateway API\n    └── charge card', trace)),
    ).toBe('pass');
    expect(outcome(matchTraceTree('...\n└── POST /api/checkout', trace))).toBe('pass');
    expect(outcome(matchTraceTree('...\n└── Refund', trace))).toEqual([
      2,
      'missing',
      'no span named "Refund" in the trace',
    ]);
  });

  test('lines under ... match separate branches: one span is never matched twice', () => {
    const trace = traceOf([
      { id: '1', name: 'A', start: 0, end: 10 },
      { id: '2', parent: '1', name: 'B', start: 1, end: 9 },
      { id: '3', parent: '2', name: 'C', start: 2, end: 3 },
    ]);
    expect(
      outcome(matchTraceTree('A\n└── ...\n    ├── B\n    │   └── C\n    └── C', trace)),
    ).toEqual([
      5,
      'overlap',
      'the only spans for this line are inside "B", which line 3 matched; sibling lines match separate branches (indent this line under that one if it belongs there)',
    ]);
    // Nor can a line under ... take a span inside its sibling's subtree.
    expect(outcome(matchTraceTree('A\n└── ...\n    ├── B\n    └── C', trace))).toEqual([
      4,
      'overlap',
      'the only spans for this line are inside "B", which line 3 matched; sibling lines match separate branches (indent this line under that one if it belongs there)',
    ]);
  });

  test('services in brackets must match, and the message says where the span is', () => {
    const trace = checkoutTrace();
    expect(
      outcome(
        matchTraceTree(
          'POST /api/checkout [api-gateway]\n└── Order Service [order-service]',
          trace,
        ),
      ),
    ).toBe('pass');
    expect(
      outcome(matchTraceTree('POST /api/checkout\n└── Order Service [orders]', trace)),
    ).toEqual([
      2,
      'missing',
      'no span named "Order Service" in service "orders" under "POST /api/checkout"; "Order Service" there is in service "order-service"',
    ]);
  });

  test('a trailing [...] that was meant as part of the name gets a hint', () => {
    const trace = traceOf([
      { id: '1', name: 'root', start: 0, end: 10 },
      { id: '2', parent: '1', name: 'cache [hit]', start: 1, end: 2 },
    ]);
    expect(outcome(matchTraceTree('root\n└── cache [hit]', trace))).toEqual([
      2,
      'missing',
      'no span named "cache" in service "hit" under "root"; a trailing [...] after a space is read as the service: to match the name "cache [hit]", write { name = "cache [hit]" }',
    ]);
    expect(outcome(matchTraceTree('root\n└── { name = "cache [hit]" }', trace))).toBe('pass');
    expect(outcome(matchTraceTree('root\n└── cache [hit] [svc]', trace))).toBe('pass');
  });

  test('selectors in lines', () => {
    const trace = checkoutTrace();
    expect(
      outcome(
        matchTraceTree(
          '{ kind = server && resource.service.name = "api-gateway" }\n└── Order Service\n    └── { kind = client && status = error } (<300ms)\n        └── { name =~ "charge.*" }',
          trace,
        ),
      ),
    ).toBe('pass');
    expect(outcome(matchTraceTree('POST /api/checkout\n└── { kind = consumer }', trace))).toEqual([
      2,
      'missing',
      'no span matching { kind = consumer } under "POST /api/checkout"; its children are "Order Service"',
    ]);
  });

  test('✗ error marks: status, then the reason as the reporter prints it', () => {
    const trace = checkoutTrace();
    const tree = (mark: string) => `...\n└── Payment Gateway API  ${mark}`;
    expect(outcome(matchTraceTree(tree('✗ error'), trace))).toBe('pass');
    expect(outcome(matchTraceTree(tree('✗ error: card declined'), trace))).toBe('pass');
    expect(outcome(matchTraceTree(tree('✗ error: timeout'), trace))).toEqual([
      2,
      'status',
      '"Payment Gateway API" failed with "card declined"; the line expects "timeout"',
    ]);
    expect(outcome(matchTraceTree('...\n└── Inventory Service  ✗ error', trace))).toEqual([
      2,
      'status',
      '"Inventory Service" has status unset; the line expects ✗ error',
    ]);
  });
});

describe('matchTraceTree: budgets', () => {
  test('a budget kept passes; a budget broken names the measured duration', () => {
    expect(outcome(matchTraceTree(DESIGN_EXAMPLE, checkoutTrace({ payment: 299 })))).toBe('pass');
    const result = matchTraceTree(DESIGN_EXAMPLE, checkoutTrace({ payment: 412 }));
    expect(outcome(result)).toEqual([
      5,
      'budget',
      '"Payment Gateway API" took 412ms, which breaks its budget <300ms',
    ]);
    expect(result.mismatch?.label).toBe('took 412ms');
    expect(result.mismatch?.actualSpan?.name).toBe('Payment Gateway API');
  });

  test('< is strict, <= is not; lower bounds; several bounds', () => {
    const trace = checkoutTrace({ payment: 300 });
    const line = (budget: string) => `...\n└── Payment Gateway API (${budget})`;
    expect(outcome(matchTraceTree(line('<300ms'), trace))).not.toBe('pass');
    expect(outcome(matchTraceTree(line('<=300ms'), trace))).toBe('pass');
    expect(outcome(matchTraceTree(line('>5ms'), trace))).toBe('pass');
    expect(outcome(matchTraceTree(line('>1s'), trace))).toEqual([
      2,
      'budget',
      '"Payment Gateway API" took 300ms, which breaks its budget >1s',
    ]);
    expect(outcome(matchTraceTree(line('>5ms, <0.5s'), trace))).toBe('pass');
    expect(outcome(matchTraceTree(line('>5ms, <250ms'), trace))).toEqual([
      2,
      'budget',
      '"Payment Gateway API" took 300ms, which breaks its budget <250ms',
    ]);
  });

  test('a budget chooses between two spans of the same name', () => {
    const trace = traceOf([
      { id: '1', name: 'job', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'query', start: 1, end: 80 },
      { id: '3', parent: '1', name: 'query', start: 81, end: 85 },
    ]);
    expect(outcome(matchTraceTree('job\n├── query (<10ms)\n└── query (>50ms)', trace))).toBe(
      'pass',
    );
    expect(outcome(matchTraceTree('job\n├── query (<10ms)\n└── query (<10ms)', trace))).toEqual([
      3,
      'budget',
      '"query" took 79ms, which breaks its budget <10ms',
    ]);
  });
});

describe('matchTraceTree: strict', () => {
  const exact = `
    POST /api/checkout
    └── Order Service
        ├── Inventory Service
        │   └── SELECT stock
        ├── Payment Gateway API
        │   ├── redis GET
        │   └── charge card
        └── Notification Service
  `;

  test('passes when every child of every matched span is listed', () => {
    expect(outcome(matchTraceTree(exact, checkoutTrace(), { strict: true }))).toBe('pass');
  });

  test('an unlisted child fails, named, at the line of its parent', () => {
    const result = matchTraceTree(DESIGN_EXAMPLE, checkoutTrace(), { strict: true });
    expect(outcome(result)).toEqual([
      4,
      'extra',
      '"Inventory Service" has a child "SELECT stock" that the tree does not list (strict: every child of a listed span must be listed too; list it, or add a ... line to allow others)',
    ]);
    expect(result.mismatch?.actualSpan?.name).toBe('SELECT stock');
  });

  test('an unlisted sibling fails at the parent line; a ... line lets others in', () => {
    const tree =
      'POST /api/checkout\n└── Order Service\n    ├── Inventory Service\n    │   └── SELECT stock\n    └── Payment Gateway API\n        ├── redis GET\n        └── charge card';
    expect(outcome(matchTraceTree(tree, checkoutTrace(), { strict: true }))).toEqual([
      2,
      'extra',
      '"Order Service" has a child "Notification Service" that the tree does not list (strict: every child of a listed span must be listed too; list it, or add a ... line to allow others)',
    ]);
    expect(
      outcome(
        matchTraceTree(
          tree.replace('    └── Payment', '    ├── ...\n    └── Payment'),
          checkoutTrace(),
          {
            strict: true,
          },
        ),
      ),
    ).toBe('pass');
  });

  test('counts are exact', () => {
    const trace = traceOf([
      { id: '1', name: 'GET /orders', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'SELECT', start: 1, end: 2 },
      { id: '3', parent: '1', name: 'SELECT', start: 3, end: 4 },
      { id: '4', parent: '1', name: 'SELECT', start: 5, end: 6 },
    ]);
    const two = 'GET /orders\n├── SELECT\n└── SELECT';
    const four = 'GET /orders\n├── SELECT\n├── SELECT\n├── SELECT\n└── SELECT';
    expect(outcome(matchTraceTree(two, trace))).toBe('pass');
    expect(outcome(matchTraceTree(two, trace, { strict: true }))).toEqual([
      1,
      'extra',
      '"GET /orders" has a child "SELECT" that the tree does not list (strict: every child of a listed span must be listed too; list it, or add a ... line to allow others)',
    ]);
    expect(outcome(matchTraceTree(four, trace))).toEqual([
      5,
      'count',
      'expected one more "SELECT" under "GET /orders", but all 3 there are taken by lines 2, 3 and 4',
    ]);
  });

  test('another root of the trace is an unlisted span too', () => {
    const trace = traceOf([
      { id: '1', name: 'A', start: 0, end: 10 },
      { id: '2', parent: 'f', name: 'lost', start: 1, end: 2 },
    ]);
    expect(outcome(matchTraceTree('A', trace))).toBe('pass');
    expect(outcome(matchTraceTree('A', trace, { strict: true }))).toEqual([
      1,
      'extra',
      'the trace has another root "lost" that the tree does not list (strict: every child of a listed span must be listed too; list it, or add a ... line to allow others)',
    ]);
    expect(outcome(matchTraceTree('A\nlost', trace, { strict: true }))).toBe('pass');
  });
});

describe('matchTraceTree: ordered', () => {
  const trace = checkoutTrace();
  const inOrder =
    'POST /api/checkout\n└── Order Service\n    ├── Inventory Service\n    ├── Payment Gateway API\n    └── Notification Service';
  const swapped =
    'POST /api/checkout\n└── Order Service\n    ├── Payment Gateway API\n    ├── Inventory Service\n    └── Notification Service';

  test('siblings in start order pass; any order passes without the option', () => {
    expect(outcome(matchTraceTree(inOrder, trace, { ordered: true }))).toBe('pass');
    expect(outcome(matchTraceTree(swapped, trace))).toBe('pass');
  });

  test('siblings out of order fail, with both start times', () => {
    const result = matchTraceTree(swapped, trace, { ordered: true });
    expect(outcome(result)).toEqual([
      4,
      'order',
      '"Inventory Service" started at +3ms, before "Payment Gateway API" (line 3) at +50ms; ordered: true wants siblings to start in the order they are listed',
    ]);
    expect(result.mismatch?.actualSpan?.name).toBe('Inventory Service');
  });

  test('spans that start in the same instant pass in either order', () => {
    const tied = traceOf([
      { id: '1', name: 'batch', start: 0, end: 10 },
      { id: '2', parent: '1', name: 'b', start: 1, end: 5 },
      { id: '3', parent: '1', name: 'a', start: 1, end: 5 },
    ]);
    expect(outcome(matchTraceTree('batch\n├── a\n└── b', tied, { ordered: true }))).toBe('pass');
    expect(outcome(matchTraceTree('batch\n├── b\n└── a', tied, { ordered: true }))).toBe('pass');
  });

  test('ordered and strict together', () => {
    const exact =
      'POST /api/checkout\n└── Order Service\n    ├── Inventory Service\n    │   └── SELECT stock\n    ├── Payment Gateway API\n    │   ├── redis GET\n    │   └── charge card\n    └── Notification Service';
    expect(outcome(matchTraceTree(exact, trace, { ordered: true, strict: true }))).toBe('pass');
    const reversed = exact.replace(
      '├── redis GET\n    │   └── charge card',
      '├── charge card\n    │   └── redis GET',
    );
    expect(outcome(matchTraceTree(reversed, trace, { ordered: true, strict: true }))).toEqual([
      7,
      'order',
      '"redis GET" started at +52ms, before "charge card" (line 6) at +60ms; ordered: true wants siblings to start in the order they are listed',
    ]);
  });

  test('the order search backtracks over repeated names', () => {
    // Lines: x(<5ms) then x. Greedy "earliest x first" would give the first line the slow
    // x that starts first, and leave nothing for it afterwards.
    const repeated = traceOf([
      { id: '1', name: 'p', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'x', start: 1, end: 50 },
      { id: '3', parent: '1', name: 'x', start: 2, end: 4 },
      { id: '4', parent: '1', name: 'x', start: 60, end: 70 },
    ]);
    expect(outcome(matchTraceTree('p\n├── x (<5ms)\n└── x', repeated, { ordered: true }))).toBe(
      'pass',
    );
  });
});

describe('matchTraceTree: assignment among siblings', () => {
  test('a selector and a name that overlap: the name gets the span only it can take', () => {
    const trace = traceOf([
      { id: '1', name: 'p', start: 0, end: 10 },
      { id: '2', parent: '1', name: 'X1', start: 1, end: 2 },
      { id: '3', parent: '1', name: 'X2', start: 3, end: 4 },
    ]);
    expect(outcome(matchTraceTree('p\n├── { name =~ "X.*" }\n└── X1', trace))).toBe('pass');
    expect(outcome(matchTraceTree('p\n├── { name =~ "X.*" }\n├── X1\n└── X2', trace))).toEqual([
      4,
      'count',
      'expected one more "X2" under "p", but the only one there is taken by line 2',
    ]);
  });

  test('two lines with the same name and different subtrees', () => {
    const trace = traceOf([
      { id: '1', name: 'p', start: 0, end: 10 },
      { id: '2', parent: '1', name: 'call', start: 1, end: 2 },
      { id: '3', parent: '2', name: 'retry', start: 1.5, end: 1.8 },
      { id: '4', parent: '1', name: 'call', start: 3, end: 4 },
      { id: '5', parent: '4', name: 'ok', start: 3.5, end: 3.8 },
    ]);
    expect(outcome(matchTraceTree('p\n├── call\n│   └── ok\n└── call\n    └── retry', trace))).toBe(
      'pass',
    );
    expect(outcome(matchTraceTree('p\n├── call\n│   └── ok\n└── call\n    └── ok', trace))).toEqual(
      [5, 'missing', 'no span named "ok" under "call"; there is one under another "call"'],
    );
  });

  test('under ..., the search finds separate branches when a greedy pick would nest them', () => {
    // a1 contains b; a2 does not. Line "a" must take a2 so that line "b" can take b.
    const trace = traceOf([
      { id: '1', name: 'root', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'wrap', start: 1, end: 50 },
      { id: '3', parent: '2', name: 'a', start: 2, end: 40 },
      { id: '4', parent: '3', name: 'b', start: 3, end: 4 },
      { id: '5', parent: '1', name: 'a', start: 60, end: 70 },
    ]);
    expect(outcome(matchTraceTree('root\n└── ...\n    ├── a\n    └── b', trace))).toBe('pass');
  });
});

describe('matchTraceTree: several traces', () => {
  const health = traceOf(
    [{ id: '1', name: 'GET /health', start: 0, end: 1 }],
    '11111111111111111111111111111111',
  );

  test('passes when any trace matches, and says which', () => {
    const checkout = checkoutTrace({ traceId: '22222222222222222222222222222222' });
    const result = matchTraceTree(DESIGN_EXAMPLE, [health, checkout]);
    expect(outcome(result)).toBe('pass');
    expect(result.trace).toBe(checkout);
    expect(result.tried).toBe(2);
  });

  test('reports the closest trace when none matches', () => {
    const slow = checkoutTrace({ payment: 500, traceId: '33333333333333333333333333333333' });
    const result = matchTraceTree(DESIGN_EXAMPLE, [health, slow, health]);
    expect(result.trace).toBe(slow);
    expect(outcome(result)).toEqual([
      5,
      'budget',
      '"Payment Gateway API" took 500ms, which breaks its budget <300ms',
    ]);
  });

  test('no traces: a failure without a mismatch', () => {
    const result = matchTraceTree(DESIGN_EXAMPLE, []);
    expect(result).toEqual({
      pass: false,
      trace: undefined,
      tried: 0,
      matches: [],
      mismatch: undefined,
    });
  });
});

describe('matchTraceTree: realistic sizes stay fast', () => {
  /** A request fanning out to `n` identical queries, each with a child. */
  function fanOut(n: number): Trace {
    const specs: SpanSpec[] = [{ id: '1', name: 'GET /report', start: 0, end: 10_000 }];
    for (let i = 0; i < n; i++) {
      const id = (i * 2 + 16).toString(16);
      const child = (i * 2 + 17).toString(16);
      specs.push({ id, parent: '1', name: 'SELECT row', start: 1 + i * 10, end: 5 + i * 10 });
      specs.push({
        id: child,
        parent: id,
        name: 'pool.acquire',
        start: 2 + i * 10,
        end: 3 + i * 10,
      });
    }
    return traceOf(specs);
  }
  const lines = (n: number, prefix = '') =>
    [
      'GET /report',
      ...Array.from({ length: n }, () => `${prefix}  SELECT row\n${prefix}    pool.acquire`),
    ].join('\n');

  test.each([
    ['partial', {}],
    ['strict', { strict: true }],
    ['ordered', { ordered: true }],
  ])('300 identical children, 300 lines (%s)', (_, options) => {
    const trace = fanOut(300);
    const started = performance.now();
    expect(outcome(matchTraceTree(lines(300), trace, options))).toBe('pass');
    expect(outcome(matchTraceTree(lines(301), trace, options))).not.toBe('pass');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('lines under ... that all want the same nested spans fail without a long search', () => {
    // 200 spans named x, each inside the previous: any two are ancestor and descendant,
    // so at most one of the 12 lines can have one, yet each line alone has 200 candidates.
    const chain: SpanSpec[] = Array.from({ length: 200 }, (_, i) => ({
      id: (i + 1).toString(16),
      ...(i > 0 ? { parent: i.toString(16) } : {}),
      name: i === 0 ? 'root' : 'x',
      start: i,
      end: 1000 - i,
    }));
    const tree = `root\n  ...\n${Array.from({ length: 12 }, () => '    x').join('\n')}`;
    const started = performance.now();
    expect(outcome(matchTraceTree(tree, traceOf(chain)))).toEqual([
      4,
      'overlap',
      'the only spans for this line are inside "x", which line 3 matched; sibling lines match separate branches (indent this line under that one if it belongs there)',
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('40 identical lines under ... over 300 spans, passing and failing', () => {
    const trace = fanOut(150);
    const tree = `GET /report\n  ...\n${Array.from({ length: 40 }, () => '    pool.acquire').join('\n')}`;
    const started = performance.now();
    expect(outcome(matchTraceTree(tree, trace))).toBe('pass');
    expect(outcome(matchTraceTree(tree, fanOut(39)))).toEqual([
      42,
      'count',
      'expected one more "pool.acquire" below "GET /report", but all 39 there are taken by lines 3, 4, 5, 6, 7 and 34 others',
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
