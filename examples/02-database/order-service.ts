/**
 * The business operations over the repository, each one span: the order history of a
 * customer (orders with their lines) and placing an order.
 */

import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { LineRow, OrderRepository } from './order-repository';

const tracer = trace.getTracer('shop/orders', '1.0.0');

export interface Order {
  readonly id: number;
  readonly placedAt: string;
  readonly lines: readonly { sku: string; quantity: number; priceCents: number }[];
  readonly totalCents: number;
}

export interface NewOrder {
  readonly id: number;
  readonly customerId: string;
  readonly placedAt: string;
  readonly lines: readonly { sku: string; quantity: number; priceCents: number }[];
}

export class OrderService {
  constructor(protected readonly repository: OrderRepository) {}

  /** Every order of the customer with its lines: two queries whatever the number of orders. */
  async orderHistory(customerId: string): Promise<Order[]> {
    return tracer.startActiveSpan('Order History', async (span) => {
      try {
        span.setAttribute('app.customer.id', customerId);
        const orders = await this.repository.ordersOf(customerId);
        const lines = await this.linesFor(orders.map((o) => o.id));
        span.setAttribute('app.order.count', orders.length);
        return orders.map((o) => {
          const own = lines
            .filter((l) => l.order_id === o.id)
            .map((l) => ({ sku: l.sku, quantity: l.quantity, priceCents: l.price_cents }));
          return {
            id: o.id,
            placedAt: o.placed_at,
            lines: own,
            totalCents: own.reduce((sum, l) => sum + l.quantity * l.priceCents, 0),
          };
        });
      } finally {
        span.end();
      }
    });
  }

  /** The lines of these orders, in one query. */
  protected linesFor(orderIds: readonly number[]): Promise<LineRow[]> {
    return this.repository.linesOfMany(orderIds);
  }

  /**
   * Store a new order and its lines. A failed statement fails the operation: the span
   * records ERROR status and the error goes to the caller.
   */
  async placeOrder(order: NewOrder): Promise<void> {
    return tracer.startActiveSpan('Place Order', async (span) => {
      try {
        span.setAttributes({ 'app.order.id': order.id, 'app.customer.id': order.customerId });
        await this.repository.insertOrder(order);
        for (const line of order.lines) await this.repository.insertLine(order.id, line);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'order not stored' });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}
