import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { loadTraces } from '../../src/ingest';
import { checkoutTrace, traceOf } from '../assert/build';
import { realFixture } from '../helpers/fixtures';
import { failureOf } from './helpers';

expect.extend(matchers);

// The checkout's self times: api-gateway 2ms; order-service 5ms (Order Service's own) +
// 280ms (Payment Gateway API) + 25ms (Notification Service) = 310ms; inventory-service
// 33ms (Inventory Service) + 12ms (SELECT stock) = 45ms.

describe('toHaveSelfTimeWithin', () => {
  test('by service (the default): each service’s own time in a trace, added up', () => {
    expect(checkoutTrace()).toHaveSelfTimeWithin('310ms');
    expect(checkoutTrace()).not.toHaveSelfTimeWithin('309ms');
  });

  test('a gateway waiting on slow children is not charged for them', () => {
    // api-gateway's span lasts 352ms, but its child covers all but 2ms of it.
    expect(checkoutTrace()).toHaveSelfTimeWithin('2ms', {
      select: '{ resource.service.name = "api-gateway" }',
    });
  });

  test('by span: no single span over the budget', () => {
    expect(checkoutTrace()).toHaveSelfTimeWithin(280, { by: 'span' });
    expect(checkoutTrace()).not.toHaveSelfTimeWithin(279, { by: 'span' });
  });

  test('the failure lists the offenders, largest first, and marks their spans in the tree', () => {
    const message = failureOf(() => expect(checkoutTrace()).toHaveSelfTimeWithin('20ms'));
    expect(message).toContain(
      [
        'expect(trace).toHaveSelfTimeWithin(budget) // by service',
        '',
        'Expected: no service to spend more than 20ms of its own time in a trace',
        'Received: 2 services of 3 did (own time: duration minus what children cover):',
        '  310ms  [order-service] (3 spans)',
        '   45ms  [inventory-service] (2 spans)',
      ].join('\n'),
    );
    expect(message).toContain(
      [
        'POST /api/checkout [api-gateway] (352ms)',
        '└── Order Service [order-service] (350ms)  ◀ self 5ms',
        '    ├── Inventory Service [inventory-service] (45ms)  ◀ self 33ms',
        '    │   └── SELECT stock (12ms)  ◀ self 12ms',
        '    ├── Payment Gateway API (280ms)  ✗ error: card declined  ◀ self 280ms',
        '    └── Notification Service (25ms)  ◀ self 25ms',
      ].join('\n'),
    );
  });

  test('.not names the largest', () => {
    expect(
      failureOf(() =>
        expect(checkoutTrace()).not.toHaveSelfTimeWithin('1s', {
          by: 'span',
          select: '{ kind = client }',
        }),
      ),
    ).toContain(
      'expect(trace).not.toHaveSelfTimeWithin(budget, options) // by span, { kind = client }\n\nExpected: some span to spend more than 1s of its own time\nReceived: the most was 280ms, by "Payment Gateway API" [order-service]',
    );
  });

  test('over a list of traces, per trace: a service is not summed across traces', () => {
    const t = (id: string) =>
      traceOf([{ id: '1', name: 'job', service: 'worker', start: 0, end: 60 }], id.repeat(32));
    expect([t('1'), t('2')]).toHaveSelfTimeWithin('60ms');
    expect(failureOf(() => expect([t('1'), t('2')]).toHaveSelfTimeWithin('59ms'))).toContain(
      '60ms  [worker] in trace 11111111 (1 span)',
    );
  });

  test('a select that matches nothing, a bad budget or a bad `by` are errors', () => {
    expect(
      failureOf(() =>
        expect(checkoutTrace()).not.toHaveSelfTimeWithin('1s', { select: '{ name = "nope" }' }),
      ),
    ).toContain('Matcher error: the selector matched no span');
    expect(failureOf(() => expect(checkoutTrace()).toHaveSelfTimeWithin('20 ms'))).toContain(
      'Matcher error: "20 ms" is not a duration: write it without the space, as "20ms"',
    );
    expect(
      failureOf(() =>
        expect(checkoutTrace()).toHaveSelfTimeWithin('20ms', { by: 'operation' as 'span' }),
      ),
    ).toContain(`Matcher error: self time is measured by 'service' or by 'span', not "operation"`);
  });
});

describe('toHaveSelfTimeWithin on real traces', () => {
  test('zipkin yelp: the API proxy spends 84ms of its own; nothing else more than 41ms', async () => {
    // yelp_main/api_proxy: 88.935 - 0.993 - 3.884 = 84.058ms (see test/analyze). The next,
    // mobile_api, spends 40.25ms over its five spans.
    const traces = await loadTraces(realFixture('zipkin/yelp.json'));
    expect(traces).not.toHaveSelfTimeWithin('84ms');
    expect(traces).toHaveSelfTimeWithin('41ms', {
      select: '{ resource.service.name != "yelp_main/api_proxy" }',
    });
  });
});
