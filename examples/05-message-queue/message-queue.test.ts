import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { captureTraces, select, type Trace } from 'tracespec';
import { type Delivery, MemoryBroker } from './broker';
import { Inventory, ORDERS_QUEUE, OrderConsumer, OrderService } from './orders';

let broker: MemoryBroker;
let inventory: Inventory;
let unsubscribe: () => void;

function start(consumer = new OrderConsumer(inventory)) {
  unsubscribe = consumer.subscribeTo(broker);
  return new OrderService(broker);
}

beforeEach(() => {
  broker = new MemoryBroker();
  inventory = new Inventory({ 'sku-1': 10, 'sku-2': 5 });
});

afterEach(async () => {
  await broker.whenIdle();
  unsubscribe();
});

/** The traces of `publish`, with the consumer's work: the test waits for the broker to drain. */
function publishAndProcess(publish: () => Promise<unknown>): Promise<Trace[]> {
  return captureTraces(async () => {
    await publish();
    await broker.whenIdle();
  });
}

/** The trace rooted at a span named `root`: traces come earliest first, which ties can blur. */
function traceRootedAt(traces: Trace[], root: string): Trace {
  const found = traces.find((t) => t.root?.name === root);
  if (!found) throw new Error(`no trace with root "${root}" among ${traces.length}`);
  return found;
}

const SEND = '{ kind = producer && name = "send orders" }';
const PROCESS = '{ kind = consumer && name = "process orders" }';

describe('publish → process', () => {
  test('the consumer runs in a trace of its own, linked to the producer', async () => {
    const orders = start();

    const traces = await publishAndProcess(() =>
      orders.placeOrder({ orderId: 'o-1', sku: 'sku-1', quantity: 2 }),
    );

    // The request that queued the order, and the work done later: two traces.
    expect(traces).toHaveLength(2);
    const producer = traceRootedAt(traces, 'placeOrder');
    const consumer = traceRootedAt(traces, 'process orders');
    expect(producer).toMatchTraceTree(`
      placeOrder
      └── send orders
    `);
    expect(producer).toHaveAttributes(SEND, {
      'messaging.system': 'memq',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'messaging.message.id': 'msg-1',
    });
    expect(consumer).toMatchTraceTree(
      `
      process orders
      ├── deserialize order
      ├── reserve stock
      │   └── UPDATE inventory
      └── ack orders
    `,
      { strict: true, ordered: true },
    );
    expect(consumer).toHaveAttributes(PROCESS, {
      'messaging.operation.type': 'process',
      'messaging.message.id': 'msg-1',
    });
    expect(consumer).toHaveAttributes('{ name = "ack orders" }', {
      'messaging.operation.type': 'settle',
      'messaging.message.id': 'msg-1',
    });
    expect(traces).toHaveNoErrors();

    // The link: the consumer span points at the producer span, across traces.
    const [send] = select(producer, SEND);
    const process = consumer.root;
    expect(process?.traceId).not.toBe(producer.traceId);
    expect(process?.parentSpanId).toBeUndefined();
    expect(process?.links).toEqual([
      expect.objectContaining({ traceId: send?.traceId, spanId: send?.spanId }),
    ]);
    expect(inventory.available('sku-1')).toBe(8);
  });

  test('each message gets its own process span, linked to its own send', async () => {
    const orders = start();

    const traces = await publishAndProcess(async () => {
      await orders.placeOrder({ orderId: 'o-1', sku: 'sku-1', quantity: 1 });
      await orders.placeOrder({ orderId: 'o-2', sku: 'sku-2', quantity: 1 });
      await orders.placeOrder({ orderId: 'o-3', sku: 'sku-1', quantity: 1 });
    });

    expect(traces).toHaveLength(6);
    expect(traces).toHaveSpanCount(SEND, 3);
    expect(traces).toHaveSpanCount(PROCESS, 3);
    expect(traces).toHaveSpanCount('{ name = "process orders" } > { name = "ack orders" }', 3);
    expect(traces).toHaveSpanCount(
      '{ type = messaging && span.messaging.operation.type = "settle" }',
      3,
    );

    const sends = new Map(select(traces, SEND).map((s) => [s.spanId, s]));
    for (const process of select(traces, PROCESS)) {
      const [link] = process.links;
      const send = sends.get(link?.spanId ?? '');
      // Same message on both sides of the link.
      expect(send?.attributes['messaging.message.id']).toBe(
        process.attributes['messaging.message.id'],
      );
    }
  });

  test('a poison message is rejected, dead-lettered, and fails where it was read', async () => {
    start();

    // A producer outside this service wrote a truncated body.
    const traces = await publishAndProcess(() =>
      broker.publish(ORDERS_QUEUE, '{"orderId": "o-9", '),
    );

    const consumer = traceRootedAt(traces, 'process orders');
    expect(consumer).toMatchTraceTree(
      `
      process orders  ✗ error
      ├── deserialize order  ✗ error
      └── nack orders
    `,
      { strict: true, ordered: true },
    );
    expect(consumer).toHaveErrorOrigin('{ name = "deserialize order" }');
    expect(consumer).toHaveRecordedException('{ name = "deserialize order" }', {
      type: 'SyntaxError',
      message: /JSON/,
    });
    expect(consumer).toPropagateError({ from: '{ name = "deserialize order" }' });
    expect(consumer).toHaveAttributes('{ name = "nack orders" }', {
      'messaging.operation.type': 'settle',
      'messaging.memq.requeue': false,
    });
    expect(consumer).toHaveSpanCount('{ name = "ack orders" }', 0);
    expect(broker.deadLetters(ORDERS_QUEUE).map((m) => m.id)).toEqual(['msg-1']);
  });
});

describe('the same expectations catch a broken consumer', () => {
  /** Handles the message and forgets to acknowledge it: the broker would deliver it again. */
  class ForgetfulConsumer extends OrderConsumer {
    protected override async settle(_delivery: Delivery): Promise<void> {}
  }

  test('a consumer that never acks', async () => {
    const orders = start(new ForgetfulConsumer(inventory));

    const traces = await publishAndProcess(() =>
      orders.placeOrder({ orderId: 'o-1', sku: 'sku-1', quantity: 2 }),
    );

    const consumer = traceRootedAt(traces, 'process orders');
    expect(() => expect(consumer).toHaveSpan('{ name = "ack orders" }')).toThrow(
      /a span to match the selector[\s\S]*none of 4 spans matched/,
    );
    expect(() =>
      expect(consumer).toMatchTraceTree(`
        process orders
        ├── deserialize order
        ├── reserve stock
        └── ack orders
      `),
    ).toThrow(/no span named "ack orders" under "process orders"/);
    expect(broker.unsettled(ORDERS_QUEUE)).toHaveLength(1);
  });
});
