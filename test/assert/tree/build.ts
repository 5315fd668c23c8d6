import type { Span, Trace } from '../../../src/model';
import { traceOf as build, type SpanSpec, spanOf, TRACE_ID } from '../../helpers/traces';

/** Small traces by hand for the tree tests: spans are `internal` unless a spec says not. */
export { type SpanSpec, TRACE_ID };

export function span(spec: SpanSpec, traceId = TRACE_ID): Span {
  return spanOf(spec, traceId, { kind: 'internal' });
}

export function traceOf(specs: readonly SpanSpec[], traceId = TRACE_ID): Trace {
  return build(specs, traceId, { kind: 'internal' });
}

/**
 * The checkout of DESIGN.md, with a little more below it:
 *
 * ```
 * POST /api/checkout [api-gateway] (352ms)
 * └── Order Service [order-service] (350ms)
 *     ├── Inventory Service [inventory-service] (45ms)
 *     │   └── SELECT stock (12ms)
 *     ├── Payment Gateway API (280ms)  ✗ error: card declined
 *     │   ├── redis GET [payments] (2ms)
 *     │   └── charge card [payments] (250ms)
 *     └── Notification Service (25ms)
 * ```
 */
export function checkoutTrace(overrides: { payment?: number; traceId?: string } = {}): Trace {
  const payment = overrides.payment ?? 280;
  return traceOf(
    [
      {
        id: '1',
        name: 'POST /api/checkout',
        service: 'api-gateway',
        kind: 'server',
        start: 0,
        end: 352,
      },
      {
        id: '2',
        parent: '1',
        name: 'Order Service',
        service: 'order-service',
        kind: 'server',
        start: 1,
        end: 351,
      },
      {
        id: '3',
        parent: '2',
        name: 'Inventory Service',
        service: 'inventory-service',
        kind: 'server',
        start: 3,
        end: 48,
      },
      {
        id: '4',
        parent: '3',
        name: 'SELECT stock',
        service: 'inventory-service',
        kind: 'client',
        start: 10,
        end: 22,
      },
      {
        id: '5',
        parent: '2',
        name: 'Payment Gateway API',
        service: 'order-service',
        kind: 'client',
        start: 50,
        end: 50 + payment,
        error: 'card declined',
      },
      {
        id: '6',
        parent: '5',
        name: 'redis GET',
        service: 'payments',
        kind: 'client',
        start: 52,
        end: 54,
      },
      { id: '7', parent: '5', name: 'charge card', service: 'payments', start: 60, end: 310 },
      {
        id: '8',
        parent: '2',
        name: 'Notification Service',
        service: 'order-service',
        kind: 'producer',
        start: 331,
        end: 356,
      },
    ],
    overrides.traceId,
  );
}
