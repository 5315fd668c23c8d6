import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { checkoutTrace, traceOf } from '../assert/build';
import { realFixture } from '../helpers/fixtures';
import { failureOf } from './helpers';

expect.extend(matchers);

const layered = () =>
  traceOf([
    { id: '1', name: 'POST /api/checkout', start: 0, end: 100, status: 'error' },
    { id: '2', parent: '1', name: 'Order Service', start: 1, end: 99, status: 'error' },
    {
      id: '3',
      parent: '2',
      name: 'OrderRepository.save',
      start: 5,
      end: 50,
      exceptions: [{ type: 'DeadlockError' }],
    },
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

describe('toPropagateError', () => {
  test('ERROR status on from, on to, and on every span between', () => {
    expect(layered()).toPropagateError({ from: '{ name = "Order Service" }' });
    expect(layered()).toPropagateError({
      from: { name: 'Order Service' },
      to: { name: 'POST /api/checkout' },
    });
    expect(checkoutTrace()).not.toPropagateError({ from: '{ name = "Payment Gateway API" }' });
  });

  test('the failure walks the path bottom up and names the span that handled the error', () => {
    const message = failureOf(() =>
      expect(checkoutTrace()).toPropagateError({ from: '{ name = "Payment Gateway API" }' }),
    );
    expect(message).toContain(
      [
        'expect(trace).toPropagateError({ from, to }) // { name = "Payment Gateway API" } up to the root',
        '',
        'Expected: ERROR status on `from` and every span up to the root',
        'Received: "Order Service" [order-service] handled it: its status is UNSET',
        '',
        'Path, bottom up:',
        '  ✗ "Payment Gateway API" [order-service]: card declined',
        '  ✓ "Order Service" [order-service]: status UNSET',
        '  ✓ "POST /api/checkout" [api-gateway]: status UNSET',
      ].join('\n'),
    );
  });

  test('the failure also says where the failure started and why, by the error-origin analysis', () => {
    const message = failureOf(() =>
      expect(checkoutTrace()).toPropagateError({ from: '{ name = "Payment Gateway API" }' }),
    );
    expect(message).toContain(
      [
        'Origin:   "Payment Gateway API" [order-service]',
        'Why:      "Payment Gateway API" [order-service] failed and nothing below it did, so the failure started there; its error went up and stopped at "Order Service" [order-service] (status UNSET)',
      ].join('\n'),
    );
  });

  test('of several `from` spans, the one on the path the failure took', () => {
    // `{ status = error }` matches the root first; checking from there would pass on a
    // path of one span. The origin's chain decides instead: from the card call up.
    const trace = traceOf([
      { id: '1', name: 'checkout', start: 0, end: 100, status: 'error' },
      { id: '2', parent: '1', name: 'order', start: 1, end: 99 },
      { id: '3', parent: '2', name: 'charge', start: 10, end: 50, error: 'card declined' },
    ]);
    expect(
      failureOf(() => expect(trace).toPropagateError({ from: '{ status = error }' })),
    ).toContain('Received: "order" [svc] handled it: its status is UNSET');
  });

  test('a span that recorded the exception but did not set ERROR is pointed out', () => {
    const message = failureOf(() =>
      expect(layered()).toPropagateError({ from: '{ name = "INSERT orders" }' }),
    );
    expect(message).toContain(
      'Received: "OrderRepository.save" [svc] handled it: its status is UNSET',
    );
    expect(message).toContain(
      '  ✓ "OrderRepository.save" [svc]: status UNSET (it recorded an exception: set ERROR status where the error is not handled)',
    );
  });

  test('.not names the unbroken path', () => {
    const message = failureOf(() =>
      expect(layered()).not.toPropagateError({
        from: '{ name = "Order Service" }',
        to: '{ name = "POST /api/checkout" }',
      }),
    );
    expect(message).toContain(
      'Expected: a span between `from` and the `to` span to handle the error\nReceived: every span from "Order Service" [svc] up to "POST /api/checkout" [svc] has ERROR status',
    );
  });

  test('from must fail, and sit under to', () => {
    expect(
      failureOf(() =>
        expect(checkoutTrace()).toPropagateError({ from: '{ name = "Order Service" }' }),
      ),
    ).toContain('Received: "Order Service" [order-service] itself does not have ERROR status');
    expect(
      failureOf(() =>
        expect(layered()).toPropagateError({
          from: '{ name = "Order Service" }',
          to: '{ name = "INSERT orders" }',
        }),
      ),
    ).toContain('Received: no span matching `from` has an ancestor matching `to`');
  });

  test('a selector that matches nothing is named, and a bad expectation explained', () => {
    expect(
      failureOf(() => expect(layered()).toPropagateError({ from: '{ name = "INSERT order" }' })),
    ).toContain('Matcher error: the from selector matched no span, so there is nothing to check');
    expect(
      failureOf(() =>
        expect(layered()).not.toPropagateError({ from: '{ }', to: '{ name = "POST /checkout" }' }),
      ),
    ).toContain('Matcher error: the to selector matched no span');
    expect(
      failureOf(() => expect(layered()).toPropagateError('{ name = "x" }' as never)),
    ).toContain('toPropagateError needs { from, to? }');
    expect(
      failureOf(() => expect([layered(), layered()]).toPropagateError({ from: '{ }' })),
    ).toContain('Received an array of 2 traces. This check compares spans of one trace');
  });
});

describe('toPropagateError on a real trace (jaeger-skills/error_timeout_masked.json)', () => {
  let trace: Trace;
  test('loads', async () => {
    trace = (await loadTraces(realFixture('jaeger-skills/error_timeout_masked.json')))[0] as Trace;
  });

  test('Envoy’s cancelled upstream call was tagged error=true without a status: named as such', () => {
    // The egress span carries error="true" (and canceled="true") but no status; the
    // ingress span above it has ERROR (504). The propagation check reads status only, so
    // the egress span is where the error "stopped", and the message says why and what
    // the trace's failure really was: the frontend's 15s behind Envoy's timeout.
    const message = failureOf(() =>
      expect(trace).toPropagateError({
        from: '{ name = "router frontend egress" && span.canceled = "true" }',
        to: '{ name = "POST" && resource.service.name = "frontend-proxy" }',
      }),
    );
    expect(message).toContain(
      [
        'Path, bottom up:',
        '  ✓ "router frontend egress" [frontend-proxy]: status UNSET (it is tagged error=true: set ERROR status where the error is not handled)',
        '  ✗ "POST" [frontend-proxy]: HTTP 504',
        '',
        'Origin:   "POST" [frontend], where "POST" [frontend-proxy] gave up waiting',
      ].join('\n'),
    );
    expect(message).toContain('Why:      "POST" [frontend-proxy] gave up waiting at +15.1s');
  });
});
