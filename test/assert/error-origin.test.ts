import { describe, expect, test } from '@jest/globals';
import { failureSignal, findErrorOrigin } from '../../src/analyze';
import { loadTraces } from '../../src/ingest';
import { realFixture } from '../helpers/fixtures';
import { checkoutTrace, names, spanNamed, traceOf } from './build';

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
});

describe('findErrorOrigin', () => {
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
  });

  test('with several failed siblings, the one that ended first is the cause; the later ones are fallout', () => {
    // The inventory check times out first; the order then fails, and so does the
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
        message: 'timeout',
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
    ]);
    const found = findErrorOrigin(trace);
    expect(found?.origin.name).toBe('charge');
    expect(found?.rule).toBe('earliest-unhandled-failure');
    expect(names(found?.fallout ?? [])).toEqual(['redis GET']);
  });

  test('falls back to the earliest failure when none reached the root', () => {
    const trace = traceOf([
      { id: '1', name: 'job', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'first try', start: 1, end: 20, status: 'error' },
      { id: '3', parent: '1', name: 'second try', start: 30, end: 50, status: 'error' },
    ]);
    expect(findErrorOrigin(trace)?.origin.name).toBe('first try');
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

describe('findErrorOrigin on a real trace (jaeger-skills/sibling_errors.json)', () => {
  test('the payment processor’s rejection, not the e-mail failure that followed it', async () => {
    // OpenTelemetry Demo checkout: PlaceOrder [checkout] failed ("order failed"). Under it
    // two client calls failed, each with a failed server span below:
    //   PaymentService/Charge [checkout] 20–60ms → Charge [payment] 22–58ms "card processor rejected transaction"
    //   EmailService/SendOrderConfirmation [checkout] 120–180ms → [email] 122–178ms "order not found"
    // Both server spans are failures with no failed descendant, and both errors reached the
    // root. The payment server span ended first (58ms): the card was declined, so the order
    // was never stored, and the confirmation e-mail later failed with "order not found". The
    // e-mail spans are fallout of the payment failure, not a second cause.
    const [trace] = await loadTraces(realFixture('jaeger-skills/sibling_errors.json'));
    if (!trace) throw new Error('the fixture holds no trace');
    const found = findErrorOrigin(trace);
    expect(found?.origin.spanId).toBe('d4e5f60718293a4b');
    expect(found?.origin.service).toBe('payment');
    expect(found?.rule).toBe('earliest-failure');
    expect(found?.chain.map((s) => `${s.service}:${s.name}`)).toEqual([
      'payment:oteldemo.PaymentService/Charge',
      'checkout:oteldemo.PaymentService/Charge',
      'checkout:oteldemo.CheckoutService/PlaceOrder',
    ]);
    expect(found?.fallout.map((s) => `${s.service}:${s.name}`)).toEqual([
      'checkout:oteldemo.EmailService/SendOrderConfirmation',
      'email:oteldemo.EmailService/SendOrderConfirmation',
    ]);
  });
});
