/**
 * The matchers' type declarations, checked by `tsc --noEmit` (this file is in the
 * program): every matcher on `expect` from `@jest/globals`, and on the global
 * `jest.Matchers` that `@types/jest` users get. The declarations load with the matchers
 * module (`tracespec/matchers` imports `./types`); `@ts-expect-error` lines prove that
 * wrong arguments are refused, not merely that right ones are accepted.
 */

import { describe, expect, test } from '@jest/globals';
import type { Matchers as ExpectMatchers } from 'expect';
import { matchers, type TracespecMatchers } from '../../matchers';
import type { Span, Trace } from '../../src/model';
import { checkoutTrace, spanNamed } from '../assert/build';

expect.extend(matchers);

/** Every matcher, as a user writes it; compiled always, run where it needs no snapshot file. */
function useEveryMatcher(trace: Trace, traces: Trace[], span: Span, all: boolean): void {
  expect(trace).toHaveSpan('{ name = "Payment Gateway API" }');
  expect(traces).toHaveSpan({ name: 'Payment Gateway API', kind: 'client' });
  expect(trace).toHaveSpan((s: Span, t: Trace) => t.depthOf(s) === 2);
  expect(trace).toHaveSpanCount('{ type = database }', 1);
  expect(trace).toHaveSpanCount('{ type = database }', { max: 3 });
  expect(trace).toCompleteWithin('400ms');
  expect(span).toCompleteWithin(300);
  expect(trace).toHaveSpanWithin('{ kind = client }', '1.5s');
  expect(trace).toHaveOnCriticalPath('{ name = "Payment Gateway API" }');
  expect(trace).toHaveSelfTimeWithin('400ms');
  expect(traces).toHaveSelfTimeWithin(300, { by: 'span', select: { kind: 'client' } });
  expect(span).not.toHaveNoErrors();
  expect(trace).not.toHaveNoErrors({ ignoreRecordedExceptions: true });
  expect(trace).toHaveErrorOrigin('{ name = "Payment Gateway API" }');
  expect(trace).not.toPropagateError({
    from: '{ name = "Payment Gateway API" }',
    to: { name: 'Order Service' },
  });
  expect(trace).toHaveRecordedException('{ name = "Payment Gateway API" }', {
    type: 'CardError',
    message: /declined/,
  });
  expect(span).toHaveRecordedException({ type: expect.stringMatching(/Error$/) });
  expect(trace).toHaveAttributes('{ name = "Payment Gateway API" }', {
    'http.response.status_code': expect.any(Number),
  });
  expect(span).toHaveAttributes({ 'peer.service': 'stripe' });
  expect(trace).toHaveSpansInOrder([
    '{ name = "Inventory Service" }',
    { name: 'Payment Gateway API' },
  ]);
  expect(trace).not.toHaveSpansInParallel([
    '{ name = "Inventory Service" }',
    '{ name = "Payment Gateway API" }',
  ]);
  expect(trace).toHaveDependencies({ 'order-service': ['inventory-service', 'stripe'] });
  expect(traces).toHaveDependencies([{ to: 'postgresql', allowFrom: ['inventory-service'] }]);
  expect(traces).toHaveCapacityWithin({ service: '*', maxSelfShare: 0.9 });
  if (all) {
    expect(trace).toMatchTraceTree('POST /api/checkout\n└── Order Service (<400ms)', {
      strict: false,
      ordered: true,
    });
    expect(trace).toMatchTraceSnapshot('checkout');
  }
  // Inside asymmetric matchers, as Jest's docs declare custom ones.
  expect({ trace }).toEqual({ trace: expect.toHaveSpan('{ }') });

  // @ts-expect-error a count is a number or { min, max }
  expect(trace).toHaveSpanCount('{ }', 'three');
  // @ts-expect-error a budget is a string or a number of milliseconds
  expect(trace).toCompleteWithin({ ms: 300 });
  // @ts-expect-error toPropagateError needs { from }
  expect(trace).toPropagateError({ to: '{ }' });
  // @ts-expect-error selectors come as an array
  expect(trace).toHaveSpansInOrder('{ }', '{ }');
  // @ts-expect-error self time is measured by 'service' or 'span'
  expect(trace).toHaveSelfTimeWithin('1s', { by: 'operation' });
  // @ts-expect-error not a matcher of tracespec's
  expect(trace).toHaveSpanz('{ }');
}

// Both places carry every matcher: `expect`'s Matchers (what `@jest/globals` and Jest 30's
// global `expect` read) and the global `jest.Matchers` (what `@types/jest` users read).
type Missing<M> = Exclude<keyof TracespecMatchers<void>, keyof M>;
const noneMissingFromExpect: [Missing<ExpectMatchers<void>>] extends [never] ? true : false = true;
const noneMissingFromJest: [Missing<jest.Matchers<void>>] extends [never] ? true : false = true;

describe('the type declarations', () => {
  test('cover every registered matcher, and the matchers object has every declared one', () => {
    const declared: Record<keyof TracespecMatchers<void>, true> = {
      toHaveSpan: true,
      toHaveSpanCount: true,
      toCompleteWithin: true,
      toHaveSpanWithin: true,
      toHaveOnCriticalPath: true,
      toHaveSelfTimeWithin: true,
      toHaveNoErrors: true,
      toHaveErrorOrigin: true,
      toPropagateError: true,
      toHaveNoRepeatedSerialCalls: true,
      toHaveRecordedException: true,
      toHaveAttributes: true,
      toHaveCapacityWithin: true,
      toHaveDependencies: true,
      toHaveSpansInOrder: true,
      toHaveSpansInParallel: true,
      toMatchTraceTree: true,
      toMatchTraceSnapshot: true,
    };
    expect(Object.keys(matchers).sort()).toEqual(Object.keys(declared).sort());
    expect([noneMissingFromExpect, noneMissingFromJest]).toEqual([true, true]);
  });

  test('the sample uses pass at run time', () => {
    const trace = checkoutTrace();
    expect(() =>
      useEveryMatcher(trace, [trace], spanNamed(trace, 'Payment Gateway API'), false),
    ).toThrow(
      // Only the @ts-expect-error lines fail at run time; the first of them throws.
      /the expected count must be a number or \{ min, max \}, not string/,
    );
  });
});
