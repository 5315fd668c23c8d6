import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace, spanNamed } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

const trace = checkoutTrace();
const payment = '{ name = "Payment Gateway API" }';

describe('toHaveRecordedException', () => {
  test('type exactly, message as a substring, RegExps and asymmetric matchers', () => {
    expect(trace).toHaveRecordedException(payment, { type: 'CardError' });
    expect(trace).toHaveRecordedException(payment, { message: 'insufficient funds' });
    expect(trace).toHaveRecordedException(payment, {
      type: /Card/,
      message: expect.stringMatching(/^card declined/),
    });
    expect(trace).toHaveRecordedException(payment);
    expect(trace).toHaveRecordedException('{ }', { type: expect.any(String) });
    expect(trace).toHaveRecordedException();
    expect(trace).not.toHaveRecordedException(payment, { type: 'TimeoutError' });
    expect(trace).not.toHaveRecordedException('{ name = "Order Service" }');
  });

  test('on a span, the expectation comes first', () => {
    const span = spanNamed(trace, 'Payment Gateway API');
    expect(span).toHaveRecordedException({ type: 'CardError' });
    expect(span).toHaveRecordedException();
    expect(spanNamed(trace, 'Order Service')).not.toHaveRecordedException();
    expect(
      failureOf(() => expect(spanNamed(trace, 'Order Service')).toHaveRecordedException()),
    ).toContain(
      'Expected: the span to have recorded an exception\nReceived: the span recorded no exception',
    );
  });

  test('the failure lists what the matching spans did record', () => {
    const message = failureOf(() =>
      expect(trace).toHaveRecordedException(payment, { type: 'TimeoutError' }),
    );
    expect(message).toContain(
      [
        'expect(trace).toHaveRecordedException(selector, expected) // { name = "Payment Gateway API" }',
        '',
        'Expected: a span matching the selector to have recorded an exception {"type": "TimeoutError"}',
        'Received: none of the recorded exceptions fits:',
        '  "Payment Gateway API" [order-service]',
        '    CardError: card declined: insufficient funds',
      ].join('\n'),
    );
    expect(failureOf(() => expect(trace).toHaveRecordedException('{ kind = server }'))).toContain(
      'Received: none of the 3 matching spans recorded an exception',
    );
  });

  test('.not lists the exceptions that fit', () => {
    expect(
      failureOf(() => expect(trace).not.toHaveRecordedException(payment, { message: 'declined' })),
    ).toContain(
      'Received: 1 matching span did:\n  "Payment Gateway API" [order-service]\n    CardError: card declined: insufficient funds',
    );
  });

  test('an expectation passed as the selector of a trace is caught', () => {
    expect(failureOf(() => expect(trace).toHaveRecordedException({ type: 'CardError' }))).toContain(
      'Matcher error: on a trace the first argument selects the spans; { type: "CardError" } reads like the expected exception',
    );
    expect(
      failureOf(() =>
        expect(trace).toHaveRecordedException(payment, { name: 'CardError' } as never),
      ),
    ).toContain('unknown key "name" in the expected exception');
  });

  test('a selector that matches nothing is an error in both directions', () => {
    expect(
      failureOf(() => expect(trace).not.toHaveRecordedException('{ name = "Paymnt" }')),
    ).toContain('the selector matched no span');
  });
});
