import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { checkoutTrace, nPlusOneTrace, traceOf } from '../assert/build';
import { realFixture } from '../helpers/fixtures';
import { failureOf } from './helpers';

expect.extend(matchers);

const layered = () =>
  traceOf([
    { id: '1', name: 'POST /api/checkout', start: 0, end: 100, status: 'error' },
    { id: '2', parent: '1', name: 'Order Service', start: 1, end: 99, status: 'error' },
    { id: '3', parent: '2', name: 'OrderRepository.save', start: 5, end: 50, status: 'error' },
    {
      id: '4',
      parent: '3',
      name: 'INSERT orders',
      start: 6,
      end: 45,
      status: 'error',
      message: 'deadlock detected',
    },
  ]);

describe('toHaveErrorOrigin', () => {
  test('the span where the failure started, not the ancestors it propagated to', () => {
    expect(layered()).toHaveErrorOrigin('{ name = "INSERT orders" }');
    expect(layered()).not.toHaveErrorOrigin('{ name = "Order Service" }');
    expect(layered()).toHaveErrorOrigin('{ status = error } >> { name =~ "INSERT.*" }');
  });

  test('the failure names the origin, the path it took, and marks the expected spans', () => {
    const message = failureOf(() =>
      expect(layered()).toHaveErrorOrigin('{ name = "Order Service" }'),
    );
    expect(message).toContain(
      [
        'expect(trace).toHaveErrorOrigin(selector) // { name = "Order Service" }',
        '',
        'Expected: the failure to start at a span matching the selector',
        'Received: it started at "INSERT orders" [svc]',
        '',
        'Origin:   "INSERT orders" [svc]: status ERROR: deadlock detected',
        'Why:      "INSERT orders" [svc] failed and nothing below it did, so the failure started there; its error went up through 3 failed ancestors to the root',
        'Path:     INSERT orders ✗ → OrderRepository.save ✗ → Order Service ✗ → POST /api/checkout ✗',
      ].join('\n'),
    );
    expect(message).toContain('└── Order Service (98ms)  ✗ error  ◀ match');
  });

  test('.not names where it did start', () => {
    expect(
      failureOf(() =>
        expect(checkoutTrace()).not.toHaveErrorOrigin({ name: 'Payment Gateway API' }),
      ),
    ).toContain(
      'Expected: the failure not to start at a span matching the selector\nReceived: it started at "Payment Gateway API" [order-service]',
    );
  });

  test('a trace without failures has no origin', () => {
    expect(
      failureOf(() => expect(nPlusOneTrace(1)).toHaveErrorOrigin('{ name = "SELECT orders" }')),
    ).toContain('Received: no span failed');
  });

  test('an exception recorded without ERROR status is where it started', () => {
    const trace = traceOf([
      { id: '1', name: 'GET /users/7', start: 0, end: 30, status: 'error' },
      {
        id: '2',
        parent: '1',
        name: 'UserRepository.find',
        start: 2,
        end: 20,
        exceptions: [{ type: 'QueryTimeout' }],
      },
    ]);
    expect(trace).toHaveErrorOrigin('{ name = "UserRepository.find" }');
    expect(failureOf(() => expect(trace).toHaveErrorOrigin('{ name = "GET /users/7" }'))).toContain(
      'Origin:   "UserRepository.find" [svc]: recorded an exception (QueryTimeout) but left its status unset',
    );
  });

  test('a selector that matches nothing is an error in both directions', () => {
    expect(
      failureOf(() => expect(layered()).not.toHaveErrorOrigin('{ name = "INSERT order" }')),
    ).toContain('Matcher error: the selector matched no span');
  });

  test('over a list of traces, every failed trace', () => {
    const other = traceOf([{ id: '1', name: 'INSERT orders', start: 0, end: 1 }], 'b'.repeat(32));
    expect([layered(), other]).toHaveErrorOrigin('{ name = "INSERT orders" }');
    expect(
      failureOf(() =>
        expect([layered(), checkoutTrace()]).toHaveErrorOrigin('{ name = "INSERT orders" }'),
      ),
    ).toContain(
      'Received: in 1 of 2 failed traces it started elsewhere\n\nIn trace 0af76519:\nOrigin:   "Payment Gateway API" [order-service]',
    );
  });
});

describe('toHaveErrorOrigin on a real trace (jaeger-skills/sibling_errors.json)', () => {
  let trace: Trace;
  test('loads', async () => {
    const traces = await loadTraces(realFixture('jaeger-skills/sibling_errors.json'));
    expect(traces).toHaveLength(1);
    trace = traces[0] as Trace;
  });

  test('the payment processor rejected the card; the e-mail failure came after', () => {
    // Two failed client calls under PlaceOrder, each over a failed span in the service it
    // called. The payment one ([payment], 22–58ms) ended first: the card was declined, so
    // the order was never stored, and SendOrderConfirmation ([email], 122–178ms) then
    // failed with "order not found". The origin is the payment service's span, not its
    // caller in checkout (the error propagated there), and not the e-mail service (fallout).
    expect(trace).toHaveErrorOrigin('{ resource.service.name = "payment" }');
    expect(trace).not.toHaveErrorOrigin(
      '{ name = "oteldemo.PaymentService/Charge" && resource.service.name = "checkout" }',
    );
    expect(trace).not.toHaveErrorOrigin('{ name = "oteldemo.CheckoutService/PlaceOrder" }');
    const message = failureOf(() =>
      expect(trace).toHaveErrorOrigin('{ resource.service.name = "email" }'),
    );
    expect(message).toContain(
      'Origin:   "oteldemo.PaymentService/Charge" [payment]: status ERROR: payment declined: card processor rejected transaction',
    );
    expect(message).toContain(
      'Why:      2 spans failed with nothing failed below them; the first to fail, "oteldemo.PaymentService/Charge" [payment] at +58ms, is the cause; the other, "oteldemo.EmailService/SendOrderConfirmation" [email] at +178ms, is fallout',
    );
    expect(message).toContain(
      'Fallout:  "oteldemo.EmailService/SendOrderConfirmation" [checkout], "oteldemo.EmailService/SendOrderConfirmation" [email] (failed too, not on the path)',
    );
  });
});

describe('toHaveErrorOrigin on a real trace (jaeger-skills/error_timeout_masked.json)', () => {
  let trace: Trace;
  test('loads', async () => {
    trace = (await loadTraces(realFixture('jaeger-skills/error_timeout_masked.json')))[0] as Trace;
  });

  test('Envoy timed out; the frontend span it waited 15s for is the origin, though it returned 200', () => {
    // The proxy's ingress span is the only one with ERROR status (504, response flag UT:
    // Envoy's 15s route timeout). The frontend's POST /api/checkout server span below it
    // ran for those 15s and answered 200 after Envoy had gone: that is where to look.
    expect(trace).toHaveErrorOrigin('{ resource.service.name = "frontend" && kind = server }');
    expect(trace).not.toHaveErrorOrigin('{ resource.service.name = "frontend-proxy" }');
    const message = failureOf(() =>
      expect(trace).toHaveErrorOrigin(
        '{ name = "POST" && resource.service.name = "frontend-proxy" }',
      ),
    );
    expect(message).toContain(
      [
        'Received: it started at "POST" [frontend]',
        '',
        'Origin:   "POST" [frontend]: did not fail (status UNSET); the time went there',
        'Why:      "POST" [frontend-proxy] gave up waiting at +15.1s, after 15s: HTTP 504, Envoy response flag UT (upstream request timeout); the time went to "POST" [frontend] (15s, 100% of the wait), so the failure started there, even though it did not fail itself (status UNSET)',
        'Path:     POST → router frontend egress ✗ → POST ✗ → user_checkout_multi',
      ].join('\n'),
    );
  });
});
