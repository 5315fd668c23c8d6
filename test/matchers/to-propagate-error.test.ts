import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace, traceOf } from '../assert/build';
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
