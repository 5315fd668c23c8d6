import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { loadTraces } from '../../src/ingest';
import type { Span, Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';

/** Every OTLP/JSON file among the shared real fixtures. */
const OTLP_FIXTURES = [
  'jaeger-skills/error_timeout_masked.json',
  'jaeger-skills/n_plus_one_full_concurrent.json',
  'jaeger-skills/n_plus_one_full_serial.json',
  'jaeger-skills/n_plus_one_near_miss.json',
  'jaeger-skills/n_plus_one_positive.json',
  'jaeger-skills/sibling_errors.json',
  'jaeger-formats/log_tags_trace.otlp.json',
  'jaeger-formats/multiple1_trace.otlp.json',
  'jaeger-formats/api_v3_GetTrace.json',
  'otlp-proto/trace.json',
  'jaeger-api/otlp2jaeger-in.otlp.json',
];

interface RawSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
  events?: { name?: string; timeUnixNano: string }[];
  status?: { code?: number | string; message?: string };
}
interface RawRequest {
  resourceSpans: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: RawSpan[] }[];
  }[];
}

/** The spans as the file has them, walked independently of the reader, with their service. */
function rawSpans(path: string): { span: RawSpan; service: string }[] {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as RawRequest & { result?: RawRequest };
  const req = doc.result ?? doc;
  return req.resourceSpans.flatMap((rs) => {
    const name = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue;
    return rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((span) => ({ span, service: name ?? 'unknown_service' })),
    );
  });
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const kindOf = (k: RawSpan['kind']) =>
  k === undefined ? 'unspecified' : typeof k === 'number' ? KINDS[k] : k.slice(10).toLowerCase();
const statusOf = (c: number | string | undefined) =>
  c === undefined || c === 0
    ? 'unset'
    : c === 1
      ? 'ok'
      : c === 2
        ? 'error'
        : String(c).slice(12).toLowerCase();

const allSpans = (traces: Trace[]): Span[] => traces.flatMap((t) => [...t.spans]);

describe('real OTLP/JSON fixtures', () => {
  test.each(OTLP_FIXTURES)(
    '%s: every span, with ids, kinds, times and status as in the file',
    async (rel) => {
      const path = realFixture(rel);
      const raw = rawSpans(path);
      const traces = await loadTraces(path, { progress: false });
      const spans = allSpans(traces);
      expect(raw.length).toBeGreaterThan(0);
      expect(spans).toHaveLength(raw.length);
      expect(traces.map((t) => t.traceId).sort()).toEqual(
        [...new Set(raw.map((r) => r.span.traceId.toLowerCase()))].sort(),
      );
      for (const { span: r, service } of raw) {
        const s = spans.find(
          (x) =>
            x.spanId === r.spanId.toLowerCase() &&
            x.startTimeUnixNano === BigInt(r.startTimeUnixNano ?? 0),
        );
        expect(s).toBeDefined();
        if (!s) continue;
        expect(s.traceId).toBe(r.traceId.toLowerCase());
        expect(s.parentSpanId).toBe(r.parentSpanId ? r.parentSpanId.toLowerCase() : undefined);
        expect(s.name).toBe(r.name ?? '');
        expect(s.service).toBe(service);
        expect(s.kind).toBe(kindOf(r.kind));
        expect(s.endTimeUnixNano).toBe(BigInt(r.endTimeUnixNano ?? 0));
        expect(s.status.code).toBe(statusOf(r.status?.code));
        expect(s.status.message).toBe(r.status?.message ?? '');
        expect(Object.keys(s.attributes).sort()).toEqual(
          [...new Set((r.attributes ?? []).map((a) => a.key))].sort(),
        );
        expect(s.events.map((e) => [e.name, e.timeUnixNano])).toEqual(
          (r.events ?? []).map((e) => [e.name ?? '', BigInt(e.timeUnixNano)]),
        );
      }
    },
  );

  test('error_timeout_masked.json: exact values of a few spans', async () => {
    const [trace, ...more] = await loadTraces(
      realFixture('jaeger-skills/error_timeout_masked.json'),
    );
    expect(more).toEqual([]);
    const t = trace as Trace;
    expect(t.traceId).toBe('3e241b731fcf87976a3d50f5a7cc4d94');
    expect(t.spans).toHaveLength(26);
    // The real trace has one: Envoy's and the frontend's clocks differ by 118µs.
    expect(t.issues.map((i) => i.kind)).toEqual(['clock-skew']);

    const root = t.root as Span;
    expect(root.spanId).toBe('3e77d7cad1306af6');
    expect(root.name).toBe('user_checkout_multi');
    expect(root.service).toBe('load-generator');
    expect(root.kind).toBe('client');
    // Nanosecond-exact: these do not survive a trip through a double.
    expect(root.startTimeUnixNano).toBe(1786060425527853051n);
    expect(root.endTimeUnixNano).toBe(1786060440608555014n);
    expect(root.durationNs).toBe(15_080_701_963);
    expect(root.attributes).toEqual({
      'item.count': 3,
      'user.id': 'a790148b-8331-4730-8b5e-cbc93b41be85',
    });

    const proxy = t.spanById('247a43490cfe60cd') as Span;
    expect(proxy.status).toEqual({ code: 'error', message: '' });
    expect(proxy.service).toBe('frontend-proxy');
    expect(proxy.kind).toBe('server');
    // An Envoy tag written as a string stays a string.
    expect(proxy.attributes['http.status_code']).toBe('504');
    expect(t.parentOf(proxy)).toBe(root);

    const redis = t.spanById('2743b416bcc31d52') as Span;
    expect(redis.service).toBe('cart');
    expect(redis.attributes['server.port']).toBe(6379);
    expect(redis.attributes['db.redis.database_index']).toBe(0);
    expect(redis.attributes['db.system']).toBe('redis');
    expect(redis.events).toEqual([
      { name: 'Enqueued', timeUnixNano: 1786060425569361900n, attributes: {} },
      { name: 'ResponseReceived', timeUnixNano: 1786060425569623900n, attributes: {} },
      { name: 'Sent', timeUnixNano: 1786060425569368000n, attributes: {} },
    ]);
    expect(redis.resource.attributes['host.cpu.cache.l2.size']).toBe(512);
    // One Resource object per resourceSpans, shared by its spans.
    const cartSpans = t.spans.filter((s) => s.service === 'cart');
    expect(cartSpans.length).toBeGreaterThan(1);
    for (const s of cartSpans) expect(s.resource).toBe(redis.resource);
  });

  test('n_plus_one_positive.json: event attributes are typed', async () => {
    const [trace] = await loadTraces(realFixture('jaeger-skills/n_plus_one_positive.json'));
    const driver = (trace as Trace).spanById('be56eec6f3678130') as Span;
    expect(driver.events[0]).toEqual({
      name: 'Retrying GetDriver after error',
      timeUnixNano: 1786057568523055032n,
      attributes: { error: 'redis timeout', level: 'error', retry_no: 1 },
    });
    const failing = (trace as Trace).spanById('c5f1def4c8a5c5ee') as Span;
    expect(failing.exceptions).toEqual([
      expect.objectContaining({ type: '*errors.errorString', message: 'redis timeout' }),
    ]);
  });

  test('sibling_errors.json: enum names (SPAN_KIND_*, STATUS_CODE_*) as Tempo writes them', async () => {
    const [trace] = await loadTraces(realFixture('jaeger-skills/sibling_errors.json'));
    const t = trace as Trace;
    expect(t.root?.kind).toBe('server');
    expect(t.root?.status).toEqual({ code: 'error', message: 'order failed' });
    const charge = t.spans.find(
      (s) => s.name === 'oteldemo.PaymentService/Charge' && s.kind === 'client',
    );
    expect(charge?.status).toEqual({ code: 'error', message: 'payment declined' });
    expect(t.childrenOf(t.root as Span).map((s) => s.kind)).toEqual(['client', 'client', 'client']);
  });

  test('otlp-proto/trace.json: upper-case hex ids come out lower-case, scope kept', async () => {
    const [trace] = await loadTraces(realFixture('otlp-proto/trace.json'));
    const s = (trace as Trace).spans[0] as Span;
    expect(s.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(s.spanId).toBe('eee19b7ec3c1b174');
    expect(s.parentSpanId).toBe('eee19b7ec3c1b173');
    expect(s.kind).toBe('server');
    expect(s.scope).toEqual({ name: 'my.library', version: '1.0.0' });
    expect(s.service).toBe('my.service');
    expect(s.attributes).toEqual({ 'my.span.attr': 'some value' });
    expect(s.durationNs).toBe(1e9);
    // Its parent is not in the file: kept, as an orphan root.
    expect((trace as Trace).isOrphan(s)).toBe(true);
  });

  test('log_tags_trace.otlp.json: every AnyValue type in event attributes', async () => {
    const [trace] = await loadTraces(realFixture('jaeger-formats/log_tags_trace.otlp.json'));
    const s = (trace as Trace).spans[0] as Span;
    expect(s.events).toHaveLength(2);
    const [first, second] = s.events;
    expect(first?.attributes).toEqual({
      sameplacetag1: 'sameplacevalue',
      sameplacetag2: 123,
      sameplacetag4: true,
      sameplacetag3: 72.5,
      blob: new Uint8Array([0, 0, 0x30, 0x39]),
    });
    expect(first?.attributes.blob).toBeInstanceOf(Uint8Array);
    expect(second).toEqual({ name: '', timeUnixNano: 1485449191639875000n, attributes: {} });
    expect(s.status.code).toBe('unset');
  });

  test('api_v3_GetTrace.json: the /api/v3 wrapper; a span without times is kept with a warning', async () => {
    const warnings: string[] = [];
    const path = realFixture('jaeger-formats/api_v3_GetTrace.json');
    const [trace] = await loadTraces(path, { onWarning: (m) => warnings.push(m) });
    const s = (trace as Trace).spans[0] as Span;
    expect(s.traceId).toBe('00000000000000000000000000000001');
    expect(s.spanId).toBe('0000000000000002');
    expect(s.name).toBe('foobar');
    expect(s.kind).toBe('server');
    expect(s.status.code).toBe('error');
    expect(s.startTimeUnixNano).toBe(0n);
    expect(s.endTimeUnixNano).toBe(0n);
    expect(warnings).toEqual([
      expect.stringContaining(`${path}: span has no startTimeUnixNano or endTimeUnixNano`),
    ]);
    expect(warnings[0]).toContain('result.resourceSpans[0].scopeSpans[0].spans[0]');
  });

  test('otlp2jaeger-in.otlp.json: two spans with one id are both kept, and reported', async () => {
    const [trace, ...more] = await loadTraces(realFixture('jaeger-api/otlp2jaeger-in.otlp.json'));
    expect(more).toEqual([]);
    const t = trace as Trace;
    expect(t.spans.map((s) => s.spanId)).toEqual(['e127af99e3b3e074', 'e127af99e3b3e074']);
    // The second copy nests under the first; only the first names a parent not in the file.
    expect(t.issues.map((i) => i.kind)).toEqual(['duplicate-span-id', 'orphan']);
    expect(t.spans[0]?.attributes).toEqual({
      'net.peer.ip': '1.2.3.4',
      'peer.service': 'telemetrygen-client',
    });
    expect(t.spans[0]?.scope).toEqual({ name: 'telemetrygen', version: undefined });
  });

  test('all fixtures at once through a glob: the same spans as one by one', async () => {
    const one = await Promise.all(OTLP_FIXTURES.map((f) => loadTraces(realFixture(f))));
    const dir = realFixture('jaeger-skills');
    const together = await loadTraces(`${dir}/*.json`);
    const bySkill = one.slice(0, 6).flat();
    expect(allSpans(together).length).toBe(allSpans(bySkill).length);
    expect(together.map((t) => t.traceId).sort()).toEqual(bySkill.map((t) => t.traceId).sort());
  });
});
