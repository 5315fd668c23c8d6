import { describe, expect, test } from '@jest/globals';
import type { Span, Trace } from '../../src/model';
import {
  compileSelector,
  describeSelector,
  matches,
  parseSelector,
  SelectorError,
  type SelectorInput,
  select,
} from '../../src/query';
import { checkoutTrace, names, traceOf } from './helpers';

const trace = checkoutTrace();

describe('plain-object selectors', () => {
  test('every given field must hold', () => {
    expect(names(select(trace, { name: 'Order Service' }))).toEqual(['Order Service']);
    expect(names(select(trace, { service: 'payments', kind: 'client' }))).toEqual([
      'Payment Gateway API',
      'redis GET',
    ]);
    expect(names(select(trace, { status: 'error', kind: 'internal' }))).toEqual(['charge card']);
    expect(names(select(trace, { type: 'database' }))).toEqual(['SELECT stock']);
    expect(select(trace, {})).toHaveLength(8);
  });

  test('RegExp values are used as JavaScript uses them: unanchored', () => {
    expect(names(select(trace, { name: /Service$/ }))).toEqual([
      'Order Service',
      'Inventory Service',
      'Notification Service',
    ]);
    expect(names(select(trace, { name: /gateway/i }))).toEqual(['Payment Gateway API']);
    expect(names(select(trace, { service: /^pay/, name: /card/ }))).toEqual(['charge card']);
  });

  test('a global RegExp does not carry state from one span to the next', () => {
    expect(names(select(trace, { name: /Service/g }))).toHaveLength(3);
    expect(names(select(trace, { attributes: { 'http.request.method': /POST/g } }))).toHaveLength(
      2,
    );
  });

  test('attributes: span first, then resource; numbers by value; arrays deeply', () => {
    expect(names(select(trace, { attributes: { 'db.rows': 3 } }))).toEqual(['SELECT stock']);
    expect(names(select(trace, { attributes: { 'payment.retries': 1 } }))).toEqual([
      'Payment Gateway API',
    ]);
    expect(names(select(trace, { attributes: { 'card.tags': ['visa', 'debit'] } }))).toEqual([
      'charge card',
    ]);
    expect(names(select(trace, { attributes: { 'card.tags': ['visa'] } }))).toEqual([]);
    expect(names(select(trace, { attributes: { 'service.name': 'notify' } }))).toEqual([
      'Notification Service',
    ]);
    expect(
      names(select(trace, { attributes: { 'db.system': 'redis', 'cache.hit': true } })),
    ).toEqual(['redis GET']);
    expect(names(select(trace, { attributes: { 'http.route': /^\/api\// } }))).toEqual([
      'POST /api/checkout',
    ]);
    expect(names(select(trace, { attributes: { 'db.rows': undefined } }))).toHaveLength(7);
  });

  test('asymmetric matchers work, with or without the equals hook', () => {
    expect(names(select(trace, { attributes: { 'db.rows': expect.any(Number) } }))).toEqual([
      'SELECT stock',
    ]);
    expect(
      names(select(trace, { name: expect.stringContaining('Gateway') as unknown as string })),
    ).toEqual(['Payment Gateway API']);
  });

  test('the equals hook decides attribute equality', () => {
    const seen: [unknown, unknown][] = [];
    const equals = (actual: unknown, expected: unknown) => {
      seen.push([actual, expected]);
      return typeof actual === 'number';
    };
    expect(names(select(trace, { attributes: { 'db.rows': 'anything' } }, { equals }))).toEqual([
      'SELECT stock',
    ]);
    expect(seen).toContainEqual([3, 'anything']);
    expect(seen).toContainEqual([undefined, 'anything']);
  });

  test('mistakes are reported, not silently unmatched', () => {
    expect(() => select(trace, { nmae: 'x' } as unknown as SelectorInput)).toThrow(
      'unknown key "nmae" in a span filter; did you mean "name"?; the keys are name, service, kind, status, type or attributes',
    );
    expect(() => select(trace, { kind: 'SERVER' } as unknown as SelectorInput)).toThrow(
      'kind "SERVER" in a span filter is not valid; did you mean "server"?; kind is one of server, client, producer, consumer, internal or unspecified',
    );
    expect(() => select(trace, { status: 'failed' } as unknown as SelectorInput)).toThrow(
      'status "failed" in a span filter is not valid; status is one of error, ok or unset',
    );
    expect(() => select(trace, { type: 'db' } as unknown as SelectorInput)).toThrow(
      /type "db" in a span filter is not valid/,
    );
    expect(() => select(trace, { name: 5 } as unknown as SelectorInput)).toThrow(
      'name in a span filter must be a string or a RegExp, not number',
    );
    expect(() => select(trace, { attributes: 'x' } as unknown as SelectorInput)).toThrow(
      SelectorError,
    );
    expect(() => select(trace, 5 as unknown as SelectorInput)).toThrow(
      'a selector is a TraceQL string, a { name, service, kind, status, type, attributes } object or a function, not 5',
    );
    expect(() => select(trace, [] as unknown as SelectorInput)).toThrow(/not an array/);
  });
});

describe('predicate selectors', () => {
  test('receive the span and its trace', () => {
    const deep = (span: Span, t: Trace) => t.depthOf(span) >= 3;
    expect(names(select(trace, deep))).toEqual(['SELECT stock', 'redis GET', 'charge card']);
    const charge = trace.spans.find((s) => s.name === 'charge card') as Span;
    expect(matches(charge, trace, deep)).toBe(true);
  });
});

describe('select()', () => {
  test('accepts one trace or many, a string or a parsed selector', () => {
    const other = traceOf([{ id: '1', name: 'Order Service' }], 'b'.repeat(32));
    const selector = parseSelector('{ name = "Order Service" }');
    expect(select([trace, other], selector).map((s) => s.traceId[0])).toEqual(['a', 'b']);
    expect(select([other, trace], '{ name = "Order Service" }').map((s) => s.traceId[0])).toEqual([
      'b',
      'a',
    ]);
    expect(select([], '{ }')).toEqual([]);
  });

  test('compileSelector gives a reusable matcher', () => {
    const matcher = compileSelector('{ kind = server } >> { status = error }');
    expect(matcher.description).toBe('{ kind = server } >> { status = error }');
    expect(names(matcher.select(trace))).toEqual(['Payment Gateway API', 'charge card']);
    expect(trace.spans.filter((s) => matcher.matches(s, trace))).toHaveLength(2);
  });
});

describe('describeSelector()', () => {
  test('a query reads as its text', () => {
    expect(describeSelector('  { name = "x" }\n')).toBe('{ name = "x" }');
    expect(describeSelector(parseSelector('{ kind = server }'))).toBe('{ kind = server }');
  });

  test('an object reads as an object literal', () => {
    expect(describeSelector({ name: 'x', kind: 'server' })).toBe('{ name: "x", kind: "server" }');
    expect(describeSelector({})).toBe('{ }');
    expect(
      describeSelector({
        service: /^pay/i,
        attributes: { 'http.route': '/x', 'db.rows': 3, big: 2n, tags: ['a'], m: { k: true } },
      }),
    ).toBe(
      '{ service: /^pay/i, attributes: { "http.route": "/x", "db.rows": 3, "big": 2n, "tags": ["a"], "m": { "k": true } } }',
    );
    expect(describeSelector({ attributes: { n: expect.any(Number) } })).toBe(
      '{ attributes: { "n": Any<Number> } }',
    );
  });

  test('a function reads as its name', () => {
    function isSlow(span: Span) {
      return span.durationMs > 100;
    }
    expect(describeSelector(isSlow)).toBe('isSlow');
    const predicates: SelectorInput[] = [(s: Span) => s.isError];
    expect(describeSelector(predicates[0] as SelectorInput)).toBe('(anonymous predicate)');
  });
});
