import type { Span, Trace } from '../../src/model';
import { type SpanSpec, traceOf } from '../helpers/traces';

export { type SpanSpec, spanOf, TRACE_ID, traceOf } from '../helpers/traces';

/** Span names, for readable expectations. */
export const names = (spans: readonly { name: string }[]): string[] => spans.map((s) => s.name);

/** The span of `trace` with this name (the first one). */
export function spanNamed(trace: Trace, name: string): Span {
  const span = trace.spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span named ${name}`);
  return span;
}

/**
 * The seed text's checkout, as DESIGN.md draws it, with a database call under inventory:
 *
 * ```
 * POST /api/checkout [api-gateway] (352ms)
 * └── Order Service [order-service] (350ms)
 *     ├── Inventory Service [inventory-service] (45ms)
 *     │   └── SELECT stock (12ms)
 *     ├── Payment Gateway API (280ms)  ✗ error: card declined
 *     └── Notification Service (25ms)
 * ```
 */
export function checkoutTrace(): Trace {
  return traceOf([
    {
      id: '1',
      name: 'POST /api/checkout',
      service: 'api-gateway',
      kind: 'server',
      start: 0,
      end: 352,
      attributes: {
        'http.request.method': 'POST',
        'http.route': '/api/checkout',
        'http.response.status_code': 200,
      },
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
      attributes: {
        'db.system.name': 'postgresql',
        'db.query.text': 'SELECT * FROM stock WHERE sku = $1',
      },
    },
    {
      id: '5',
      parent: '2',
      name: 'Payment Gateway API',
      service: 'order-service',
      kind: 'client',
      start: 50,
      end: 330,
      status: 'error',
      message: 'card declined',
      attributes: {
        'http.request.method': 'POST',
        'http.response.status_code': 402,
        'peer.service': 'stripe',
      },
      exceptions: [{ type: 'CardError', message: 'card declined: insufficient funds' }],
    },
    {
      id: '6',
      parent: '2',
      name: 'Notification Service',
      service: 'order-service',
      kind: 'producer',
      start: 331,
      end: 356,
    },
  ]);
}

/** A trace with an N+1: one SELECT per order line, one after another. */
export function nPlusOneTrace(lines = 12): Trace {
  const specs: SpanSpec[] = [
    {
      id: '1',
      name: 'GET /orders/42',
      service: 'orders',
      kind: 'server',
      start: 0,
      end: 10 + lines * 5,
    },
    {
      id: '2',
      parent: '1',
      name: 'SELECT orders',
      service: 'orders',
      kind: 'client',
      start: 1,
      end: 4,
      attributes: { 'db.system.name': 'postgresql' },
    },
  ];
  for (let i = 0; i < lines; i++) {
    specs.push({
      id: (16 + i).toString(16),
      parent: '1',
      name: 'SELECT order_lines',
      service: 'orders',
      kind: 'client',
      start: 5 + i * 5,
      end: 9 + i * 5,
      attributes: {
        'db.system.name': 'postgresql',
        'db.query.text': 'SELECT * FROM order_lines WHERE id = $1',
      },
    });
  }
  return traceOf(specs);
}
