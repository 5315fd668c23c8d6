import { describe, expect, test } from '@jest/globals';
import { findSlowTail } from '../../src/analyze';
import { InputError } from '../../src/errors';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';
import { traceOf } from '../helpers/traces';

async function load(...files: string[]): Promise<Trace[]> {
  const out: Trace[] = [];
  for (const file of files) out.push(...(await loadTraces(realFixture(file))));
  return out;
}

/** `service share%` for the first `n` services. */
const top = (tail: ReturnType<typeof findSlowTail>, n: number) =>
  tail.services.slice(0, n).map((s) => `${s.service} ${(s.share * 100).toFixed(1)}%`);

describe('findSlowTail', () => {
  test('shares out the slow traces’ critical paths; fast traces do not count', () => {
    // 19 fast traces where the database is the path, one slow trace where a partner API
    // is: the p95 of 20 durations (rank 19 × 0.95 = 18.05) lies between the two slowest, so
    // only the slow one counts.
    const traces = Array.from({ length: 19 }, (_, i) =>
      traceOf(
        [
          { id: '1', name: 'GET /quote', service: 'api', start: 0, end: 50 },
          { id: '2', parent: '1', name: 'SELECT rates', service: 'db', start: 5, end: 45 },
        ],
        (i + 1).toString(16).padStart(32, '0'),
      ),
    );
    traces.push(
      traceOf(
        [
          { id: '1', name: 'GET /quote', service: 'api', start: 0, end: 400 },
          { id: '2', parent: '1', name: 'SELECT rates', service: 'db', start: 5, end: 45 },
          {
            id: '3',
            parent: '1',
            name: 'POST /partner/quote',
            service: 'partner',
            start: 50,
            end: 350,
          },
        ],
        'f'.repeat(32),
      ),
    );
    const tail = findSlowTail(traces);
    expect(tail.slow.map((p) => p.trace.traceId)).toEqual(['f'.repeat(32)]);
    expect(tail.thresholdNs).toBeGreaterThan(50e6);
    // 300ms partner, 40ms db, 60ms of the API's own.
    expect(top(tail, 3)).toEqual(['partner 75.0%', 'api 15.0%', 'db 10.0%']);
    expect(tail.operations[0]).toMatchObject({
      service: 'partner',
      name: 'POST /partner/quote',
      pathNs: 300e6,
      traces: 1,
    });
  });

  test('the percentile is configurable; 0 takes every trace', () => {
    const traces = [
      traceOf([{ id: '1', service: 'a', start: 0, end: 10 }], '1'.repeat(32)),
      traceOf([{ id: '1', service: 'b', start: 0, end: 30 }], '2'.repeat(32)),
    ];
    const tail = findSlowTail(traces, { percentile: 0 });
    expect(tail.slow).toHaveLength(2);
    expect(top(tail, 2)).toEqual(['b 75.0%', 'a 25.0%']);
  });

  test('no traces: no threshold, nothing to share', () => {
    const tail = findSlowTail([]);
    expect(tail).toMatchObject({ thresholdNs: null, slow: [], services: [], pathNs: 0 });
  });

  test('a percentile outside 0..1 is refused with the way to write it', () => {
    expect(() => findSlowTail([], { percentile: 95 })).toThrow(InputError);
    expect(() => findSlowTail([], { percentile: 95 })).toThrow('0.95 for p95');
  });
});

describe('findSlowTail on real traces', () => {
  test('jaeger-skills: the 15s proxy timeout is the tail, and the frontend behind it the cause', async () => {
    // Six traces: 200ms, 694ms, 1117ms, 1685ms, 1724ms and 15081ms. p95 interpolates
    // between the two slowest (1724 + 0.75 × 13357 ≈ 11741ms), so only the timed-out
    // checkout is the tail. Its path runs 15000.7ms through the frontend's `POST` (behind
    // frontend-proxy's egress span, which gave up at 15s); next is the load generator's own
    // time between its two requests (45.9–78.8ms).
    const traces = await load(
      'jaeger-skills/error_timeout_masked.json',
      'jaeger-skills/n_plus_one_full_concurrent.json',
      'jaeger-skills/n_plus_one_full_serial.json',
      'jaeger-skills/n_plus_one_near_miss.json',
      'jaeger-skills/n_plus_one_positive.json',
      'jaeger-skills/sibling_errors.json',
    );
    const tail = findSlowTail(traces);
    expect(tail.traces).toBe(6);
    expect((tail.thresholdNs ?? 0) / 1e6).toBeCloseTo(11741.4, 0);
    expect(tail.slow.map((p) => p.trace.traceId)).toEqual(['3e241b731fcf87976a3d50f5a7cc4d94']);
    expect(tail.services.map((s) => s.service).slice(0, 2)).toEqual(['frontend', 'load-generator']);
    expect(tail.services[0]?.share).toBeGreaterThan(0.99);
  });

  test('HotROD serial dispatch: the ten /route calls, one after another, are half the path', async () => {
    // Of the two full /dispatch traces (1117ms serial, 694ms concurrent) only the serial one
    // is at or above p95. Every call in it waits for the one before, so all are on the path:
    // the route server spans add up to 554.5ms, the customer's SQL query 311.7ms, and the
    // fourteen redis calls of FindNearest 243.0ms, out of 1117.0ms.
    const traces = await load(
      'jaeger-skills/n_plus_one_full_serial.json',
      'jaeger-skills/n_plus_one_full_concurrent.json',
    );
    const tail = findSlowTail(traces);
    expect(tail.slow).toHaveLength(1);
    expect(top(tail, 3)).toEqual(['route 49.6%', 'mysql 27.9%', 'redis-manual 21.8%']);
  });

  test('HotROD concurrent dispatch: with the /route calls in parallel, the SQL query leads', async () => {
    // Three at a time, only four of the ten route calls are on the path (42.8 + 41.7 + 59.4
    // + 36.7 = 180.6ms), behind the customer's SQL query (282.4ms) and the redis calls
    // (226.4ms), out of 694.0ms.
    const tail = findSlowTail(await load('jaeger-skills/n_plus_one_full_concurrent.json'));
    expect(top(tail, 3)).toEqual(['mysql 40.7%', 'redis-manual 32.6%', 'route 26.0%']);
    expect(tail.operations.find((o) => o.name === 'GET /route')?.pathNs).toBeCloseTo(180.622e6, -3);
  });

  test('zipkin yelp: the API proxy’s own time, not the parallel mobile_api call', async () => {
    // On the path (see the critical-path tests): the proxy's own 84.1ms (27.641–30.661,
    // 31.654–31.856 and 35.740–116.576ms: all but its two children, both on the path), then the [unknown] client's 36.1ms around it. mobile_api's 41.7ms
    // ran in parallel and is not on it.
    const tail = findSlowTail(await load('zipkin/yelp.json'));
    expect(tail.services.map((s) => s.service)).toEqual([
      'yelp_main/api_proxy',
      'unknown',
      'routing',
      'yelp-main',
    ]);
    expect((tail.services[0]?.pathNs ?? 0) / 1e6).toBeCloseTo(84.058, 3);
  });
});
