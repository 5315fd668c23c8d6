import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace, nPlusOneTrace, spanNamed } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

const trace = checkoutTrace();

describe('toCompleteWithin', () => {
  test('a trace, from its first span’s start to its last span’s end', () => {
    expect(trace).toCompleteWithin('400ms');
    expect(trace).toCompleteWithin('0.5s');
    expect(trace).toCompleteWithin(356);
    expect(trace).not.toCompleteWithin('300ms');
    const message = failureOf(() => expect(trace).toCompleteWithin('300ms'));
    expect(message).toContain(
      [
        'expect(trace).toCompleteWithin(budget)',
        '',
        'Subject:  trace 0af76519 "POST /api/checkout" [api-gateway]',
        '',
        'Expected: at most 300ms',
        'Received: 356ms (56ms over)',
        '',
        'Trace:',
        'POST /api/checkout [api-gateway] (352ms)',
      ].join('\n'),
    );
  });

  test('a span by itself', () => {
    const span = spanNamed(trace, 'Payment Gateway API');
    expect(span).toCompleteWithin('300ms');
    expect(failureOf(() => expect(span).toCompleteWithin(250))).toBe(
      [
        'expect(span).toCompleteWithin(budget)',
        '',
        'Subject:  span "Payment Gateway API" [order-service]',
        '',
        'Expected: at most 250ms',
        'Received: 280ms (30ms over)',
      ].join('\n'),
    );
  });

  test('every trace of a list, naming those over budget', () => {
    expect([nPlusOneTrace(1), nPlusOneTrace(2)]).toCompleteWithin('50ms');
    const message = failureOf(() => expect([nPlusOneTrace(1), trace]).toCompleteWithin('50ms'));
    expect(message).toContain(
      'Expected: every trace within 50ms\nReceived: 1 trace of 2 took longer:\n  356ms (306ms over)  trace 0af76519 "POST /api/checkout" [api-gateway]\n\nThe slowest trace:',
    );
  });

  test('.not says how long it took', () => {
    expect(failureOf(() => expect(trace).not.toCompleteWithin('1s'))).toContain(
      'Expected: longer than 1s\nReceived: 356ms',
    );
  });

  test('a budget it cannot read says how to write it', () => {
    expect(failureOf(() => expect(trace).toCompleteWithin('300 ms'))).toContain(
      'Matcher error: "300 ms" is not a duration: write it without the space, as "300ms"',
    );
    expect(failureOf(() => expect(trace).not.toCompleteWithin('fast'))).toContain(
      `"fast" is not a duration; write it as '300ms', '1.5s' or a number of milliseconds`,
    );
  });
});
