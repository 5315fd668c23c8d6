import { describe, expect, test } from '@jest/globals';
import {
  findRepeatedCalls,
  findRepeatedSerialCalls,
  MAX_SERIAL_CONCURRENCY,
  operationOf,
  type RepeatedCallGroup,
  summarizeRepeatedCalls,
} from '../../src/analyze';
import { InputError } from '../../src/errors';
import type { Attributes } from '../../src/model';
import { nPlusOneTrace } from '../assert/build';
import { type SpanSpec, spanOf, traceOf } from '../helpers/traces';

/** A parent `p` (0–1000ms) with the given children. */
function under(children: readonly Omit<SpanSpec, 'parent'>[]) {
  return traceOf([
    { id: 'p', name: 'GET /orders', kind: 'server', start: 0, end: 1000 },
    ...children.map((c) => ({ ...c, parent: 'p' })),
  ]);
}

/** `n` calls named `name`, `length` ms each, the next starting `step` ms after the last. */
function calls(
  n: number,
  options: { name?: string; step: number; length: number; from?: number; id?: number } & Partial<
    Pick<SpanSpec, 'service' | 'attributes' | 'kind'>
  >,
): Omit<SpanSpec, 'parent'>[] {
  const { step, length, from = 10, id = 0x100, name = 'SELECT order_lines', ...rest } = options;
  return Array.from({ length: n }, (_, i) => ({
    id: (id + i).toString(16),
    name,
    start: from + i * step,
    end: from + i * step + length,
    ...rest,
  }));
}

const facts = (g: RepeatedCallGroup) => ({
  parent: g.parent.name,
  service: g.service,
  name: g.name,
  count: g.count,
  overlappingPairs: g.overlappingPairs,
  wallMs: g.wallNs / 1e6,
  sumMs: g.sumNs / 1e6,
  serial: g.serial,
});

describe('findRepeatedSerialCalls', () => {
  test('a loop of queries, one after another, is one group with its parent and numbers', () => {
    // nPlusOneTrace: one SELECT orders, then 12 × SELECT order_lines of 4ms every 5ms.
    const [group, ...others] = findRepeatedSerialCalls(nPlusOneTrace(12));
    expect(others).toEqual([]);
    expect(facts(group as RepeatedCallGroup)).toEqual({
      parent: 'GET /orders/42',
      service: 'orders',
      name: 'SELECT order_lines',
      count: 12,
      overlappingPairs: 0,
      wallMs: 59, // 5ms → 64ms
      sumMs: 48,
      serial: true,
    });
    expect(group?.busyNs).toBe(48e6);
    expect(group?.concurrency).toBe(1);
    // The calls, by start time.
    expect(group?.spans.map((s) => s.spanId)).toEqual(
      Array.from({ length: 12 }, (_, i) => (16 + i).toString(16).padStart(16, '0')),
    );
  });

  test('exactly minCount calls are a group; one fewer is not', () => {
    expect(findRepeatedSerialCalls(under(calls(5, { step: 5, length: 4 })))).toHaveLength(1);
    expect(findRepeatedSerialCalls(under(calls(4, { step: 5, length: 4 })))).toEqual([]);
    expect(
      findRepeatedSerialCalls(under(calls(4, { step: 5, length: 4 })), { minCount: 4 }),
    ).toHaveLength(1);
    expect(
      findRepeatedSerialCalls(under(calls(2, { step: 5, length: 4 })), { minCount: 2 }),
    ).toHaveLength(1);
  });

  test('a concurrent fan-out of the same calls is not serial', () => {
    // Eight calls started 0.1ms apart, each 20ms: every pair overlaps.
    const trace = under(calls(8, { step: 0.1, length: 20 }));
    expect(findRepeatedSerialCalls(trace)).toEqual([]);
    const [group] = findRepeatedCalls(trace);
    expect(group?.overlappingPairs).toBe(28); // 8 × 7 / 2
    expect(group?.serial).toBe(false);
    expect(group?.concurrency).toBeGreaterThan(7);
  });

  test('a bounded pool (two at a time) is not serial either', () => {
    // Pairs started together: 0,0, 10,10, 20,20, ... Twice the work per unit of time.
    const trace = under(
      Array.from({ length: 10 }, (_, i) => ({
        id: (0x100 + i).toString(16),
        name: 'GET /price',
        start: 10 + Math.floor(i / 2) * 10,
        end: 20 + Math.floor(i / 2) * 10,
      })),
    );
    const [group] = findRepeatedCalls(trace);
    expect(group?.overlappingPairs).toBe(5);
    expect(group?.concurrency).toBe(2);
    expect(group?.serial).toBe(false);
  });

  test('a long loop with one call overlapping its neighbour is still serial', () => {
    const loop = calls(12, { step: 5, length: 4 });
    // The sixth call starts 2ms before the fifth ends (a fire-and-forget that ran late).
    const sixth = loop[5] as Omit<SpanSpec, 'parent'>;
    loop[5] = { ...sixth, start: sixth.start - 3, end: sixth.end - 3 };
    const [group] = findRepeatedSerialCalls(under(loop));
    expect(group?.overlappingPairs).toBe(1);
    expect(group?.serial).toBe(true);
    expect(group?.sumNs).toBeGreaterThan(group?.busyNs ?? 0);
  });

  test('spans that each end a moment after the next call starts are still a serial loop', () => {
    // Instrumentation that ends a span after handing back the result: 10µs of overlap on
    // every pair of neighbours. Every neighbour pair overlaps, and the calls still add up.
    const [group] = findRepeatedSerialCalls(under(calls(10, { step: 5, length: 5.01 })));
    expect(group?.overlappingPairs).toBe(9);
    expect(group?.concurrency).toBeCloseTo(1.002, 3);
  });

  test('even at minCount, one call fully inside another keeps the group serial', () => {
    // Five equal calls, two of them at the same time: 5 × 10ms summed over 40ms busy.
    const trace = under([
      { id: 'a', name: 'q', start: 0, end: 10 },
      { id: 'b', name: 'q', start: 0, end: 10 },
      { id: 'c', name: 'q', start: 10, end: 20 },
      { id: 'd', name: 'q', start: 20, end: 30 },
      { id: 'e', name: 'q', start: 30, end: 40 },
    ]);
    const [group] = findRepeatedCalls(trace);
    expect(group?.concurrency).toBe(1.25);
    expect(group?.serial).toBe(true);
  });

  test('the serial rule: average concurrency strictly below 1.5', () => {
    expect(MAX_SERIAL_CONCURRENCY).toBe(1.5);
    // 30ms summed over 20ms busy: exactly 1.5, half the time two at a time.
    const trace = under([
      { id: 'a', name: 'q', start: 0, end: 10 },
      { id: 'b', name: 'q', start: 0, end: 10 },
      { id: 'c', name: 'q', start: 10, end: 20 },
    ]);
    const [group] = findRepeatedCalls(trace, { minCount: 3 });
    expect(group?.concurrency).toBe(1.5);
    expect(group?.serial).toBe(false);
  });

  test('equal timestamps: calls that share a start overlap; one that starts as another ends does not', () => {
    const together = under(calls(5, { step: 0, length: 10 }));
    const [fanOut] = findRepeatedCalls(together);
    expect(fanOut?.overlappingPairs).toBe(10);
    expect(fanOut?.serial).toBe(false);

    const backToBack = under(calls(5, { step: 10, length: 10 }));
    const [loop] = findRepeatedSerialCalls(backToBack);
    expect(loop?.overlappingPairs).toBe(0);
    expect(loop?.wallNs).toBe(loop?.sumNs);
  });

  test('calls too short for the clock (zero length, one timestamp) overlap nothing: serial', () => {
    // A millisecond clock records fast calls as zero-length; nothing says they overlapped.
    const [group] = findRepeatedSerialCalls(under(calls(6, { step: 0, length: 0 })));
    expect(group).toMatchObject({ count: 6, overlappingPairs: 0, sumNs: 0, busyNs: 0 });
    expect(group?.concurrency).toBe(1);
  });

  test('gaps between the calls (work in the loop) do not make them less serial', () => {
    // 4ms calls every 20ms: wall time far above the sum, and still one at a time.
    const [group] = findRepeatedSerialCalls(under(calls(6, { step: 20, length: 4 })));
    expect(group).toMatchObject({ wallNs: 104e6, sumNs: 24e6, busyNs: 24e6, serial: true });
  });

  test('two operations interleaved under one parent are two groups', () => {
    // for each order: SELECT order_lines, then SELECT payments.
    const children = Array.from({ length: 12 }, (_, i) => ({
      id: (0x100 + i).toString(16),
      name: i % 2 === 0 ? 'SELECT order_lines' : 'SELECT payments',
      start: 10 + i * 5,
      end: 14 + i * 5,
    }));
    const groups = findRepeatedSerialCalls(under(children));
    expect(groups.map((g) => [g.name, g.count, g.overlappingPairs])).toEqual([
      ['SELECT order_lines', 6, 0],
      ['SELECT payments', 6, 0],
    ]);
    // Each group waits for the other's calls too: wall time is twice its own sum.
    expect(groups[0]).toMatchObject({ sumNs: 24e6, wallNs: 54e6 });
  });

  test('the same name from different services is two operations', () => {
    const trace = under([
      ...calls(3, { name: 'GET', service: 'a', step: 5, length: 4 }),
      ...calls(3, { name: 'GET', service: 'b', step: 5, length: 4, from: 20, id: 0x200 }),
    ]);
    expect(findRepeatedCalls(trace)).toEqual([]);
    expect(findRepeatedCalls(trace, { minCount: 3 }).map((g) => [g.service, g.count])).toEqual([
      ['a', 3],
      ['b', 3],
    ]);
  });

  test('the same calls under different parents are not one group', () => {
    const trace = traceOf([
      { id: '1', name: 'root', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'page 1', start: 0, end: 40 },
      { id: '3', parent: '1', name: 'page 2', start: 50, end: 90 },
      ...[0, 1, 2].map((i) => ({
        id: `a${i}`,
        parent: '2',
        name: 'q',
        start: i * 5,
        end: i * 5 + 4,
      })),
      ...[0, 1, 2].map((i) => ({
        id: `b${i}`,
        parent: '3',
        name: 'q',
        start: 50 + i * 5,
        end: 54 + i * 5,
      })),
    ]);
    expect(findRepeatedCalls(trace)).toEqual([]);
    expect(findRepeatedCalls(trace, { minCount: 3 }).map((g) => g.parent.name)).toEqual([
      'page 1',
      'page 2',
    ]);
  });

  test('roots are never calls, not even orphans that lost the same parent', () => {
    const trace = traceOf(
      Array.from({ length: 6 }, (_, i) => ({
        id: (0x100 + i).toString(16),
        parent: 'dead',
        name: 'q',
        start: i * 5,
        end: i * 5 + 4,
      })),
    );
    expect(trace.roots).toHaveLength(6);
    expect(findRepeatedCalls(trace)).toEqual([]);
  });

  test('groups come in trace order, and only spans `include` accepts are calls', () => {
    const trace = traceOf([
      { id: '1', name: 'root', start: 0, end: 200 },
      { id: '2', parent: '1', name: 'first', start: 0, end: 50 },
      { id: '3', parent: '1', name: 'second', start: 60, end: 200 },
      ...calls(5, { name: 'late', step: 5, length: 4, from: 70 }).map((c) => ({
        ...c,
        parent: '3',
      })),
      ...calls(5, { name: 'early', step: 5, length: 4, from: 1, id: 0x200 }).map((c) => ({
        ...c,
        parent: '2',
      })),
    ]);
    expect(findRepeatedSerialCalls(trace).map((g) => g.name)).toEqual(['early', 'late']);
    expect(
      findRepeatedSerialCalls(trace, { include: (s) => s.name !== 'early' }).map((g) => g.name),
    ).toEqual(['late']);
  });

  test('minCount is a whole number of at least 2', () => {
    const trace = nPlusOneTrace(3);
    for (const bad of [1, 0, 2.5, Number.NaN, '5' as unknown as number]) {
      expect(() => findRepeatedCalls(trace, { minCount: bad })).toThrow(InputError);
    }
    expect(() => findRepeatedCalls(trace, { minCount: 1 })).toThrow(
      'minCount must be a whole number of calls, 2 or more, not 1',
    );
  });

  test('summarizeRepeatedCalls: what `tracespec analyze --json` prints', () => {
    const [group] = findRepeatedSerialCalls(nPlusOneTrace(12));
    expect(summarizeRepeatedCalls(group as RepeatedCallGroup)).toEqual({
      parentSpanId: '0000000000000001',
      service: 'orders',
      name: 'SELECT order_lines',
      operation: 'SELECT order_lines',
      count: 12,
      overlappingPairs: 0,
      wallMs: 59,
      sumMs: 48,
    });
  });
});

describe('operationOf: what makes two calls the same operation', () => {
  const span = (name: string, attributes: Attributes, kind: SpanSpec['kind'] = 'client') =>
    spanOf({ id: '1', name, kind, start: 0, end: 1, attributes });

  test('the span name, by default', () => {
    expect(operationOf(span('OrderRepository.linesOf', {}))).toBe('OrderRepository.linesOf');
  });

  test('database spans named after their statement: db.query.summary, else operation and table', () => {
    const statement = 'SELECT * FROM users WHERE id = 7';
    expect(
      operationOf(
        span(statement, { 'db.system.name': 'postgresql', 'db.query.summary': 'SELECT users' }),
      ),
    ).toBe('SELECT users');
    expect(
      operationOf(
        span(statement, {
          'db.system.name': 'postgresql',
          'db.operation.name': 'SELECT',
          'db.collection.name': 'users',
        }),
      ),
    ).toBe('SELECT users');
    // Older conventions.
    expect(
      operationOf(
        span(statement, {
          'db.system': 'mysql',
          'db.operation': 'SELECT',
          'db.sql.table': 'users',
        }),
      ),
    ).toBe('SELECT users');
    // An operation without a table says too little (HotROD's GetDriver and FindDriverIDs
    // are both redis GETs): the name stays.
    expect(
      operationOf(span('GetDriver', { 'db.system.name': 'redis', 'db.operation.name': 'GET' })),
    ).toBe('GetDriver');
  });

  test('statements with different literals are one group, reported by their operation', () => {
    const trace = under(
      [7, 8, 9, 10, 11].map((id, i) => ({
        id: (0x100 + i).toString(16),
        name: `SELECT * FROM users WHERE id = ${id}`,
        kind: 'client' as const,
        start: 10 + i * 5,
        end: 14 + i * 5,
        attributes: {
          'db.system.name': 'mysql',
          'db.operation.name': 'SELECT',
          'db.collection.name': 'users',
        },
      })),
    );
    const [group] = findRepeatedSerialCalls(trace);
    expect(group).toMatchObject({ name: 'SELECT users', operation: 'SELECT users', count: 5 });
  });

  test('HTTP calls: the server they go to, from url.template, server.address or the URL', () => {
    expect(
      operationOf(
        span('GET', {
          'http.request.method': 'GET',
          'url.template': '/users/{id}',
          'server.address': 'users',
        }),
      ),
    ).toBe('GET → /users/{id}');
    expect(
      operationOf(
        span('HTTP GET', {
          'http.request.method': 'GET',
          'server.address': '0.0.0.0',
          'server.port': 8083,
        }),
      ),
    ).toBe('HTTP GET → 0.0.0.0:8083');
    expect(
      operationOf(
        span('GET', { 'http.method': 'GET', 'http.url': 'https://api.stripe.com/v1/x?a=1' }),
      ),
    ).toBe('GET → api.stripe.com');
    expect(operationOf(span('GET', { 'http.method': 'GET', 'peer.service': 'stripe' }))).toBe(
      'GET → stripe',
    );
    expect(operationOf(span('GET', { 'http.method': 'GET', 'http.url': '/relative' }))).toBe('GET');
    // A server span is named after its route already.
    expect(
      operationOf(
        span('GET /users/:id', { 'http.request.method': 'GET', 'server.address': 'x' }, 'server'),
      ),
    ).toBe('GET /users/:id');
  });

  test('five GETs to five services are steps, not a repeated call; five to one are', () => {
    const get = (host: string) => ({
      name: 'GET',
      kind: 'client' as const,
      attributes: { 'http.request.method': 'GET', 'url.full': `http://${host}/api/x` },
    });
    const steps = under(
      ['auth', 'users', 'prices', 'stock', 'tax'].map((host, i) => ({
        id: (0x100 + i).toString(16),
        start: 10 + i * 5,
        end: 14 + i * 5,
        ...get(host),
      })),
    );
    expect(findRepeatedCalls(steps)).toEqual([]);
    const repeated = under(
      [1, 2, 3, 4, 5].map((n, i) => ({
        id: (0x100 + i).toString(16),
        start: 10 + i * 5,
        end: 14 + i * 5,
        ...get('users'),
        attributes: { 'http.request.method': 'GET', 'url.full': `http://users/api/users/${n}` },
      })),
    );
    expect(findRepeatedSerialCalls(repeated).map((g) => [g.name, g.operation, g.count])).toEqual([
      ['GET', 'GET → users', 5],
    ]);
  });

  test('a custom operation regroups the calls', () => {
    const trace = under([
      ...calls(3, { name: 'a', step: 5, length: 4 }),
      ...calls(3, { name: 'b', step: 5, length: 4, from: 20, id: 0x200 }),
    ]);
    expect(findRepeatedCalls(trace)).toEqual([]);
    const [group] = findRepeatedSerialCalls(trace, { operation: () => 'any' });
    expect(group).toMatchObject({ operation: 'any', name: 'any', count: 6 });
  });
});
