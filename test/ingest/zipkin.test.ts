import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import type { ReadContext } from '../../src/ingest/format';
import { jaegerJson } from '../../src/ingest/jaeger';
import { TIME_DERIVED_ATTRIBUTE, zipkinJson } from '../../src/ingest/zipkin';
import { groupTraces, type Span, type Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';

interface TestContext extends ReadContext {
  readonly warnings: string[];
  warn(message: string): void;
}

function context(file: string | undefined): TestContext {
  const pool = new Map<string, string>();
  const warnings: string[] = [];
  return {
    file,
    line: undefined,
    warnings,
    warn: (message) => warnings.push(message),
    intern(text) {
      const known = pool.get(text);
      if (known !== undefined) return known;
      pool.set(text, text);
      return text;
    },
  };
}

function read(value: unknown, ctx: ReadContext = context('inline.json')): Span[] {
  const spans: Span[] = [];
  zipkinJson.read(value, ctx, (span) => spans.push(span));
  return spans;
}

function parseFixture(name: string): unknown {
  return JSON.parse(readFileSync(realFixture(`zipkin/${name}`), 'utf8'));
}

function readFixture(name: string, ctx = context(realFixture(`zipkin/${name}`))): Span[] {
  return read(parseFixture(name), ctx);
}

function only(spans: readonly Span[], predicate: (s: Span) => boolean): Span {
  const found = spans.filter(predicate);
  if (found.length !== 1) throw new Error(`expected one matching span, found ${found.length}`);
  return found[0] as Span;
}
const withId = (spans: readonly Span[], id: string, kind?: string) =>
  only(spans, (s) => s.spanId === id && (kind === undefined || s.kind === kind));

function failure(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

const T = '463ac35c9f6413ad48485a3953bb6124';
const us = (micros: number) => BigInt(micros) * 1000n;

/** A minimal Zipkin span; `over` replaces or adds fields. */
function zspan(id: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    traceId: T,
    id,
    name: `op-${id}`,
    timestamp: 1_700_000_000_000_000,
    duration: 100,
    localEndpoint: { serviceName: 'svc' },
    ...over,
  };
}

const FIXTURES = readdirSync(realFixture('zipkin')).filter((f) => f.endsWith('.json'));

describe('zipkinJson.detect', () => {
  test('claims every Zipkin fixture, an empty array, and the /api/v2/traces array of arrays', () => {
    expect(FIXTURES).toHaveLength(10);
    for (const f of FIXTURES) expect([f, zipkinJson.detect(parseFixture(f))]).toEqual([f, true]);
    expect(zipkinJson.detect([])).toBe(true);
    expect(zipkinJson.detect([[zspan('1')], [zspan('2')]])).toBe(true);
  });

  test('says no to Jaeger and OTLP fixtures and to other shapes', () => {
    const others = [
      'jaeger-formats/ui_01.jaeger.json',
      'jaeger-api/otlp2jaeger-out.jaeger.json',
      'jaeger-api/otlp2jaeger-in.otlp.json',
      'jaeger-formats/api_v3_GetTrace.json',
      'jaeger-formats/log_tags_trace.otlp.json',
      'jaeger-formats/multiple1_trace.otlp.json',
      'otlp-proto/trace.json',
      ...readdirSync(realFixture('jaeger-skills')).map((f) => `jaeger-skills/${f}`),
    ];
    for (const f of others) {
      const value = JSON.parse(readFileSync(realFixture(f), 'utf8'));
      expect([f, zipkinJson.detect(value)]).toEqual([f, false]);
    }
    for (const value of [null, {}, 'x', [1], [{ traceID: T, spanID: '1' }], [{ traceId: T }]]) {
      expect(zipkinJson.detect(value)).toBe(false);
    }
  });

  test('the Jaeger reader says no to every Zipkin fixture', () => {
    for (const f of FIXTURES) expect([f, jaegerJson.detect(parseFixture(f))]).toEqual([f, false]);
  });
});

describe('every Zipkin fixture', () => {
  // Spans and traces per file, counted from the files; SmartThings' mobile trace has 84
  // untimed pieces of spans reported in full elsewhere, merged into them (1041 - 84).
  const expected: Record<string, [spans: number, traces: number]> = {
    'ascend.json': [8, 1],
    'envoy.json': [1, 1],
    'messaging-kafka.json': [28, 1],
    'messaging.json': [4, 1],
    'messaging2.json': [11, 1],
    'simple-db-p6.json': [5, 1],
    'skew.json': [4, 1],
    'smartthings-mobile-web-install.json': [957, 1],
    'smartthings-oauth-authorization.json': [175, 1],
    'yelp.json': [16, 1],
  };
  test.each(FIXTURES)('%s reads into the expected spans and traces', (name) => {
    const spans = readFixture(name);
    const traces = groupTraces(spans);
    expect([spans.length, traces.length]).toEqual(expected[name]);
    // One assertion over all spans: a thousand expect() calls would be most of the run.
    // Every span of these files has some time of its own or of its trace: none at the epoch.
    const wrong = spans.filter(
      (s) =>
        !/^[0-9a-f]{32}$/.test(s.traceId) ||
        !/^[0-9a-f]{16}$/.test(s.spanId) ||
        s.endTimeUnixNano < s.startTimeUnixNano ||
        s.startTimeUnixNano <= 0n,
    );
    expect(wrong).toEqual([]);
  });
});

describe('skew.json: clock skew, and a client/server pair sharing one id', () => {
  const spans = readFixture('skew.json');
  const [trace] = groupTraces(spans) as [Trace];

  test('the 64-bit trace id is padded; get is the root', () => {
    expect(trace.traceId).toBe('00000000000000001e223ff1f80f1c69');
    expect(trace.root?.name).toBe('get');
    expect(trace.root?.service).toBe('servicea');
  });

  test('the shared server half nests under its client half, and its child under it', () => {
    const client = withId(spans, '74280ae0c10d8062', 'client');
    const server = withId(spans, '74280ae0c10d8062', 'server');
    const async = withId(spans, '43210ae0c10d1234');
    expect(server.shared).toBe(true);
    expect(client.shared).toBe(false);
    expect(client.service).toBe('servicea');
    expect(server.service).toBe('serviceb');
    expect(trace.parentOf(client)?.name).toBe('get');
    expect(trace.parentOf(server)).toBe(client);
    expect(trace.parentOf(async)).toBe(server);
    expect(async.kind).toBe('internal');
    expect(async.durationNs).toBe(65_000_000);
  });

  test('the skew is reported, not corrected: the server half starts before its client', () => {
    expect(trace.issues.map((i) => i.kind)).toEqual(['clock-skew']);
    const server = withId(spans, '74280ae0c10d8062', 'server');
    expect(server.startTimeUnixNano).toBe(us(1470150004008761));
  });
});

describe('values looked up in the fixtures', () => {
  test('ascend.json: endpoints become shared resources and peer attributes', () => {
    const spans = readFixture('ascend.json');
    const auth = withId(spans, '52b1ab4956917c39', 'server');
    expect(auth.resource.attributes).toEqual({
      'service.name': 'auth-service',
      'network.local.address': '172.17.0.9',
      'network.local.port': 8080,
    });
    expect(withId(spans, '80c0d1d62f437a1b').resource).toBe(auth.resource);
    const gateway = spans.filter((s) => s.service === 'mobile-gateway');
    expect(gateway).toHaveLength(3);
    expect(new Set(gateway.map((s) => s.resource)).size).toBe(1);
    const content = withId(spans, 'ecc00062ceef4bf0', 'server');
    expect(content.attributes['network.peer.address']).toBe('10.230.16.208');
    expect(content.attributes['network.peer.port']).toBe(3400);
    expect(withId(spans, '80c0d1d62f437a1b').kind).toBe('internal');
  });

  test('envoy.json: no service name means unknown_service, the address is still kept', () => {
    const [span] = readFixture('envoy.json') as [Span];
    expect(span.service).toBe('unknown_service');
    expect(span.resource.attributes).toEqual({ 'network.local.address': '169.254.65.45' });
    expect(span.kind).toBe('server');
    expect(span.durationNs).toBe(127_115_000);
  });

  test('messaging.json: producer, consumer, the broker as peer.service, an ipv6 peer', () => {
    const spans = readFixture('messaging.json');
    const consumer = withId(spans, 'e457b5a2e4d86bd1');
    expect(consumer.kind).toBe('consumer');
    expect(consumer.attributes['peer.service']).toBe('rabbitmq');
    expect(withId(spans, '05e3ac9a4f6e3b90').kind).toBe('producer');
    const root = withId(spans, 'b33447baae403ed6');
    expect(root.attributes['network.peer.address']).toBe('::1');
    expect(root.attributes['network.peer.port']).toBe(54602);
  });

  test('messaging-kafka.json: the error tag, with a message and empty', () => {
    const spans = readFixture('messaging-kafka.json');
    expect(withId(spans, '2f77d5b0b8e0de35').status).toEqual({
      code: 'error',
      message: 'some error',
    });
    const empty = withId(spans, '568b33e6af8a225a');
    expect(empty.status).toEqual({ code: 'error', message: '' });
    expect('error' in empty.attributes).toBe(false);
    expect(spans.filter((s) => s.isError)).toHaveLength(3);
    const kinds = spans.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'consumer')).toHaveLength(7);
    expect(kinds.filter((k) => k === 'producer')).toHaveLength(9);
    expect(kinds.filter((k) => k === 'internal')).toHaveLength(12);
  });

  test('messaging2.json: spans naming a parent that is not in the file are orphans', () => {
    const [trace] = groupTraces(readFixture('messaging2.json')) as [Trace];
    expect(trace.roots).toHaveLength(7);
    expect(trace.issues.filter((i) => i.kind === 'orphan')).toHaveLength(6);
  });

  test('simple-db-p6.json: a server with four database calls', () => {
    const [trace] = groupTraces(readFixture('simple-db-p6.json')) as [Trace];
    const root = trace.root as Span;
    expect(root.name).toBe('http:/book');
    expect(root.durationNs).toBe(252_016_000);
    const calls = trace.childrenOf(root);
    expect(calls).toHaveLength(4);
    for (const call of calls) {
      expect(call.kind).toBe('client');
      expect(call.attributes['peer.service']).toBe('app_db');
    }
  });

  test('yelp.json: annotations are events; a service literally named "unknown" is kept', () => {
    const spans = readFixture('yelp.json');
    const proxy = withId(spans, '668ed78ad94b35a1', 'server');
    expect(proxy.events).toEqual([
      { name: 'py_zipkin.logging_end', timeUnixNano: us(1571896375355436), attributes: {} },
    ]);
    expect(withId(spans, '668ed78ad94b35a1', 'client').service).toBe('unknown');
    expect(withId(spans, '2e8cfb154b59a41f').service).toBe('routing');
  });

  test('smartthings-mobile-web-install.json: untimed pieces merged, unfinished spans marked', () => {
    const ctx = context('smartthings.json');
    const spans = readFixture('smartthings-mobile-web-install.json', ctx);
    // a0dc23f22c4fee3f: an untimed piece (index 0) of the shared server span at index 55.
    const pair = spans.filter((s) => s.spanId === 'a0dc23f22c4fee3f');
    expect(pair.map((s) => [s.kind, s.service])).toEqual([
      ['server', 'platformapi'],
      ['client', 'strongman'],
    ]);
    expect(pair[0]?.startTimeUnixNano).toBe(us(1543549825673008));
    const derived = new Map<unknown, number>();
    for (const s of spans) {
      const how = s.attributes[TIME_DERIVED_ATTRIBUTE];
      if (how !== undefined) derived.set(how, (derived.get(how) ?? 0) + 1);
    }
    expect(Object.fromEntries(derived)).toEqual({ unfinished: 83, 'zero-duration': 8 });
    // Brave flushed it ten seconds later without finishing it: the end is unknown, not 10s.
    const flushed = withId(spans, '87c35c338e0cbc1b');
    expect(flushed.startTimeUnixNano).toBe(us(1543549825773992));
    expect(flushed.durationNs).toBe(0);
    expect(flushed.attributes[TIME_DERIVED_ATTRIBUTE]).toBe('unfinished');
    expect(flushed.events.map((e) => e.name)).toEqual(['brave.flush']);
    expect(withId(spans, '71687cb74971c332', 'client').status).toEqual({
      code: 'error',
      message: '404',
    });
    expect(ctx.warnings).toEqual([
      'smartthings.json: 84 Zipkin span piece(s) without times were merged into the span of the same id and endpoint',
      `smartthings.json: 91 Zipkin span(s) lacked a timestamp or duration; their times are derived and marked with the attribute ${TIME_DERIVED_ATTRIBUTE} (8 zero-duration, 83 unfinished); durations of these spans are not measurements`,
    ]);
  });

  test('smartthings-oauth-authorization.json: nameless shared servers, servers without duration', () => {
    const spans = readFixture('smartthings-oauth-authorization.json');
    const nameless = spans.filter((s) => s.name === '');
    expect(nameless).toHaveLength(6);
    for (const s of nameless) expect(s.shared).toBe(true);
    const noDuration = spans.filter(
      (s) => s.attributes[TIME_DERIVED_ATTRIBUTE] === 'zero-duration',
    );
    expect(noDuration).toHaveLength(19);
    for (const s of noDuration) expect(s.durationNs).toBe(0);
    expect(withId(spans, 'c47bff7f7964b321', 'server').status.message).toBe('401');
  });
});

describe('fields and edge cases', () => {
  test('uppercase hex, 64-bit trace ids, zero parent ids', () => {
    const [span] = read([
      zspan('00F067AA0BA902B7', { traceId: '4BF92F3577B34DA6', parentId: '0000000000000000' }),
    ]) as [Span];
    expect(span.traceId).toBe('00000000000000004bf92f3577b34da6');
    expect(span.spanId).toBe('00f067aa0ba902b7');
    expect(span.parentSpanId).toBeUndefined();
  });

  test('no localEndpoint: unknown_service; no kind: internal; debug is ignored', () => {
    const [span] = read([zspan('1', { localEndpoint: undefined, debug: true })]) as [Span];
    expect(span.service).toBe('unknown_service');
    expect(span.kind).toBe('internal');
    expect(span.attributes).toEqual({});
  });

  test('spans of several traces in one array, and an array of traces', () => {
    const other = 'fe'.repeat(16);
    const flat = read([zspan('1'), zspan('2', { traceId: other }), zspan('3', { parentId: '1' })]);
    expect(groupTraces(flat).map((t) => [t.traceId, t.spans.length])).toEqual([
      [T, 2],
      [other, 1],
    ]);
    const nested = read([
      [zspan('1'), zspan('3', { parentId: '1' })],
      [zspan('2', { traceId: other })],
    ]);
    expect(nested.map((s) => s.spanId.slice(-1))).toEqual(['1', '3', '2']);
  });

  test('one Resource per distinct local endpoint', () => {
    const spans = read([
      zspan('1', { localEndpoint: { serviceName: 'a', ipv4: '10.0.0.1', port: 80 } }),
      zspan('2', { localEndpoint: { serviceName: 'a', ipv4: '10.0.0.1', port: 80 } }),
      zspan('3', { localEndpoint: { serviceName: 'a', ipv4: '10.0.0.1', port: 81 } }),
      zspan('4', { localEndpoint: { serviceName: 'a', ipv6: '::1' } }),
    ]);
    const [a, b, c, d] = spans as [Span, Span, Span, Span];
    expect(b.resource).toBe(a.resource);
    expect(c.resource).not.toBe(a.resource);
    expect(d.resource.attributes).toEqual({ 'service.name': 'a', 'network.local.address': '::1' });
  });

  test('tags are string attributes; a tag wins over the remote endpoint it duplicates', () => {
    const [span] = read([
      zspan('1', {
        kind: 'CLIENT',
        tags: { 'http.method': 'GET', 'peer.service': 'from-tag', retries: 3 },
        remoteEndpoint: { serviceName: 'from-endpoint', ipv4: '10.1.1.1', port: 5432 },
      }),
    ]) as [Span];
    expect(span.attributes).toEqual({
      'http.method': 'GET',
      'peer.service': 'from-tag',
      retries: '3',
      'network.peer.address': '10.1.1.1',
      'network.peer.port': 5432,
    });
  });

  test('the OpenTelemetry → Zipkin status and scope tags are lifted', () => {
    const [failed, ok] = read([
      zspan('1', {
        tags: {
          'otel.status_code': 'ERROR',
          error: 'card declined',
          'otel.scope.name': 'checkout-lib',
          'otel.scope.version': '2.0.0',
          plan: 'gold',
        },
      }),
      zspan('2', { tags: { 'otel.status_code': 'OK', 'otel.library.name': 'old-lib' } }),
    ]) as [Span, Span];
    expect(failed.status).toEqual({ code: 'error', message: 'card declined' });
    expect(failed.scope).toEqual({ name: 'checkout-lib', version: '2.0.0' });
    expect(failed.attributes).toEqual({ plan: 'gold' });
    expect(ok.status.code).toBe('ok');
    expect(ok.scope).toEqual({ name: 'old-lib', version: undefined });
  });

  test('shared and kinds, in any case', () => {
    const spans = read([
      zspan('1', { kind: 'client' }),
      zspan('1', { kind: 'SERVER', shared: true }),
      zspan('2', { kind: 'PRODUCER' }),
      zspan('3', { kind: 'Consumer' }),
    ]);
    expect(spans.map((s) => [s.kind, s.shared])).toEqual([
      ['client', false],
      ['server', true],
      ['producer', false],
      ['consumer', false],
    ]);
  });

  test('a server half without the shared flag, after a client of the same id, is marked shared', () => {
    const spans = read([
      zspan('1', { kind: 'CLIENT', timestamp: 1_700_000_000_000_000 }),
      zspan('1', { kind: 'SERVER', timestamp: 1_700_000_000_000_010 }),
      zspan('2', { parentId: '1', timestamp: 1_700_000_000_000_020 }),
      // Same id in another trace: not the client's partner.
      zspan('1', { kind: 'SERVER', traceId: 'aa'.repeat(16) }),
    ]);
    expect(spans.map((s) => s.shared)).toEqual([false, true, false, false]);
    const [trace] = groupTraces(spans) as [Trace];
    expect(trace.issues).toEqual([]);
    expect(trace.parentOf(spans[1] as Span)).toBe(spans[0]);
    expect(trace.parentOf(spans[2] as Span)).toBe(spans[1]);
  });

  test('shared on a client span is ignored, as Zipkin does', () => {
    const [span] = read([zspan('1', { kind: 'CLIENT', shared: true })]) as [Span];
    expect(span.shared).toBe(false);
  });

  test('ids are hex only, even at the length where base64 would fit', () => {
    expect(failure(() => read([zspan('AAAAAAAAAAE=')])).reason).toContain('is not an id');
    expect(read([zspan('0123456789ab')])[0]?.spanId).toBe('00000123456789ab');
  });

  test('fractional microseconds keep their nanoseconds', () => {
    const [span] = read([zspan('1', { timestamp: 1_700_000_000_000_000.5, duration: 1.234 })]) as [
      Span,
    ];
    expect(span.startTimeUnixNano).toBe(1_700_000_000_000_000_500n);
    expect(span.durationNs).toBe(1234);
  });
});

describe('missing times', () => {
  const derivedOf = (s: Span) => s.attributes[TIME_DERIVED_ATTRIBUTE];
  const T0 = 1_700_000_000_000_000;

  test('no time at all: zero length at the parent’s start', () => {
    const [, child] = read([
      zspan('1', { timestamp: T0 + 50 }),
      zspan('2', { parentId: '1', timestamp: undefined, duration: undefined }),
    ]) as [Span, Span];
    expect(child.startTimeUnixNano).toBe(us(T0 + 50));
    expect(child.durationNs).toBe(0);
    expect(derivedOf(child)).toBe('parent-start');
  });

  test('a duration without a timestamp is kept, from the parent’s start', () => {
    const [, child] = read([
      zspan('1', { timestamp: T0 }),
      zspan('2', { parentId: '1', timestamp: 0, duration: 40 }),
    ]) as [Span, Span];
    expect(child.startTimeUnixNano).toBe(us(T0));
    expect(child.durationNs).toBe(40_000);
  });

  test('untimed ancestors are walked up to the nearest timed one, whatever the order', () => {
    const spans = read([
      zspan('3', { parentId: '2', timestamp: undefined, duration: undefined }),
      zspan('2', { parentId: '1', timestamp: undefined, duration: undefined }),
      zspan('1', { timestamp: T0 + 7 }),
    ]);
    for (const s of spans) expect(s.startTimeUnixNano).toBe(us(T0 + 7));
    expect(derivedOf(spans[0] as Span)).toBe('parent-start');
  });

  test('no timed ancestor: the earliest time of its own trace, not of another trace', () => {
    const spans = read([
      zspan('9', { traceId: 'ee'.repeat(16), timestamp: T0 - 1_000_000 }),
      zspan('1', { timestamp: T0 + 30 }),
      zspan('2', { timestamp: T0 + 10 }),
      zspan('3', { parentId: 'abc', timestamp: undefined, duration: undefined }),
    ]);
    const orphan = spans[3] as Span;
    expect(orphan.startTimeUnixNano).toBe(us(T0 + 10));
    expect(derivedOf(orphan)).toBe('trace-start');
  });

  test('a trace with no time anywhere sits at the epoch, and says so', () => {
    const [span] = read([zspan('1', { timestamp: undefined, duration: undefined })]) as [Span];
    expect(span.startTimeUnixNano).toBe(0n);
    expect(derivedOf(span)).toBe('unknown');
  });

  test('annotations give the times they can', () => {
    const [noStart, noEnd, nothingLater] = read([
      zspan('1', {
        timestamp: undefined,
        duration: undefined,
        annotations: [
          { timestamp: T0 + 9, value: 'cr' },
          { timestamp: T0 + 2, value: 'cs' },
        ],
      }),
      zspan('2', { duration: undefined, annotations: [{ timestamp: T0 + 70, value: 'wr' }] }),
      zspan('3', { duration: undefined }),
    ]) as [Span, Span, Span];
    expect([noStart.startTimeUnixNano, noStart.endTimeUnixNano]).toEqual([us(T0 + 2), us(T0 + 9)]);
    expect(derivedOf(noStart)).toBe('start-from-annotations');
    expect(noEnd.durationNs).toBe(70_000);
    expect(derivedOf(noEnd)).toBe('end-from-annotations');
    expect(nothingLater.durationNs).toBe(0);
    expect(derivedOf(nothingLater)).toBe('zero-duration');
  });

  test('a timed span keeps no marker', () => {
    const [span] = read([zspan('1')]) as [Span];
    expect(derivedOf(span)).toBeUndefined();
  });

  test('an untimed piece merges into its span only when nothing contradicts it', () => {
    const spans = read([
      zspan('1', { timestamp: T0 }),
      zspan('2', {
        parentId: '1',
        kind: 'SERVER',
        shared: true,
        timestamp: T0 + 5,
        localEndpoint: { serviceName: 'api', ipv4: '10.0.0.2' },
      }),
      // A piece of the server span: same id, compatible endpoint, no kind.
      {
        traceId: T,
        id: '2',
        parentId: '1',
        localEndpoint: { serviceName: 'api' },
        tags: { 'http.route': '/pay', error: 'timeout' },
        remoteEndpoint: { serviceName: 'web' },
      },
      // Same id, another service: not a piece of it, placed on its own.
      { traceId: T, id: '2', parentId: '1', name: 'x', localEndpoint: { serviceName: 'other' } },
      // Same id and service, but a different kind: not a piece either.
      { traceId: T, id: '2', parentId: '1', kind: 'CLIENT', localEndpoint: { serviceName: 'api' } },
    ]);
    expect(spans).toHaveLength(4);
    const server = spans[1] as Span;
    expect(server.attributes).toEqual({ 'http.route': '/pay', 'peer.service': 'web' });
    expect(server.status).toEqual({ code: 'error', message: 'timeout' });
    expect(server.resource.attributes['network.local.address']).toBe('10.0.0.2');
    expect(spans.slice(2).map((s) => [s.service, derivedOf(s)])).toEqual([
      ['other', 'parent-start'],
      ['api', 'parent-start'],
    ]);
  });

  test('without a warning sink, nothing is reported and nothing breaks', () => {
    const plain: ReadContext = { file: undefined, line: undefined, intern: (t) => t };
    expect(read([zspan('1', { duration: undefined })], plain)).toHaveLength(1);
  });
});

describe('errors name the file, the JSON path and the span', () => {
  const FILE = 'traces/zipkin.json';
  const fail = (value: unknown) => failure(() => read(value, context(FILE)));
  const thirteen = (bad: Record<string, unknown>) => {
    const spans: unknown[] = [];
    for (let i = 1; i <= 12; i++) spans.push(zspan(i.toString(16)));
    spans.push(bad);
    return spans;
  };

  test('a bad id, at [12] for the 13th span', () => {
    const e = fail(thirteen(zspan('not-hex')));
    expect(e.location).toEqual({ file: FILE, line: undefined, path: '[12]', spanId: undefined });
    expect(e.message).toBe(
      'traces/zipkin.json (at [12]): id "not-hex" is not an id: expected up to 16 hex digits',
    );
    const badTrace = fail(thirteen(zspan('d', { traceId: 'x'.repeat(32) })));
    expect(badTrace.message).toContain('(at [12], span 000000000000000d)');
    expect(fail([zspan('1', { traceId: '1'.repeat(33) })]).message).toContain(
      'up to 32 hex digits',
    );
    expect(fail([zspan('0')]).message).toContain('all zeros');
  });

  test('a negative duration', () => {
    const e = fail(thirteen(zspan('d', { duration: -3 })));
    expect(e.location.path).toBe('[12].duration');
    expect(e.location.spanId).toBe('000000000000000d');
    expect(e.reason).toBe('"duration" is -3: a span cannot end before it starts');
  });

  test('tags that are not an object of strings', () => {
    const array = fail([zspan('1', { tags: [['http.method', 'GET']] })]);
    expect(array.location.path).toBe('[0].tags');
    expect(array.reason).toContain('"tags" must be an object of string values');
    const nested = fail([zspan('1', { tags: { 'http.headers': { a: 1 } } })]);
    expect(nested.location.path).toBe('[0].tags["http.headers"]');
  });

  test('kinds, endpoints, annotations, and Zipkin v1', () => {
    expect(fail([zspan('1', { kind: 'RPC' })]).reason).toContain('"kind" is "RPC"');
    expect(fail([zspan('1', { localEndpoint: { port: 'http' } })]).location.path).toBe(
      '[0].localEndpoint.port',
    );
    expect(fail([zspan('1', { remoteEndpoint: 'db' })]).location.path).toBe('[0].remoteEndpoint');
    const annotation = fail([zspan('1', { annotations: [{ value: 'cs' }] })]);
    expect(annotation.location.path).toBe('[0].annotations[0]');
    expect(annotation.reason).toContain('no "timestamp"');
    const v1 = fail([{ traceId: T, id: '1', annotations: [], binaryAnnotations: [] }]);
    expect(v1.reason).toContain('Zipkin v1');
  });

  test('the array of traces names both indexes', () => {
    expect(fail([[zspan('1')], [zspan('2'), zspan('zz')]]).location.path).toBe('[1][1]');
  });

  test('only InputError escapes, whatever the garbage', () => {
    const garbage: unknown[] = [
      { traceId: T },
      [null],
      ['span'],
      [zspan('1', { timestamp: 'soon' })],
      [zspan('1', { timestamp: -1 })],
      [zspan('1', { name: 5 })],
      [zspan('1', { annotations: {} })],
      [zspan('1', { annotations: [{ timestamp: 1, value: 2 }] })],
      [zspan('1', { localEndpoint: { serviceName: 3 } })],
      [zspan('1', { parentId: 'q' })],
      [zspan('1', { kind: 1 })],
    ];
    for (const value of garbage) expect(fail(value)).toBeInstanceOf(InputError);
  });
});
