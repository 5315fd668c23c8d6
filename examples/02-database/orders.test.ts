/**
 * Database operations on a real SQLite engine: what each query span records, N+1 queries
 * caught by a span count, and a failed statement traced as an error with its exception.
 */

import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { Span } from '@opentelemetry/api';
import { captureTrace } from 'tracespec';
import { type SqliteError, TracedDatabase } from '../support/sqlite';
import { OrderRepository } from './order-repository';
import { type NewOrder, type Order, OrderService } from './order-service';
import { SHOP_SCHEMA } from './schema';

/** The broken variant of the loader: one query per order, the N+1. */
class NaiveOrderService extends OrderService {
  protected override linesFor(orderIds: readonly number[]) {
    return orderIds.flatMap((id) => this.repository.linesOf(id));
  }
}

/** The broken variant of the database client: records the exception, forgets the status. */
class StatusDroppingDatabase extends TracedDatabase {
  protected override recordFailure(span: Span, error: SqliteError): void {
    span.recordException(error);
  }
}

/** Order 2 exists already (see schema.ts): placing it again breaks the primary key. */
const DUPLICATE_ORDER: NewOrder = {
  id: 2,
  customerId: 'c-3',
  placedAt: '2026-04-01',
  lines: [{ sku: 'teapot', quantity: 1, priceCents: 3500 }],
};

let db: TracedDatabase;

beforeEach(async () => {
  // A fresh in-memory database per test: tests never see each other's writes.
  db = await TracedDatabase.open({ name: 'shop' });
  db.migrate(SHOP_SCHEMA);
});

afterEach(() => db.close());

describe('each query is a span', () => {
  test('with its text, parameters, returned rows and execution time', async () => {
    const orders = new OrderService(new OrderRepository(db));
    const trace = await captureTrace(() => orders.orderHistory('c-1'));

    expect(trace).toHaveAttributes('{ name = "SELECT orders" }', {
      'db.system.name': 'sqlite',
      'db.namespace': 'shop',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'orders',
      'db.query.text':
        'SELECT id, customer_id, placed_at FROM orders WHERE customer_id = $customer ORDER BY placed_at',
      'db.query.parameter.customer': 'c-1',
      'db.response.returned_rows': 3,
    });
    expect(trace).toHaveAttributes('{ name = "SELECT order_lines" }', {
      'db.query.text': expect.stringContaining('WHERE order_id IN ($order0, $order1, $order2)'),
      'db.query.parameter.order0': '1',
      'db.query.parameter.order2': '3',
      'db.response.returned_rows': 6,
    });
    // The execution time is the span's duration. In-memory SQLite answers in microseconds;
    // the budget leaves room for a loaded CI machine and still trips on the pathological
    // (a full scan of a big table, a lock wait).
    expect(trace).toHaveSpanWithin('{ type = database }', '1s');
  });

  test('under the operation that ran them, in order', async () => {
    const orders = new OrderService(new OrderRepository(db));
    const trace = await captureTrace(() => orders.orderHistory('c-1'));

    expect(trace).toMatchTraceTree(
      `
      Order History
      ├── SELECT orders
      └── SELECT order_lines
      `,
      { strict: true, ordered: true },
    );
    expect(trace).toHaveNoErrors();
  });
});

describe('N+1 queries', () => {
  test('the batched loader makes two queries, however many orders there are', async () => {
    const orders = new OrderService(new OrderRepository(db));
    let history: Order[] = [];
    const trace = await captureTrace(async () => {
      history = await orders.orderHistory('c-1');
    });

    expect(history.map((o) => [o.id, o.lines.length, o.totalCents])).toEqual([
      [1, 2, 2500],
      [2, 1, 900],
      [3, 3, 6850],
    ]);
    expect(trace).toHaveSpanCount('{ type = database }', { max: 2 });
  });

  test('the naive loader returns the same orders, and the span count catches its N+1', async () => {
    const batched = await new OrderService(new OrderRepository(db)).orderHistory('c-1');
    const naive = new NaiveOrderService(new OrderRepository(db));
    let history: Order[] = [];
    const trace = await captureTrace(async () => {
      history = await naive.orderHistory('c-1');
    });

    // Same answer: only the trace tells the two apart.
    expect(history).toEqual(batched);
    // One query for the orders, then one per order.
    expect(trace).toHaveSpanCount('{ name = "SELECT order_lines" }', 3);
    expect(() => expect(trace).toHaveSpanCount('{ type = database }', { max: 2 })).toThrow(
      /at most 2 spans[\s\S]*4 spans:[\s\S]*3 × "SELECT order_lines"/,
    );
  });
});

describe('a failing query', () => {
  test('is an error span with the exception, and the failure reaches the operation', async () => {
    const orders = new OrderService(new OrderRepository(db));
    const trace = await captureTrace(() =>
      expect(orders.placeOrder(DUPLICATE_ORDER)).rejects.toThrow(
        'UNIQUE constraint failed: orders.id',
      ),
    );

    expect(trace).toHaveRecordedException('{ name = "INSERT orders" }', {
      type: 'SqliteError',
      message: 'UNIQUE constraint failed: orders.id',
    });
    expect(trace).toHaveAttributes('{ name = "INSERT orders" }', {
      'error.type': 'SqliteError',
      'db.query.parameter.id': '2',
    });
    expect(trace).toHaveErrorOrigin('{ name = "INSERT orders" }');
    expect(trace).toPropagateError({
      from: '{ name = "INSERT orders" }',
      to: '{ name = "Place Order" }',
    });
    // The lines were never written.
    expect(trace).not.toHaveSpan('{ name = "INSERT order_lines" }');
  });

  test('a client that drops the error status fails the propagation check', async () => {
    const broken = await StatusDroppingDatabase.open({ name: 'shop' });
    try {
      broken.migrate(SHOP_SCHEMA);
      const orders = new OrderService(new OrderRepository(broken));
      const trace = await captureTrace(() =>
        expect(orders.placeOrder(DUPLICATE_ORDER)).rejects.toThrow('UNIQUE constraint failed'),
      );

      expect(() =>
        expect(trace).toPropagateError({
          from: '{ name = "INSERT orders" }',
          to: '{ name = "Place Order" }',
        }),
      ).toThrow(/"INSERT orders" \[[^\]]*\] itself does not have ERROR status/);
      // The exception without a status still counts as a failure for toHaveNoErrors.
      expect(() => expect(trace).toHaveNoErrors()).toThrow(
        /"INSERT orders" \[[^\]]*\]: recorded an exception \(.*UNIQUE constraint failed.*\) but left its status unset/,
      );
    } finally {
      broken.close();
    }
  });
});
