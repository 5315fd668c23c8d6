/**
 * The repository: one method per query, SQL kept here. Every statement goes through the
 * traced client (`../support/sqlite`), which makes each one a database span with its text,
 * parameters, execution time and returned rows.
 */

import type { TracedDatabase } from '../support/sqlite';

export type OrderRow = { id: number; customer_id: string; placed_at: string };
export type LineRow = { order_id: number; sku: string; quantity: number; price_cents: number };

export class OrderRepository {
  constructor(private readonly db: TracedDatabase) {}

  ordersOf(customerId: string): OrderRow[] {
    return this.db.query<OrderRow>(
      'SELECT id, customer_id, placed_at FROM orders WHERE customer_id = $customer ORDER BY placed_at',
      { customer: customerId },
    );
  }

  /** The lines of one order. Called once per order, this is the N+1 query. */
  linesOf(orderId: number): LineRow[] {
    return this.db.query<LineRow>(
      'SELECT order_id, sku, quantity, price_cents FROM order_lines WHERE order_id = $order',
      { order: orderId },
    );
  }

  /** The lines of many orders in one query. */
  linesOfMany(orderIds: readonly number[]): LineRow[] {
    if (orderIds.length === 0) return [];
    const params = Object.fromEntries(orderIds.map((id, i) => [`order${i}`, id]));
    const placeholders = Object.keys(params)
      .map((name) => `$${name}`)
      .join(', ');
    return this.db.query<LineRow>(
      `SELECT order_id, sku, quantity, price_cents FROM order_lines WHERE order_id IN (${placeholders})`,
      params,
    );
  }

  insertOrder(order: { id: number; customerId: string; placedAt: string }): void {
    this.db.execute(
      'INSERT INTO orders (id, customer_id, placed_at) VALUES ($id, $customer, $placed)',
      {
        id: order.id,
        customer: order.customerId,
        placed: order.placedAt,
      },
    );
  }

  insertLine(orderId: number, line: { sku: string; quantity: number; priceCents: number }): void {
    this.db.execute(
      'INSERT INTO order_lines (order_id, sku, quantity, price_cents) VALUES ($order, $sku, $quantity, $price)',
      { order: orderId, sku: line.sku, quantity: line.quantity, price: line.priceCents },
    );
  }
}
