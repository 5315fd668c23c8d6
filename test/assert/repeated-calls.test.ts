import { describe, expect, test } from '@jest/globals';
import { checkNoRepeatedSerialCalls, TargetError } from '../../src/assert';
import { InputError } from '../../src/errors';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';
import { checkoutTrace, nPlusOneTrace, TRACE_ID, traceOf } from './build';

/** Eight calls to `name` started together: a fan-out. */
function fanOut(name = 'GET /price', traceId = TRACE_ID) {
  return traceOf(
    [
      { id: '1', name: 'GET /cart', start: 0, end: 50 },
      ...Array.from({ length: 8 }, (_, i) => ({
        id: (0x100 + i).toString(16),
        parent: '1',
        name,
        start: 1,
        end: 20 + i,
      })),
    ],
    traceId,
  );
}

describe('checkNoRepeatedSerialCalls', () => {
  test('fails on an N+1, with the groups and what was searched', () => {
    const result = checkNoRepeatedSerialCalls(nPlusOneTrace(12));
    expect(result).toMatchObject({
      pass: false,
      minCount: 5,
      select: undefined,
      ignore: undefined,
      concurrent: [],
      searched: 13, // every span but the root
    });
    expect(result.groups.map((g) => [g.parent.name, g.name, g.count])).toEqual([
      ['GET /orders/42', 'SELECT order_lines', 12],
    ]);
    expect(result.noMatch).toBeUndefined();
  });

  test('passes on a fan-out, and keeps the concurrent group to say why', () => {
    const result = checkNoRepeatedSerialCalls(fanOut());
    expect(result.pass).toBe(true);
    expect(result.groups).toEqual([]);
    expect(result.concurrent.map((g) => [g.name, g.count, g.overlappingPairs])).toEqual([
      ['GET /price', 8, 28],
    ]);
  });

  test('passes on a trace without repeats, and under the threshold', () => {
    expect(checkNoRepeatedSerialCalls(checkoutTrace()).pass).toBe(true);
    expect(checkNoRepeatedSerialCalls(nPlusOneTrace(12), { minCount: 13 }).pass).toBe(true);
    expect(checkNoRepeatedSerialCalls(nPlusOneTrace(12), { minCount: 12 }).pass).toBe(false);
  });

  test('select narrows the calls; ignore leaves some out', () => {
    const trace = nPlusOneTrace(12);
    expect(checkNoRepeatedSerialCalls(trace, { select: '{ type = database }' })).toMatchObject({
      pass: false,
      select: '{ type = database }',
      searched: 13,
    });
    expect(checkNoRepeatedSerialCalls(trace, { select: { name: 'SELECT orders' } })).toMatchObject({
      pass: true,
      searched: 1,
    });
    expect(
      checkNoRepeatedSerialCalls(trace, { ignore: '{ name = "SELECT order_lines" }' }),
    ).toMatchObject({ pass: true, ignore: '{ name = "SELECT order_lines" }', searched: 1 });
  });

  test('a select that matches nothing fails with the candidates, instead of passing', () => {
    const result = checkNoRepeatedSerialCalls(nPlusOneTrace(12), {
      select: '{ name = "SELECT order_line" }',
    });
    expect(result.pass).toBe(false);
    expect(result.noMatch).toMatchObject({
      selector: '{ name = "SELECT order_line" }',
      argument: 'select',
      searched: 14,
    });
    expect(result.noMatch?.candidates[0]?.span.name).toBe('SELECT order_lines');
  });

  test('a select that matches only the root is not a typo: it selected something', () => {
    const result = checkNoRepeatedSerialCalls(nPlusOneTrace(12), {
      select: '{ name = "GET /orders/42" }',
    });
    expect(result).toMatchObject({ pass: true, searched: 0 });
    expect(result.noMatch).toBeUndefined();
  });

  test('over several traces, the groups of each, in the order the traces were given', () => {
    const other = '1bf7651916cd43dd8448eb211c80319c';
    const result = checkNoRepeatedSerialCalls([fanOut('q', other), nPlusOneTrace(6)]);
    expect(result.groups.map((g) => [g.trace.traceId, g.count])).toEqual([[TRACE_ID, 6]]);
    expect(result.concurrent.map((g) => g.trace.traceId)).toEqual([other]);
  });

  test('the HotROD dispatch: the lookups fail the check, the route calls pass it', async () => {
    const trace = (
      await loadTraces(realFixture('jaeger-skills/n_plus_one_full_concurrent.json'))
    )[0] as Trace;
    const all = checkNoRepeatedSerialCalls(trace);
    expect(all.groups.map((g) => [g.name, g.count])).toEqual([['GetDriver', 13]]);
    expect(all.concurrent.map((g) => [g.name, g.count])).toEqual([['HTTP GET', 10]]);
    // The redis lookups are `cache` spans (db.system.name = redis).
    expect(checkNoRepeatedSerialCalls(trace, { select: '{ type = cache }' }).pass).toBe(false);
    expect(checkNoRepeatedSerialCalls(trace, { select: '{ type = http }' }).pass).toBe(true);
  });

  test('bad options and targets say what is wrong', () => {
    const trace = nPlusOneTrace(3);
    expect(() => checkNoRepeatedSerialCalls(trace, { minCount: 1 })).toThrow(
      new InputError({}, 'minCount must be a whole number of calls, 2 or more, not 1'),
    );
    expect(() =>
      checkNoRepeatedSerialCalls(trace, { mincount: 3 } as unknown as { minCount: number }),
    ).toThrow('unknown option "mincount"; the options are minCount, select and ignore');
    expect(() => checkNoRepeatedSerialCalls(trace, 5 as unknown as object)).toThrow(
      /the options must be an object such as \{ minCount: 5, select: '\{ type = database \}' \}, not number/,
    );
    expect(() => checkNoRepeatedSerialCalls(trace, { select: '{ name = ' })).toThrow(InputError);
    // A span alone has no siblings to repeat.
    expect(() => checkNoRepeatedSerialCalls(trace.spans[1] as never)).toThrow(TargetError);
  });
});
