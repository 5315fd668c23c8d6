import { type Attributes, Span, type SpanInit, Trace } from '../../src/model';

/** Helpers to build small traces by hand: times in milliseconds from a fixed epoch. */
export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const EPOCH_NS = 1_767_225_600_000_000_000n;

export interface SpanSpec extends Partial<Omit<SpanInit, 'startTimeUnixNano' | 'endTimeUnixNano'>> {
  readonly id: string;
  readonly parent?: string;
  readonly service?: string;
  readonly start: number;
  readonly end: number;
}

export function span(spec: SpanSpec): Span {
  const { id, parent, service, start, end, ...rest } = spec;
  const resource =
    service === undefined ? undefined : { attributes: { 'service.name': service } as Attributes };
  return new Span({
    traceId: TRACE_ID,
    spanId: id.padStart(16, '0'),
    parentSpanId: parent?.padStart(16, '0'),
    name: `op-${id}`,
    startTimeUnixNano: EPOCH_NS + BigInt(Math.round(start * 1e6)),
    endTimeUnixNano: EPOCH_NS + BigInt(Math.round(end * 1e6)),
    ...(resource ? { resource } : {}),
    ...rest,
  });
}

/** The seed text's checkout, as DESIGN.md draws it. */
export function checkoutTrace(): Trace {
  return Trace.from([
    span({
      id: '1',
      name: 'POST /api/checkout',
      service: 'api-gateway',
      kind: 'server',
      start: 0,
      end: 352,
    }),
    span({
      id: '2',
      parent: '1',
      name: 'Order Service',
      service: 'order-service',
      kind: 'server',
      start: 1,
      end: 351,
    }),
    span({
      id: '3',
      parent: '2',
      name: 'Inventory Service',
      service: 'inventory-service',
      kind: 'server',
      start: 3,
      end: 48,
    }),
    span({
      id: '4',
      parent: '2',
      name: 'Payment Gateway API',
      service: 'order-service',
      kind: 'client',
      start: 50,
      end: 330,
      status: { code: 'error', message: 'card declined' },
    }),
    span({
      id: '5',
      parent: '2',
      name: 'Notification Service',
      service: 'order-service',
      kind: 'producer',
      start: 331,
      end: 356,
    }),
  ]);
}
