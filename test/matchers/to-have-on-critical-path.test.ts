import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { checkoutTrace, traceOf } from '../assert/build';
import { realFixture } from '../helpers/fixtures';
import { failureOf } from './helpers';

expect.extend(matchers);

/**
 * Inventory and the fraud check run in parallel; the fraud check ends later, so the order
 * service waited for it, not for inventory.
 */
const fanOut = () =>
  traceOf([
    { id: '1', name: 'POST /api/checkout', service: 'api-gateway', start: 0, end: 300 },
    { id: '2', parent: '1', name: 'Order Service', service: 'order-service', start: 5, end: 295 },
    { id: '3', parent: '2', name: 'Inventory Service', service: 'inventory', start: 10, end: 60 },
    { id: '4', parent: '2', name: 'Fraud Check', service: 'fraud', start: 10, end: 150 },
    {
      id: '5',
      parent: '2',
      name: 'Payment Gateway API',
      service: 'order-service',
      start: 160,
      end: 290,
    },
  ]);

describe('toHaveOnCriticalPath', () => {
  test('a call the request waited for is on it; one that ran alongside a slower one is not', () => {
    expect(fanOut()).toHaveOnCriticalPath('{ name = "Fraud Check" }');
    expect(fanOut()).toHaveOnCriticalPath({ name: 'Payment Gateway API' });
    expect(fanOut()).not.toHaveOnCriticalPath('{ resource.service.name = "inventory" }');
  });

  test('the failure says what the path runs through and marks it in the tree', () => {
    const message = failureOf(() =>
      expect(fanOut()).toHaveOnCriticalPath('{ name = "Inventory Service" }'),
    );
    expect(message).toContain(
      [
        'expect(trace).toHaveOnCriticalPath(selector) // { name = "Inventory Service" }',
        '',
        'Expected: a span matching the selector on the critical path',
        'Received: "Inventory Service" [inventory] is not on it',
        '',
        'Path:     300ms of "POST /api/checkout" [api-gateway], through 4 spans',
        'Longest:  "Fraud Check" [fraud] 140ms (47%), "Payment Gateway API" [order-service] 130ms (43%), "Order Service" [order-service] 20ms (7%)',
      ].join('\n'),
    );
    expect(message).toContain(
      [
        'POST /api/checkout [api-gateway] (300ms)  ◀ critical path 10ms',
        '└── Order Service [order-service] (290ms)  ◀ critical path 20ms',
        '    ├── Inventory Service [inventory] (50ms)  ◀ match',
        '    ├── Fraud Check [fraud] (140ms)  ◀ critical path 140ms',
        '    └── Payment Gateway API (130ms)  ◀ critical path 130ms',
      ].join('\n'),
    );
  });

  test('.not says how long the span is on it', () => {
    expect(
      failureOf(() =>
        expect(checkoutTrace()).not.toHaveOnCriticalPath('{ name = "Payment Gateway API" }'),
      ),
    ).toContain(
      'Expected: no span matching the selector on the critical path\nReceived: "Payment Gateway API" [order-service] is on it for 280ms of 352ms',
    );
  });

  test('over a list, every trace; a trace with no matching span fails', () => {
    const other = traceOf([{ id: '1', name: 'GET /health', start: 0, end: 1 }], 'b'.repeat(32));
    expect([checkoutTrace(), fanOut()]).toHaveOnCriticalPath('{ name = "Payment Gateway API" }');
    const message = failureOf(() =>
      expect([checkoutTrace(), other]).toHaveOnCriticalPath('{ name = "Inventory Service" }'),
    );
    expect(message).toContain('Received: in 1 of 2 traces no matching span is on it');
    expect(message).toContain('In trace bbbbbbbb: no span matches the selector');
  });

  test('a selector that matches nothing is an error in both directions', () => {
    expect(
      failureOf(() => expect(fanOut()).not.toHaveOnCriticalPath('{ name = "Fraud Chek" }')),
    ).toContain('Matcher error: the selector matched no span');
  });
});

describe('toHaveOnCriticalPath on real traces', () => {
  test('zipkin yelp: the API proxy is on it; mobile_api, called in parallel, is not', async () => {
    // The root's call through [unknown] (1.646–126.646ms) ends after its parallel call to
    // yelp-main (49.646–105.646ms), under which mobile_api runs: the request waited for
    // the first, which is served by the API proxy.
    const traces = await loadTraces(realFixture('zipkin/yelp.json'));
    expect(traces).toHaveOnCriticalPath('{ resource.service.name = "yelp_main/api_proxy" }');
    expect(traces).not.toHaveOnCriticalPath('{ resource.service.name = "mobile_api" }');
  });

  test('jaeger-skills n_plus_one_full_concurrent: of three /route calls started together, the first to end is on it', async () => {
    // Of the three /route calls started together at 511ms, the one ending first
    // (511.111–554.353ms) is on the path: the next call on the path started when it ended.
    // The other two (ending 564.193 and 568.906) ran alongside and held nothing up.
    const [trace] = (await loadTraces(
      realFixture('jaeger-skills/n_plus_one_full_concurrent.json'),
    )) as [Trace];
    expect(trace).toHaveOnCriticalPath(
      '{ name = "HTTP GET" && duration > 43.2ms && duration < 43.3ms }',
    );
    expect(trace).not.toHaveOnCriticalPath(
      '{ name = "HTTP GET" && duration > 53ms && duration < 53.1ms }',
    );
  });
});
