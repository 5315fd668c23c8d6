/**
 * SDK spans to model spans: exact times, the API's enums, every attribute value shape, and
 * the field names of older SDKs.
 */

import { describe, expect, test } from '@jest/globals';
import {
  attributeValueOf,
  hrTimeToNanos,
  SpanConverter,
  spanKindOf,
  statusOf,
} from '../../src/capture/convert';
import type { ReadableSpanLike } from '../../src/capture/otel-types';

function sdkSpan(overrides: Partial<ReadableSpanLike> = {}): ReadableSpanLike {
  return {
    name: 'GET /orders',
    kind: 1,
    spanContext: () => ({
      traceId: '0AF7651916CD43DD8448EB211C80319C',
      spanId: 'B7AD6B7169203331',
    }),
    parentSpanContext: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: '00F067AA0BA902B7' },
    startTime: [1_795_619_347, 692_000_001],
    endTime: [1_795_619_348, 1],
    status: { code: 2, message: 'boom' },
    attributes: { 'http.request.method': 'GET' },
    links: [],
    events: [],
    resource: { attributes: { 'service.name': 'orders' } },
    instrumentationScope: { name: '@opentelemetry/instrumentation-http', version: '0.223.0' },
    ...overrides,
  };
}

describe('hrTimeToNanos', () => {
  test('is exact where a double would round', () => {
    expect(hrTimeToNanos([1_795_619_347, 692_000_001])).toBe(1_795_619_347_692_000_001n);
    expect(hrTimeToNanos([0, 999_999_999])).toBe(999_999_999n);
    // 2^53 ns is 104 days; this is 2262, still exact.
    expect(hrTimeToNanos([9_223_372_036, 854_775_807])).toBe(9_223_372_036_854_775_807n);
  });

  test('reads a bare number as milliseconds, and nonsense as zero', () => {
    expect(hrTimeToNanos(1.5)).toBe(1_500_000n);
    expect(hrTimeToNanos(undefined)).toBe(0n);
    expect(hrTimeToNanos(Number.NaN)).toBe(0n);
  });
});

test('kinds and status codes follow the API enums, not OTLP’s', () => {
  expect([0, 1, 2, 3, 4, 5, -1].map(spanKindOf)).toEqual([
    'internal',
    'server',
    'client',
    'producer',
    'consumer',
    'unspecified',
    'unspecified',
  ]);
  expect(statusOf({ code: 0 })).toEqual({ code: 'unset', message: '' });
  expect(statusOf({ code: 1 })).toEqual({ code: 'ok', message: '' });
  expect(statusOf({ code: 2, message: 'card declined' })).toEqual({
    code: 'error',
    message: 'card declined',
  });
  expect(statusOf(undefined)).toEqual({ code: 'unset', message: '' });
});

test('attribute values keep their type; unrepresentable ones are dropped', () => {
  const bytes = new Uint8Array([1, 2]);
  expect(attributeValueOf('s')).toBe('s');
  expect(attributeValueOf(1.5)).toBe(1.5);
  expect(attributeValueOf(false)).toBe(false);
  expect(attributeValueOf(2n ** 63n)).toBe(2n ** 63n);
  expect(attributeValueOf(bytes)).toBe(bytes);
  expect(attributeValueOf(['a', null, undefined, 'b'])).toEqual(['a', null, null, 'b']);
  expect(attributeValueOf({ user: { id: 7, roles: ['admin'] } })).toEqual({
    user: { id: 7, roles: ['admin'] },
  });
  expect(attributeValueOf(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
  expect(attributeValueOf(() => 1)).toBeUndefined();
  expect(attributeValueOf(Symbol('x'))).toBeUndefined();
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  expect(() => attributeValueOf(cyclic)).not.toThrow();
});

describe('SpanConverter', () => {
  test('converts a 2.x/3.x span: ids lowercased, parent from parentSpanContext', () => {
    const span = new SpanConverter().convert(
      sdkSpan({
        attributes: { 'http.request.method': 'GET', dropped: undefined, fn: () => 1 },
        events: [{ name: 'retry', time: [1_795_619_347, 700_000_000], attributes: { n: 1 } }],
        links: [
          {
            context: { traceId: 'AA'.repeat(16), spanId: 'BB'.repeat(8) },
            attributes: { why: 'batch' },
          },
        ],
      }),
    );
    expect(span).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      parentSpanId: '00f067aa0ba902b7',
      name: 'GET /orders',
      kind: 'server',
      service: 'orders',
      scope: { name: '@opentelemetry/instrumentation-http', version: '0.223.0' },
      attributes: { 'http.request.method': 'GET' },
      startTimeUnixNano: 1_795_619_347_692_000_001n,
      endTimeUnixNano: 1_795_619_348_000_000_001n,
      durationNs: 308_000_000,
      status: { code: 'error', message: 'boom' },
      events: [{ name: 'retry', timeUnixNano: 1_795_619_347_700_000_000n, attributes: { n: 1 } }],
      links: [{ traceId: 'aa'.repeat(16), spanId: 'bb'.repeat(8), attributes: { why: 'batch' } }],
    });
    expect(Object.keys(span.attributes)).toEqual(['http.request.method']);
  });

  test('accepts the 1.x field names: parentSpanId, instrumentationLibrary', () => {
    const span = new SpanConverter().convert(
      sdkSpan({
        parentSpanContext: undefined,
        parentSpanId: 'ABCDEF0123456789',
        instrumentationScope: undefined,
        instrumentationLibrary: { name: 'legacy', version: '1.0.0' },
      }),
    );
    expect(span.parentSpanId).toBe('abcdef0123456789');
    expect(span.scope).toEqual({ name: 'legacy', version: '1.0.0' });
  });

  test('a root has no parent; a span with no resource is unknown_service', () => {
    const span = new SpanConverter().convert(
      sdkSpan({
        parentSpanContext: undefined,
        resource: undefined,
        instrumentationScope: undefined,
      }),
    );
    expect(span.parentSpanId).toBeUndefined();
    expect(span.service).toBe('unknown_service');
    expect(span.scope).toEqual({ name: '', version: undefined });
  });

  test('shares one converted resource and scope across spans', () => {
    const converter = new SpanConverter();
    const resource = { attributes: { 'service.name': 'orders' } };
    const a = converter.convert(sdkSpan({ resource }));
    const b = converter.convert(sdkSpan({ resource, name: 'other' }));
    expect(a.resource).toBe(b.resource);
    expect(a.scope).toBe(b.scope);
  });
});
