import { describe, expect, test } from '@jest/globals';
import {
  DOMINANT_SHARE,
  describeFailure,
  failureSignal,
  findErrorOrigin,
  timeoutEvidence,
  whereTimeWent,
} from '../../src/analyze';
import type { Span } from '../../src/model';
import { checkoutTrace, names, type SpanSpec, spanNamed, spanOf, traceOf } from '../assert/build';

describe('failureSignal', () => {
  test('ERROR status, or an exception with the status left unset; OK means handled', () => {
    const trace = traceOf([
      { id: '1', name: 'status', start: 0, end: 10, status: 'error' },
      { id: '2', parent: '1', name: 'unlabelled', start: 1, end: 2, exceptions: [{ type: 'E' }] },
      {
        id: '3',
        parent: '1',
        name: 'handled',
        start: 3,
        end: 4,
        status: 'ok',
        exceptions: [{ type: 'E' }],
      },
      { id: '4', parent: '1', name: 'fine', start: 5, end: 6 },
    ]);
    expect(trace.spans.map(failureSignal)).toEqual(['status', 'exception', undefined, undefined]);
  });

  test('an error=true attribute with the status unset is a failure; OK, false or a resource tag is not', () => {
    // Envoy's OpenTelemetry tracer writes error=true (a string) on a cancelled upstream call
    // and leaves the status unset; OpenTracing bridges write a boolean.
    const spans = [
      { error: 'true' },
      { error: true },
      { error: 'TRUE' },
      { error: 'false' },
      { error: false },
      { error: 'card declined' },
    ].map((attributes, i) => spanOf({ id: `${i + 1}`, start: 0, end: 1, attributes }));
    expect(spans.map(failureSignal)).toEqual([
      'error-tag',
      'error-tag',
      'error-tag',
      undefined,
      undefined,
      undefined,
    ]);
    const handled = spanOf({
      id: '9',
      start: 0,
      end: 1,
      status: 'ok',
      attributes: { error: true },
    });
    expect(failureSignal(handled)).toBeUndefined();
    const resourceWide = spanOf({ id: 'a', start: 0, end: 1, resource: { error: true } });
    expect(failureSignal(resourceWide)).toBeUndefined();
    // An exception says more than the tag: it wins when both are there.
    const both = spanOf({
      id: 'b',
      start: 0,
      end: 1,
      attributes: { error: true },
      exceptions: [{ type: 'IOError' }],
    });
    expect(failureSignal(both)).toBe('exception');
  });

  test('describeFailure says how, in the instrumentation’s words', () => {
    const span = (spec: Partial<SpanSpec>) => spanOf({ id: '1', start: 0, end: 1, ...spec });
    expect(describeFailure(span({ error: 'card declined' }), 'status')).toBe(
      'status ERROR: card declined',
    );
    expect(describeFailure(span({ error: true }), 'status')).toBe('status ERROR');
    expect(describeFailure(span({ exceptions: [{ type: 'QueryTimeout' }] }), 'exception')).toBe(
      'recorded an exception (QueryTimeout) but left its status unset',
    );
    expect(
      describeFailure(
        span({ attributes: { error: 'true', 'http.status_code': '0' } }),
        'error-tag',
      ),
    ).toBe('tagged error=true (HTTP 0) but left its status unset');
  });
});

describe('findErrorOrigin: failures', () => {
  test('is undefined when nothing failed', () => {
    expect(findErrorOrigin(traceOf([{ id: '1', start: 0, end: 1 }]))).toBeUndefined();
  });

  test('is the deepest failed span, not the ancestors the error reached', () => {
    const trace = traceOf([
      { id: '1', name: 'POST /api/checkout', start: 0, end: 100, status: 'error' },
      { id: '2', parent: '1', name: 'Order Service', start: 1, end: 99, status: 'error' },
      { id: '3', parent: '2', name: 'Payment Gateway API', start: 10, end: 90, status: 'error' },
      { id: '4', parent: '2', name: 'Inventory Service', start: 2, end: 9 },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.origin.name).toBe('Payment Gateway API');
    expect(found?.signal).toBe('status');
    expect(found?.rule).toBe('only-failure');
    expect(names(found?.chain ?? [])).toEqual([
      'Payment Gateway API',
      'Order Service',
      'POST /api/checkout',
    ]);
    expect(found?.fallout).toEqual([]);
    expect(found?.failures).toHaveLength(3);
    expect(found?.timeout).toBeUndefined();
    expect(found?.because).toBe(
      '"Payment Gateway API" [svc] failed and nothing below it did, so the failure started there; its error went up through 2 failed ancestors to the root',
    );
  });

  test('the because sentence says where a handled error stopped, and when one span failed alone', () => {
    const handled = traceOf([
      { id: '1', name: 'GET /profile', start: 0, end: 30 },
      { id: '2', parent: '1', name: 'load avatar', start: 1, end: 20, status: 'error' },
    ]);
    expect(findErrorOrigin(handled)?.because).toBe(
      '"load avatar" [svc] failed and nothing below it did, so the failure started there; its error went up and stopped at "GET /profile" [svc] (status UNSET)',
    );
    const alone = traceOf([
      { id: '1', name: 'nightly export', start: 0, end: 30, error: 'disk full' },
      { id: '2', parent: '1', name: 'read rows', start: 1, end: 20 },
    ]);
    expect(findErrorOrigin(alone)?.because).toBe(
      '"nightly export" [svc] is the only span that failed',
    );
  });

  test('with several failed siblings, the one that ended first is the cause; the later ones are fallout, and the sentence says so', () => {
    // The inventory check fails first; the order then fails, and so does the
    // notification that was sent for it. Both leaves failed; the earlier one is the cause.
    const trace = traceOf([
      { id: '1', name: 'checkout', start: 0, end: 200, status: 'error' },
      {
        id: '2',
        parent: '1',
        name: 'reserve stock',
        start: 5,
        end: 50,
        status: 'error',
        message: 'out of stock',
      },
      { id: '3', parent: '1', name: 'charge card', start: 60, end: 90 },
      {
        id: '4',
        parent: '1',
        name: 'notify',
        start: 100,
        end: 150,
        status: 'error',
        message: 'order not found',
      },
      { id: '5', parent: '1', name: 'audit', start: 2, end: 160, status: 'error' },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.origin.name).toBe('reserve stock');
    expect(found?.rule).toBe('earliest-failure');
    // Fallout is in trace order: audit started before notify.
    expect(names(found?.fallout ?? [])).toEqual(['audit', 'notify']);
    // The sentence names the others in the order they failed.
    expect(found?.because).toBe(
      '3 spans failed with nothing failed below them; the first to fail, "reserve stock" [svc] at +50ms, is the cause; the others, "notify" [svc] at +150ms and "audit" [svc] at +160ms, are fallout',
    );
  });

  test('more than three others: three named, the rest counted', () => {
    const specs: SpanSpec[] = [{ id: '1', name: 'batch', start: 0, end: 100, status: 'error' }];
    for (let i = 0; i < 6; i++) {
      specs.push({
        id: (2 + i).toString(16),
        parent: '1',
        name: `item ${i}`,
        start: i * 10,
        end: i * 10 + 5,
        status: 'error',
      });
    }
    expect(findErrorOrigin(traceOf(specs))?.because).toBe(
      '6 spans failed with nothing failed below them; the first to fail, "item 0" [svc] at +5ms, is the cause; the others, "item 1" [svc] at +15ms, "item 2" [svc] at +25ms, "item 3" [svc] at +35ms and 2 more, are fallout',
    );
  });

  test('an exception recorded without ERROR status is a failure too, and says so', () => {
    // recordException() does not set ERROR: the repository call below failed, its caller
    // marked itself as failed. The origin is the call that threw, found by its event.
    const trace = traceOf([
      { id: '1', name: 'GET /users/7', start: 0, end: 30, status: 'error' },
      {
        id: '2',
        parent: '1',
        name: 'UserRepository.find',
        start: 2,
        end: 20,
        exceptions: [{ type: 'QueryTimeout', message: 'timed out after 15ms' }],
      },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.origin.name).toBe('UserRepository.find');
    expect(found?.signal).toBe('exception');
    expect(found?.failures.map((f) => f.signal)).toEqual(['status', 'exception']);
  });

  test('an error=true tag below a failed parent is where it started', () => {
    const trace = traceOf([
      { id: '1', name: 'GET /feed', start: 0, end: 30, status: 'error' },
      { id: '2', parent: '1', name: 'fetch posts', start: 2, end: 20, attributes: { error: true } },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.origin.name).toBe('fetch posts');
    expect(found?.signal).toBe('error-tag');
  });

  test('prefers the failure that reached the root over an earlier one a parent handled', () => {
    // The cache lookup failed first, but its caller carried on (status unset): it is not
    // why the request failed. The payment call's error reached the root unbroken.
    const trace = traceOf([
      { id: '1', name: 'checkout', start: 0, end: 100, status: 'error' },
      { id: '2', parent: '1', name: 'load cart', start: 1, end: 20 },
      {
        id: '3',
        parent: '2',
        name: 'redis GET',
        start: 2,
        end: 5,
        exceptions: [{ type: 'ConnectionError' }],
      },
      { id: '4', parent: '1', name: 'charge', start: 30, end: 90, status: 'error' },
      { id: '5', parent: '1', name: 'notify', start: 92, end: 99, status: 'error' },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.origin.name).toBe('charge');
    expect(found?.rule).toBe('earliest-unhandled-failure');
    expect(names(found?.fallout ?? [])).toEqual(['redis GET', 'notify']);
    expect(found?.because).toBe(
      '3 spans failed with nothing failed below them; "charge" [svc], failed at +90ms, is the first whose error reached the root, so it is the cause; "redis GET" [svc] failed earlier, at +5ms, but "load cart" [svc] handled it (status UNSET); the remaining one, "notify" [svc] at +99ms, is fallout',
    );
  });

  test('falls back to the earliest failure when none reached the root, and says none did', () => {
    const trace = traceOf([
      { id: '1', name: 'job', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'first try', start: 1, end: 20, status: 'error' },
      { id: '3', parent: '1', name: 'second try', start: 30, end: 50, status: 'error' },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.origin.name).toBe('first try');
    expect(found?.because).toBe(
      '2 spans failed with nothing failed below them (none of their errors reached the root); the first to fail, "first try" [svc] at +20ms, is the cause; the other, "second try" [svc] at +50ms, is fallout',
    );
  });

  test('on the design example, the payment call', () => {
    const trace = checkoutTrace();
    const found = findErrorOrigin(trace);
    expect(found?.origin).toBe(spanNamed(trace, 'Payment Gateway API'));
    expect(names(found?.chain ?? [])).toEqual([
      'Payment Gateway API',
      'Order Service',
      'POST /api/checkout',
    ]);
  });

  test('walks without recursion: a 20,000-deep chain of failures', () => {
    const specs = Array.from({ length: 20000 }, (_, i) => ({
      id: (i + 1).toString(16),
      parent: i === 0 ? undefined : i.toString(16),
      start: i,
      end: 40000 - i,
      status: 'error' as const,
    }));
    const trace = traceOf(specs);
    const found = findErrorOrigin(trace);
    expect(found?.origin.spanId).toBe((20000).toString(16).padStart(16, '0'));
    expect(found?.chain).toHaveLength(20000);
  });
});

describe('findErrorOrigin: a timeout masks where the time went', () => {
  test('the gateway gave up; the origin is the slow query under the service it waited for, though nothing there failed', () => {
    // The gateway's 5s route timeout fired (504); Go's HTTP client under it reports the
    // cancellation as "context canceled", not as a timeout. The checkout service finished
    // 600ms later, status OK: its SELECT took 5.49s of its 5.6s. Without the timeout rule
    // the origin would be the cancelled client call, which only says the gateway stopped
    // waiting.
    const trace = traceOf([
      {
        id: '1',
        name: 'GET /checkout',
        service: 'gateway',
        kind: 'server',
        start: 0,
        end: 5002,
        error: 'upstream request timeout',
        attributes: { 'http.response.status_code': 504 },
      },
      {
        id: '2',
        parent: '1',
        name: 'checkout call',
        service: 'gateway',
        kind: 'client',
        start: 1,
        end: 5001,
        error: 'context canceled',
      },
      {
        id: '3',
        parent: '2',
        name: 'POST /checkout',
        service: 'checkout',
        kind: 'server',
        start: 3,
        end: 5600,
        status: 'ok',
      },
      { id: '4', parent: '3', name: 'auth', service: 'checkout', start: 4, end: 9 },
      {
        id: '5',
        parent: '3',
        name: 'SELECT inventory',
        service: 'checkout',
        kind: 'client',
        start: 10,
        end: 5500,
        attributes: { 'db.system.name': 'postgresql' },
      },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('timeout-masked');
    expect(found?.origin.name).toBe('SELECT inventory');
    expect(found?.signal).toBeUndefined();
    expect(found?.timeout?.span.name).toBe('GET /checkout');
    expect(found?.timeout?.evidence).toBe('status message "upstream request timeout", HTTP 504');
    // The query's interval inside the gateway's: +10ms to +5002ms of 5002ms.
    expect(found?.timeout?.share).toBeCloseTo(4992 / 5002, 6);
    expect(names(found?.chain ?? [])).toEqual([
      'SELECT inventory',
      'POST /checkout',
      'checkout call',
      'GET /checkout',
    ]);
    expect(found?.fallout).toEqual([]);
    expect(found?.because).toBe(
      '"GET /checkout" [gateway] gave up waiting at +5s, after 5s: status message "upstream request timeout", HTTP 504; the time went to "SELECT inventory" [checkout] (5.49s, 100% of the wait), so the failure started there, even though it did not fail itself (status UNSET)',
    );
  });

  test('deadlines propagate: the highest timeout decides, not the quick call that got no time left', () => {
    // The client's 1s deadline travels with the request. The cache read ate 955ms of it;
    // the SELECT that followed had 38ms left and failed with the same "deadline exceeded".
    // By failures alone the SELECT is the deepest failure; by time, the cache read is
    // where the second went. Starting from the lowest timeout (the SELECT, which has no
    // children) would have blamed the SELECT.
    const trace = traceOf([
      {
        id: '1',
        name: 'quote',
        service: 'web',
        kind: 'client',
        start: 0,
        end: 1000,
        error: 'context deadline exceeded',
        attributes: { 'rpc.grpc.status_code': 4 },
      },
      {
        id: '2',
        parent: '1',
        name: 'Quote',
        service: 'pricing',
        kind: 'server',
        start: 2,
        end: 999,
        error: 'context deadline exceeded',
      },
      {
        id: '3',
        parent: '2',
        name: 'GET rates',
        service: 'pricing',
        kind: 'client',
        start: 5,
        end: 960,
      },
      {
        id: '4',
        parent: '2',
        name: 'SELECT prices',
        service: 'pricing',
        kind: 'client',
        start: 960,
        end: 998,
        error: 'context deadline exceeded',
      },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('timeout-masked');
    expect(found?.origin.name).toBe('GET rates');
    expect(found?.timeout?.span.name).toBe('quote');
    expect(found?.timeout?.evidence).toBe(
      'status message "context deadline exceeded", gRPC status DEADLINE_EXCEEDED',
    );
    expect(names(found?.fallout ?? [])).toEqual(['SELECT prices']);
  });

  test('retries that each failed, spread over the wait: no single span took the time, the first failure stays the cause', () => {
    const trace = traceOf([
      { id: '1', name: 'charge', kind: 'client', start: 0, end: 3000, error: 'timeout' },
      ...[0, 1, 2].map((i) => ({
        id: `${2 + i}`,
        parent: '1',
        name: `attempt ${i + 1}`,
        start: i * 1000,
        end: i * 1000 + 990,
        error: 'connect ECONNREFUSED',
      })),
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('earliest-failure');
    expect(found?.origin.name).toBe('attempt 1');
    expect(found?.timeout).toBeUndefined();
  });

  test('the time went to a failed span the error reached unbroken: the failure rules already explain it', () => {
    // The client gave up on PlaceOrder, which spent its time retrying the payments call;
    // every retry failed, and so did PlaceOrder. Its time is spread over the retries
    // (none takes half), so the walk stops at PlaceOrder; but the retries' errors reached
    // it through failed spans only, so the first retry remains the origin.
    const trace = traceOf([
      {
        id: '1',
        name: 'place order',
        service: 'web',
        kind: 'client',
        start: 0,
        end: 2000,
        error: 'DEADLINE_EXCEEDED',
      },
      {
        id: '2',
        parent: '1',
        name: 'PlaceOrder',
        service: 'orders',
        kind: 'server',
        start: 1,
        end: 1999,
        error: 'could not reach payments',
      },
      ...[0, 1, 2, 3].map((i) => ({
        id: `${3 + i}`,
        parent: '2',
        name: 'charge',
        service: 'orders',
        kind: 'client' as const,
        start: 10 + i * 500,
        end: 400 + i * 500,
        error: 'connection refused',
      })),
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('earliest-failure');
    expect(found?.origin.spanId).toBe('3'.padStart(16, '0'));
  });

  test('a slow parent that handled a quick failure below it: the parent, where the time went', () => {
    // The cache error was handled (the profile service fell back to the database and
    // carried on); the gateway's 504 came from the profile service's own 3s of work.
    const trace = traceOf([
      {
        id: '1',
        name: 'GET /profile',
        service: 'gateway',
        kind: 'server',
        start: 0,
        end: 3000,
        status: 'error',
        attributes: { 'http.response.status_code': 504 },
      },
      { id: '2', parent: '1', name: 'profile', service: 'users', start: 5, end: 2995 },
      {
        id: '3',
        parent: '2',
        name: 'cache get',
        service: 'users',
        start: 10,
        end: 12,
        exceptions: [{ type: 'ConnectionError' }],
      },
      { id: '4', parent: '2', name: 'SELECT user', service: 'users', start: 20, end: 80 },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('timeout-masked');
    expect(found?.origin.name).toBe('profile');
    expect(names(found?.fallout ?? [])).toEqual(['cache get']);
  });

  test('the slow span failed too, after a quicker failure elsewhere: still where the time went', () => {
    // The virus scan was rejected at +40ms, and by failures alone it would be the cause
    // (it ended first, and its error reached the root). But the upload did not fail at
    // +40ms: it waited for the blob store until its own timeout.
    const trace = traceOf([
      {
        id: '1',
        name: 'POST /upload',
        service: 'api',
        kind: 'server',
        start: 0,
        end: 5000,
        status: 'error',
        attributes: { 'error.type': 'timeout' },
      },
      {
        id: '2',
        parent: '1',
        name: 'scan',
        service: 'av',
        kind: 'client',
        start: 5,
        end: 40,
        error: 'scanner busy',
      },
      {
        id: '3',
        parent: '1',
        name: 'store blob',
        service: 'storage',
        kind: 'client',
        start: 45,
        end: 4990,
        error: 'write aborted',
      },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('timeout-masked');
    expect(found?.origin.name).toBe('store blob');
    expect(found?.signal).toBe('status');
    expect(names(found?.fallout ?? [])).toEqual(['scan']);
    expect(found?.because).toBe(
      '"POST /upload" [api] gave up waiting at +5s, after 5s: error.type timeout; the time went to "store blob" [storage] (4.95s, 99% of the wait), so the failure started there, it failed as well (status ERROR: write aborted)',
    );
  });

  test('without a timeout, a slow span that did not fail is not an origin', () => {
    const trace = traceOf([
      { id: '1', name: 'render', start: 0, end: 1000, error: 'template error' },
      { id: '2', parent: '1', name: 'fetch data', start: 1, end: 900 },
      { id: '3', parent: '1', name: 'compile', start: 901, end: 990, error: 'unknown tag' },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('only-failure');
    expect(found?.origin.name).toBe('compile');
  });

  test('a timeout on a span that did not fail is not a timeout that masks anything', () => {
    // A 504 the server span recorded without ERROR status: nothing says it gave up.
    const trace = traceOf([
      {
        id: '1',
        name: 'GET /',
        kind: 'server',
        start: 0,
        end: 1000,
        attributes: { 'http.response.status_code': 504 },
      },
      { id: '2', parent: '1', name: 'slow', start: 1, end: 990 },
      { id: '3', parent: '1', name: 'broken', start: 991, end: 995, error: 'boom' },
    ]);
    expect(findErrorOrigin(trace)?.origin.name).toBe('broken');
  });

  test('a timed-out leaf (nothing below it) stays the origin: HotROD-style redis timeouts', () => {
    const trace = traceOf([
      { id: '1', name: 'FindNearest', start: 0, end: 200 },
      {
        id: '2',
        parent: '1',
        name: 'GetDriver',
        start: 10,
        end: 40,
        error: 'An error occurred',
        exceptions: [{ type: '*errors.errorString', message: 'redis timeout' }],
      },
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.rule).toBe('only-failure');
    expect(found?.origin.name).toBe('GetDriver');
  });

  test('walks without recursion: a timeout above a 20,000-deep chain that never failed', () => {
    const specs: SpanSpec[] = Array.from({ length: 20000 }, (_, i) => ({
      id: (i + 1).toString(16),
      parent: i === 0 ? undefined : i.toString(16),
      start: i,
      end: 40000 - i,
      ...(i === 0 ? { error: 'deadline exceeded' } : {}),
    }));
    const found = findErrorOrigin(traceOf(specs));
    expect(found?.rule).toBe('timeout-masked');
    expect(found?.origin.spanId).toBe((20000).toString(16).padStart(16, '0'));
    expect(found?.chain).toHaveLength(20000);
  });
});

describe('timeoutEvidence', () => {
  const evidence = (spec: Partial<SpanSpec>) =>
    timeoutEvidence(spanOf({ id: '1', start: 0, end: 1, status: 'error', ...spec }));

  test.each([
    [{ message: 'context deadline exceeded' }, 'status message "context deadline exceeded"'],
    [{ message: 'DEADLINE_EXCEEDED' }, 'status message "DEADLINE_EXCEEDED"'],
    [{ message: 'upstream request timeout' }, 'status message "upstream request timeout"'],
    [
      { message: 'connect ETIMEDOUT 10.0.0.7:5432' },
      'status message "connect ETIMEDOUT 10.0.0.7:5432"',
    ],
    [{ message: 'Read timed out' }, 'status message "Read timed out"'],
    [
      { exceptions: [{ type: 'java.net.SocketTimeoutException', message: 'Read timed out' }] },
      'exception java.net.SocketTimeoutException: Read timed out',
    ],
    [{ attributes: { 'http.status_code': '504' } }, 'HTTP 504'],
    [{ attributes: { 'http.response.status_code': 408 } }, 'HTTP 408'],
    [{ attributes: { 'rpc.grpc.status_code': 4 } }, 'gRPC status DEADLINE_EXCEEDED'],
    [{ attributes: { 'grpc.status_code': '4' } }, 'gRPC status DEADLINE_EXCEEDED'],
    [
      { attributes: { 'rpc.response.status_code': 'DEADLINE_EXCEEDED' } },
      'gRPC status DEADLINE_EXCEEDED',
    ],
    [{ attributes: { 'error.type': 'TimeoutError' } }, 'error.type TimeoutError'],
    [{ attributes: { 'error.type': '504' } }, 'error.type 504'],
    [
      { attributes: { response_flags: 'UT,URX' } },
      'Envoy response flag UT (upstream request timeout)',
    ],
    [{ attributes: { response_flags: 'SI' } }, 'Envoy response flag SI (stream idle timeout)'],
  ] as [Partial<SpanSpec>, string][])('%j → %s', (spec, expected) => {
    expect(evidence(spec)).toBe(expected);
  });

  test.each([
    [{ message: 'deadline must be in the future' }],
    [{ message: 'runtime output was empty' }],
    [{ message: 'connection refused' }],
    [{ attributes: { 'http.status_code': '503' } }],
    [{ attributes: { 'rpc.grpc.status_code': 14 } }],
    [{ attributes: { 'rpc.response.status_code': 'UNAVAILABLE' } }],
    [{ attributes: { response_flags: 'UF,URX' } }],
    [{ attributes: { response_flags: '-' } }],
  ] as [Partial<SpanSpec>][])('%j is no timeout', (spec) => {
    expect(evidence(spec)).toBeUndefined();
  });

  test('every sign is listed, in a fixed order', () => {
    // Envoy's ingress span in the OpenTelemetry Demo's timed-out checkout carries both.
    expect(evidence({ attributes: { 'http.status_code': '504', response_flags: 'UT' } })).toBe(
      'HTTP 504, Envoy response flag UT (upstream request timeout)',
    );
  });
});

describe('whereTimeWent', () => {
  const walk = (specs: readonly SpanSpec[]) => {
    const trace = traceOf(specs);
    return whereTimeWent(trace, trace.root as Span).name;
  };

  test(`steps into a child covering at least ${DOMINANT_SHARE * 100}% of the parent, not one covering less`, () => {
    expect(
      walk([
        { id: '1', name: 'top', start: 0, end: 100 },
        { id: '2', parent: '1', name: 'half', start: 10, end: 60 },
        { id: '3', parent: '1', name: 'rest', start: 60, end: 100 },
      ]),
    ).toBe('half');
    expect(
      walk([
        { id: '1', name: 'top', start: 0, end: 100 },
        { id: '2', parent: '1', name: 'almost half', start: 10, end: 59.9 },
      ]),
    ).toBe('top');
  });

  test('keeps going down while a child covers most of its parent', () => {
    expect(
      walk([
        { id: '1', name: 'a', start: 0, end: 100 },
        { id: '2', parent: '1', name: 'b', start: 1, end: 99 },
        { id: '3', parent: '2', name: 'c', start: 2, end: 60 },
        // Each of c's children covers a third: the time is c's loop, not one call.
        { id: '4', parent: '3', name: 'd1', start: 2, end: 21 },
        { id: '5', parent: '3', name: 'd2', start: 21, end: 40 },
        { id: '6', parent: '3', name: 'd3', start: 40, end: 59 },
      ]),
    ).toBe('c');
  });

  test('among parallel children, the one covering the most; a tie goes to the earlier start', () => {
    expect(
      walk([
        { id: '1', name: 'fan-out', start: 0, end: 100 },
        { id: '2', parent: '1', name: 'x', start: 1, end: 80 },
        { id: '3', parent: '1', name: 'y', start: 1, end: 95 },
      ]),
    ).toBe('y');
    expect(
      walk([
        { id: '1', name: 'fan-out', start: 0, end: 100 },
        { id: '2', parent: '1', name: 'first', start: 0, end: 90 },
        { id: '3', parent: '1', name: 'second', start: 5, end: 95 },
      ]),
    ).toBe('first');
  });

  test('a child counts only inside its parent: one that outlives it, or starts early through skew', () => {
    // The async child runs 10s but only its first 100ms fall inside the parent.
    expect(
      walk([
        { id: '1', name: 'enqueue', start: 0, end: 1000 },
        { id: '2', parent: '1', name: 'worker', start: 900, end: 10900 },
      ]),
    ).toBe('enqueue');
    // A skewed clock puts the child 600ms early: 400ms of it fall inside.
    expect(
      walk([
        { id: '1', name: 'server', start: 600, end: 1600 },
        { id: '2', parent: '1', name: 'skewed', start: 0, end: 1000 },
      ]),
    ).toBe('server');
  });

  test('stops at a span of zero duration', () => {
    expect(
      walk([
        { id: '1', name: 'instant', start: 5, end: 5 },
        { id: '2', parent: '1', name: 'child', start: 5, end: 5 },
      ]),
    ).toBe('instant');
  });
});
