import { describe, expect, test } from '@jest/globals';
import { CheckTarget, TargetError } from '../../src/assert';
import { checkoutTrace, spanNamed } from './build';

const trace = checkoutTrace();

describe('CheckTarget.of', () => {
  test('takes a trace, an array of traces, and a span where allowed', () => {
    expect(CheckTarget.of(trace).traces).toEqual([trace]);
    expect(CheckTarget.of([trace, trace]).kind).toBe('traces');
    const span = spanNamed(trace, 'Payment Gateway API');
    const target = CheckTarget.of(span, { spans: true });
    expect(target.kind).toBe('span');
    expect(target.span).toBe(span);
    // The span is held as a one-span trace of its own; the original stays in its trace.
    expect(target.trace.spans).toHaveLength(1);
    expect(target.trace.spans[0]?.name).toBe('Payment Gateway API');
    expect(trace.has(span)).toBe(true);
  });

  test('says what it received and what it expects', () => {
    expect(() => CheckTarget.of(undefined)).toThrow(
      /expected a Trace \(from captureTrace\(\) or loadTraces\(\)\) or an array of them; received undefined/,
    );
    expect(() => CheckTarget.of(null)).toThrow(/received null/);
    expect(() => CheckTarget.of(42)).toThrow(/received number 42/);
    expect(() => CheckTarget.of({ spans: [] })).toThrow(/received a plain object/);
    expect(() => CheckTarget.of(new Map())).toThrow(/received a Map/);
  });

  test('spots the usual mistakes and says what to do', () => {
    expect(() => CheckTarget.of(Promise.resolve(trace))).toThrow(
      /received a Promise\. Await it first/,
    );
    expect(() => CheckTarget.of('traces/checkout.json')).toThrow(
      /received a string \("traces\/checkout.json"\)\. To read a trace file, `await loadTraces\(path\)` first/,
    );
    expect(() => CheckTarget.of([])).toThrow(
      /received an empty array of traces\. Nothing was captured/,
    );
    expect(() => CheckTarget.of([trace, undefined])).toThrow(/item \[1\] is undefined/);
  });

  test('refuses a span where the check needs its trace, and several traces where it needs one', () => {
    const span = spanNamed(trace, 'Order Service');
    expect(() => CheckTarget.of(span)).toThrow(
      /received a Span \("Order Service"\)\. A span does not know the trace it belongs to; pass the trace instead/,
    );
    expect(() => CheckTarget.of([trace, trace], { singleTrace: true })).toThrow(
      /received an array of 2 traces\. This check compares spans of one trace/,
    );
    expect(CheckTarget.of([trace], { singleTrace: true }).trace).toBe(trace);
  });

  test('errors carry the received value and the pieces of the message', () => {
    try {
      CheckTarget.of(undefined);
      throw new Error('no throw');
    } catch (error) {
      expect(error).toBeInstanceOf(TargetError);
      expect(error).toMatchObject({ received: undefined, problem: 'received undefined' });
    }
  });

  test('recognises traces from another copy of tracespec by their shape', () => {
    const foreign = Object.create(null);
    for (const key of ['traceId', 'spans', 'roots', 'issues']) foreign[key] = (trace as never)[key];
    foreign.childrenOf = (s: never) => trace.childrenOf(s);
    foreign.ancestorsOf = (s: never) => trace.ancestorsOf(s);
    expect(CheckTarget.of(foreign).kind).toBe('trace');
  });
});
