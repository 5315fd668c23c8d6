import { describe, expect, test } from '@jest/globals';
import { findErrorOrigin } from '../../src/analyze';
import { loadTraces } from '../../src/ingest';
import type { Span, Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';

// Real traces from ../shared/fixtures/real/. The comments say what the data shows, read
// from the files (times are offsets from each trace's first span); the expectations
// follow from that reading, not from what the analysis printed.

async function only(path: string): Promise<Trace> {
  const traces = await loadTraces(realFixture(path));
  expect(traces).toHaveLength(1);
  return traces[0] as Trace;
}

const ids = (spans: readonly Span[]) => spans.map((s) => s.spanId);
const who = (spans: readonly Span[]) => spans.map((s) => `${s.service}:${s.name}`);

describe('jaeger-skills/error_timeout_masked.json: Envoy gave up on a checkout the frontend was still serving', () => {
  // OpenTelemetry Demo, driven by its k6 load generator (root `user_checkout_multi`
  // [load-generator], 15.08s, status unset). After an add-to-cart that went fine, the
  // checkout goes through the Envoy front proxy:
  //
  //   POST [frontend-proxy] 247a43490cfe60cd  server  +78.8ms → +15080.2ms (15001.5ms)
  //        status ERROR, http.status_code "504", response_flags "UT", error "true"
  //   └── router frontend egress [frontend-proxy] fb403de242b50b18  client  +78.9 → +15079.8ms
  //        status unset, error "true", canceled "true", http.status_code "0"
  //       └── POST [frontend] 909a94f934468e91  server  +79.1 → +15080.1ms (15000.9ms)
  //            status unset, http.response.status_code 200, url.path /api/checkout
  //
  // 15s is Envoy's default route timeout, and UT is its flag for "upstream request
  // timeout": the ingress span is the proxy giving up, and says so (504 + UT). The egress
  // span is the upstream request Envoy then cancelled (no response: status code 0) and
  // tagged error=true without a status. The frontend's server span ran the whole 15s and
  // answered 200 a fraction of a millisecond after the egress ended: nothing in it failed,
  // yet it is where the time went. Its own calls (to checkout, payment, ...) were not
  // captured in this trace, so the walk down stops at it.
  //
  // By failures alone the origin would be the egress span (the deepest failure, through
  // its error tag); without tags, the ingress span. Neither says why the request failed.
  let trace: Trace;
  test('loads', async () => {
    trace = await only('jaeger-skills/error_timeout_masked.json');
  });

  test('the origin is the frontend span that consumed the 15s; the proxy span is the one that timed out', () => {
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('timeout-masked');
    expect(found?.origin.spanId).toBe('909a94f934468e91');
    expect(found?.origin.service).toBe('frontend');
    expect(found?.origin.kind).toBe('server');
    expect(found?.signal).toBeUndefined();
    expect(found?.timeout?.span.spanId).toBe('247a43490cfe60cd');
    expect(found?.timeout?.evidence).toBe(
      'HTTP 504, Envoy response flag UT (upstream request timeout)',
    );
    // The frontend span covers +79.1 → +15080.1ms of the proxy's +78.8 → +15080.2ms.
    expect(found?.timeout?.share).toBeGreaterThan(0.9999);
    expect(ids(found?.chain ?? [])).toEqual([
      '909a94f934468e91',
      'fb403de242b50b18',
      '247a43490cfe60cd',
      '3e77d7cad1306af6',
    ]);
    expect(found?.fallout).toEqual([]);
    // Both failures are on the chain: the proxy's status, and the egress span's tag.
    expect(found?.failures.map((f) => [f.span.spanId, f.signal])).toEqual([
      ['247a43490cfe60cd', 'status'],
      ['fb403de242b50b18', 'error-tag'],
    ]);
    expect(found?.because).toBe(
      '"POST" [frontend-proxy] gave up waiting at +15.1s, after 15s: HTTP 504, Envoy response flag UT (upstream request timeout); the time went to "POST" [frontend] (15s, 100% of the wait), so the failure started there, even though it did not fail itself (status UNSET)',
    );
  });
});

describe('jaeger-skills/sibling_errors.json: a declined card, then an e-mail for an order that never existed', () => {
  // OpenTelemetry Demo checkout. PlaceOrder [checkout] (server, 0–200ms) failed with
  // "order failed". Under it, GetCart (5–15ms) is fine, and two client calls failed, each
  // over a failed span in the service it called (the capture marks those as clients too):
  //   PaymentService/Charge [checkout] 20–60ms "payment declined"
  //     └── [payment] 22–58ms "payment declined: card processor rejected transaction"
  //   EmailService/SendOrderConfirmation [checkout] 120–180ms "order not found"
  //     └── [email] 122–178ms "order not found"
  // The two spans in payment and email are the failures with nothing failed below them,
  // and both errors went up to the root through failed spans only. The payment one ended
  // first (+58ms): the card was rejected, so the order was never stored, and the e-mail
  // service later could not find it. The e-mail failure is fallout, not a second cause.
  test('the payment processor’s rejection, with the e-mail failure as fallout', async () => {
    const trace = await only('jaeger-skills/sibling_errors.json');
    const found = findErrorOrigin(trace);
    expect(found?.origin.spanId).toBe('d4e5f60718293a4b');
    expect(found?.origin.service).toBe('payment');
    expect(found?.rule).toBe('earliest-failure');
    expect(who(found?.chain ?? [])).toEqual([
      'payment:oteldemo.PaymentService/Charge',
      'checkout:oteldemo.PaymentService/Charge',
      'checkout:oteldemo.CheckoutService/PlaceOrder',
    ]);
    expect(who(found?.fallout ?? [])).toEqual([
      'checkout:oteldemo.EmailService/SendOrderConfirmation',
      'email:oteldemo.EmailService/SendOrderConfirmation',
    ]);
    expect(found?.timeout).toBeUndefined();
    expect(found?.because).toBe(
      '2 spans failed with nothing failed below them; the first to fail, "oteldemo.PaymentService/Charge" [payment] at +58ms, is the cause; the other, "oteldemo.EmailService/SendOrderConfirmation" [email] at +178ms, is fallout',
    );
  });
});

describe('jaeger-skills/n_plus_one_positive.json: HotROD’s redis timeouts, retried and handled', () => {
  // HotROD's driver service looks up drivers one by one; its simulated redis fails three
  // GetDriver calls [redis-manual] with status "An error occurred" and an exception
  // "redis timeout" (ending at +1348ms, +1414.6ms and +1488.5ms). FindNearest [driver]
  // carries on (status unset, rpc.response.status_code OK) and the request answers 200.
  // The timeouts are the failures themselves: a GetDriver span has nothing below it to
  // have taken the time, so the timeout rule has nothing to add, and the first one is the
  // origin of a failure that was handled before it reached the root.
  test('the first GetDriver timeout, the later two fallout', async () => {
    const trace = await only('jaeger-skills/n_plus_one_positive.json');
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('earliest-failure');
    expect(found?.origin.spanId).toBe('c5f1def4c8a5c5ee');
    expect(ids(found?.fallout ?? [])).toEqual(['da8361567314c3a4', '572191c1fdd2f346']);
    expect(found?.because).toMatch(
      /^3 spans failed with nothing failed below them \(none of their errors reached the root\)/,
    );
  });

  test('a trace where nothing failed has no origin (n_plus_one_near_miss.json)', async () => {
    expect(findErrorOrigin(await only('jaeger-skills/n_plus_one_near_miss.json'))).toBeUndefined();
  });
});

describe('zipkin/: error tags from Zipkin’s own test traces', () => {
  test('messaging-kafka.json: three failed message handlers in serviceb, none of them fatal', async () => {
    // servicea polls a batch and handles three messages (on-message, children of the root
    // poll); each handler sends to serviceb, whose consumer (poll → on-message) failed:
    //   2f77d5b0b8e0de35 +253.0 → +253.3ms  error "some error"
    //   4a64a63e4b58e665 +476.0 → +476.3ms  error "some error"
    //   568b33e6af8a225a +648.0 → +648.25ms  error "" (an empty tag: Zipkin still means failure)
    // Every poll above them is fine, so no failure reached the root. The first to fail is
    // the origin; the analysis cannot tell three independent bad messages from one cause
    // and its fallout, and labels the later two fallout: "later", in this trace.
    const trace = await only('zipkin/messaging-kafka.json');
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('earliest-failure');
    expect(found?.origin.spanId).toBe('2f77d5b0b8e0de35');
    expect(found?.origin.service).toBe('serviceb');
    expect(ids(found?.fallout ?? [])).toEqual(['4a64a63e4b58e665', '568b33e6af8a225a']);
    expect(found?.failures.map((f) => f.span.status)).toEqual([
      { code: 'error', message: 'some error' },
      { code: 'error', message: 'some error' },
      { code: 'error', message: '' },
    ]);
    expect(found?.because).toBe(
      '3 spans failed with nothing failed below them (none of their errors reached the root); the first to fail, "on-message" [serviceb] at +253ms, is the cause; the others, "on-message" [serviceb] at +476ms and "on-message" [serviceb] at +648ms, are fallout',
    );
  });

  test('smartthings-oauth-authorization.json: the auth service refused the login; the login page handled it', async () => {
    // About 34.7s into the OAuth flow, the login page's POST [stlogin] (server, answered
    // 302, status unset) calls /sso/authenticate. The client half (stlogin) and the server
    // half (auth) share span id c47bff7f7964b321, and both carry the Zipkin tag error=401.
    // Below the server half only a Cassandra bound-statement, which did not fail. The
    // failure started in auth; the login page redirected instead of failing.
    const trace = await only('zipkin/smartthings-oauth-authorization.json');
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('only-failure');
    expect(found?.origin.spanId).toBe('c47bff7f7964b321');
    expect(found?.origin.service).toBe('auth');
    expect(found?.origin.kind).toBe('server');
    expect(found?.origin.status).toEqual({ code: 'error', message: '401' });
    expect(who(found?.chain.slice(0, 3) ?? [])).toEqual([
      'auth:post /sso/authenticate',
      'stlogin:post',
      'stlogin:post',
    ]);
    expect(found?.chain[1]?.kind).toBe('client');
    expect(found?.chain[2]?.spanId).toBe('be232464081e613d');
    expect(found?.because).toBe(
      '"post /sso/authenticate" [auth] failed and nothing below it did, so the failure started there; its error went up through 1 failed ancestor and stopped at "post" [stlogin] (status UNSET)',
    );
  });

  test('smartthings-mobile-web-install.json: a 404 from alice, 31 levels deep, handled by execution', async () => {
    // While installing an app, execution [execution] asks alice for the installed app's
    // circuit breakers (GET circuitbreakers/installedapp/...): 404, tagged error=404 on
    // both halves of the shared span 71687cb74971c332. The execution server span goes on
    // for another 527ms (to +301658.8ms) without failing: no breaker configured is not an
    // error for it.
    const trace = await only('zipkin/smartthings-mobile-web-install.json');
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('only-failure');
    expect(found?.origin.spanId).toBe('71687cb74971c332');
    expect(found?.origin.service).toBe('alice');
    expect(found?.chain).toHaveLength(32);
    expect(found?.because).toContain('stopped at "post /app-execute" [execution] (status UNSET)');
  });
});
