import { describe, expect, test } from '@jest/globals';
import { parseTraces } from '../../src/ingest';
import type { Span, Trace } from '../../src/model';
import { CHILD_ID, child, type Json, ROOT_ID, request, span, TRACE_ID } from './otlp-build';

const only = (traces: Trace[]): Span => {
  expect(traces).toHaveLength(1);
  expect(traces[0]?.spans).toHaveLength(1);
  return traces[0]?.spans[0] as Span;
};
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const attr = (key: string, value: Json) => ({ key, value });
const withAttrs = (attributes: Json[]) => only(parseTraces(request([span({ attributes })])));

describe('OTLP/JSON as the specification writes it', () => {
  test('a request with a root and a child becomes one trace', () => {
    const [trace, ...more] = parseTraces(request([child(), span()]));
    expect(more).toEqual([]);
    const t = trace as Trace;
    expect(t.traceId).toBe(TRACE_ID);
    expect(t.spans.map((s) => s.spanId)).toEqual([ROOT_ID, CHILD_ID]);
    const [root, db] = t.spans as Span[];
    expect(root?.kind).toBe('server');
    expect(db?.kind).toBe('client');
    expect(t.parentOf(db as Span)).toBe(root);
    expect(db?.service).toBe('checkout');
    expect(db?.scope).toEqual({ name: 'test-scope', version: '1.2.3' });
    expect(root?.durationNs).toBe(250_000_000);
  });

  test('kinds 0..5 and status codes 0..2 as integers', () => {
    const kinds = [0, 1, 2, 3, 4, 5].map(
      (kind) => only(parseTraces(request([span({ kind })]))).kind,
    );
    expect(kinds).toEqual(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);
    const codes = [0, 1, 2].map(
      (code) => only(parseTraces(request([span({ status: { code } })]))).status,
    );
    expect(codes).toEqual([
      { code: 'unset', message: '' },
      { code: 'ok', message: '' },
      { code: 'error', message: '' },
    ]);
    expect(
      only(parseTraces(request([span({ status: { code: 2, message: 'card declined' } })]))).status,
    ).toEqual({
      code: 'error',
      message: 'card declined',
    });
    expect(only(parseTraces(request([span({ kind: undefined, status: {} })]))).kind).toBe(
      'unspecified',
    );
  });

  test('int64 times as decimal strings or JSON numbers, exact to the nanosecond', () => {
    const s = only(
      parseTraces(
        request([
          span({
            startTimeUnixNano: '1700000000123456789',
            endTimeUnixNano: '1700000000123456790',
          }),
        ]),
      ),
    );
    expect(s.startTimeUnixNano).toBe(1700000000123456789n);
    expect(s.durationNs).toBe(1);
    const n = only(
      parseTraces(request([span({ startTimeUnixNano: 1000, endTimeUnixNano: 2500 })])),
    );
    expect([n.startTimeUnixNano, n.endTimeUnixNano]).toEqual([1000n, 2500n]);
  });

  test('attribute values of every AnyValue type', () => {
    const s = withAttrs([
      attr('s', { stringValue: 'text' }),
      attr('b', { boolValue: true }),
      attr('f', { boolValue: false }),
      attr('i', { intValue: '42' }),
      attr('neg', { intValue: '-7' }),
      attr('inum', { intValue: 12 }),
      attr('big', { intValue: '9223372036854775807' }),
      attr('bigneg', { intValue: '-9007199254740993' }),
      attr('safe', { intValue: '9007199254740991' }),
      attr('d', { doubleValue: 0.25 }),
      attr('dint', { doubleValue: 3 }),
      attr('nan', { doubleValue: 'NaN' }),
      attr('inf', { doubleValue: '-Infinity' }),
      attr('bytes', { bytesValue: 'AAEC/w==' }),
      attr('arr', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, {}] } }),
      attr('emptyArr', { arrayValue: {} }),
      attr('kv', {
        kvlistValue: {
          values: [
            { key: 'x', value: { boolValue: true } },
            {
              key: 'nested',
              value: { kvlistValue: { values: [{ key: 'y', value: { doubleValue: 1.5 } }] } },
            },
          ],
        },
      }),
      attr('empty', {}),
    ]);
    expect(s.attributes).toEqual({
      s: 'text',
      b: true,
      f: false,
      i: 42,
      neg: -7,
      inum: 12,
      big: 9223372036854775807n,
      bigneg: -9007199254740993n,
      safe: 9007199254740991,
      d: 0.25,
      dint: 3,
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      bytes: new Uint8Array([0, 1, 2, 255]),
      arr: ['a', 1, null],
      emptyArr: [],
      kv: { x: true, nested: { y: 1.5 } },
      empty: null,
    });
    expect(typeof s.attributes.big).toBe('bigint');
    expect(typeof s.attributes.safe).toBe('number');
    expect(Object.getPrototypeOf(s.attributes.bytes)).toBe(Uint8Array.prototype);
  });

  test('an attribute key "__proto__" is an ordinary key, not a prototype', () => {
    const s = withAttrs([
      attr('__proto__', {
        kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] },
      }),
    ]);
    expect(Object.keys(s.attributes)).toEqual(['__proto__']);
    expect((s.attributes as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a repeated key keeps the last value', () => {
    expect(
      withAttrs([attr('k', { stringValue: 'a' }), attr('k', { stringValue: 'b' })]).attributes,
    ).toEqual({
      k: 'b',
    });
  });

  test('events and links, with their attributes', () => {
    const linked = 'ffffffffffffffffffffffffffffffff';
    const s = only(
      parseTraces(
        request([
          span({
            events: [
              {
                timeUnixNano: '1700000000100000000',
                name: 'exception',
                attributes: [
                  attr('exception.type', { stringValue: 'TimeoutError' }),
                  attr('exception.message', { stringValue: 'upstream timed out' }),
                ],
              },
            ],
            links: [
              {
                traceId: linked.toUpperCase(),
                spanId: 'ABCDEF0123456789',
                attributes: [attr('reason', { stringValue: 'batch' })],
              },
            ],
          }),
        ]),
      ),
    );
    expect(s.exceptions).toEqual([
      {
        type: 'TimeoutError',
        message: 'upstream timed out',
        stacktrace: undefined,
        timeUnixNano: 1700000000100000000n,
      },
    ]);
    expect(s.links).toEqual([
      { traceId: linked, spanId: 'abcdef0123456789', attributes: { reason: 'batch' } },
    ]);
  });

  test('unknown fields are ignored at every level', () => {
    const req = request([
      span({ flags: 257, traceState: 'x=1', droppedAttributesCount: 3, futureField: { a: 1 } }),
    ]);
    const rs = (req.resourceSpans as Json[])[0] as Json;
    rs.schemaUrl = 'https://opentelemetry.io/schemas/1.26.0';
    rs.somethingNew = [1, 2, 3];
    const s = only(parseTraces({ ...req, extension: true }));
    expect(s.spanId).toBe(ROOT_ID);
  });

  test('spans of one resourceSpans share one Resource, of one scopeSpans one scope', () => {
    const req = request([span(), child()]);
    (req.resourceSpans as Json[]).push(
      (
        request([child({ spanId: '1111111111111111' })], 'payments').resourceSpans as Json[]
      )[0] as Json,
    );
    const [trace] = parseTraces(req);
    const spans = (trace as Trace).spans;
    const checkout = spans.filter((s) => s.service === 'checkout');
    const payments = spans.filter((s) => s.service === 'payments');
    expect(checkout).toHaveLength(2);
    expect(payments).toHaveLength(1);
    expect(checkout[0]?.resource).toBe(checkout[1]?.resource);
    expect(checkout[0]?.scope).toBe(checkout[1]?.scope);
    expect(payments[0]?.resource).not.toBe(checkout[0]?.resource);
  });

  test('an empty request and an empty spans list load as no traces', () => {
    expect(parseTraces({ resourceSpans: [] })).toEqual([]);
    expect(parseTraces(request([]))).toEqual([]);
  });
});

describe('OTLP/JSON variants found in the wild', () => {
  test('hex ids in any case come out lower-case', () => {
    const s = only(
      parseTraces(request([span({ traceId: TRACE_ID.toUpperCase(), spanId: 'B7aD6b7169203331' })])),
    );
    expect(s.traceId).toBe(TRACE_ID);
    expect(s.spanId).toBe(ROOT_ID);
  });

  test('base64 ids (protobuf JSON mapping, Grafana Tempo)', () => {
    const [trace] = parseTraces(
      request([
        span({ traceId: b64(TRACE_ID), spanId: b64(ROOT_ID) }),
        child({ traceId: b64(TRACE_ID), spanId: b64(CHILD_ID), parentSpanId: b64(ROOT_ID) }),
      ]),
    );
    const t = trace as Trace;
    expect(t.traceId).toBe(TRACE_ID);
    expect(t.spans.map((s) => s.spanId)).toEqual([ROOT_ID, CHILD_ID]);
    expect(t.spans[1]?.parentSpanId).toBe(ROOT_ID);
    expect(t.issues).toEqual([]);
  });

  test('an all-zero, empty or null parentSpanId means a root', () => {
    for (const parentSpanId of ['0000000000000000', '', null, 'AAAAAAAAAAA=']) {
      const s = only(parseTraces(request([span({ parentSpanId })])));
      expect(s.parentSpanId).toBeUndefined();
    }
  });

  test('enum names: SPAN_KIND_* and STATUS_CODE_*', () => {
    const names = [
      'SPAN_KIND_UNSPECIFIED',
      'SPAN_KIND_INTERNAL',
      'SPAN_KIND_SERVER',
      'SPAN_KIND_CLIENT',
      'SPAN_KIND_PRODUCER',
      'SPAN_KIND_CONSUMER',
    ];
    expect(names.map((kind) => only(parseTraces(request([span({ kind })]))).kind)).toEqual([
      'unspecified',
      'internal',
      'server',
      'client',
      'producer',
      'consumer',
    ]);
    const codes = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
    expect(
      codes.map((code) => only(parseTraces(request([span({ status: { code } })]))).status.code),
    ).toEqual(['unset', 'ok', 'error']);
  });

  test('an unknown enum value is read as unspecified/unset, with one warning per value', () => {
    const warnings: string[] = [];
    const traces = parseTraces(
      request([span({ kind: 9 }), child({ kind: 9, status: { code: 'STATUS_CODE_MAYBE' } })]),
      { file: 'odd.json', onWarning: (m) => warnings.push(m) },
    );
    expect(traces[0]?.spans.map((s) => [s.kind, s.status.code])).toEqual([
      ['unspecified', 'unset'],
      ['unspecified', 'unset'],
    ]);
    expect(warnings).toEqual([
      'odd.json: unknown span kind 9; read as unspecified (first at resourceSpans[0].scopeSpans[0].spans[0])',
      'odd.json: unknown status code "STATUS_CODE_MAYBE"; read as unset (first at resourceSpans[0].scopeSpans[0].spans[1])',
    ]);
  });

  test('pre-1.0 instrumentationLibrarySpans / instrumentationLibrary', () => {
    const s = only(
      parseTraces({
        resourceSpans: [
          {
            resource: { attributes: [attr('service.name', { stringValue: 'legacy' })] },
            instrumentationLibrarySpans: [
              {
                instrumentationLibrary: { name: 'io.opentelemetry.jdbc', version: '1.0' },
                spans: [span()],
              },
            ],
          },
        ],
      }),
    );
    expect(s.service).toBe('legacy');
    expect(s.scope).toEqual({ name: 'io.opentelemetry.jdbc', version: '1.0' });
  });

  test("Grafana Tempo's top-level batches", () => {
    const req = request([
      span({ traceId: b64(TRACE_ID), spanId: b64(ROOT_ID), kind: 'SPAN_KIND_SERVER' }),
    ]);
    const s = only(parseTraces({ batches: req.resourceSpans }));
    expect(s.traceId).toBe(TRACE_ID);
    expect(s.kind).toBe('server');
    expect(s.service).toBe('checkout');
  });

  test("Jaeger /api/v3's { result: { resourceSpans } }", () => {
    const s = only(parseTraces({ result: request([span()]) }));
    expect(s.spanId).toBe(ROOT_ID);
  });

  test('an array of requests: one trace split across requests is one Trace', () => {
    const traces = parseTraces([request([child()], 'db'), request([span()], 'api')]);
    expect(traces).toHaveLength(1);
    const t = traces[0] as Trace;
    expect(t.spans.map((s) => s.service)).toEqual(['api', 'db']);
    expect(t.issues).toEqual([]);
  });

  test('the same document as text, as a Buffer, and parsed give the same spans', () => {
    const doc = request([span(), child()]);
    const text = JSON.stringify(doc, null, 2);
    const summary = (ts: Trace[]) =>
      ts.flatMap((t) => t.spans.map((s) => [s.spanId, s.parentSpanId, s.name]));
    const expected = summary(parseTraces(doc));
    expect(expected).toHaveLength(2);
    expect(summary(parseTraces(text))).toEqual(expected);
    expect(summary(parseTraces(Buffer.from(text)))).toEqual(expected);
    expect(summary(parseTraces(`\uFEFF${text}`))).toEqual(expected);
  });
});
