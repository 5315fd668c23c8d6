import { describe, expect, test } from '@jest/globals';
import { findErrorOrigin } from '../../src/analyze';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';

// Each reader has its own way of saying a span failed. These tests write one small trace
// (a checkout whose `charge` call failed, its caller not) in each format, the failure
// marked the way that format marks it, and check that the error origin sees it after a
// real load: the analysis only reads the model, so a reader that dropped a marker would
// make the failure vanish here.

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const MS = 1_767_225_600_000; // an epoch in milliseconds

type Tags = Record<string, string | boolean>;

/** Jaeger's query-API shape: the caller, and `charge` under it with these tags. */
function jaeger(tags: Tags): unknown {
  const tag = ([key, value]: [string, string | boolean]) => ({
    key,
    type: typeof value === 'boolean' ? 'bool' : 'string',
    value,
  });
  return {
    data: [
      {
        traceID: TRACE_ID,
        spans: [
          {
            traceID: TRACE_ID,
            spanID: '0000000000000001',
            operationName: 'checkout',
            references: [],
            startTime: MS * 1000,
            duration: 100_000,
            tags: [],
            processID: 'p1',
          },
          {
            traceID: TRACE_ID,
            spanID: '0000000000000002',
            operationName: 'charge',
            references: [{ refType: 'CHILD_OF', traceID: TRACE_ID, spanID: '0000000000000001' }],
            startTime: MS * 1000 + 10_000,
            duration: 50_000,
            tags: Object.entries(tags).map(tag),
            processID: 'p1',
          },
        ],
        processes: { p1: { serviceName: 'shop', tags: [] } },
      },
    ],
  };
}

/** Zipkin v2: an array of spans, tags as strings. */
function zipkin(tags: Record<string, string>): unknown {
  const base = { traceId: TRACE_ID, localEndpoint: { serviceName: 'shop' } };
  return [
    { ...base, id: '0000000000000001', name: 'checkout', timestamp: MS * 1000, duration: 100_000 },
    {
      ...base,
      id: '0000000000000002',
      parentId: '0000000000000001',
      name: 'charge',
      timestamp: MS * 1000 + 10_000,
      duration: 50_000,
      tags,
    },
  ];
}

/** OTLP/JSON, where a tag is just an attribute and an exception is an event. */
function otlp(charge: Record<string, unknown>): unknown {
  const ns = (ms: number) => String(BigInt(MS + ms) * 1_000_000n);
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: TRACE_ID,
                spanId: '0000000000000001',
                name: 'checkout',
                startTimeUnixNano: ns(0),
                endTimeUnixNano: ns(100),
              },
              {
                traceId: TRACE_ID,
                spanId: '0000000000000002',
                parentSpanId: '0000000000000001',
                name: 'charge',
                startTimeUnixNano: ns(10),
                endTimeUnixNano: ns(60),
                ...charge,
              },
            ],
          },
        ],
      },
    ],
  };
}

async function originOf(document: unknown) {
  const traces = await loadTraces(JSON.stringify(document));
  expect(traces).toHaveLength(1);
  const found = findErrorOrigin(traces[0] as Trace);
  return found && { name: found.origin.name, signal: found.signal, status: found.origin.status };
}

describe('the error origin sees each reader’s failure markers', () => {
  test.each([
    ['legacy error=true (bool)', { error: true }, { code: 'error', message: '' }],
    ['error="true" (string)', { error: 'true' }, { code: 'error', message: '' }],
    [
      'otel.status_code=ERROR with a description',
      { 'otel.status_code': 'ERROR', 'otel.status_description': 'card declined' },
      { code: 'error', message: 'card declined' },
    ],
  ] as [string, Tags, unknown][])('Jaeger: %s', async (_, tags, status) => {
    expect(await originOf(jaeger(tags))).toEqual({ name: 'charge', signal: 'status', status });
  });

  test('Jaeger: an explicit UNSET with error=true keeps the tag as an attribute, which still counts', async () => {
    // The reader does not let the legacy tag override an explicit status code; the tag
    // survives as an attribute, and failureSignal reads it.
    expect(await originOf(jaeger({ 'otel.status_code': 'UNSET', error: true }))).toEqual({
      name: 'charge',
      signal: 'error-tag',
      status: { code: 'unset', message: '' },
    });
  });

  test('Jaeger: error=false, or an OK status beside error=true, is no failure', async () => {
    expect(await originOf(jaeger({ error: false }))).toBeUndefined();
    expect(await originOf(jaeger({ 'otel.status_code': 'OK', error: true }))).toBeUndefined();
  });

  test.each([
    ['error with a message', { error: 'card declined' }, 'card declined'],
    ['error with an empty value', { error: '' }, ''],
    ['otel.status_code=ERROR', { 'otel.status_code': 'ERROR' }, ''],
  ] as [string, Record<string, string>, string][])('Zipkin: %s', async (_, tags, message) => {
    expect(await originOf(zipkin(tags))).toEqual({
      name: 'charge',
      signal: 'status',
      status: { code: 'error', message },
    });
  });

  test.each([
    [
      'an error=true attribute (bool)',
      { attributes: [{ key: 'error', value: { boolValue: true } }] },
      'error-tag',
    ],
    [
      'an error="true" attribute (string, as Envoy writes it)',
      { attributes: [{ key: 'error', value: { stringValue: 'true' } }] },
      'error-tag',
    ],
    [
      'an exception event with the status unset',
      {
        events: [
          {
            name: 'exception',
            timeUnixNano: String(BigInt(MS + 59) * 1_000_000n),
            attributes: [{ key: 'exception.type', value: { stringValue: 'CardError' } }],
          },
        ],
      },
      'exception',
    ],
    ['STATUS_CODE_ERROR', { status: { code: 'STATUS_CODE_ERROR' } }, 'status'],
  ] as [string, Record<string, unknown>, string][])('OTLP/JSON: %s', async (_, charge, signal) => {
    const found = await originOf(otlp(charge));
    expect(found?.name).toBe('charge');
    expect(found?.signal).toBe(signal);
  });

  test('a real Jaeger file: ui_01.jaeger.json’s error=true span', async () => {
    // jaegertracing/jaeger's UI conversion fixture tags one "some-operation" span with
    // error=true (a bool) and no otel.status_code: the legacy way of marking a failure.
    const [trace] = await loadTraces(realFixture('jaeger-formats/ui_01.jaeger.json'));
    const found = findErrorOrigin(trace as Trace);
    expect(found?.origin.name).toBe('some-operation');
    expect(found?.signal).toBe('status');
    expect(found?.failures).toHaveLength(1);
  });
});
