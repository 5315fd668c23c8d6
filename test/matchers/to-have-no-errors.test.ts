import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace, nPlusOneTrace, spanNamed, traceOf } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

describe('toHaveNoErrors', () => {
  test('passes when no span failed; takes traces, lists and spans', () => {
    expect(nPlusOneTrace(2)).toHaveNoErrors();
    expect([nPlusOneTrace(1), nPlusOneTrace(2)]).toHaveNoErrors();
    expect(spanNamed(checkoutTrace(), 'Order Service')).toHaveNoErrors();
    expect(checkoutTrace()).not.toHaveNoErrors();
  });

  test('the failure lists each failed span, how it failed, and where the failure started', () => {
    const message = failureOf(() => expect(checkoutTrace()).toHaveNoErrors());
    expect(message).toContain(
      [
        'expect(trace).toHaveNoErrors()',
        '',
        'Expected: no failed span',
        'Received: 1 failed span:',
        '  "Payment Gateway API" [order-service]: status ERROR: card declined',
        '',
        'Origin:   "Payment Gateway API" [order-service]: where the failure started',
        '',
        'Trace:',
      ].join('\n'),
    );
    expect(message).toContain('Payment Gateway API (280ms)  ✗ error: card declined  ◀ match');
  });

  test('an exception recorded without ERROR status counts, unless told otherwise', () => {
    const trace = traceOf([
      { id: '1', name: 'GET /users/7', start: 0, end: 30 },
      {
        id: '2',
        parent: '1',
        name: 'cache get',
        start: 1,
        end: 2,
        exceptions: [{ type: 'ConnectionError', message: 'ECONNREFUSED' }],
      },
    ]);
    expect(failureOf(() => expect(trace).toHaveNoErrors())).toContain(
      '"cache get" [svc]: recorded an exception (ECONNREFUSED) but left its status unset',
    );
    expect(trace).toHaveNoErrors({ ignoreRecordedExceptions: true });
  });

  test('.not says how many spans were searched', () => {
    expect(
      failureOf(() => expect([nPlusOneTrace(1), nPlusOneTrace(1)]).not.toHaveNoErrors()),
    ).toContain('Expected: some span to fail\nReceived: none of 6 spans in 2 traces failed');
  });
});
