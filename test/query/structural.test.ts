import { describe, expect, test } from '@jest/globals';
import type { Span } from '../../src/model';
import { matches, select } from '../../src/query';
import { checkoutTrace, names, traceOf } from './helpers';

/*
 * POST /api/checkout                 server, http
 * └── Order Service                  internal
 *     ├── Inventory Service          client, http
 *     │   └── SELECT stock           client, database
 *     ├── Payment Gateway API        client, http, error
 *     │   ├── redis GET              client, cache
 *     │   └── charge card            internal, error
 *     └── Notification Service       producer, messaging
 */
const trace = checkoutTrace();
const pick = (selector: string) => names(select(trace, selector));

describe('structural operators return spans of the right-hand side', () => {
  test.each([
    // > child
    ['{ name = "Order Service" } > { name =~ "Inventory.*" }', ['Inventory Service']],
    ['{ kind = client } > { }', ['SELECT stock', 'redis GET', 'charge card']],
    ['{ kind = server } > { kind = client }', []],
    // >> descendant
    [
      '{ name = "POST /api/checkout" } >> { status = error }',
      ['Payment Gateway API', 'charge card'],
    ],
    ['{ name = "Inventory Service" } >> { }', ['SELECT stock']],
    ['{ } >> { kind = server }', []],
    // < parent
    ['{ status = error } < { }', ['Order Service', 'Payment Gateway API']],
    ['{ type = database } < { type = http }', ['Inventory Service']],
    ['{ kind = server } < { }', []],
    // << ancestor
    ['{ type = database } << { }', ['POST /api/checkout', 'Order Service', 'Inventory Service']],
    ['{ status = error } << { kind = internal }', ['Order Service']],
    ['{ kind = server } << { }', []],
    // ~ sibling
    ['{ name = "redis GET" } ~ { }', ['charge card']],
    ['{ kind = client } ~ { kind = client }', ['Inventory Service', 'Payment Gateway API']],
    ['{ } ~ { kind = server }', []],
    ['{ name = "SELECT stock" } ~ { }', []],
  ])('%s', (selector, expected) => {
    expect(pick(selector)).toEqual(expected);
  });

  test('a span is not its own sibling', () => {
    expect(pick('{ name = "redis GET" } ~ { name = "redis GET" }')).toEqual([]);
    expect(
      pick('{ name =~ "redis GET|charge card" } ~ { name =~ "redis GET|charge card" }'),
    ).toEqual(['redis GET', 'charge card']);
  });

  test('orphans and roots have no siblings', () => {
    const t = traceOf([
      { id: '1', name: 'root' },
      { id: '2', parent: '9', name: 'orphan-a' },
      { id: '3', parent: '8', name: 'orphan-b' },
    ]);
    expect(names(select(t, '{ } ~ { }'))).toEqual([]);
    expect(names(select(t, '{ } >> { }'))).toEqual([]);
  });

  test('chains associate left: {A} >> {B} > {C} is ({A} >> {B}) > {C}', () => {
    expect(
      pick('{ kind = server } >> { name = "Payment Gateway API" } > { status = error }'),
    ).toEqual(['charge card']);
    expect(pick('{ name = "Order Service" } > { } > { type = cache }')).toEqual(['redis GET']);
    expect(pick('{ kind = server } > { } > { } > { }')).toEqual([
      'SELECT stock',
      'redis GET',
      'charge card',
    ]);
    expect(pick('{ kind = server } > ({ } > { })')).toEqual(['Order Service']);
    expect(pick('{ type = cache } < { } < { }')).toEqual(['Order Service']);
  });

  test('operands can be any spanset expression in parentheses', () => {
    expect(pick('({ type = cache } || { type = database }) < { }')).toEqual([
      'Inventory Service',
      'Payment Gateway API',
    ]);
    expect(pick('{ kind = server } >> ({ status = error } && { type = cache })')).toEqual([
      'Payment Gateway API',
      'redis GET',
      'charge card',
    ]);
  });
});

describe('spanset && and ||', () => {
  test('&&: traces that hold both, with the spans of both', () => {
    expect(pick('{ type = cache } && { type = messaging }')).toEqual([
      'redis GET',
      'Notification Service',
    ]);
    expect(pick('{ type = cache } && { type = faas }')).toEqual([]);
    expect(pick('{ type = faas } && { type = cache }')).toEqual([]);
    expect(pick('{ kind = client } && { status = error }')).toEqual([
      'Inventory Service',
      'SELECT stock',
      'Payment Gateway API',
      'redis GET',
      'charge card',
    ]);
  });

  test('||: the union', () => {
    expect(pick('{ type = cache } || { type = faas }')).toEqual(['redis GET']);
    expect(pick('{ type = messaging } || { type = cache } || { kind = server }')).toEqual([
      'POST /api/checkout',
      'redis GET',
      'Notification Service',
    ]);
  });

  test('structural operators bind tighter than && and ||, as in Tempo', () => {
    expect(pick('{ type = faas } && { kind = server } >> { status = error }')).toEqual([]);
    expect(pick('{ kind = server } >> { status = error } && { type = cache }')).toEqual([
      'Payment Gateway API',
      'redis GET',
      'charge card',
    ]);
    expect(pick('{ type = faas } || { kind = server } >> { status = error }')).toEqual([
      'Payment Gateway API',
      'charge card',
    ]);
  });

  test('the same operator chains without parentheses; mixing them needs parentheses', () => {
    expect(pick('({ type = faas } || { type = cache }) && { kind = server }')).toEqual([
      'POST /api/checkout',
      'redis GET',
    ]);
    expect(pick('{ type = faas } || ({ type = cache } && { kind = server })')).toEqual([
      'POST /api/checkout',
      'redis GET',
    ]);
    expect(pick('{ type = cache } && { kind = server } || { type = faas }')).toEqual([
      'POST /api/checkout',
      'redis GET',
    ]);
  });
});

describe('pipelines filter per trace', () => {
  test('count()', () => {
    expect(pick('{ kind = client } | count() > 3')).toEqual([
      'Inventory Service',
      'SELECT stock',
      'Payment Gateway API',
      'redis GET',
    ]);
    expect(pick('{ kind = client } | count() = 4')).toHaveLength(4);
    expect(pick('{ kind = client } | count() > 4')).toEqual([]);
    expect(pick('{ kind = client } | count() != 4')).toEqual([]);
    expect(pick('{ kind = consumer } | count() < 1')).toEqual([]);
  });

  test('avg, min, max, sum of duration', () => {
    expect(pick('{ status = error } | avg(duration) > 260ms')).toEqual([
      'Payment Gateway API',
      'charge card',
    ]);
    expect(pick('{ status = error } | avg(duration) > 270ms')).toEqual([]);
    expect(pick('{ } | max(duration) = 352ms')).toHaveLength(8);
    expect(pick('{ } | min(span:duration) = 2ms')).toHaveLength(8);
    expect(pick('{ status = error } | sum(duration) >= 530ms')).toHaveLength(2);
    expect(pick('{ status = error } | sum(duration) > 530ms')).toEqual([]);
    expect(pick('{ } | max(traceDuration) <= 355ms')).toHaveLength(8);
  });

  test('aggregates of numeric attributes skip spans without a number', () => {
    expect(pick('{ } | sum(span.db.rows) = 3')).toHaveLength(8);
    expect(pick('{ } | avg(.retry.count) = 2')).toHaveLength(8);
    expect(pick('{ } | max(span.payment.retries) = 1')).toHaveLength(8);
    expect(pick('{ } | avg(span.payment.amount) < 12.6')).toHaveLength(8);
    expect(pick('{ } | avg(span.nope) > 0')).toEqual([]);
    expect(pick('{ } | avg(span.nope) < 0')).toEqual([]);
    expect(pick('{ } | avg(childCount) < 1')).toHaveLength(8);
  });

  test('a { } stage narrows the spanset', () => {
    expect(pick('{ kind = client } | { status = error }')).toEqual(['Payment Gateway API']);
    expect(pick('{ kind = client } | count() > 1 | { type = http }')).toEqual([
      'Inventory Service',
      'Payment Gateway API',
    ]);
    expect(pick('{ kind = client } | { type = http } | count() > 2')).toEqual([]);
  });

  test('a parenthesised structural query feeds a pipeline', () => {
    expect(pick('({ name = "Order Service" } > { }) | count() = 3')).toEqual([
      'Inventory Service',
      'Payment Gateway API',
      'Notification Service',
    ]);
    expect(pick('({ kind = server } >> { status = error }) | count() > 2')).toEqual([]);
  });

  test('a pipeline inside parentheses is a spanset operand', () => {
    expect(pick('({ status = error } | count() > 1) && { type = cache }')).toEqual([
      'Payment Gateway API',
      'redis GET',
      'charge card',
    ]);
    expect(pick('({ status = error } | count() > 2) || { type = cache }')).toEqual(['redis GET']);
    expect(pick('({ kind = server } | count() = 1) >> { type = database }')).toEqual([
      'SELECT stock',
    ]);
  });

  test('each trace is judged on its own', () => {
    const many = traceOf(
      [
        { id: '1', name: 'job' },
        { id: '2', parent: '1', name: 'query', attributes: { 'db.system': 'postgresql' } },
        { id: '3', parent: '1', name: 'query', attributes: { 'db.system': 'postgresql' } },
        { id: '4', parent: '1', name: 'query', attributes: { 'db.system': 'postgresql' } },
      ],
      'b'.repeat(32),
    );
    const few = traceOf(
      [
        { id: '1', name: 'job' },
        { id: '2', parent: '1', name: 'query', attributes: { 'db.system': 'postgresql' } },
      ],
      'c'.repeat(32),
    );
    const spans = select([few, many, trace], '{ type = database } | count() >= 3');
    expect(spans.map((s) => s.traceId)).toEqual(['b'.repeat(32), 'b'.repeat(32), 'b'.repeat(32)]);
    expect(select([few, many, trace], '{ type = database }').map((s) => s.traceId[0])).toEqual([
      'c',
      'b',
      'b',
      'b',
      'a',
    ]);
  });
});

describe('matches()', () => {
  test('answers for one span, for filters and whole-trace queries alike', () => {
    const charge = trace.spans.find((s) => s.name === 'charge card') as Span;
    const redis = trace.spans.find((s) => s.name === 'redis GET') as Span;
    expect(matches(charge, trace, '{ status = error }')).toBe(true);
    expect(matches(redis, trace, '{ status = error }')).toBe(false);
    const query = '{ name = "Payment Gateway API" } > { status = error }';
    expect(matches(charge, trace, query)).toBe(true);
    expect(matches(redis, trace, query)).toBe(false);
    expect(trace.spans.filter((s) => matches(s, trace, query))).toEqual([charge]);
  });

  test('refuses a span of another trace', () => {
    const other = checkoutTrace();
    expect(() => matches(other.spans[0] as Span, trace, '{ }')).toThrow(
      /not one of the spans of trace/,
    );
  });
});
