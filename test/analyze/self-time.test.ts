import { describe, expect, test } from '@jest/globals';
import { selfTimeOf, selfTimes } from '../../src/analyze';
import { loadTraces } from '../../src/ingest';
import type { Span, Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';
import { traceOf } from '../helpers/traces';

/** Self times in milliseconds by span name, rounded to the microsecond. */
function byName(trace: Trace): Record<string, number> {
  const self = selfTimes(trace);
  const out: Record<string, number> = {};
  for (const span of trace.spans)
    out[span.name] = Math.round((self[span.index] as number) / 1e3) / 1e3;
  return out;
}

describe('selfTimes', () => {
  test('a leaf’s self time is its duration; a parent’s is what its children leave', () => {
    const trace = traceOf([
      { id: '1', name: 'handler', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'auth', start: 10, end: 20 },
      { id: '3', parent: '1', name: 'query', start: 30, end: 80 },
    ]);
    expect(byName(trace)).toEqual({ handler: 40, auth: 10, query: 50 });
  });

  test('overlapping children are counted once', () => {
    // Two parallel 40ms calls and a third overlapping the second: together they cover
    // 10–70ms, so the parent has 40ms of its own, not 100 - 40 - 40 - 30.
    const trace = traceOf([
      { id: '1', name: 'fan-out', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'a', start: 10, end: 50 },
      { id: '3', parent: '1', name: 'b', start: 10, end: 50 },
      { id: '4', parent: '1', name: 'c', start: 40, end: 70 },
    ]);
    expect(byName(trace)['fan-out']).toBe(40);
  });

  test('children are clipped to the span: async overflow and skew take only what is inside', () => {
    const trace = traceOf([
      { id: '1', name: 'request', start: 10, end: 50 },
      { id: '2', parent: '1', name: 'skewed server', start: 0, end: 20 },
      { id: '3', parent: '1', name: 'fire and forget', start: 40, end: 90 },
      { id: '4', parent: '1', name: 'after the end', start: 60, end: 70 },
    ]);
    // Covered: 10–20 and 40–50.
    expect(byName(trace).request).toBe(20);
  });

  test('selfTimeOf agrees with selfTimes', () => {
    const trace = traceOf([
      { id: '1', name: 'handler', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'auth', start: 10, end: 20 },
    ]);
    expect(selfTimeOf(trace, trace.spans[0] as Span)).toBe(90e6);
  });

  test('yelp (zipkin): the API proxy spends most of its 88.9ms in its own code', async () => {
    // `post api proxy proxy` [yelp_main/api_proxy] (27.641–116.576ms) has two children,
    // a cache get (30.661–31.654) and a transaction (31.856–35.740): 88.935 - 0.993 - 3.884.
    const [trace] = await loadTraces(realFixture('zipkin/yelp.json'));
    expect(byName(trace as Trace)['post api proxy proxy']).toBeCloseTo(84.058, 3);
  });
});
