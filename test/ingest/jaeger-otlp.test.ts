/**
 * One trace, two formats: what the Jaeger reader makes of Jaeger JSON must equal what the
 * OTLP reader makes of the OTLP/JSON it was translated from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import type { FormatReader, ReadContext } from '../../src/ingest/format';
import { jaegerJson } from '../../src/ingest/jaeger';
import { otlpJson } from '../../src/ingest/otlp-json';
import type { Span } from '../../src/model';
import { realFixture } from '../helpers/fixtures';

function context(file: string): ReadContext {
  return { file, line: undefined, intern: (text) => text };
}

function read(reader: FormatReader, value: unknown, file = 'inline.json'): Span[] {
  const spans: Span[] = [];
  reader.read(value, context(file), (span) => spans.push(span));
  return spans;
}

function readFixture(reader: FormatReader, relative: string): Span[] {
  const path = realFixture(relative);
  return read(reader, JSON.parse(readFileSync(path, 'utf8')), path);
}

/** Every field of the model a check can read, as plain data. */
function fields(span: Span) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    service: span.service,
    resource: span.resource.attributes,
    scope: { name: span.scope.name, version: span.scope.version },
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    status: span.status,
    attributes: span.attributes,
    events: span.events,
    links: span.links,
  };
}

describe('jaeger-api/otlp2jaeger: the same trace as OTLP/JSON and as the Jaeger query API gives it', () => {
  const fromOtlp = readFixture(otlpJson, 'jaeger-api/otlp2jaeger-in.otlp.json');
  const fromJaeger = readFixture(jaegerJson, 'jaeger-api/otlp2jaeger-out.jaeger.json');

  test('both readers see the same spans, field by field', () => {
    expect(fromJaeger).toHaveLength(fromOtlp.length);
    expect(fromOtlp.length).toBe(2);
    for (let i = 0; i < fromOtlp.length; i++) {
      expect(fields(fromJaeger[i] as Span)).toEqual(fields(fromOtlp[i] as Span));
    }
  });

  test('and those are the values in the files', () => {
    // Read by hand from otlp2jaeger-in.otlp.json, so that a bug shared by both readers
    // cannot pass the comparison above unnoticed.
    expect(fields(fromJaeger[0] as Span)).toEqual({
      traceId: '83a9efd15c1c98a977e0711cc93ee28b',
      spanId: 'e127af99e3b3e074',
      parentSpanId: '909541b92cf05311',
      name: 'okey-dokey-0',
      kind: 'server',
      service: 'telemetrygen',
      resource: { 'service.name': 'telemetrygen' },
      scope: { name: 'telemetrygen', version: undefined },
      startTimeUnixNano: 1706678909209712000n,
      endTimeUnixNano: 1706678909209835000n,
      status: { code: 'unset', message: '' },
      attributes: { 'net.peer.ip': '1.2.3.4', 'peer.service': 'telemetrygen-client' },
      events: [],
      links: [],
    });
  });
});

describe('a richer span, translated by hand as the Collector’s OTLP → Jaeger translator does', () => {
  const TRACE = '5b8aa5a2d2c872e8321cf37308d69df2';
  const OTHER_TRACE = '0af7651916cd43dd8448eb211c80319c';
  const otlp = {
    resourceSpans: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'checkout' } },
            { key: 'deployment.environment.name', value: { stringValue: 'ci' } },
          ],
        },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-http', version: '0.52.0' },
            spans: [
              {
                traceId: TRACE,
                spanId: '051581bf3cb55c13',
                parentSpanId: 'ffd7a49f5ef6ab6d',
                name: 'POST /api/checkout',
                kind: 3,
                startTimeUnixNano: '1700000000123456000',
                endTimeUnixNano: '1700000000475456000',
                attributes: [
                  { key: 'http.request.method', value: { stringValue: 'POST' } },
                  { key: 'http.response.status_code', value: { intValue: '502' } },
                  { key: 'retry', value: { boolValue: true } },
                  { key: 'ratio', value: { doubleValue: 0.25 } },
                ],
                events: [
                  {
                    timeUnixNano: '1700000000400000000',
                    name: 'exception',
                    attributes: [
                      { key: 'exception.type', value: { stringValue: 'UpstreamError' } },
                      { key: 'exception.message', value: { stringValue: 'bad gateway' } },
                    ],
                  },
                ],
                links: [{ traceId: OTHER_TRACE, spanId: 'b7ad6b7169203331' }],
                status: { code: 2, message: 'bad gateway' },
              },
            ],
          },
        ],
      },
    ],
  };
  const jaeger = {
    data: [
      {
        traceID: TRACE,
        spans: [
          {
            traceID: TRACE,
            spanID: '051581bf3cb55c13',
            operationName: 'POST /api/checkout',
            references: [
              { refType: 'CHILD_OF', traceID: TRACE, spanID: 'ffd7a49f5ef6ab6d' },
              { refType: 'FOLLOWS_FROM', traceID: OTHER_TRACE, spanID: 'b7ad6b7169203331' },
            ],
            startTime: 1700000000123456,
            duration: 352000,
            tags: [
              {
                key: 'otel.scope.name',
                type: 'string',
                value: '@opentelemetry/instrumentation-http',
              },
              { key: 'otel.scope.version', type: 'string', value: '0.52.0' },
              { key: 'http.request.method', type: 'string', value: 'POST' },
              { key: 'http.response.status_code', type: 'int64', value: 502 },
              { key: 'retry', type: 'bool', value: true },
              { key: 'ratio', type: 'float64', value: 0.25 },
              { key: 'span.kind', type: 'string', value: 'client' },
              { key: 'otel.status_code', type: 'string', value: 'ERROR' },
              { key: 'error', type: 'bool', value: true },
              { key: 'otel.status_description', type: 'string', value: 'bad gateway' },
            ],
            logs: [
              {
                timestamp: 1700000000400000,
                fields: [
                  { key: 'event', type: 'string', value: 'exception' },
                  { key: 'exception.type', type: 'string', value: 'UpstreamError' },
                  { key: 'exception.message', type: 'string', value: 'bad gateway' },
                ],
              },
            ],
            processID: 'p1',
            warnings: null,
          },
        ],
        processes: {
          p1: {
            serviceName: 'checkout',
            tags: [{ key: 'deployment.environment.name', type: 'string', value: 'ci' }],
          },
        },
        warnings: null,
      },
    ],
  };

  test('every field agrees, except what Jaeger cannot carry', () => {
    const [a] = read(otlpJson, otlp) as [Span];
    const [b] = read(jaegerJson, jaeger) as [Span];
    const fromOtlp = fields(a);
    const fromJaeger = fields(b);
    // Jaeger references have no attributes: the Jaeger reader says which kind of reference
    // a link was (`opentracing.ref_type`), and the link's own OTLP attributes are lost.
    expect(fromJaeger.links).toEqual([
      {
        traceId: OTHER_TRACE,
        spanId: 'b7ad6b7169203331',
        attributes: { 'opentracing.ref_type': 'follows_from' },
      },
    ]);
    expect(fromOtlp.links.map((l) => [l.traceId, l.spanId])).toEqual([
      [OTHER_TRACE, 'b7ad6b7169203331'],
    ]);
    expect({ ...fromJaeger, links: undefined }).toEqual({ ...fromOtlp, links: undefined });
    expect(fromJaeger.status).toEqual({ code: 'error', message: 'bad gateway' });
    expect(fromJaeger.kind).toBe('client');
    expect(fromJaeger.scope).toEqual({
      name: '@opentelemetry/instrumentation-http',
      version: '0.52.0',
    });
  });
});
