/**
 * The repository: one method per query, SQL kept here. Nothing in it is about tracing: the
 * `pg` instrumentation makes each statement a database span with its text and database.
 */

import type { Pool } from 'pg';

export type OrderRow = { id: number; customer_id: string; placed_at: string };
export type LineRow = { order_id: number; sku: string; quantity: number; price_cents: number };

export class OrderRepository {
  constructor(private readonly pool: Pool) {}

  async ordersOf(customerId: string): Promise<OrderRow[]> {
    const result = await this.pool.query<OrderRow>(
      "SELECT id, customer_id, to_char(placed_at, 'YYYY-MM-DD') AS placed_at FROM orders WHERE customer_id = $1 ORDER BY placed_at",
      [customerId],
    );
    return result.rows;
  }

  /** The lines of one order. Called once per order, this is the N+1 query. */
  async linesOf(orderId: number): Promise<LineRow[]> {
    const result = await this.pool.query<LineRow>(
      'SELECT order_id, sku, quantity, price_cents FROM order_lines WHERE order_id = $1',
      [orderId],
    );
    return result.rows;
  }

  /** The lines of many orders in one query. */
  async linesOfMany(orderIds: readonly number[]): Promise<LineRow[]> {
    if (orderIds.length === 0) return [];
    const result = await this.pool.query<LineRow>(
      'SELECT order_id, sku, quantity, price_cents FROM order_lines WHERE order_id = ANY($1)',
      [orderIds],
    );
    return result.rows;
  }

  async insertOrder(order: { id: number; customerId: string; placedAt: string }): Promise<void> {
    await this.pool.query('INSERT INTO orders (id, customer_id, placed_at) VALUES ($1, $2, $3)', [
      order.id,
      order.customerId,
      order.placedAt,
    ]);
  }

  async insertLine(
    orderId: number,
    line: { sku: string; quantity: number; priceCents: number },
  ): Promise<void> {
    await this.pool.query(
      'INSERT INTO order_lines (order_id, sku, quantity, price_cents) VALUES ($1, $2, $3, $4)',
      [orderId, line.sku, line.quantity, line.priceCents],
    );
  }
}
