import { describe, expect, test } from '@jest/globals';
import { measureCapacity } from '../../src/analyze';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';
import { traceOf } from '../helpers/traces';

const ms = (ns: number) => Math.round(ns / 1e3) / 1e3;

describe('measureCapacity', () => {
  test('counts, throughput over the window, total and self time, error rate, per service and operation', () => {
    // Two requests 900ms apart: the window is 0–1000ms, so 3 api spans make 3 spans/s.
    const traces = [
      traceOf(
        [
          { id: '1', name: 'GET /a', service: 'api', start: 0, end: 100 },
          { id: '2', parent: '1', name: 'SELECT', service: 'db', start: 10, end: 90 },
        ],
        '1'.repeat(32),
      ),
      traceOf(
        [
          { id: '1', name: 'GET /a', service: 'api', start: 900, end: 1000, error: 'timeout' },
          { id: '2', parent: '1', name: 'SELECT', service: 'db', start: 910, end: 930 },
          { id: '3', parent: '1', name: 'GET /b', service: 'api', start: 930, end: 940 },
        ],
        '2'.repeat(32),
      ),
    ];
    const capacity = measureCapacity(traces);
    expect(capacity).toMatchObject({ traces: 2, spans: 5, windowNs: 1000e6, selfNs: 200e6 });
    // api: 20 + 70 + 10 = 100ms of its own, db: 80 + 20. Ties go by name, so the order is stable.
    expect(capacity.services).toEqual([
      {
        service: 'api',
        spans: 3,
        errors: 1,
        errorRate: 1 / 3,
        throughputPerSecond: 3,
        totalNs: 210e6,
        selfNs: 100e6,
        selfShare: 0.5,
      },
      {
        service: 'db',
        spans: 2,
        errors: 0,
        errorRate: 0,
        throughputPerSecond: 2,
        totalNs: 100e6,
        selfNs: 100e6,
        selfShare: 0.5,
      },
    ]);
    expect(capacity.operations.map((o) => `${o.service} ${o.name} ${ms(o.selfNs)}`)).toEqual([
      'db SELECT 100',
      'api GET /a 90',
      'api GET /b 10',
    ]);
  });

  test('a window of no length has no throughput', () => {
    const capacity = measureCapacity([traceOf([{ id: '1', start: 5, end: 5 }])]);
    expect(capacity.services[0]?.throughputPerSecond).toBeNull();
    expect(capacity.services[0]?.selfShare).toBe(0);
  });

  test('no traces, no rows', () => {
    expect(measureCapacity([])).toEqual({
      traces: 0,
      spans: 0,
      windowNs: 0,
      selfNs: 0,
      services: [],
      operations: [],
    });
  });
});

describe('measureCapacity on real traces', () => {
  test('zipkin yelp: the API proxy dominates; mobile_api is second though off the critical path', async () => {
    // Self times, from the spans: the proxy 88.935 - 0.993 - 3.884 = 84.058ms; mobile_api
    // its server's 41.740 - (1.066 + 1.026 + 3.000 + 14.000) = 22.648 plus its clients'
    // 1.066 + 1.026 + (3.000 - 1.490) + 14.000 = 40.250ms; the [unknown] client 125.000 -
    // 88.935 = 36.065ms. mobile_api's call ran beside the slower proxy call, so it costs
    // capacity without making this request slower.
    const traces = await loadTraces(realFixture('zipkin/yelp.json'));
    const capacity = measureCapacity(traces);
    expect(capacity.services.slice(0, 3).map((s) => `${s.service} ${ms(s.selfNs)}`)).toEqual([
      'yelp_main/api_proxy 84.058',
      'mobile_api 40.25',
      'unknown 36.065',
    ]);
    // Five mobile_api spans over the trace's 131.848ms.
    expect(capacity.services[1]?.throughputPerSecond).toBeCloseTo(5 / 0.131848, 6);
  });

  test('HotROD serial dispatch: three of the thirteen GetDriver calls failed', async () => {
    // GetDriver [redis-manual] spans with ERROR status: at 350.366, 430.253 and 509.088ms.
    // redis-manual also made the FindDriverIDs call, which did not fail.
    const [trace] = await loadTraces(realFixture('jaeger-skills/n_plus_one_full_serial.json'));
    const capacity = measureCapacity([trace as Trace]);
    const getDriver = capacity.operations.find((o) => o.name === 'GetDriver');
    expect(getDriver).toMatchObject({ service: 'redis-manual', spans: 13, errors: 3 });
    expect(getDriver?.errorRate).toBeCloseTo(3 / 13, 12);
    expect(capacity.services.find((s) => s.service === 'redis-manual')).toMatchObject({
      spans: 14,
      errors: 3,
    });
    // The ten route server spans have no children: 554.466ms of self time, the most.
    expect(capacity.services[0]?.service).toBe('route');
    expect(ms(capacity.services[0]?.selfNs ?? 0)).toBeCloseTo(554.466, 2);
  });
});
