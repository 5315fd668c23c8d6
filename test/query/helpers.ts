import {
  type Attributes,
  Span,
  type SpanInit,
  type SpanKind,
  type StatusCode,
  Trace,
} from '../../src/model';

export const TRACE_ID = 'a'.repeat(32);

export interface SpanSpec {
  /** Short id; padded to 16 hex digits. */
  readonly id: string;
  readonly parent?: string;
  readonly name?: string;
  readonly service?: string;
  readonly kind?: SpanKind;
  readonly status?: StatusCode;
  readonly message?: string;
  readonly attributes?: Attributes;
  readonly resource?: Attributes;
  /** Milliseconds from the trace start; defaults keep siblings in declaration order. */
  readonly start?: number;
  readonly durationMs?: number;
}

/** Build one trace from short span descriptions. */
export function traceOf(specs: readonly SpanSpec[], traceId = TRACE_ID): Trace {
  return Trace.from(specs.map((s, i) => spanOf(s, i, traceId)));
}

export function spanOf(s: SpanSpec, order = 0, traceId = TRACE_ID): Span {
  const start = BigInt(Math.round((s.start ?? order) * 1e6));
  const duration = BigInt(Math.round((s.durationMs ?? 1) * 1e6));
  const init: SpanInit = {
    traceId,
    spanId: s.id.padStart(16, '0'),
    parentSpanId: s.parent?.padStart(16, '0'),
    name: s.name ?? `op-${s.id}`,
    kind: s.kind,
    resource: { attributes: { 'service.name': s.service ?? 'svc', ...s.resource } },
    attributes: s.attributes,
    startTimeUnixNano: 1_700_000_000_000_000_000n + start,
    endTimeUnixNano: 1_700_000_000_000_000_000n + start + duration,
    status: s.status ? { code: s.status, message: s.message ?? '' } : undefined,
  };
  return new Span(init);
}

/** Names of spans, for readable expectations. */
export const names = (spans: readonly Span[]): string[] => spans.map((s) => s.name);

/**
 * The checkout trace of the design document:
 *
 * ```
 * POST /api/checkout (352ms)          frontend, server
 * └── Order Service (350ms)           orders, internal
 *     ├── Inventory Service (45ms)    inventory, client, http
 *     │   └── SELECT stock (12ms)     inventory, client, postgresql
 *     ├── Payment Gateway API (280ms) payments, client, error: card declined
 *     │   ├── redis GET (2ms)         payments, client, redis
 *     │   └── charge card (250ms)     payments, internal, error
 *     └── Notification Service (25ms) notify, producer, kafka
 * ```
 */
export function checkoutTrace(): Trace {
  return traceOf([
    {
      id: '1',
      name: 'POST /api/checkout',
      service: 'frontend',
      kind: 'server',
      start: 0,
      durationMs: 352,
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
      service: 'orders',
      kind: 'internal',
      start: 1,
      durationMs: 350,
    },
    {
      id: '3',
      parent: '2',
      name: 'Inventory Service',
      service: 'inventory',
      kind: 'client',
      start: 2,
      durationMs: 45,
      attributes: {
        'http.request.method': 'GET',
        'url.full': 'http://inventory/stock',
        'retry.count': 2,
      },
    },
    {
      id: '4',
      parent: '3',
      name: 'SELECT stock',
      service: 'inventory',
      kind: 'client',
      start: 3,
      durationMs: 12,
      attributes: {
        'db.system.name': 'postgresql',
        'db.rows': 3,
        'db.query.text': 'SELECT * FROM stock',
      },
    },
    {
      id: '5',
      parent: '2',
      name: 'Payment Gateway API',
      service: 'payments',
      kind: 'client',
      status: 'error',
      message: 'card declined',
      start: 50,
      durationMs: 280,
      attributes: { 'http.request.method': 'POST', 'payment.amount': 12.5, 'payment.retries': 1n },
    },
    {
      id: '6',
      parent: '5',
      name: 'redis GET',
      service: 'payments',
      kind: 'client',
      start: 51,
      durationMs: 2,
      attributes: { 'db.system': 'redis', 'cache.hit': true },
    },
    {
      id: '7',
      parent: '5',
      name: 'charge card',
      service: 'payments',
      kind: 'internal',
      status: 'error',
      start: 55,
      durationMs: 250,
      attributes: { 'card.tags': ['visa', 'debit'] },
    },
    {
      id: '8',
      parent: '2',
      name: 'Notification Service',
      service: 'notify',
      kind: 'producer',
      status: 'ok',
      start: 330,
      durationMs: 25,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
    },
  ]);
}
