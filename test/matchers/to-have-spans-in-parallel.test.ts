import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace, traceOf } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

const fanOut = traceOf([
  { id: '1', name: 'GET /dashboard', start: 0, end: 60 },
  { id: '2', parent: '1', name: 'fetch profile', start: 1, end: 40 },
  { id: '3', parent: '1', name: 'fetch orders', start: 2, end: 55 },
  { id: '4', parent: '1', name: 'fetch recommendations', start: 3, end: 30 },
  { id: '5', parent: '1', name: 'render', start: 56, end: 59 },
]);
const n = (name: string) => `{ name = "${name}" }`;

describe('toHaveSpansInParallel', () => {
  test('the spans’ time ranges overlap', () => {
    expect(fanOut).toHaveSpansInParallel([
      n('fetch profile'),
      n('fetch orders'),
      n('fetch recommendations'),
    ]);
    expect(fanOut).not.toHaveSpansInParallel([n('fetch orders'), n('render')]);
  });

  test('the failure names the span that ended before another started', () => {
    expect(
      failureOf(() => expect(fanOut).toHaveSpansInParallel([n('fetch profile'), n('render')])),
    ).toContain(
      [
        'expect(trace).toHaveSpansInParallel(selectors) // { name = "fetch profile" } ∥ { name = "render" }',
        '',
        'Expected: the spans to overlap in time',
        'Received: "fetch profile" [svc] ended 16ms before "render" [svc] started',
        '',
        "Spans (start → end, from the trace's start):",
        '  1. +1ms → +40ms   "fetch profile" [svc]',
        '  2. +56ms → +59ms  "render" [svc]',
      ].join('\n'),
    );
  });

  test('.not says how long they ran together', () => {
    expect(
      failureOf(() =>
        expect(checkoutTrace()).not.toHaveSpansInParallel([
          n('Order Service'),
          n('Inventory Service'),
        ]),
      ),
    ).toContain(
      'Expected: the spans not to share a moment\nReceived: all of them ran at once for 45ms',
    );
  });
});
