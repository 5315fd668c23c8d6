import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import type { FormatReader, ReadContext } from '../../src/ingest/format';
import { jaegerJson } from '../../src/ingest/jaeger';
import { otlpJson } from '../../src/ingest/otlp-json';
import { zipkinJson } from '../../src/ingest/zipkin';
import { groupTraces, type Span } from '../../src/model';
import { realFixture } from '../helpers/fixtures';

function context(file: string | undefined): ReadContext {
  const pool = new Map<string, string>();
  return {
    file,
    line: undefined,
    intern(text) {
      const known = pool.get(text);
      if (known !== undefined) return known;
      pool.set(text, text);
      return text;
    },
  };
}

function read(value: unknown, file: string | undefined = 'inline.json'): Span[] {
  const spans: Span[] = [];
  jaegerJson.read(value, context(file), (span) => spans.push(span));
  return spans;
}

function parseFixture(relative: string): unknown {
  return JSON.parse(readFileSync(realFixture(relative), 'utf8'));
}

function readFixture(relative: string): Span[] {
  const spans: Span[] = [];
  jaegerJson.read(parseFixture(relative), context(realFixture(relative)), (s) => spans.push(s));
  return spans;
}

function failure(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

const T = 'ab'.repeat(16);

/** A query-API document around the given spans; each span defaults to process p1. */
function doc(spans: Record<string, unknown>[], processes?: Record<string, unknown>): unknown {
  return {
    data: [
      {
        traceID: T,
        spans: spans.map((s, i) => ({
          traceID: T,
          spanID: (i + 1).toString(16).padStart(16, '0'),
          operationName: `op-${i + 1}`,
          references: [],
          startTime: 1_700_000_000_000_000 + i,
          duration: 10,
          tags: [],
          logs: [],
          processID: 'p1',
          ...s,
        })),
        processes: processes ?? { p1: { serviceName: 'svc', tags: [] } },
      },
    ],
    total: 0,
    limit: 0,
    offset: 0,
    errors: null,
  };
}

describe('jaegerJson.detect', () => {
  test('claims the query API answer, a trace object, and the span-array download form', () => {
    expect(jaegerJson.detect(parseFixture('jaeger-formats/ui_01.jaeger.json'))).toBe(true);
    expect(jaegerJson.detect(parseFixture('jaeger-api/otlp2jaeger-out.jaeger.json'))).toBe(true);
    expect(jaegerJson.detect(doc([{}]))).toBe(true);
    expect(jaegerJson.detect({ data: [], total: 0, limit: 0, offset: 0, errors: null })).toBe(true);
    expect(jaegerJson.detect([{ traceID: T, spanID: '1', operationName: 'x', process: {} }])).toBe(
      true,
    );
  });

  test('says no to OTLP (every OTLP fixture), Zipkin (every Zipkin fixture) and bare shapes', () => {
    const otlp = [
      'jaeger-api/otlp2jaeger-in.otlp.json',
      'jaeger-formats/api_v3_GetTrace.json',
      'jaeger-formats/log_tags_trace.otlp.json',
      'jaeger-formats/multiple1_trace.otlp.json',
      'otlp-proto/trace.json',
      ...readdirSync(realFixture('jaeger-skills')).map((f) => `jaeger-skills/${f}`),
    ];
    for (const f of otlp) expect([f, jaegerJson.detect(parseFixture(f))]).toEqual([f, false]);
    const zipkin = readdirSync(realFixture('zipkin')).map((f) => `zipkin/${f}`);
    expect(zipkin.length).toBeGreaterThanOrEqual(10);
    for (const f of zipkin) expect([f, jaegerJson.detect(parseFixture(f))]).toEqual([f, false]);
    for (const value of [null, 'x', 42, [], {}, { data: [] }, { batches: [] }, { result: {} }]) {
      expect(jaegerJson.detect(value)).toBe(false);
    }
    expect(jaegerJson.detect([{ traceId: T, id: '1' }])).toBe(false);
  });

  test('across all three readers, exactly one claims each real fixture', () => {
    const root = realFixture('.');
    const claims: Record<string, string[]> = {};
    for (const dir of readdirSync(root, { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      for (const f of readdirSync(`${root}/${dir.name}`)) {
        const value = parseFixture(`${dir.name}/${f}`);
        claims[`${dir.name}/${f}`] = [otlpJson, jaegerJson, zipkinJson]
          .filter((r) => r.detect(value))
          .map((r) => r.format);
      }
    }
    expect(Object.keys(claims).length).toBeGreaterThanOrEqual(23);
    for (const [file, formats] of Object.entries(claims)) {
      const expected = file.startsWith('zipkin/')
        ? 'zipkin-json'
        : file.endsWith('.jaeger.json')
          ? 'jaeger-json'
          : 'otlp-json';
      expect([file, formats]).toEqual([file, [expected]]);
    }
  });

  test('the Zipkin reader says no to the Jaeger fixtures', () => {
    expect(zipkinJson.detect(parseFixture('jaeger-formats/ui_01.jaeger.json'))).toBe(false);
    expect(zipkinJson.detect(parseFixture('jaeger-api/otlp2jaeger-out.jaeger.json'))).toBe(false);
  });
});

describe('jaeger-formats/ui_01.jaeger.json (a trace object, every tag type)', () => {
  const spans = readFixture('jaeger-formats/ui_01.jaeger.json');
  const traces = groupTraces(spans);
  const [general, typed, child, refs, preserve] = spans as [Span, Span, Span, Span, Span];

  test('five spans of one trace, its 64-bit id padded to 128 bits, in document order', () => {
    expect(spans).toHaveLength(5);
    expect(traces).toHaveLength(1);
    expect(traces[0]?.traceId).toBe('00000000000000000000000000000001');
    expect(spans.map((s) => s.name)).toEqual([
      'test-general-conversion',
      'some-operation',
      'some-operation',
      'reference-test',
      'preserveParentID-test',
    ]);
  });

  test('times are microseconds turned into nanoseconds', () => {
    expect(general.startTimeUnixNano).toBe(1485467191639875000n);
    expect(general.endTimeUnixNano).toBe(1485467191639880000n);
    expect(preserve.durationNs).toBe(4000);
  });

  test('typed tags keep their types; the int64 beyond 2^53 is an exact bigint', () => {
    expect(typed.attributes).toEqual({
      'peer.service': 'service-y',
      'peer.ipv4': 23456,
      temperature: 72.5,
      javascript_limit: 9223372036854775222n,
      blob: new Uint8Array([0, 0, 0x30, 0x39]),
    });
    expect(typeof typed.attributes.javascript_limit).toBe('bigint');
    expect(typed.attributes.blob).toBeInstanceOf(Uint8Array);
  });

  test('the legacy error=true tag is an error status, and is not kept as an attribute', () => {
    expect(typed.status).toEqual({ code: 'error', message: '' });
    expect(typed.isError).toBe(true);
    expect('error' in typed.attributes).toBe(false);
    expect(general.status.code).toBe('unset');
  });

  test('logs are events named by their event field, else "log"', () => {
    expect(general.events).toEqual([
      { name: 'some-event', timeUnixNano: 1485467191639875000n, attributes: {} },
      { name: 'log', timeUnixNano: 1485467191639875000n, attributes: { x: 'y' } },
    ]);
  });

  test('processes become one shared Resource each, with service.name', () => {
    expect(general.service).toBe('service-x');
    expect(typed.service).toBe('service-x');
    expect(child.service).toBe('service-y');
    expect(general.resource).toBe(typed.resource);
    expect(child.resource).toBe(refs.resource);
    expect(child.resource).toBe(preserve.resource);
    expect(child.resource.attributes).toEqual({ 'service.name': 'service-y' });
  });

  test('CHILD_OF in the same trace wins over FOLLOWS_FROM; the rest, and other traces, are links', () => {
    // reference-test: CHILD_OF into trace ff, CHILD_OF 2, FOLLOWS_FROM 2.
    expect(refs.parentSpanId).toBe('0000000000000002');
    expect(refs.links).toEqual([
      {
        traceId: '000000000000000000000000000000ff',
        spanId: '00000000000000ff',
        attributes: { 'opentracing.ref_type': 'child_of' },
      },
      {
        traceId: '00000000000000000000000000000001',
        spanId: '0000000000000002',
        attributes: { 'opentracing.ref_type': 'follows_from' },
      },
    ]);
    expect(child.parentSpanId).toBe('0000000000000002');
    expect(preserve.parentSpanId).toBe('0000000000000004');
    expect(general.parentSpanId).toBeUndefined();
  });

  test('warnings on spans and on the trace are ignored; the duplicated span id is reported by the trace', () => {
    const trace = traces[0];
    expect(trace?.issues.map((i) => i.kind)).toEqual(['duplicate-span-id']);
    expect(trace?.parentOf(preserve)?.name).toBe('reference-test');
  });
});

describe('jaeger-api/otlp2jaeger-out.jaeger.json (the query API answer)', () => {
  test('two spans of one trace, with kind and scope lifted out of the tags', () => {
    const spans = readFixture('jaeger-api/otlp2jaeger-out.jaeger.json');
    expect(spans).toHaveLength(2);
    expect(groupTraces(spans)).toHaveLength(1);
    const [span] = spans as [Span];
    expect(span.traceId).toBe('83a9efd15c1c98a977e0711cc93ee28b');
    expect(span.kind).toBe('server');
    expect(span.scope).toEqual({ name: 'telemetrygen', version: undefined });
    expect(span.attributes).toEqual({
      'net.peer.ip': '1.2.3.4',
      'peer.service': 'telemetrygen-client',
    });
    expect(span.durationNs).toBe(123_000);
  });
});

describe('shapes', () => {
  test('the download form: an array of spans with embedded processes, shared by content', () => {
    const process = {
      serviceName: 'api',
      tags: [{ key: 'host.name', type: 'string', value: 'h1' }],
    };
    const spans = read([
      { traceID: T, spanID: 'a1', operationName: 'a', startTime: 1, duration: 2, process },
      {
        traceID: T,
        spanID: 'a2',
        operationName: 'b',
        startTime: 1,
        duration: 2,
        process: { ...process },
        references: [{ refType: 'CHILD_OF', traceID: T, spanID: 'a1' }],
      },
      { traceID: T, spanID: 'a3', operationName: 'c', startTime: 1, duration: 2 },
    ]);
    expect(spans.map((s) => s.spanId)).toEqual([
      '00000000000000a1',
      '00000000000000a2',
      '00000000000000a3',
    ]);
    const [a, b, c] = spans as [Span, Span, Span];
    expect(a.resource.attributes).toEqual({ 'service.name': 'api', 'host.name': 'h1' });
    expect(b.resource).toBe(a.resource);
    expect(b.parentSpanId).toBe(a.spanId);
    expect(c.service).toBe('unknown_service');
  });

  test('a trace object without per-span trace ids takes the trace id of the trace', () => {
    const spans = read({
      traceID: 'F00D',
      spans: [{ spanID: '1', operationName: 'x', startTime: 5, duration: 1, processID: 'p' }],
      processes: { p: { serviceName: 's' } },
    });
    expect(spans[0]?.traceId).toBe('0000000000000000000000000000f00d');
  });

  test('several traces in one answer, and an empty answer', () => {
    const answer = doc([{}]) as { data: Record<string, unknown>[] };
    const second: Record<string, unknown> = {
      ...(answer.data[0] as Record<string, unknown>),
      traceID: 'cd'.repeat(16),
    };
    second.spans = (second.spans as Record<string, unknown>[]).map((s) => ({
      ...s,
      traceID: 'cd'.repeat(16),
    }));
    answer.data.push(second);
    expect(groupTraces(read(answer)).map((t) => t.traceId)).toEqual([T, 'cd'.repeat(16)]);
    expect(read({ data: [], total: 0, errors: null })).toEqual([]);
  });
});

describe('references', () => {
  const child = (refs: unknown, extra: Record<string, unknown> = {}) =>
    read(doc([{}, { references: refs, ...extra }]))[1] as Span;
  const ref = (refType: string, spanID: string, traceID = T) => ({ refType, traceID, spanID });

  test('with no CHILD_OF, the first FOLLOWS_FROM in the trace is the parent', () => {
    const span = child([ref('FOLLOWS_FROM', '1'), ref('FOLLOWS_FROM', '7')]);
    expect(span.parentSpanId).toBe('0000000000000001');
    expect(span.links.map((l) => l.spanId)).toEqual(['0000000000000007']);
  });

  test('a CHILD_OF after a FOLLOWS_FROM is still the parent', () => {
    const span = child([ref('FOLLOWS_FROM', '7'), ref('CHILD_OF', '1')]);
    expect(span.parentSpanId).toBe('0000000000000001');
    expect(span.links).toEqual([
      {
        traceId: T,
        spanId: '0000000000000007',
        attributes: { 'opentracing.ref_type': 'follows_from' },
      },
    ]);
  });

  test('a reference into another trace is a link, never the parent', () => {
    const other = 'ef'.repeat(16);
    const span = child([ref('CHILD_OF', '9', other), ref('FOLLOWS_FROM', '9', other)]);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.links.map((l) => [l.traceId, l.spanId])).toEqual([
      [other, '0000000000000009'],
      [other, '0000000000000009'],
    ]);
  });

  test('the legacy parentSpanID names the parent when no reference does', () => {
    expect(child([], { parentSpanID: '1' }).parentSpanId).toBe('0000000000000001');
    expect(child([ref('CHILD_OF', '5')], { parentSpanID: '1' }).parentSpanId).toBe(
      '0000000000000005',
    );
    expect(child([], { parentSpanID: '0000000000000000' }).parentSpanId).toBeUndefined();
  });

  test('a zero reference (a root written as a reference to nothing) is neither parent nor link', () => {
    const span = child([ref('CHILD_OF', '0000000000000000')]);
    expect(span.parentSpanId).toBeUndefined();
    expect(span.links).toEqual([]);
  });
});

describe('tags the OpenTelemetry → Jaeger translation adds', () => {
  const tag = (key: string, value: unknown, type = 'string') => ({ key, type, value });
  const one = (tags: unknown[], processes?: Record<string, unknown>) =>
    read(doc([{ tags }], processes))[0] as Span;

  test('span.kind, status, scope and translation artifacts are lifted out; other tags stay', () => {
    const span = one([
      tag('span.kind', 'client'),
      tag('otel.status_code', 'ERROR'),
      tag('otel.status_description', 'card declined'),
      tag('error', true, 'bool'),
      tag('otel.scope.name', '@opentelemetry/instrumentation-http'),
      tag('otel.scope.version', '0.52.0'),
      tag('w3c.tracestate', 'vendor=x'),
      tag('http.request.method', 'POST'),
      tag('http.response.status_code', 402, 'int64'),
    ]);
    expect(span.kind).toBe('client');
    expect(span.status).toEqual({ code: 'error', message: 'card declined' });
    expect(span.scope).toEqual({ name: '@opentelemetry/instrumentation-http', version: '0.52.0' });
    expect(span.attributes).toEqual({
      'http.request.method': 'POST',
      'http.response.status_code': 402,
    });
  });

  test('otel.library.* is the older name of the scope', () => {
    const span = one([tag('otel.library.name', 'lib'), tag('otel.library.version', '1.2')]);
    expect(span.scope).toEqual({ name: 'lib', version: '1.2' });
    expect(span.attributes).toEqual({});
  });

  test('OK status; unknown kinds stay attributes; error=false is the application’s tag', () => {
    const ok = one([tag('otel.status_code', 'OK'), tag('span.kind', 'weird')]);
    expect(ok.status.code).toBe('ok');
    expect(ok.kind).toBe('unspecified');
    expect(ok.attributes).toEqual({ 'span.kind': 'weird' });
    const notError = one([tag('error', false, 'bool')]);
    expect(notError.status.code).toBe('unset');
    expect(notError.attributes).toEqual({ error: false });
    const stringTrue = one([tag('error', 'true')]);
    expect(stringTrue.isError).toBe(true);
  });

  test('each kind is recognised', () => {
    for (const kind of ['server', 'client', 'producer', 'consumer', 'internal'] as const) {
      expect(one([tag('span.kind', kind)]).kind).toBe(kind);
    }
    expect(one([]).kind).toBe('unspecified');
  });

  test('process tags are resource attributes; the translator’s placeholder is no service', () => {
    const span = one([], {
      p1: {
        serviceName: 'OTLPResourceNoServiceName',
        tags: [tag('telemetry.sdk.language', 'nodejs'), tag('host.cpus', 8, 'int64')],
      },
    });
    expect(span.service).toBe('unknown_service');
    expect(span.resource.attributes).toEqual({
      'telemetry.sdk.language': 'nodejs',
      'host.cpus': 8,
    });
  });

  test('an exception log keeps its exception.* fields and is an exception of the span', () => {
    const span = read(
      doc([
        {
          logs: [
            {
              timestamp: 1_700_000_000_000_005,
              fields: [
                tag('event', 'exception'),
                tag('exception.type', 'TimeoutError'),
                tag('exception.message', 'upstream timed out'),
              ],
            },
          ],
        },
      ]),
    )[0] as Span;
    expect(span.events).toEqual([
      {
        name: 'exception',
        timeUnixNano: 1_700_000_000_000_005_000n,
        attributes: { 'exception.type': 'TimeoutError', 'exception.message': 'upstream timed out' },
      },
    ]);
    expect(span.exceptions[0]?.type).toBe('TimeoutError');
  });

  test('int64 strings within 2^53 are numbers; untyped tags keep their JSON type', () => {
    const span = one([
      tag('small', '42', 'int64'),
      tag('negative', '-9007199254740993', 'int64'),
      { key: 'untyped', value: 3 },
      tag('f', 'NaN', 'float64'),
    ]);
    expect(span.attributes.small).toBe(42);
    expect(span.attributes.negative).toBe(-9007199254740993n);
    expect(span.attributes.untyped).toBe(3);
    expect(span.attributes.f).toBeNaN();
  });
});

describe('errors name the file, the JSON path and the span', () => {
  const fail = (value: unknown) => failure(() => read(value, 'traces/jaeger.json'));

  test('input that is not Jaeger JSON at all', () => {
    expect(fail('hello').message).toMatch(/^traces\/jaeger\.json: not Jaeger JSON/);
    expect(fail({ data: {} }).message).toContain('(at data)');
  });

  test('a bad span id', () => {
    const e = fail(doc([{}, {}, { spanID: 'xyz' }]));
    expect(e.location).toMatchObject({ file: 'traces/jaeger.json', path: 'data[0].spans[2]' });
    expect(e.message).toContain('spanID "xyz" is not an id');
    expect(fail(doc([{ spanID: '0000000000000000' }])).message).toContain('all zeros');
    expect(fail(doc([{ spanID: '1'.repeat(17) }])).message).toContain('up to 16 hex digits');
  });

  test('a missing trace id, times and negative durations', () => {
    expect(
      fail([{ spanID: '1', operationName: 'x', startTime: 1, duration: 1 }]).message,
    ).toContain('the traceID is missing');
    const negative = fail(doc([{}, { duration: -5 }]));
    expect(negative.location).toMatchObject({
      path: 'data[0].spans[1]',
      spanId: '0000000000000002',
    });
    expect(negative.message).toContain('"duration" must be a non-negative number of microseconds');
    expect(fail(doc([{ startTime: undefined }])).message).toContain('no "startTime"');
  });

  test('tags that are not an array, a bad type, a bad int64', () => {
    const notArray = fail(doc([{ tags: { a: 1 } }]));
    expect(notArray.message).toContain('(at data[0].spans[0].tags, span 0000000000000001)');
    expect(notArray.message).toContain('"tags" must be an array');
    const badType = fail(doc([{ tags: [{ key: 'k', type: 'int32', value: 1 }] }]));
    expect(badType.location.path).toBe('data[0].spans[0].tags[0]');
    expect(badType.message).toContain('has type "int32"');
    const badInt = fail(doc([{ tags: [{ key: 'k', type: 'int64', value: '12a' }] }]));
    expect(badInt.message).toContain('tag "k" of type int64 has the value "12a"');
  });

  test('bad references, logs and processes', () => {
    const badRef = fail(doc([{ references: [{ refType: 'PARENT', spanID: '1' }] }]));
    expect(badRef.location.path).toBe('data[0].spans[0].references[0]');
    expect(badRef.message).toContain('neither CHILD_OF nor FOLLOWS_FROM');
    const badLog = fail(doc([{ logs: [{ fields: [] }] }]));
    expect(badLog.location.path).toBe('data[0].spans[0].logs[0]');
    const dangling = fail(doc([{ processID: 'p9' }]));
    expect(dangling.location.path).toBe('data[0].spans[0].processID');
    expect(dangling.message).toContain('"p9" names no entry of data[0].processes (it has p1)');
    const badProcess = fail(doc([{}], { p1: { serviceName: 7 } }));
    expect(badProcess.location.path).toBe('data[0].processes.p1.serviceName');
  });

  test('only InputError escapes, whatever the garbage', () => {
    const garbage: unknown[] = [
      [null],
      [{ spanID: 5 }],
      { traceID: T, spans: [null] },
      { traceID: T, spans: [{ spanID: '1', startTime: 'soon' }] },
      doc([{ logs: 'x' }]),
      doc([{ references: [null] }]),
      doc([{ tags: [null] }]),
      doc([{ tags: [{ key: 'b', type: 'binary', value: 5 }] }]),
      doc([{ process: 'x', processID: undefined }], undefined),
      { traceID: T, spans: [], processes: [] },
    ];
    for (const value of garbage) expect(fail(value)).toBeInstanceOf(InputError);
  });
});

test('reader contract: format name', () => {
  const reader: FormatReader = jaegerJson;
  expect(reader.format).toBe('jaeger-json');
});
