/**
 * N+1 detection on traces captured from the HotROD demo (Jaeger's `jaeger-skills` test
 * data). What each test expects comes from reading the files: the times quoted in the
 * comments are milliseconds from the trace's start, read off the raw OTLP/JSON.
 *
 * HotROD's `/dispatch` does, in order: one HTTP call to the customer service (port 8081,
 * which runs one MySQL query), one gRPC call to the driver service, then one HTTP call to
 * the route service (port 8083) per driver found. The driver service asks redis for the
 * driver ids (`FindDriverIDs`), then fetches each driver with its own `GetDriver`, one at a
 * time: the demo's deliberate N+1. Its fake redis fails some lookups, and the driver
 * service retries them, so a failed `GetDriver` is followed by a second one for the same
 * `param.driverID`.
 */

import { describe, expect, test } from '@jest/globals';
import {
  findRepeatedCalls,
  findRepeatedSerialCalls,
  type RepeatedCallGroup,
} from '../../src/analyze';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';

async function load(name: string): Promise<Trace> {
  const traces = await loadTraces(realFixture(`jaeger-skills/${name}`));
  expect(traces).toHaveLength(1);
  return traces[0] as Trace;
}

const ms = (ns: number) => ns / 1e6;

/** Parent, service, operation, count and overlapping pairs: what a reader checks first. */
const outline = (g: RepeatedCallGroup) => ({
  parent: `${g.parent.name} [${g.parent.service}] ${g.parent.kind}`,
  service: g.service,
  operation: g.operation,
  count: g.count,
  overlappingPairs: g.overlappingPairs,
  serial: g.serial,
});

const GET_DRIVER = {
  // The driver service's server span: the calls hang under the span that made them, not
  // under the frontend's client span for the same RPC.
  parent: 'driver.DriverService/FindNearest [driver] server',
  service: 'redis-manual',
  operation: 'GetDriver',
  count: 13,
  overlappingPairs: 0,
  serial: true,
};

describe('n_plus_one_positive.json: the driver lookups', () => {
  test('13 GetDriver calls, one after another, under the driver service', async () => {
    // The file holds only the driver part of a dispatch (16 spans): GET /dispatch, the
    // FindNearest client and server spans, and 13 GetDriver spans under the server span:
    // 10 drivers, 3 of whose lookups failed and were retried (T776999C, T745504C,
    // T770465C). Each starts within 0.05ms after the previous one ends (1317.579 →
    // 1348.033, then 1348.079 → ...), so no two overlap. The 13 spans run from 1317.579 to
    // 1511.920 (194.34ms) and their durations add up to 192.42ms: all but 2ms of the wall
    // time is a lookup in flight.
    const trace = await load('n_plus_one_positive.json');
    const groups = findRepeatedSerialCalls(trace);
    expect(groups.map(outline)).toEqual([GET_DRIVER]);
    const group = groups[0] as RepeatedCallGroup;
    expect(ms(group.wallNs)).toBeCloseTo(194.34, 1);
    expect(ms(group.sumNs)).toBeCloseTo(192.42, 1);
    expect(group.name).toBe('GetDriver');
    expect(group.spans.filter((s) => s.isError)).toHaveLength(3);
    // Nothing else repeats: every other span is an only child.
    expect(findRepeatedCalls(trace, { minCount: 2 }).map((g) => g.operation)).toEqual([
      'GetDriver',
    ]);
  });
});

describe('n_plus_one_full_serial.json: a whole dispatch, every loop serial', () => {
  test('the driver lookups, and the route calls under /dispatch', async () => {
    // Two loops. (1) 13 GetDriver under the driver server span, as above: 350.366 →
    // 556.383 (206.02ms wall), 205.71ms summed, none overlapping; FindDriverIDs before
    // them is a different operation, called once. (2) 10 "HTTP GET" client spans to the
    // route service (server.address 0.0.0.0, port 8083) under GET /dispatch, each starting
    // after the previous ended (556.853 → 618.721, 618.837 → ...): 556.853 → 1116.784
    // (559.93ms wall), 558.89ms summed. The frontend's eleventh "HTTP GET", to the
    // customer service on port 8081, is another server's call and not part of the loop.
    // Each route call has a GET /route server span under it: ten of them, but under ten
    // different parents, so no group.
    const trace = await load('n_plus_one_full_serial.json');
    const groups = findRepeatedSerialCalls(trace);
    expect(groups.map(outline)).toEqual([
      { ...GET_DRIVER },
      {
        parent: 'GET /dispatch [frontend] server',
        service: 'frontend',
        operation: 'HTTP GET → 0.0.0.0:8083',
        count: 10,
        overlappingPairs: 0,
        serial: true,
      },
    ]);
    const [drivers, routes] = groups as [RepeatedCallGroup, RepeatedCallGroup];
    expect(ms(drivers.wallNs)).toBeCloseTo(206.02, 1);
    expect(ms(drivers.sumNs)).toBeCloseTo(205.71, 1);
    expect(routes.name).toBe('HTTP GET');
    expect(ms(routes.wallNs)).toBeCloseTo(559.93, 1);
    expect(ms(routes.sumNs)).toBeCloseTo(558.89, 1);
  });

  test('grouped by name alone, the customer call would join the route loop', async () => {
    // It ran before the loop (0.140 → 312.464) and overlaps none of it: 11 serial calls.
    // This is why HTTP calls are told apart by server.
    const trace = await load('n_plus_one_full_serial.json');
    const byName = findRepeatedSerialCalls(trace, { operation: (s) => s.name });
    // Groups come in the order of their first calls, and the customer call is the first.
    expect(byName.map((g) => [g.name, g.count])).toEqual([
      ['HTTP GET', 11],
      ['GetDriver', 13],
    ]);
  });

  test('minCount decides: 13 keeps the lookups only, 14 finds nothing', async () => {
    const trace = await load('n_plus_one_full_serial.json');
    expect(findRepeatedSerialCalls(trace, { minCount: 13 }).map((g) => g.name)).toEqual([
      'GetDriver',
    ]);
    expect(findRepeatedSerialCalls(trace, { minCount: 14 })).toEqual([]);
  });
});

describe('n_plus_one_full_concurrent.json: the same dispatch with concurrent route calls', () => {
  test('the lookups are still an N+1; the route calls, three at a time, are not', async () => {
    // GetDriver is serial here too: 13 calls, 306.136 → 510.510, none overlapping. The 10
    // route calls go through a pool of three workers: three start within 0.1ms (511.111,
    // 511.137, 511.209), and each later one starts as soon as one of the three ends
    // (554.504 after 554.353, ...). Each later call overlaps the two still running, and
    // the last starts at 656.824, just after the one ending at 656.746, beside two others:
    // 3 + 7 × 2 = 17 overlapping pairs. There is no gap from 511.111 to 693.910 (182.80ms)
    // and the durations add up to 499.45ms: 2.73 calls in flight on average.
    const trace = await load('n_plus_one_full_concurrent.json');
    expect(findRepeatedSerialCalls(trace).map(outline)).toEqual([GET_DRIVER]);

    const routes = findRepeatedCalls(trace).find((g) => g.name === 'HTTP GET');
    expect(routes && outline(routes)).toEqual({
      parent: 'GET /dispatch [frontend] server',
      service: 'frontend',
      operation: 'HTTP GET → 0.0.0.0:8083',
      count: 10,
      overlappingPairs: 17,
      serial: false,
    });
    expect(ms(routes?.busyNs ?? 0)).toBeCloseTo(182.8, 1);
    expect(ms(routes?.sumNs ?? 0)).toBeCloseTo(499.45, 1);
    expect(routes?.concurrency).toBeCloseTo(2.73, 2);
  });
});

describe('n_plus_one_near_miss.json: repeated calls that are not an N+1', () => {
  test('ten route calls under /dispatch, but three at a time: nothing to report', async () => {
    // 12 spans: GET /dispatch, the customer call (0.154 → 1309.726, alone on port 8081),
    // and 10 route calls on port 8083. It looks like the serial file's route loop (same
    // parent, same name, ten calls) but runs like the concurrent one: three start at
    // 1534.697, 1534.719 and 1534.725, and every later call starts while two others are
    // running, except the one at 1662.489, which starts after the calls ending at
    // 1662.437 and 1662.447 and overlaps only the one ending at 1664.105: 3 + 6 × 2 + 1 = 16
    // overlapping pairs, 506.11ms of calls in 188.78ms without a gap (2.68 at a time).
    const trace = await load('n_plus_one_near_miss.json');
    expect(findRepeatedSerialCalls(trace)).toEqual([]);
    const groups = findRepeatedCalls(trace);
    expect(groups.map(outline)).toEqual([
      {
        parent: 'GET /dispatch [frontend] server',
        service: 'frontend',
        operation: 'HTTP GET → 0.0.0.0:8083',
        count: 10,
        overlappingPairs: 16,
        serial: false,
      },
    ]);
    expect(ms(groups[0]?.busyNs ?? 0)).toBeCloseTo(188.78, 1);
    expect(ms(groups[0]?.sumNs ?? 0)).toBeCloseTo(506.11, 1);
  });
});
