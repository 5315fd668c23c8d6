import { describe, expect, test } from '@jest/globals';
import { checkCapacity, describeCapacityViolation } from '../../src/assert';
import { InputError } from '../../src/errors';
import { loadTraces } from '../../src/ingest';
import { realFixture } from '../helpers/fixtures';
import { traceOf } from '../helpers/traces';

// A 100ms request: the api spends 20ms itself, the database 80ms (one of its 2 calls fails).
const trace = traceOf([
  { id: 'a', name: 'GET /report', service: 'api', start: 0, end: 100 },
  { id: 'b', parent: 'a', name: 'SELECT', service: 'db', start: 10, end: 50 },
  { id: 'c', parent: 'a', name: 'SELECT', service: 'db', start: 50, end: 90, error: 'timeout' },
]);

describe('checkCapacity', () => {
  test('self share and error rate per service, at their limits', () => {
    expect(checkCapacity(trace, { service: 'db', maxSelfShare: 0.8, maxErrorRate: 0.5 }).pass).toBe(
      true,
    );
    const over = checkCapacity(trace, { service: 'db', maxSelfShare: 0.79, maxErrorRate: 0.49 });
    expect(over.pass).toBe(false);
    expect(over.rules[0]?.violations.map(describeCapacityViolation)).toEqual([
      'db: self share 80%, over 79%',
      'db: error rate 50%, over 49%',
    ]);
  });

  test("'*' applies to every service; throughput is spans per second over the window", () => {
    const every = checkCapacity(trace, { service: '*', maxSelfShare: 0.5 });
    expect(every.rules[0]?.violations.map((v) => v.service.service)).toEqual(['db']);
    // 2 db spans in a 100ms window: 20 spans/s.
    expect(checkCapacity(trace, { service: 'db', minThroughput: 20 }).pass).toBe(true);
    expect(checkCapacity(trace, { service: 'db', minThroughput: 21 }).pass).toBe(false);
  });

  test('a service with no spans fails with the nearest name, never passes', () => {
    const result = checkCapacity(trace, { service: 'dB', maxErrorRate: 1 });
    expect(result.pass).toBe(false);
    expect(result.rules[0]?.unknown).toEqual({ service: 'dB', suggestion: 'db' });
  });

  test('malformed rules are input errors', () => {
    expect(() => checkCapacity(trace, [])).toThrow(InputError);
    expect(() => checkCapacity(trace, { service: 'db' })).toThrow(/sets no limit/);
    expect(() => checkCapacity(trace, { service: 'db', maxSelfShare: 80 })).toThrow(
      /fraction from 0 to 1/,
    );
    expect(() =>
      checkCapacity(trace, { service: 'db', maxSelfShare: 0.5, max: 1 } as never),
    ).toThrow(/unknown key "max"/);
  });

  test('HotROD: the frontend holds most of the self time, redis fails 3 of its 13 lookups', async () => {
    // n_plus_one_positive: GET /dispatch (1.68s) waits 1.47s outside its one child call,
    // so the frontend's self time is ~87% of all; redis-manual's GetDriver failed 3 times.
    const traces = await loadTraces(realFixture('jaeger-skills/n_plus_one_positive.json'));
    const result = checkCapacity(traces, [
      { service: 'frontend', maxSelfShare: 0.85 },
      { service: 'redis-manual', maxErrorRate: 0.2 },
    ]);
    expect(result.rules.flatMap((r) => r.violations.map(describeCapacityViolation))).toEqual([
      'frontend: self share 87.4%, over 85%',
      'redis-manual: error rate 23.1%, over 20%',
    ]);
  });
});
