import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { checkoutTrace, nPlusOneTrace, traceOf } from '../assert/build';
import { realFixture } from '../helpers/fixtures';
import { failureOf } from './helpers';

expect.extend(matchers);

async function hotrod(name: string): Promise<Trace> {
  return (await loadTraces(realFixture(`jaeger-skills/${name}`)))[0] as Trace;
}

/** The prices of a cart's items, fetched all at once: 19ms to 24ms, all from 1ms. */
const fanOut = () =>
  traceOf([
    { id: '1', name: 'GET /cart', service: 'cart', start: 0, end: 50 },
    ...Array.from({ length: 6 }, (_, i) => ({
      id: (0x100 + i).toString(16),
      parent: '1',
      name: 'GET /price',
      service: 'cart',
      start: 1,
      end: 20 + i,
    })),
  ]);

describe('toHaveNoRepeatedSerialCalls', () => {
  test('passes without repeats and on a fan-out; fails on an N+1', () => {
    expect(checkoutTrace()).toHaveNoRepeatedSerialCalls();
    expect(fanOut()).toHaveNoRepeatedSerialCalls();
    expect(nPlusOneTrace(4)).toHaveNoRepeatedSerialCalls();
    expect(nPlusOneTrace(12)).not.toHaveNoRepeatedSerialCalls();
    expect(nPlusOneTrace(4)).not.toHaveNoRepeatedSerialCalls({ minCount: 4 });
    expect(nPlusOneTrace(12)).toHaveNoRepeatedSerialCalls({
      ignore: '{ name = "SELECT order_lines" }',
    });
  });

  test('the failure lists each group with its numbers and marks its calls in the tree', () => {
    const message = failureOf(() => expect(nPlusOneTrace(6)).toHaveNoRepeatedSerialCalls());
    expect(message).toBe(
      [
        'expect(trace).toHaveNoRepeatedSerialCalls()',
        '',
        'Expected: no operation called 5 or more times in a row under one parent',
        'Received: 1 group of serial calls:',
        '  under "GET /orders/42" [orders]: 6 × "SELECT order_lines" [orders] in 29ms wall, 24ms summed, 0 overlapping',
        '',
        'Batch the calls or run them concurrently; if a loop is serial on purpose, leave it out with { ignore: selector }.',
        '',
        'Trace:',
        'GET /orders/42 [orders] (40ms)',
        '├── SELECT orders (3ms)',
        '├── SELECT order_lines (4ms)  ◀ serial 1/6',
        '├── SELECT order_lines (4ms)  ◀ serial 2/6',
        '├── SELECT order_lines (4ms)  ◀ serial 3/6',
        '├── SELECT order_lines (4ms)  ◀ serial 4/6',
        '├── SELECT order_lines (4ms)  ◀ serial 5/6',
        '└── SELECT order_lines (4ms)  ◀ serial 6/6',
      ].join('\n'),
    );
  });

  test('the options are echoed in the hint', () => {
    expect(
      failureOf(() =>
        expect(nPlusOneTrace(6)).toHaveNoRepeatedSerialCalls({
          minCount: 3,
          select: '{ type = database }',
        }),
      ),
    ).toMatch(
      /^expect\(trace\)\.toHaveNoRepeatedSerialCalls\(options\) \/\/ minCount 3, select \{ type = database \}\n\nExpected: no operation called 3 or more times in a row under one parent/,
    );
  });

  test('.not says what it found instead: the concurrent groups, or nothing', () => {
    expect(failureOf(() => expect(fanOut()).not.toHaveNoRepeatedSerialCalls())).toContain(
      [
        'Expected: some operation called 5 or more times in a row under one parent',
        'Received: only concurrent ones (1 group):',
        '  under "GET /cart" [cart]: 6 × "GET /price" [cart] ran 5.4 at a time: 129ms summed in 24ms busy, 15 overlapping',
        '',
        'Trace:',
        'GET /cart [cart] (50ms)',
        '├── GET /price (19ms)  ◀ concurrent 1/6',
      ].join('\n'),
    );
    expect(failureOf(() => expect(checkoutTrace()).not.toHaveNoRepeatedSerialCalls())).toBe(
      [
        'expect(trace).not.toHaveNoRepeatedSerialCalls()',
        '',
        'Expected: some operation called 5 or more times in a row under one parent',
        'Received: none among 5 spans',
      ].join('\n'),
    );
  });

  test('a select that matches nothing is an error in both directions, with the candidates', () => {
    for (const assertion of [
      () => expect(nPlusOneTrace(6)).toHaveNoRepeatedSerialCalls({ select: { name: 'SELECT' } }),
      () =>
        expect(nPlusOneTrace(6)).not.toHaveNoRepeatedSerialCalls({ select: { name: 'SELECT' } }),
    ]) {
      const message = failureOf(assertion);
      expect(message).toContain(
        'Matcher error: the select selector matched no span, so there is nothing to check',
      );
      expect(message).toContain('"SELECT orders" [orders] client, 3ms, status unset');
    }
  });

  test('bad options are matcher errors that say what is wrong', () => {
    expect(
      failureOf(() => expect(nPlusOneTrace(6)).toHaveNoRepeatedSerialCalls({ minCount: 0 })),
    ).toContain('Matcher error: minCount must be a whole number of calls, 2 or more, not 0');
    expect(failureOf(() => expect(undefined).toHaveNoRepeatedSerialCalls())).toContain(
      'Matcher error: received value must be a Trace',
    );
    // @ts-expect-error minCount is a number
    expect(() => expect(nPlusOneTrace(6)).toHaveNoRepeatedSerialCalls({ minCount: '3' })).toThrow(
      'minCount must be a whole number of calls, 2 or more, not string',
    );
  });

  test('several traces: groups under the trace they belong to, only those trees shown', () => {
    const message = failureOf(() =>
      expect([checkoutTrace(), nPlusOneTrace(5)]).toHaveNoRepeatedSerialCalls(),
    );
    expect(message).toContain(
      'Received: 1 group of serial calls:\n  In trace 0af76519:\n  under "GET /orders/42" [orders]: 5 × "SELECT order_lines" [orders]',
    );
    expect(message).toContain('Trace:\ntrace 0af7651916cd43dd8448eb211c80319c · 7 spans');
    expect(message).not.toContain('POST /api/checkout');
  });
});

describe('on HotROD traces (see test/analyze/repeated-calls.real.test.ts for the reading)', () => {
  test('the driver lookups fail the check; the concurrent route calls do not', async () => {
    const concurrent = await hotrod('n_plus_one_full_concurrent.json');
    const failure = failureOf(() => expect(concurrent).toHaveNoRepeatedSerialCalls());
    expect(failure).toContain(
      'Received: 1 group of serial calls:\n  under "driver.DriverService/FindNearest" [driver]: 13 × "GetDriver" [redis-manual] in 204ms wall, 204ms summed, 0 overlapping',
    );
    expect(failure).toContain(
      'GetDriver [redis-manual] (33.6ms)  ✗ error: An error occurred  ◀ serial 1/13',
    );
    expect(concurrent).toHaveNoRepeatedSerialCalls({ select: '{ type = http }' });
    expect(await hotrod('n_plus_one_near_miss.json')).toHaveNoRepeatedSerialCalls();
  });

  test('the serial dispatch names both loops, the route calls with their server', async () => {
    const trace = await hotrod('n_plus_one_full_serial.json');
    expect(failureOf(() => expect(trace).toHaveNoRepeatedSerialCalls())).toContain(
      '  under "GET /dispatch" [frontend]: 10 × "HTTP GET" [frontend] → 0.0.0.0:8083 in 560ms wall, 559ms summed, 0 overlapping',
    );
  });
});
