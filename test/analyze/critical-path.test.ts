import { describe, expect, test } from '@jest/globals';
import { type CriticalPath, findCriticalPath, timeOnPath } from '../../src/analyze';
import { loadTraces } from '../../src/ingest';
import type { Span, Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';
import { traceOf } from '../helpers/traces';

const names = (spans: readonly Span[]) => spans.map((s) => s.name);

/** Segments as `name start-end` in milliseconds from the trace's start, for readable expectations. */
const segments = (path: CriticalPath) =>
  path.segments.map((s) => `${s.span.name} ${s.startNs / 1e6}-${s.endNs / 1e6}`);

async function loadOne(path: string): Promise<Trace> {
  const traces = await loadTraces(realFixture(path));
  expect(traces).toHaveLength(1);
  return traces[0] as Trace;
}

describe('findCriticalPath on constructed traces', () => {
  test('a single span is the whole path', () => {
    const path = findCriticalPath(traceOf([{ id: '1', name: 'job', start: 0, end: 40 }]));
    expect(segments(path)).toEqual(['job 0-40']);
    expect(names(path.spans)).toEqual(['job']);
    expect(path.rootChoice).toBe('only-root');
    expect(path.durationNs).toBe(40e6);
    expect(path.overflow).toEqual([]);
  });

  test('a span of zero duration is its own path, with no time on it', () => {
    const path = findCriticalPath(traceOf([{ id: '1', name: 'mark', start: 5, end: 5 }]));
    expect(path.segments).toEqual([]);
    expect(names(path.spans)).toEqual(['mark']);
  });

  test('sequential children are all on it; the gaps between them are the parent’s own time', () => {
    const trace = traceOf([
      { id: '1', name: 'handler', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'auth', start: 10, end: 20 },
      { id: '3', parent: '1', name: 'query', start: 30, end: 80 },
      { id: '4', parent: '3', name: 'fetch rows', start: 40, end: 70 },
    ]);
    expect(segments(findCriticalPath(trace))).toEqual([
      'handler 0-10',
      'auth 10-20',
      'handler 20-30',
      'query 30-40',
      'fetch rows 40-70',
      'query 70-80',
      'handler 80-100',
    ]);
  });

  test('a start stamped to the whole millisecond may be up to 1ms early: the call before it stays on the path', () => {
    // As JS SDKs record it: `notify` started at 80.6ms but was stamped 80ms, so `charge`
    // (ending at 80.4ms) seems to run 0.4ms into it. The handler waited for charge, then notify.
    const trace = traceOf([
      { id: '1', name: 'handler', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'charge', start: 10.25, end: 80.4 },
      { id: '3', parent: '1', name: 'notify', start: 80, end: 95.5 },
    ]);
    expect(segments(findCriticalPath(trace))).toEqual([
      'handler 0-10.25',
      'charge 10.25-80',
      'notify 80-95.5',
      'handler 95.5-100',
    ]);
    // A start that is not a whole millisecond was measured: then the overlap is real.
    const measured = traceOf([
      { id: '1', name: 'handler', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'charge', start: 10.25, end: 80.4 },
      { id: '3', parent: '1', name: 'notify', start: 80.1, end: 95.5 },
    ]);
    expect(names(findCriticalPath(measured).spans)).toEqual(['handler', 'notify']);
  });

  test('of overlapping children, the one that ended last; the ones it overlaps are off the path', () => {
    // `slow` ends last (90), so the parent waited for it. `fast` ended at 50, after `slow`
    // started (20): it ran alongside and held nothing up. `early` ended (15) before `slow`
    // started, so the parent may have waited for it before starting `slow`.
    const trace = traceOf([
      { id: '1', name: 'fan-out', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'early', start: 5, end: 15 },
      { id: '3', parent: '1', name: 'slow', start: 20, end: 90 },
      { id: '4', parent: '1', name: 'fast', start: 10, end: 50 },
    ]);
    const path = findCriticalPath(trace);
    expect(segments(path)).toEqual([
      'fan-out 0-5',
      'early 5-15',
      'fan-out 15-20',
      'slow 20-90',
      'fan-out 90-100',
    ]);
    expect(names(path.spans)).toEqual(['fan-out', 'early', 'slow']);
  });

  test('of children ending together, the one that started first: it explains more of the wait', () => {
    const trace = traceOf([
      { id: '1', name: 'parent', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'short', start: 60, end: 90 },
      { id: '3', parent: '1', name: 'long', start: 10, end: 90 },
    ]);
    expect(segments(findCriticalPath(trace))).toEqual([
      'parent 0-10',
      'long 10-90',
      'parent 90-100',
    ]);
  });

  test('a child that outlives its parent is clipped to the parent’s end, and listed as overflow', () => {
    // The seed text's checkout: `Notification Service` (331–356ms) ends after `Order
    // Service` (1–351ms) and after the request (352ms). The request did not wait for it
    // past 351ms, so only 331–351ms of it is on the path; the root's duration is still
    // exactly accounted for.
    const trace = traceOf([
      { id: '1', name: 'POST /api/checkout', start: 0, end: 352 },
      { id: '2', parent: '1', name: 'Order Service', start: 1, end: 351 },
      { id: '3', parent: '2', name: 'Inventory Service', start: 3, end: 48 },
      { id: '4', parent: '2', name: 'Payment Gateway API', start: 50, end: 330 },
      { id: '5', parent: '2', name: 'Notification Service', start: 331, end: 356 },
    ]);
    const path = findCriticalPath(trace);
    expect(segments(path)).toEqual([
      'POST /api/checkout 0-1',
      'Order Service 1-3',
      'Inventory Service 3-48',
      'Order Service 48-50',
      'Payment Gateway API 50-330',
      'Order Service 330-331',
      'Notification Service 331-351',
      'POST /api/checkout 351-352',
    ]);
    expect(names(path.overflow)).toEqual(['Notification Service']);
    expect(timeOnPath(path).get(trace.spans[4] as Span)).toBe(20e6);
  });

  test('an asynchronous child that starts after its parent ended has no time on the path', () => {
    const trace = traceOf([
      { id: '1', name: 'POST /orders', start: 0, end: 30 },
      { id: '2', parent: '1', name: 'publish order.created', start: 10, end: 12 },
      { id: '3', parent: '2', name: 'consume order.created', start: 40, end: 90 },
    ]);
    const path = findCriticalPath(trace);
    expect(names(path.spans)).toEqual(['POST /orders', 'publish order.created']);
    expect(names(path.overflow)).toEqual(['consume order.created']);
    // The path explains the request, not the trace's end-to-end 90ms.
    expect(path.durationNs).toBe(30e6);
    expect(trace.durationNs).toBe(90e6);
  });

  test('a child that starts before its parent (clock skew) counts only from the parent’s start', () => {
    const trace = traceOf([
      { id: '1', name: 'client call', start: 10, end: 50 },
      { id: '2', parent: '1', name: 'server handler', start: 0, end: 45 },
    ]);
    expect(segments(findCriticalPath(trace))).toEqual([
      'server handler 10-45',
      'client call 45-50',
    ]);
  });

  test('with orphans, the path of the root that ended last, and it says so', () => {
    const trace = traceOf([
      { id: '1', name: 'GET /cart', start: 0, end: 20 },
      { id: '2', parent: 'lost', name: 'recalculate prices', start: 5, end: 60 },
      { id: '3', parent: '2', name: 'SELECT prices', start: 10, end: 50 },
    ]);
    const path = findCriticalPath(trace);
    expect(path.rootChoice).toBe('last-to-end');
    expect(path.root.name).toBe('recalculate prices');
    expect(names(path.spans)).toEqual(['recalculate prices', 'SELECT prices']);
  });

  test('a chain 100 000 spans deep does not overflow the stack', () => {
    const depth = 100_000;
    const specs = Array.from({ length: depth }, (_, i) => ({
      id: (i + 1).toString(16),
      ...(i > 0 ? { parent: i.toString(16) } : {}),
      start: i * 0.001,
      end: 1000 - i * 0.001,
    }));
    const path = findCriticalPath(traceOf(specs));
    expect(path.spans).toHaveLength(depth);
  });
});

describe('findCriticalPath on real traces (jaeger-skills: HotROD and the OpenTelemetry Demo)', () => {
  test('sibling_errors: calls made one after another are all on the path', async () => {
    // PlaceOrder (0–200ms) calls GetCart (5–15), Charge (20–60) and SendOrderConfirmation
    // (120–180) in turn, none overlapping, so each one, and the server span under it, is
    // what PlaceOrder was waiting for at the time. Its own time fills the gaps.
    const path = findCriticalPath(await loadOne('jaeger-skills/sibling_errors.json'));
    expect(path.spans.map((s) => `${s.name} [${s.service}]`)).toEqual([
      'oteldemo.CheckoutService/PlaceOrder [checkout]',
      'oteldemo.CartService/GetCart [checkout]',
      'oteldemo.PaymentService/Charge [checkout]',
      'oteldemo.PaymentService/Charge [payment]',
      'oteldemo.EmailService/SendOrderConfirmation [checkout]',
      'oteldemo.EmailService/SendOrderConfirmation [email]',
    ]);
    // 0–5, 15–20, 60–120 and 180–200ms.
    expect(timeOnPath(path).get(path.root)).toBe(90e6);
  });

  test('n_plus_one_full_concurrent: four of the ten parallel /route calls form the path', async () => {
    // The ten `HTTP GET` /route calls run three at a time (511–694ms). Walking back from the
    // end: the call that ends last (656.824–693.910ms) started right after the one ending
    // at 656.746 freed a slot; that one (596.872–656.746) after the one ending at 596.736
    // (554.504–596.736); that one after the one ending at 554.353 (511.111–554.353), which
    // started right after FindNearest (283.424–510.920) returned, itself after the customer
    // lookup (0.141–283.253). The other six calls ran alongside and held nothing up.
    const trace = await loadOne('jaeger-skills/n_plus_one_full_concurrent.json');
    const path = findCriticalPath(trace);
    const topLevel = path.spans.filter((s) => trace.parentOf(s) === path.root);
    const ms = (s: Span) => Number(s.startTimeUnixNano - trace.startTimeUnixNano) / 1e6;
    expect(topLevel.map((s) => `${s.name} @${ms(s).toFixed(3)}`)).toEqual([
      'HTTP GET @0.141',
      'driver.DriverService/FindNearest @283.424',
      'HTTP GET @511.111',
      'HTTP GET @554.504',
      'HTTP GET @596.872',
      'HTTP GET @656.824',
    ]);
    expect(path.spans.filter((s) => s.name === 'GET /route')).toHaveLength(4);
  });

  test('n_plus_one_full_serial: every span is on the path, as every call waits for the last', async () => {
    const trace = await loadOne('jaeger-skills/n_plus_one_full_serial.json');
    expect(findCriticalPath(trace).spans).toHaveLength(trace.spans.length);
  });

  test('n_plus_one_near_miss: the chain through the overlapping calls, and a 225ms gap of the root’s own', async () => {
    // After the first call (0.154–1309.726ms) the root does nothing traced until 1534.697:
    // that gap is its own time. Then: the call ending last (1662.489–1723.481) started
    // after the one ending at 1662.447 (1619.369–), which started after the one ending at
    // 1619.254 (1583.778–), which started after the one ending at 1583.622 (1534.719–).
    const trace = await loadOne('jaeger-skills/n_plus_one_near_miss.json');
    const path = findCriticalPath(trace);
    const ms = (ns: number) => (ns / 1e6).toFixed(3);
    expect(path.segments.map((s) => `${s.span.name} ${ms(s.startNs)}-${ms(s.endNs)}`)).toEqual([
      'GET /dispatch 0.000-0.154',
      'HTTP GET 0.154-1309.726',
      'GET /dispatch 1309.726-1534.719',
      'HTTP GET 1534.719-1583.622',
      'GET /dispatch 1583.622-1583.778',
      'HTTP GET 1583.778-1619.254',
      'GET /dispatch 1619.254-1619.369',
      'HTTP GET 1619.369-1662.447',
      'GET /dispatch 1662.447-1662.489',
      'HTTP GET 1662.489-1723.481',
      'GET /dispatch 1723.481-1723.560',
    ]);
  });

  test('error_timeout_masked: the frontend span behind the proxy’s 15s timeout, kept on the path by clipping', async () => {
    // The load generator's POST goes through frontend-proxy's `router frontend egress`
    // (78.897–15079.803ms) to the frontend's `POST` (79.147–15080.094), which ends 0.29ms
    // after the proxy's client span: the hosts' clocks differ. The time went into the
    // frontend; clipping it to 15079.803 keeps it on the path, where dropping it would
    // have charged 15 seconds to the proxy.
    const trace = await loadOne('jaeger-skills/error_timeout_masked.json');
    const path = findCriticalPath(trace);
    const frontendPost = path.spans.find((s) => s.name === 'POST' && s.service === 'frontend');
    expect(frontendPost).toBeDefined();
    expect((timeOnPath(path).get(frontendPost as Span) ?? 0) / 1e6).toBeCloseTo(15000.656, 2);
    // Three spans end after their parents: the product lookup's gRPC client (after the
    // API route span that made it), the cart's API route span (after its server span), and
    // that frontend POST.
    expect(path.overflow.map((s) => `${s.name} [${s.service}]`)).toEqual([
      'oteldemo.ProductCatalogService/GetProduct [frontend]',
      'executing api route (pages) /api/cart [frontend]',
      'POST [frontend]',
    ]);
  });

  test('n_plus_one_positive: most of the request is the root’s own (untraced) time', async () => {
    // Only FindNearest (1299.898–1512.297ms) was captured under the 1684.896ms root.
    const path = findCriticalPath(await loadOne('jaeger-skills/n_plus_one_positive.json'));
    expect((timeOnPath(path).get(path.root) ?? 0) / 1e6).toBeCloseTo(1684.896 - 212.399, 2);
  });
});

describe('findCriticalPath on real traces (zipkin)', () => {
  test('yelp: the slower of two overlapping calls is on the path; the parallel one is not', async () => {
    // The root makes two calls: `post` [unknown] (1.646–126.646ms) and `post` [yelp-main]
    // (49.646–105.646). The first ends last, so the request waited for it; the second ran
    // inside it and ended earlier, so the whole mobile_api branch under it is off the path.
    const path = findCriticalPath(await loadOne('zipkin/yelp.json'));
    const services = new Set(path.spans.map((s) => s.service));
    expect([...services].sort()).toEqual([
      'routing',
      'unknown',
      'yelp-main',
      'yelp_main/api_proxy',
    ]);
  });

  test('ascend: a server span that lies after its client span (skew) has no time on the path', async () => {
    // The auth-service server span (19.965–24.122ms) starts 5ms after its client span
    // (0.799–14.876) ended: the clocks differ. Nothing of it falls in the client's window,
    // so the client's 14ms are its own; the content-service call is on the path.
    const path = findCriticalPath(await loadOne('zipkin/ascend.json'));
    const services = new Set(path.spans.map((s) => s.service));
    expect(services.has('auth-service')).toBe(false);
    expect(services.has('content-service')).toBe(true);
  });

  test('messaging: the consumer that outlives the request is overflow, not path', async () => {
    // `get /` (0–2.839ms) publishes (1.356–1.369); the consumer takes the message at 2.924,
    // after the request returned, and processes it until 3.357.
    const trace = await loadOne('zipkin/messaging.json');
    const path = findCriticalPath(trace);
    expect(names(path.spans)).toEqual(['get /', 'publish']);
    expect(names(path.overflow)).toEqual(['next-message', 'on-message']);
    expect(path.durationNs).toBeLessThan(trace.durationNs);
  });

  test('messaging2: of seven roots (the parents were lost), the one that ended last', async () => {
    // `send-confirm-transfer` (945.905–3501.696ms) ends after every other root, including
    // the earliest, `post` [mobile-gateway] (0–29.051).
    const trace = await loadOne('zipkin/messaging2.json');
    expect(trace.roots).toHaveLength(7);
    const path = findCriticalPath(trace);
    expect(path.rootChoice).toBe('last-to-end');
    expect(names(path.spans)).toEqual(['send-confirm-transfer']);
  });

  test('skew: the server half is clipped to its client; its earlier child falls outside', async () => {
    // `post` [serviceb] runs 0–93.577ms on its clock, its client `post` [servicea]
    // 65.441–159.980 on another: only 65.441–93.577 is inside. `async` (0.001–65.001)
    // lies wholly before that window.
    const path = findCriticalPath(await loadOne('zipkin/skew.json'));
    expect(path.spans.map((s) => `${s.name} [${s.service}]`)).toEqual([
      'get [servicea]',
      'post [servicea]',
      'post [serviceb]',
    ]);
    const server = path.spans[2] as Span;
    expect((timeOnPath(path).get(server) ?? 0) / 1e6).toBeCloseTo(93.577 - 65.441, 3);
  });

  test('every real trace: segments tile the root exactly', async () => {
    const files = [
      'jaeger-skills/error_timeout_masked.json',
      'jaeger-skills/n_plus_one_full_concurrent.json',
      'zipkin/messaging-kafka.json',
      'zipkin/smartthings-mobile-web-install.json',
      'zipkin/smartthings-oauth-authorization.json',
      'zipkin/simple-db-p6.json',
      'zipkin/envoy.json',
    ];
    for (const file of files) {
      for (const trace of await loadTraces(realFixture(file))) {
        const path = findCriticalPath(trace);
        let at = Number(path.root.startTimeUnixNano - trace.startTimeUnixNano);
        for (const s of path.segments) {
          expect(s.startNs).toBe(at);
          at = s.endNs;
        }
        expect(at - Number(path.root.startTimeUnixNano - trace.startTimeUnixNano)).toBe(
          path.root.durationNs,
        );
      }
    }
  });
});
