/**
 * Builders for constructed OTLP/JSON inputs in tests: a valid request by default, with
 * any part overridden, so that each test shows only what it is about.
 */

export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
export const ROOT_ID = 'b7ad6b7169203331';
export const CHILD_ID = '00f067aa0ba902b7';

export type Json = Record<string, unknown>;

export function span(overrides: Json = {}): Json {
  return {
    traceId: TRACE_ID,
    spanId: ROOT_ID,
    name: 'GET /api/orders',
    kind: 2,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000000250000000',
    ...overrides,
  };
}

export function child(overrides: Json = {}): Json {
  return span({
    spanId: CHILD_ID,
    parentSpanId: ROOT_ID,
    name: 'SELECT orders',
    kind: 3,
    startTimeUnixNano: '1700000000010000000',
    endTimeUnixNano: '1700000000200000000',
    ...overrides,
  });
}

export function request(spans: Json[], service = 'checkout'): Json {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'test-scope', version: '1.2.3' }, spans }],
      },
    ],
  };
}

/** One JSON Lines record. */
export function line(spans: Json[], service?: string): string {
  return JSON.stringify(request(spans, service));
}
