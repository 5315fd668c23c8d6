import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { type AttributeValue, Span, Trace } from '../../src/model';
import {
  type AggregateStage,
  type Expr,
  type Literal,
  parseSelector,
  printSelector,
  SelectorError,
  type SpansetExpr,
  type Stage,
  type StructuralOp,
  select,
} from '../../src/query';
import { INTRINSICS, KIND_VALUES, STATUS_VALUES } from '../../src/query/intrinsics';
import { parseQuery } from '../../src/query/parser';
import { printLiteral } from '../../src/query/print';
import { SPAN_TYPES } from '../../src/query/span-type';
import { TRACE_ID, traceOf } from './helpers';

// ---------------------------------------------------------------------------------------
// Arbitrary trees of the selector language

const text = fc.string({ unit: 'binary', maxLength: 12 });

const literal: fc.Arbitrary<Literal> = fc.oneof(
  text.map((value) => ({ kind: 'literal', type: 'string', value }) as const),
  fc
    .integer({ min: -1e12, max: 1e12 })
    .map((value) => ({ kind: 'literal', type: 'int', value }) as const),
  fc
    .oneof(
      fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }),
      fc.bigInt({ min: -(2n ** 80n), max: -(2n ** 53n) }),
    )
    .map((value) => ({ kind: 'literal', type: 'int', value }) as const),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter((v) => !Object.is(v, -0))
    .map((value) => ({ kind: 'literal', type: 'float', value }) as const),
  fc
    .integer({ min: -1e15, max: 1e15 })
    .map((value) => ({ kind: 'literal', type: 'duration', value }) as const),
  fc.boolean().map((value) => ({ kind: 'literal', type: 'bool', value }) as const),
  fc.constant({ kind: 'literal', type: 'nil', value: null } as const),
  fc
    .constantFrom(...STATUS_VALUES)
    .map((value) => ({ kind: 'literal', type: 'status', value }) as const),
  fc
    .constantFrom(...KIND_VALUES)
    .map((value) => ({ kind: 'literal', type: 'kind', value }) as const),
  fc
    .constantFrom(...SPAN_TYPES)
    .map((value) => ({ kind: 'literal', type: 'spanType', value }) as const),
);

const field = fc.oneof(
  fc.constantFrom(...INTRINSICS.keys()).map((name) => ({ kind: 'intrinsic', name }) as const),
  fc
    .record({
      scope: fc.constantFrom('span', 'resource', 'any'),
      name: fc.string({ unit: 'binary', minLength: 1, maxLength: 10 }),
    })
    .map(({ scope, name }) => ({ kind: 'attribute', scope, name }) as const),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    field,
    literal,
    fc.record({
      kind: fc.constant('compare' as const),
      op: fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '=~', '!~'),
      left: tie('expr'),
      right: tie('expr'),
    }),
    fc.record({
      kind: fc.constant('logic' as const),
      op: fc.constantFrom('&&', '||'),
      left: tie('expr'),
      right: tie('expr'),
    }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('expr') }),
  ),
}));

const filter = fc
  .option(expr, { nil: undefined })
  .map((where) => ({ kind: 'filter', where }) as const);

const aggregate: fc.Arbitrary<AggregateStage> = fc.oneof(
  fc.record({
    kind: fc.constant('aggregate' as const),
    fn: fc.constant('count' as const),
    field: fc.constant(undefined),
    op: fc.constantFrom('=', '!=', '<', '<=', '>', '>='),
    value: fc.nat(1000).map((value) => ({ kind: 'literal', type: 'int', value }) as const),
  }),
  fc.record({
    kind: fc.constant('aggregate' as const),
    fn: fc.constantFrom('avg', 'min', 'max', 'sum'),
    field,
    op: fc.constantFrom('=', '!=', '<', '<=', '>', '>='),
    value: fc.oneof(
      fc
        .integer({ min: 0, max: 1e12 })
        .map((value) => ({ kind: 'literal', type: 'duration', value }) as const),
      fc
        .double({ min: -1e6, max: 1e6, noNaN: true })
        // -0 prints as 0: the language, like TraceQL, has no negative zero.
        .filter((v) => !Object.is(v, -0))
        .map((value) => ({ kind: 'literal', type: 'float', value }) as const),
    ),
  }),
);

const { spanset } = fc.letrec<{ spanset: SpansetExpr }>((tie) => ({
  spanset: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    filter,
    fc.record({
      kind: fc.constant('structural' as const),
      op: fc.constantFrom('>', '>>', '<', '<<', '~'),
      left: tie('spanset'),
      right: tie('spanset'),
    }),
    fc.record({
      kind: fc.constant('spansetLogic' as const),
      op: fc.constantFrom('&&', '||'),
      left: tie('spanset'),
      right: tie('spanset'),
    }),
    fc.record({
      kind: fc.constant('pipeline' as const),
      source: tie('spanset'),
      stages: fc.array(fc.oneof(filter, aggregate) as fc.Arbitrary<Stage>, {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  ),
}));

describe('printing and parsing', () => {
  test('printing any tree and parsing the text gives the same tree', () => {
    fc.assert(
      fc.property(spanset, (ast) => {
        const printed = printSelector(ast);
        expect(parseQuery(printed).ast).toEqual(ast);
      }),
      { numRuns: 500 },
    );
  });

  test('any text either parses or fails with a SelectorError', () => {
    const pieces = fc.constantFrom(
      '{',
      '}',
      '(',
      ')',
      ' ',
      '|',
      '&&',
      '||',
      '!',
      '=',
      '!=',
      '=~',
      '>',
      '>>',
      '<',
      '<<',
      '~',
      'name',
      'duration',
      'status',
      'error',
      'kind',
      'server',
      'span.',
      'resource.',
      '.',
      'x',
      '"a"',
      '`b`',
      '"',
      '1',
      '-',
      '2.5',
      '300ms',
      'count()',
      'avg(',
      'nil',
      'true',
      '/*',
      '//',
      '\n',
      ',',
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 14 }).map((p) => p.join('')),
        (input) => {
          try {
            parseSelector(input);
          } catch (error) {
            expect(error).toBeInstanceOf(SelectorError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Structural operators against a brute-force oracle

interface RandomTree {
  /** For span i: -1 for a root, -2 for an orphan (a parent id not in the trace), else a lower index. */
  readonly parents: number[];
  readonly starts: number[];
  readonly a: boolean[];
  readonly b: boolean[];
  readonly c: boolean[];
}

const randomTree: fc.Arbitrary<RandomTree> = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    parents: fc.tuple(
      ...Array.from({ length: n }, (_, i) =>
        fc.oneof(
          { weight: 1, arbitrary: fc.constantFrom(-1, -2) },
          { weight: 6, arbitrary: fc.integer({ min: -1, max: i - 1 }) },
        ),
      ),
    ),
    starts: fc.array(fc.nat(50), { minLength: n, maxLength: n }),
    a: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    b: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    c: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  }),
);

function buildTrace(tree: RandomTree): Trace {
  return traceOf(
    tree.parents.map((p, i) => ({
      id: (i + 1).toString(16),
      parent: p === -2 ? 'ffff' : p >= 0 ? (p + 1).toString(16) : undefined,
      name: `s${i}`,
      start: tree.starts[i],
      attributes: { a: tree.a[i] as boolean, b: tree.b[i] as boolean, c: tree.c[i] as boolean },
    })),
  );
}

/** Brute force over the model's own parent links: walks every chain, quadratic on purpose. */
function oracle(trace: Trace, op: StructuralOp, a: Set<Span>, b: Set<Span>): Set<Span> {
  const ancestors = (s: Span) => trace.ancestorsOf(s);
  const out = new Set<Span>();
  for (const s of trace.spans) {
    if (!b.has(s)) continue;
    const parent = trace.parentOf(s);
    let hit = false;
    switch (op) {
      case '>':
        hit = parent !== undefined && a.has(parent);
        break;
      case '>>':
        hit = ancestors(s).some((x) => a.has(x));
        break;
      case '<':
        hit = [...a].some((x) => trace.parentOf(x) === s);
        break;
      case '<<':
        hit = [...a].some((x) => ancestors(x).includes(s));
        break;
      case '~':
        hit = parent !== undefined && [...a].some((x) => x !== s && trace.parentOf(x) === parent);
        break;
    }
    if (hit) out.add(s);
  }
  return out;
}

const setOf = (trace: Trace, key: 'a' | 'b' | 'c') =>
  new Set(trace.spans.filter((s) => s.attributes[key] === true));
const inOrder = (trace: Trace, set: Set<Span>) => trace.spans.filter((s) => set.has(s));
const op = fc.constantFrom<StructuralOp>('>', '>>', '<', '<<', '~');

describe('structural operators equal a brute-force oracle on random trees', () => {
  test('{A} op {B}', () => {
    fc.assert(
      fc.property(randomTree, op, (tree, o) => {
        const trace = buildTrace(tree);
        const expected = oracle(trace, o, setOf(trace, 'a'), setOf(trace, 'b'));
        expect(select(trace, `{ span.a = true } ${o} { span.b = true }`)).toEqual(
          inOrder(trace, expected),
        );
      }),
      { numRuns: 1000 },
    );
  });

  test('chains: ({A} op1 {B}) op2 {C} and {A} op1 ({B} op2 {C})', () => {
    fc.assert(
      fc.property(randomTree, op, op, (tree, o1, o2) => {
        const trace = buildTrace(tree);
        const [a, b, c] = [setOf(trace, 'a'), setOf(trace, 'b'), setOf(trace, 'c')];
        const leftFirst = oracle(trace, o2, oracle(trace, o1, a, b), c);
        expect(
          select(trace, `{ span.a = true } ${o1} { span.b = true } ${o2} { span.c } `),
        ).toEqual(inOrder(trace, leftFirst));
        const rightFirst = oracle(trace, o1, a, oracle(trace, o2, b, c));
        expect(select(trace, `{ .a = true } ${o1} ({ .b = true } ${o2} { .c = true })`)).toEqual(
          inOrder(trace, rightFirst),
        );
      }),
      { numRuns: 500 },
    );
  });

  test('spanset && and || against sets', () => {
    fc.assert(
      fc.property(randomTree, (tree) => {
        const trace = buildTrace(tree);
        const [a, b] = [setOf(trace, 'a'), setOf(trace, 'b')];
        const union = new Set([...a, ...b]);
        expect(select(trace, '{ span.a } || { span.b }')).toEqual(inOrder(trace, union));
        const both = a.size > 0 && b.size > 0 ? union : new Set<Span>();
        expect(select(trace, '{ span.a } && { span.b }')).toEqual(inOrder(trace, both));
      }),
      { numRuns: 300 },
    );
  });

  test('deep and wide trees: a 50k-span chain and a 50k-span star, without recursion', () => {
    // Speed is measured in bench/; here the point is that nothing recurses per level
    // (a 50k-deep chain would overflow the stack) and the answers stay right at scale.
    const chain = traceOf(
      Array.from({ length: 50_000 }, (_, i) => ({
        id: (i + 1).toString(16),
        parent: i === 0 ? undefined : i.toString(16),
        start: i,
        attributes: { a: i % 2 === 0 },
      })),
    );
    const star = traceOf(
      Array.from({ length: 50_000 }, (_, i) => ({
        id: (i + 1).toString(16),
        parent: i === 0 ? undefined : '1',
        start: i,
        attributes: { a: i % 2 === 0 },
      })),
    );
    // In the chain every span but the root has the (even) root above it.
    expect(select(chain, '{ span.a } >> { }')).toHaveLength(49_999);
    // Direct children of even spans: the odd positions.
    expect(select(chain, '{ span.a } > { }')).toHaveLength(25_000);
    // Ancestors of an even span: every span above the last even one (position 49_998).
    expect(select(chain, '{ span.a } << { }')).toHaveLength(49_998);
    // In the star every leaf has an even sibling; the root has no siblings.
    expect(select(star, '{ span.a } ~ { }')).toHaveLength(49_999);
    // The only parent of an even leaf is the root.
    expect(select(star, '{ span.a } < { }')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------
// Evaluation never throws, whatever the spans carry

const attributeValue: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 3 }),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 }),
);
const KEYS = ['a', 'b', 'http.request.method', 'db.system', 'n'];
const attributes = fc.dictionary(fc.constantFrom(...KEYS), attributeValue, { maxKeys: 4 });

const randomTrace = fc
  .array(
    fc.record({
      name: fc.string({ maxLength: 6 }),
      kind: fc.constantFrom(...KIND_VALUES),
      status: fc.constantFrom(...STATUS_VALUES),
      message: fc.string({ maxLength: 4 }),
      attributes,
      resource: attributes,
      parent: fc.nat(30),
      start: fc.nat(1000),
      duration: fc.nat(1000),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((specs) => {
    const spans = specs.map(
      (s, i) =>
        new Span({
          traceId: TRACE_ID,
          spanId: (i + 1).toString(16).padStart(16, '0'),
          parentSpanId:
            i === 0 || s.parent >= i ? undefined : (s.parent + 1).toString(16).padStart(16, '0'),
          name: s.name,
          kind: s.kind,
          status: { code: s.status, message: s.message },
          attributes: s.attributes,
          resource: { attributes: s.resource },
          startTimeUnixNano: BigInt(s.start),
          endTimeUnixNano: BigInt(s.start + s.duration),
        }),
    );
    return Trace.from(spans);
  });

/** Conditions that compile: each comparison pairs a field with a value it can be compared to. */
const attributeField = fc
  .record({ scope: fc.constantFrom('span', 'resource', ''), key: fc.constantFrom(...KEYS) })
  .map(({ scope, key }) => (scope === '' ? `.${key}` : `${scope}.${key}`));
const orderOp = fc.constantFrom('=', '!=', '<', '<=', '>', '>=');
const regex = fc.constantFrom('".*"', '"a|b"', '"(?i)get"', '"[0-9]+"', '`\\w*`');
const stringLiteral = fc.string({ maxLength: 4 }).map((s) => JSON.stringify(s));
const comparison = fc
  .oneof(
    fc.tuple(
      attributeField,
      orderOp,
      fc.oneof(
        stringLiteral,
        fc.integer().map(String),
        fc
          .double({ noNaN: true, noDefaultInfinity: true })
          .map((value) => printLiteral({ kind: 'literal', type: 'float', value })),
      ),
    ),
    fc.tuple(attributeField, fc.constantFrom('=', '!='), fc.constantFrom('true', 'false', 'nil')),
    fc.tuple(
      attributeField,
      fc.constantFrom('=~', '!~'),
      fc.constantFrom('".*"', '"a|b"', '"(?i)get"', '"[0-9]+"'),
    ),
    fc.tuple(
      fc.constantFrom('name', 'statusMessage', 'rootName', 'span:id'),
      orderOp,
      stringLiteral,
    ),
    fc.tuple(fc.constantFrom('name', 'statusMessage'), fc.constantFrom('=~', '!~'), regex),
    fc.tuple(
      fc.constantFrom('duration', 'traceDuration'),
      orderOp,
      fc.constantFrom('0ns', '1us', '500ns', '1s'),
    ),
    fc.tuple(fc.constant('status'), fc.constantFrom('=', '!='), fc.constantFrom(...STATUS_VALUES)),
    fc.tuple(fc.constant('kind'), fc.constantFrom('=', '!='), fc.constantFrom(...KIND_VALUES)),
    fc.tuple(fc.constant('type'), fc.constantFrom('=', '!='), fc.constantFrom(...SPAN_TYPES)),
    fc.tuple(fc.constant('childCount'), orderOp, fc.nat(3).map(String)),
    fc.tuple(attributeField, orderOp, fc.constantFrom('name', '.a', 'span.n', 'childCount')),
  )
  .map(([l, o, r]) => `${l} ${o} ${r}`);

const { condition } = fc.letrec<{ condition: string }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small' },
    comparison,
    attributeField,
    fc
      .tuple(tie('condition'), fc.constantFrom('&&', '||'), tie('condition'))
      .map(([l, o, r]) => `(${l}) ${o} (${r})`),
    tie('condition').map((c) => `!(${c})`),
  ),
}));

const query = fc.oneof(
  condition.map((c) => `{ ${c} }`),
  fc
    .tuple(condition, fc.constantFrom('>', '>>', '<', '<<', '~', '&&', '||'), condition)
    .map(([a, o, b]) => `{ ${a} } ${o} { ${b} }`),
  fc
    .tuple(
      condition,
      fc.constantFrom(
        'count() > 1',
        'avg(duration) < 1s',
        'sum(span.n) >= 0',
        'max(.n) != 2',
        '{ status = error }',
      ),
    )
    .map(([c, s]) => `{ ${c} } | ${s}`),
);

describe('select never throws on random spans', () => {
  test('a random well-typed selector over a random trace', () => {
    fc.assert(
      fc.property(query, randomTrace, (q, trace) => {
        const picked = select(trace, parseSelector(q));
        expect(picked.every((s) => trace.has(s))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
