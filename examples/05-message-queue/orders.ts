import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Delivery, MemoryBroker } from './broker';

const tracer = trace.getTracer('example-orders');

export const ORDERS_QUEUE = 'orders';

export interface OrderPlaced {
  readonly orderId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** Producer side: the request handler that accepts an order and queues the event. */
export class OrderService {
  readonly #broker: MemoryBroker;

  constructor(broker: MemoryBroker) {
    this.#broker = broker;
  }

  placeOrder(order: OrderPlaced): Promise<string> {
    const attributes = {
      'code.function.name': 'OrderService.placeOrder',
      'order.id': order.orderId,
    };
    return tracer.startActiveSpan('placeOrder', { attributes }, async (span) => {
      try {
        return await this.#broker.publish(ORDERS_QUEUE, JSON.stringify(order));
      } finally {
        span.end();
      }
    });
  }
}

/** A stock store the consumer updates; the latency of a real database is simulated. */
export class Inventory {
  readonly #stock = new Map<string, number>();

  constructor(stock: Record<string, number>) {
    for (const [sku, count] of Object.entries(stock)) this.#stock.set(sku, count);
  }

  available(sku: string): number {
    return this.#stock.get(sku) ?? 0;
  }

  reserve(sku: string, quantity: number): Promise<void> {
    const attributes = {
      'db.system.name': 'postgresql',
      'db.operation.name': 'UPDATE',
      'db.collection.name': 'inventory',
    };
    return tracer.startActiveSpan(
      'UPDATE inventory',
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        this.#stock.set(sku, this.available(sku) - quantity);
        span.end();
      },
    );
  }
}

/** A message whose body is not an order: no retry will make it one. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/**
 * Consumer side: deserializes each `orders` message, reserves stock, and acknowledges.
 * A message that does not deserialize is rejected without requeueing (dead-lettered),
 * and the failure is recorded where it started: on the `deserialize order` span.
 */
export class OrderConsumer {
  readonly #inventory: Inventory;

  constructor(inventory: Inventory) {
    this.#inventory = inventory;
  }

  subscribeTo(broker: MemoryBroker): () => void {
    return broker.subscribe(ORDERS_QUEUE, (delivery) => this.handle(delivery));
  }

  async handle(delivery: Delivery): Promise<void> {
    let order: OrderPlaced;
    try {
      order = this.deserialize(delivery.body);
    } catch (error) {
      await delivery.nack({ requeue: false });
      throw new PoisonMessageError(`message ${delivery.id} is not an order`, { cause: error });
    }
    await this.reserveStock(order);
    await this.settle(delivery);
  }

  protected deserialize(body: string): OrderPlaced {
    return tracer.startActiveSpan('deserialize order', (span) => {
      try {
        const value = JSON.parse(body) as Partial<OrderPlaced>;
        if (typeof value.orderId !== 'string' || typeof value.sku !== 'string') {
          throw new TypeError('an order needs an orderId and a sku');
        }
        if (!Number.isInteger(value.quantity) || (value.quantity as number) < 1) {
          throw new TypeError('an order needs a positive whole quantity');
        }
        span.setAttribute('order.id', value.orderId);
        return value as OrderPlaced;
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        span.setAttribute('error.type', (error as Error).name);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  protected reserveStock(order: OrderPlaced): Promise<void> {
    const attributes = { 'order.id': order.orderId, 'product.sku': order.sku };
    return tracer.startActiveSpan('reserve stock', { attributes }, async (span) => {
      try {
        await this.#inventory.reserve(order.sku, order.quantity);
      } finally {
        span.end();
      }
    });
  }

  /** Acknowledges a handled message, so that the broker does not deliver it again. */
  protected async settle(delivery: Delivery): Promise<void> {
    await delivery.ack();
  }
}
