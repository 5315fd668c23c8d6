import { describe, expect, test } from '@jest/globals';
import { context, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { InputError } from '../../src/errors';
import { parseTraces } from '../../src/ingest';
import type { Span } from '../../src/model';
import { decodeTraceRequest } from '../../src/receiver';
import { exportResponse, statusBody } from '../../src/receiver/responses';
import { EGROUP, I32, I64, LEN, SGROUP, VARINT, WireWriter } from '../../src/receiver/wire';
import { sdkSpans, TRACE_A, withFields } from './helpers';

const spansOf = (value: object): Span[] =>
  parseTraces(value, { format: 'otlp-json' }).flatMap((t) => [...t.spans]);

/** A checkout-like set of spans with every kind of field the SDK fills. */
async function richSpans(): Promise<ReadableSpan[]> {
  return sdkSpans((tracer) => {
    const root = tracer.startSpan('POST /api/checkout', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'POST',
        'http.response.status_code': 502,
        'retry.ratio': 0.25,
        'cache.hit': false,
        tags: ['a', 'b'],
        counts: [1, 2, 3],
        flags: [true, false],
        'negative.int': -42,
        'empty.string': '',
      },
    });
    const ctx = root.spanContext();
    const child = tracer.startSpan(
      'Payment Gateway API',
      {
        kind: SpanKind.CLIENT,
        links: [
          {
            context: {
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: 'b7ad6b7169203331',
              traceFlags: TraceFlags.SAMPLED,
              traceState: new TraceState('vendor=value'),
              isRemote: true,
            },
            attributes: { 'link.reason': 'retry-of', 'link.n': 7 },
          },
        ],
      },
      trace.setSpanContext(context.active(), ctx),
    );
    child.addEvent('exception', {
      'exception.type': 'CardDeclined',
      'exception.message': 'card declined',
      attempt: 3,
    });
    child.addEvent('retry');
    child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    child.end();
    root.setStatus({ code: SpanStatusCode.OK });
    root.end();
    for (const kind of [SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
      tracer.startSpan(`kind ${kind}`, { kind }).end();
    }
  });
}

describe('decodeTraceRequest on bytes from the real OTLP/proto serializer', () => {
  test('gives the spans the JSON serializer gives for the same spans', async () => {
    const spans = await richSpans();
    const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);
    const json = JSON.parse(
      Buffer.from(JsonTraceSerializer.serializeRequest(spans) as Uint8Array).toString('utf8'),
    );
    const fromProto = spansOf(decodeTraceRequest(proto));
    const fromJson = spansOf(json);
    expect(fromProto).toHaveLength(5);
    expect(fromProto).toEqual(fromJson);

    const payment = fromProto.find((s) => s.name === 'Payment Gateway API') as Span;
    expect(payment.kind).toBe('client');
    expect(payment.status).toEqual({ code: 'error', message: 'card declined' });
    expect(payment.parentSpanId).toBe(
      spans.find((s) => s.name.startsWith('POST'))?.spanContext().spanId,
    );
    expect(payment.events.map((e) => e.name)).toEqual(['exception', 'retry']);
    expect(payment.events[0]?.attributes).toEqual({
      'exception.type': 'CardDeclined',
      'exception.message': 'card declined',
      attempt: 3,
    });
    expect(payment.links).toEqual([
      {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        attributes: { 'link.reason': 'retry-of', 'link.n': 7 },
      },
    ]);
    const root = fromProto.find((s) => s.name === 'POST /api/checkout') as Span;
    expect(root.attributes).toEqual({
      'http.request.method': 'POST',
      'http.response.status_code': 502,
      'retry.ratio': 0.25,
      'cache.hit': false,
      tags: ['a', 'b'],
      counts: [1, 2, 3],
      flags: [true, false],
      'negative.int': -42,
      'empty.string': '',
    });
    expect(root.status.code).toBe('ok');
    expect(root.service).toBe('receiver-test');
    expect(root.scope).toEqual({ name: 'test', version: '1.2.3' });
    expect(fromProto.map((s) => s.kind).sort()).toEqual(
      ['client', 'consumer', 'internal', 'producer', 'server'].sort(),
    );
  });

  test('writes the specification JSON encoding: hex ids, decimal-string int64s, integer enums', async () => {
    const spans = await richSpans();
    const decoded = decodeTraceRequest(
      Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array),
    );
    const rs = decoded.resourceSpans[0] as { scopeSpans: { spans: Record<string, unknown>[] }[] };
    const payment = rs.scopeSpans[0]?.spans.find((s) => s.name === 'Payment Gateway API');
    expect(payment).toMatchObject({
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      parentSpanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      kind: 3,
      startTimeUnixNano: expect.stringMatching(/^\d{19}$/),
      endTimeUnixNano: expect.stringMatching(/^\d{19}$/),
      status: { code: 2, message: 'card declined' },
      // W3C sampled + "has is-remote" (0x100), as the SDK's serializer sets them.
      flags: 0x101,
      links: [
        expect.objectContaining({
          traceState: 'vendor=value',
          flags: 0x301,
          attributes: [
            { key: 'link.reason', value: { stringValue: 'retry-of' } },
            { key: 'link.n', value: { intValue: '7' } },
          ],
        }),
      ],
    });
    const events = payment?.events as { timeUnixNano: unknown }[];
    expect(events[0]?.timeUnixNano).toMatch(/^\d{19}$/);
    // JSON.parse(JSON.stringify(x)) is x: nothing in it that JSON cannot hold.
    expect(JSON.parse(JSON.stringify(decoded))).toEqual(decoded);
  });

  test('every AnyValue type, including bytes, maps and 64-bit integers beyond 2^53', async () => {
    const [base] = await sdkSpans((tracer) => tracer.startSpan('values').end());
    const span = withFields(base as ReadableSpan, {
      attributes: {
        s: 'text',
        i: 12,
        negative: -(2 ** 40),
        big: 2 ** 60,
        min: -(2 ** 63),
        d: 3.5,
        b: true,
        bytes: new Uint8Array([0, 1, 254, 255]) as never,
        array: ['x', 1, 2.5, false] as never,
        map: { nested: 'yes', deeper: { n: 1, list: [1, 2] } } as never,
        emptyArray: [],
      },
    });
    const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest([span]) as Uint8Array);
    const [decoded] = spansOf(decodeTraceRequest(proto));
    expect(decoded?.attributes).toEqual({
      s: 'text',
      i: 12,
      negative: -(2 ** 40),
      big: 2n ** 60n,
      min: -(2n ** 63n),
      d: 3.5,
      b: true,
      bytes: new Uint8Array([0, 1, 254, 255]),
      array: ['x', 1, 2.5, false],
      map: { nested: 'yes', deeper: { n: 1, list: [1, 2] } },
      emptyArray: [],
    });
    // The JSON serializer agrees on all of it.
    const json = JSON.parse(
      Buffer.from(JsonTraceSerializer.serializeRequest([span]) as Uint8Array).toString('utf8'),
    );
    expect(spansOf(json)[0]?.attributes).toEqual(decoded?.attributes);
  });
});

// Hand-built messages for what the SDK never sends.
const w = (): WireWriter => new WireWriter();
const SPAN_ID = '00f067aa0ba902b7';
const START = 1767225600000000000n;

function baseSpan(): WireWriter {
  return w()
    .bytesField(1, Buffer.from(TRACE_A, 'hex'))
    .bytesField(2, Buffer.from(SPAN_ID, 'hex'))
    .stringField(5, 'op')
    .fixed64Field(7, START)
    .fixed64Field(8, START + 5_000_000n);
}

function requestOf(span: WireWriter, resource?: WireWriter): Buffer {
  const scopeSpans = w().messageField(1, w().stringField(1, 'scope')).messageField(2, span);
  const rs = w();
  if (resource !== undefined) rs.messageField(1, resource);
  rs.messageField(2, scopeSpans);
  return w().messageField(1, rs).finish();
}

function attribute(key: string, value: WireWriter): WireWriter {
  return w().stringField(1, key).messageField(2, value);
}

function decodeError(bytes: Buffer): InputError {
  try {
    decodeTraceRequest(bytes);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected decodeTraceRequest to throw');
}

describe('decodeTraceRequest on hand-built bytes', () => {
  test('an empty body is an empty request', () => {
    expect(decodeTraceRequest(Buffer.alloc(0))).toEqual({ resourceSpans: [] });
  });

  test('int64 extremes, non-finite doubles and an empty AnyValue', () => {
    const span = baseSpan()
      .messageField(9, attribute('max', w().varintField(3, 9223372036854775807n)))
      .messageField(9, attribute('min', w().varintField(3, -9223372036854775808n)))
      .messageField(9, attribute('minus1', w().varintField(3, -1)))
      .messageField(9, attribute('nan', w().doubleField(4, Number.NaN)))
      .messageField(9, attribute('inf', w().doubleField(4, Number.POSITIVE_INFINITY)))
      .messageField(9, attribute('-inf', w().doubleField(4, Number.NEGATIVE_INFINITY)))
      .messageField(9, attribute('none', w()))
      // The last member of a oneof wins.
      .messageField(9, attribute('last', w().stringField(1, 'first').varintField(3, 2)));
    const decoded = decodeTraceRequest(requestOf(span));
    const attrs = (
      decoded.resourceSpans[0] as never as { scopeSpans: { spans: { attributes: unknown }[] }[] }
    ).scopeSpans[0]?.spans[0]?.attributes;
    expect(attrs).toEqual([
      { key: 'max', value: { intValue: '9223372036854775807' } },
      { key: 'min', value: { intValue: '-9223372036854775808' } },
      { key: 'minus1', value: { intValue: '-1' } },
      { key: 'nan', value: { doubleValue: 'NaN' } },
      { key: 'inf', value: { doubleValue: 'Infinity' } },
      { key: '-inf', value: { doubleValue: '-Infinity' } },
      { key: 'none', value: {} },
      { key: 'last', value: { intValue: '2' } },
    ]);
    const [model] = spansOf(decoded);
    expect(model?.attributes).toEqual({
      max: 9223372036854775807n,
      min: -9223372036854775808n,
      minus1: -1,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      '-inf': Number.NEGATIVE_INFINITY,
      none: null,
      last: 2,
    });
  });

  test('skips unknown fields of every wire type, wherever they are', () => {
    const unknown = (m: WireWriter): WireWriter =>
      m
        .tag(90, VARINT)
        .varint(300)
        .tag(91, I64)
        .raw([1, 2, 3, 4, 5, 6, 7, 8])
        .tag(92, LEN)
        .varint(3)
        .raw([9, 9, 9])
        .tag(93, I32)
        .raw([1, 2, 3, 4])
        // A group holding a field, as proto2 writes them.
        .tag(94, SGROUP)
        .tag(1, VARINT)
        .varint(1)
        .tag(94, EGROUP);
    const plain = decodeTraceRequest(
      requestOf(baseSpan().messageField(9, attribute('k', w().stringField(1, 'v')))),
    );
    const noisySpan = unknown(baseSpan()).messageField(
      9,
      unknown(attribute('k', unknown(w().stringField(1, 'v')))),
    );
    const noisy = requestOf(noisySpan);
    const withTopLevel = Buffer.concat([unknown(w()).finish(), noisy]);
    expect(decodeTraceRequest(noisy)).toEqual(plain);
    expect(decodeTraceRequest(withTopLevel)).toEqual(plain);
  });

  test('reads pre-1.0 instrumentation_library_spans (field 1000) as scopeSpans', () => {
    const library = w()
      .messageField(1, w().stringField(1, 'old-lib').stringField(2, '0.9'))
      .messageField(2, baseSpan());
    const bytes = w().messageField(1, w().messageField(1000, library)).finish();
    const [span] = spansOf(decodeTraceRequest(bytes));
    expect(span?.scope).toEqual({ name: 'old-lib', version: '0.9' });
    expect(span?.spanId).toBe(SPAN_ID);
  });

  test('a wrong wire type names the field, its number, the byte and the path', () => {
    const span = w()
      .bytesField(1, Buffer.from(TRACE_A, 'hex'))
      .bytesField(2, Buffer.from(SPAN_ID, 'hex'))
      .tag(7, VARINT)
      .varint(5);
    const error = decodeError(requestOf(span));
    expect(error.message).toMatch(
      /^at resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]: invalid protobuf at byte \d+: Span\.start_time_unix_nano \(field 7\) has wire type 0 \(varint\); expected 1 \(64-bit\)$/,
    );
  });

  test('a length that runs past its message, deep inside a value', () => {
    const good = requestOf(baseSpan().messageField(9, attribute('k', w().stringField(1, 'value'))));
    // Cut inside the attribute's string: every enclosing length now lies.
    const cut = good.subarray(0, good.length - 2);
    const error = decodeError(cut);
    expect(error.message).toContain('truncated body?');
    expect(error.message).toMatch(/invalid protobuf at byte \d+/);
    expect(error.location.path).toMatch(/^resourceSpans\[0\]/);
  });

  test('other malformed bytes: each says what is wrong', () => {
    expect(
      decodeError(
        Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      ).message,
    ).toContain('varint longer than 10 bytes');
    expect(decodeError(Buffer.from([0x00])).message).toContain('field number 0 is not valid');
    expect(decodeError(Buffer.from([0x0f])).message).toContain('wire type 7');
    expect(decodeError(Buffer.from([0x7c])).message).toContain('end-group marker without a start');
    expect(decodeError(Buffer.from([0x7b, 0x08, 0x01])).message).toContain('no end-group marker');
    expect(decodeError(Buffer.from([0x0a, 0x05, 0x01])).message).toMatch(
      /^at resourceSpans\[0\]: invalid protobuf at byte 0: a length-delimited field says it has 5 bytes, but only 1 are left/,
    );
    // JSON sent as protobuf: `{` is field 15, wire type 3 (a group), which never ends.
    expect(decodeError(Buffer.from('{"resourceSpans":[]}')).message).toMatch(/invalid protobuf/);
  });

  test('every prefix of a real request decodes or fails with an InputError, never anything else', async () => {
    const spans = await richSpans();
    const proto = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);
    let failures = 0;
    for (let n = 0; n < proto.length; n++) {
      try {
        decodeTraceRequest(proto.subarray(0, n));
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).message).toMatch(/invalid protobuf at byte \d+: /);
        failures++;
      }
    }
    // Only the cut at the very start is a whole (empty) message: one ResourceSpans holds all.
    expect(failures).toBe(proto.length - 1);
  });

  test('random bytes decode or fail with an InputError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeTraceRequest(Buffer.from(bytes));
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('response bodies', () => {
  test('protobuf ExportTraceServiceResponse reads back with the SDK deserializer', () => {
    expect(exportResponse('protobuf', undefined)).toHaveLength(0);
    expect(
      ProtobufTraceSerializer.deserializeResponse(exportResponse('protobuf', undefined)),
    ).toEqual({});
    const partial = exportResponse('protobuf', { rejectedSpans: 3, errorMessage: 'bad ids' });
    const read = ProtobufTraceSerializer.deserializeResponse(partial) as {
      partialSuccess?: { rejectedSpans?: unknown; errorMessage?: string };
    };
    expect(Number(read.partialSuccess?.rejectedSpans)).toBe(3);
    expect(read.partialSuccess?.errorMessage).toBe('bad ids');
  });

  test('JSON responses', () => {
    expect(JSON.parse(exportResponse('json', undefined).toString())).toEqual({});
    expect(
      JSON.parse(exportResponse('json', { rejectedSpans: 2, errorMessage: 'why' }).toString()),
    ).toEqual({ partialSuccess: { rejectedSpans: '2', errorMessage: 'why' } });
    expect(JSON.parse(statusBody('json', 3, 'bad').toString())).toEqual({
      code: 3,
      message: 'bad',
    });
  });

  test('google.rpc.Status in protobuf: code = 1, message = 2', () => {
    expect([...statusBody('protobuf', 3, 'hi')]).toEqual([0x08, 3, 0x12, 2, 0x68, 0x69]);
  });
});
