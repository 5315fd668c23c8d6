import { describe, expect, test } from '@jest/globals';
import { checkOrder, checkParallel } from '../../src/assert';
import { names, traceOf } from './build';

const trace = traceOf([
  { id: '1', name: 'checkout', start: 0, end: 100 },
  { id: '2', parent: '1', name: 'validate', start: 1, end: 10 },
  { id: '3', parent: '1', name: 'reserve', start: 10, end: 40 },
  { id: '4', parent: '1', name: 'price', start: 12, end: 30 },
  { id: '5', parent: '1', name: 'charge', start: 45, end: 80 },
  { id: '6', parent: '1', name: 'retry', start: 81, end: 85 },
  { id: '7', parent: '1', name: 'retry', start: 86, end: 90 },
]);
const n = (name: string) => `{ name = "${name}" }`;

describe('checkOrder', () => {
  test('each span ends before (or as) the next starts', () => {
    const result = checkOrder(trace, [n('validate'), n('reserve'), n('charge')]);
    expect(result.pass).toBe(true);
    expect(names(result.picked.map((p) => p.span))).toEqual(['validate', 'reserve', 'charge']);
  });

  test('reports each pair out of sequence, with the overlap', () => {
    const result = checkOrder(trace, [n('reserve'), n('price'), n('charge')]);
    expect(result.pass).toBe(false);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({ index: 0, overlapNs: 28e6 });
    expect(checkOrder(trace, [n('charge'), n('validate')]).pass).toBe(false);
  });

  test('a selector repeated stands for the next match', () => {
    const result = checkOrder(trace, [n('retry'), n('retry')]);
    expect(result.pass).toBe(true);
    expect(result.picked.map((p) => p.span.spanId.slice(-1))).toEqual(['6', '7']);
    const third = checkOrder(trace, [n('retry'), n('retry'), n('retry')]);
    expect(third.noMatch).toMatchObject({ argument: 'selectors[2]', taken: 2 });
  });

  test('needs two selectors and one trace', () => {
    expect(() => checkOrder(trace, [n('a')])).toThrow(/needs an array of at least two selectors/);
    expect(() => checkOrder([trace, trace], [n('a'), n('b')])).toThrow(/array of 2 traces/);
    expect(checkOrder([trace], [n('validate'), n('charge')]).pass).toBe(true);
  });
});

describe('checkParallel', () => {
  test('the time ranges share a moment', () => {
    const result = checkParallel(trace, [n('reserve'), n('price')]);
    expect(result).toMatchObject({ pass: true, overlapNs: 18e6 });
    expect(checkParallel(trace, [n('checkout'), n('reserve'), n('price')]).pass).toBe(true);
  });

  test('reports the gap between the first to end and the last to start', () => {
    const result = checkParallel(trace, [n('price'), n('reserve'), n('charge')]);
    expect(result.pass).toBe(false);
    expect(result.endedFirst?.name).toBe('price');
    expect(result.startedLast?.name).toBe('charge');
    expect(result.overlapNs).toBe(-15e6);
    // Touching is not overlapping: validate ends as reserve starts.
    expect(checkParallel(trace, [n('validate'), n('reserve')]).pass).toBe(false);
  });
});
