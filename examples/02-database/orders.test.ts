/**
 * Database operations on a real PostgreSQL server through `pg`, traced by the real
 * `@opentelemetry/instrumentation-pg`: what each query span records, N+1 queries caught by
 * a span count, and a failed statement traced as an error up to the business operation.
 */

import './instrument';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { trace as otel } from '@opentelemetry/api';
import { Pool } from 'pg';
import { captureTrace } from 'tracespec';
import { type PostgresServer, startPostgres } from '../../test/helpers/postgres';
import { OrderRepository } from './order-repository';
import { type NewOrder, type Order, OrderService } from './order-service';
import { SHOP_SCHEMA } from './schema';

/** The broken variant of the loader: one query per order, the N+1. */
class NaiveOrderService extends OrderService {
  protected override async linesFor(orderIds: readonly number[]) {
    const perOrder = [];
    for (const id of orderIds) perOrder.push(await this.repository.linesOf(id));
    return perOrder.flat();
  }
}

/** The broken variant of the operation: a failed order is swallowed, its span left unmarked. */
class ForgivingOrderService extends OrderService {
  override async placeOrder(order: NewOrder): Promise<void> {
    return otel.getTracer('shop/orders').startActiveSpan('Place Order', async (span) => {
      try {
        await this.repository.insertOrder(order);
      } catch {
        // "already placed": ignored
      } finally {
        span.end();
      }
    });
  }
}

/** Order 2 exists already (see schema.ts): placing it again breaks the primary key. */
const DUPLICATE_ORDER: NewOrder = {
  id: 2,
  customerId: 'c-3',
  placedAt: '2026-04-01',
  lines: [{ sku: 'teapot', quantity: 1, priceCents: 3500 }],
};

const SELECT_ORDERS = '{ span.db.query.text =~ "SELECT .* FROM orders .*" }';
const SELECT_LINES = '{ span.db.query.text =~ "SELECT .* FROM order_lines .*" }';
const INSERT_ORDER = '{ span.db.query.text =~ "INSERT INTO orders .*" }';

// Here a throwaway server per test file (Debian's postgresql on 127.0.0.1); in your project,
// the database your tests already use.
let server: PostgresServer;
let pool: Pool;

beforeAll(async () => {
  server = await startPostgres({ database: 'shop' });
}, 60_000);

afterAll(() => server?.stop());

beforeEach(async () => {
  // Fresh tables per test: tests never see each other's writes.
  pool = new Pool({ connectionString: server.connectionString });
  await pool.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public; ${SHOP_SCHEMA}`);
});

afterEach(() => pool.end());

describe('each query is a span', () => {
  test('with its text, parameters, database and execution time', async () => {
    const orders = new OrderService(new OrderRepository(pool));
    const trace = await captureTrace(() => orders.orderHistory('c-1'));

    expect(trace).toHaveAttributes(SELECT_ORDERS, {
      'db.system.name': 'postgresql',
      'db.namespace': 'shop',
      'db.query.text': expect.stringContaining('FROM orders WHERE customer_id = $1'),
      'db.postgresql.values': ['c-1'],
      'server.address': '127.0.0.1',
      'server.port': server.port,
    });
    expect(trace).toHaveAttributes(SELECT_LINES, {
      'db.query.text': expect.stringContaining('WHERE order_id = ANY($1)'),
      'db.postgresql.values': ['[1,2,3]'],
    });
    // The execution time is the span's duration. A local server answers in milliseconds;
    // the budget leaves room for a loaded CI machine and still trips on the pathological
    // (a full scan of a big table, a lock wait).
    expect(trace).toHaveSpanWithin('{ type = database }', '1s');
  });

  test('under the operation that ran them, in order', async () => {
    const orders = new OrderService(new OrderRepository(pool));
    const trace = await captureTrace(() => orders.orderHistory('c-1'));

    expect(trace).toMatchTraceTree(
      `
      Order History
      ├── pg.query:SELECT shop
      └── pg.query:SELECT shop
      `,
      { strict: true, ordered: true },
    );
    expect(trace).toHaveSpansInOrder([SELECT_ORDERS, SELECT_LINES]);
    expect(trace).toHaveNoErrors();
  });
});

describe('N+1 queries', () => {
  test('the batched loader makes two queries, however many orders there are', async () => {
    const orders = new OrderService(new OrderRepository(pool));
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
    const batched = await new OrderService(new OrderRepository(pool)).orderHistory('c-1');
    const naive = new NaiveOrderService(new OrderRepository(pool));
    let history: Order[] = [];
    const trace = await captureTrace(async () => {
      history = await naive.orderHistory('c-1');
    });

    // Same answer: only the trace tells the two apart.
    expect(history).toEqual(batched);
    // One query for the orders, then one per order.
    expect(trace).toHaveSpanCount(SELECT_LINES, 3);
    expect(() => expect(trace).toHaveSpanCount('{ type = database }', { max: 2 })).toThrow(
      /at most 2 spans[\s\S]*4 spans:[\s\S]*4 × "pg.query:SELECT shop"/,
    );
  });
});

describe('a failing query', () => {
  test('is an error span with the exception, and the failure reaches the operation', async () => {
    const orders = new OrderService(new OrderRepository(pool));
    const trace = await captureTrace(() =>
      expect(orders.placeOrder(DUPLICATE_ORDER)).rejects.toThrow(
        'duplicate key value violates unique constraint "orders_pkey"',
      ),
    );

    // The instrumentation records the SQLSTATE (23505, unique_violation), not the server's
    // message, which can hold the row's data.
    expect(trace).toHaveRecordedException(INSERT_ORDER, { message: /code: 23505/ });
    expect(trace).toHaveAttributes(INSERT_ORDER, {
      'db.postgresql.values': ['2', 'c-3', '2026-04-01'],
    });
    expect(trace).toHaveErrorOrigin(INSERT_ORDER);
    expect(trace).toPropagateError({ from: INSERT_ORDER, to: '{ name = "Place Order" }' });
    // The lines were never written.
    expect(trace).not.toHaveSpan('{ span.db.query.text =~ "INSERT INTO order_lines .*" }');
  });

  test('a service that swallows the failure fails the propagation check', async () => {
    const orders = new ForgivingOrderService(new OrderRepository(pool));
    const trace = await captureTrace(() => orders.placeOrder(DUPLICATE_ORDER));

    expect(trace).toHaveErrorOrigin(INSERT_ORDER);
    expect(() =>
      expect(trace).toPropagateError({ from: INSERT_ORDER, to: '{ name = "Place Order" }' }),
    ).toThrow(/"Place Order" \[[^\]]*\] handled it: its status is UNSET/);
  });
});
