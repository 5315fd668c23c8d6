import {
  context,
  type Link,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

const tracer = trace.getTracer('example-memq');

/** `messaging.system` of this broker (the conventions allow a custom value). */
export const MESSAGING_SYSTEM = 'memq';

export interface Message {
  readonly id: string;
  readonly queue: string;
  readonly body: string;
  /** Carries the producer's trace context (`traceparent`), as a message header does. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A message handed to a consumer; it must be settled: acknowledged or rejected. */
export interface Delivery extends Message {
  ack(): Promise<void>;
  /** Rejects the message: back on the queue with `requeue`, else to the dead-letter list. */
  nack(options: { requeue: boolean }): Promise<void>;
}

export type Handler = (delivery: Delivery) => Promise<void>;

/**
 * A small in-process message broker with the spans a messaging instrumentation records:
 *
 * - `send <queue>` (producer) when a message is published; its context travels in the
 *   message headers;
 * - `process <queue>` (consumer) around the handler, in a trace of its own, linked to the
 *   producer's span (the conventions' choice for work that runs later than, and
 *   independently of, the request that queued it);
 * - `ack <queue>` / `nack <queue>` (settle) when the handler settles the message.
 *
 * Delivery is asynchronous, one message at a time per queue. `whenIdle()` resolves once
 * every published message has been handled, for tests and graceful shutdown.
 */
export class MemoryBroker {
  readonly #queues = new Map<string, Message[]>();
  readonly #handlers = new Map<string, Handler>();
  readonly #deadLetters = new Map<string, Message[]>();
  readonly #unsettled = new Set<Message>();
  readonly #busy = new Set<string>();
  #idleWaiters: (() => void)[] = [];
  #nextId = 1;

  publish(queue: string, body: string): Promise<string> {
    const id = `msg-${this.#nextId++}`;
    const attributes = {
      'messaging.system': MESSAGING_SYSTEM,
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': queue,
      'messaging.message.id': id,
      'messaging.message.body.size': Buffer.byteLength(body),
    };
    return tracer.startActiveSpan(
      `send ${queue}`,
      { kind: SpanKind.PRODUCER, attributes },
      async (span) => {
        const headers: Record<string, string> = {};
        propagation.inject(context.active(), headers);
        this.#enqueue({ id, queue, body, headers });
        span.end();
        return id;
      },
    );
  }

  subscribe(queue: string, handler: Handler): () => void {
    if (this.#handlers.has(queue)) throw new Error(`queue ${queue} already has a consumer`);
    this.#handlers.set(queue, handler);
    this.#schedule(queue);
    return () => {
      this.#handlers.delete(queue);
    };
  }

  /** Resolves when no message is waiting for, or being handled by, a subscribed consumer. */
  whenIdle(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Messages a consumer rejected without requeueing. */
  deadLetters(queue: string): readonly Message[] {
    return this.#deadLetters.get(queue) ?? [];
  }

  /** Messages delivered but neither acknowledged nor rejected. */
  unsettled(queue: string): readonly Message[] {
    return [...this.#unsettled].filter((m) => m.queue === queue);
  }

  #enqueue(message: Message): void {
    const messages = this.#queues.get(message.queue) ?? [];
    messages.push(message);
    this.#queues.set(message.queue, messages);
    this.#schedule(message.queue);
  }

  #schedule(queue: string): void {
    if (this.#busy.has(queue) || !this.#handlers.has(queue)) return;
    if ((this.#queues.get(queue)?.length ?? 0) === 0) return;
    this.#busy.add(queue);
    // Delivery does not run in the publisher's context: a real broker delivers from its
    // own connection, long after the request that published has finished.
    context.with(ROOT_CONTEXT, () => setImmediate(() => void this.#drain(queue)));
  }

  async #drain(queue: string): Promise<void> {
    for (;;) {
      const handler = this.#handlers.get(queue);
      const message = this.#queues.get(queue)?.shift();
      if (!handler || !message) break;
      await this.#deliver(message, handler);
    }
    this.#busy.delete(queue);
    if (this.#idle()) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  #deliver(message: Message, handler: Handler): Promise<void> {
    const producer = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, message.headers));
    const links: Link[] = producer ? [{ context: producer }] : [];
    const attributes = {
      'messaging.system': MESSAGING_SYSTEM,
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': message.queue,
      'messaging.message.id': message.id,
      'messaging.message.body.size': Buffer.byteLength(message.body),
    };
    return tracer.startActiveSpan(
      `process ${message.queue}`,
      { kind: SpanKind.CONSUMER, attributes, links, root: true },
      async (span) => {
        this.#unsettled.add(message);
        try {
          await handler(this.#delivery(message));
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          span.setAttribute('error.type', (error as Error).name);
        } finally {
          span.end();
        }
      },
    );
  }

  #delivery(message: Message): Delivery {
    const settle = (operation: 'ack' | 'nack', requeue: boolean) =>
      tracer.startActiveSpan(
        `${operation} ${message.queue}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'messaging.system': MESSAGING_SYSTEM,
            'messaging.operation.type': 'settle',
            'messaging.operation.name': operation,
            'messaging.destination.name': message.queue,
            'messaging.message.id': message.id,
            ...(operation === 'nack' ? { 'messaging.memq.requeue': requeue } : {}),
          },
        },
        async (span) => {
          if (!this.#unsettled.delete(message)) {
            span.end();
            throw new Error(`message ${message.id} was already settled`);
          }
          if (operation === 'nack') {
            if (requeue) this.#enqueue(message);
            else {
              const dead = this.#deadLetters.get(message.queue) ?? [];
              dead.push(message);
              this.#deadLetters.set(message.queue, dead);
            }
          }
          span.end();
        },
      );
    return {
      ...message,
      ack: () => settle('ack', false),
      nack: ({ requeue }) => settle('nack', requeue),
    };
  }

  #idle(): boolean {
    for (const [queue, messages] of this.#queues) {
      if (messages.length > 0 && this.#handlers.has(queue)) return false;
    }
    return this.#busy.size === 0;
  }
}
