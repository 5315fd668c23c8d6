import { describe, expect, test } from '@jest/globals';
import { checkErrorOrigin, checkErrorPropagation } from '../../src/assert';
import { names, traceOf } from './build';

// The analysis itself (rules, timeouts, real traces) is tested in test/analyze/; these
// tests are about what the checks do with it.

/** A gateway that gave up (504) on a service that finished its slow query anyway. */
const timedOut = () =>
  traceOf([
    {
      id: '1',
      name: 'GET /checkout',
      service: 'gateway',
      kind: 'server',
      start: 0,
      end: 5002,
      status: 'error',
      attributes: { 'http.response.status_code': 504 },
    },
    {
      id: '2',
      parent: '1',
      name: 'checkout call',
      service: 'gateway',
      kind: 'client',
      start: 1,
      end: 5001,
      error: 'context canceled',
    },
    {
      id: '3',
      parent: '2',
      name: 'POST /checkout',
      service: 'checkout',
      kind: 'server',
      start: 3,
      end: 5600,
    },
    {
      id: '4',
      parent: '3',
      name: 'SELECT inventory',
      service: 'checkout',
      kind: 'client',
      start: 10,
      end: 5500,
    },
  ]);

describe('checkErrorOrigin', () => {
  test('a timeout-masked origin is matched like any other, though it did not fail', () => {
    const result = checkErrorOrigin(timedOut(), '{ name = "SELECT inventory" }');
    expect(result.pass).toBe(true);
    expect(result.origins[0]?.rule).toBe('timeout-masked');
    expect(result.origins[0]?.timeout?.span.name).toBe('GET /checkout');
    // The cancelled client call is where the failures alone point; it is not the origin.
    expect(checkErrorOrigin(timedOut(), '{ name = "checkout call" }').pass).toBe(false);
  });
});

describe('checkErrorPropagation', () => {
  test('of several failed `from` spans, it checks the path the failure took', () => {
    // `{ status = error }` matches the root first in trace order; the check used to stop
    // there and pass on a one-span path. It now starts at the origin's chain: the
    // deepest matching span on it, here the origin itself.
    const trace = traceOf([
      { id: '1', name: 'checkout', start: 0, end: 100, status: 'error' },
      { id: '2', parent: '1', name: 'order', start: 1, end: 99 },
      { id: '3', parent: '2', name: 'charge', start: 10, end: 50, status: 'error' },
    ]);
    const result = checkErrorPropagation(trace, { from: '{ status = error }' });
    expect(names(result.path)).toEqual(['charge', 'order', 'checkout']);
    expect(names(result.handledAt)).toEqual(['order']);
    expect(result.pass).toBe(false);
    expect(result.origin?.origin.name).toBe('charge');
  });

  test('off the chain, the first failed `from` span in trace order, as before', () => {
    const trace = traceOf([
      { id: '1', name: 'job', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'boom', start: 1, end: 5, status: 'error' },
      { id: '3', parent: '1', name: 'later', start: 10, end: 20 },
      { id: '4', parent: '1', name: 'later', start: 30, end: 40, status: 'error' },
    ]);
    const result = checkErrorPropagation(trace, { from: '{ name = "later" }' });
    expect(result.origin?.origin.name).toBe('boom');
    expect(result.path.map((s) => s.spanId)).toEqual([
      '4'.padStart(16, '0'),
      '1'.padStart(16, '0'),
    ]);
  });

  test('the result carries the origin, for the message', () => {
    const result = checkErrorPropagation(timedOut(), { from: '{ name = "checkout call" }' });
    expect(result.pass).toBe(true);
    expect(result.origin?.origin.name).toBe('SELECT inventory');
  });
});
