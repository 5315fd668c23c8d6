import { once } from 'node:events';
import { afterEach, describe, expect, test } from '@jest/globals';
import {
  captureTrace,
  captureTraces,
  currentTraces,
  type Span,
  select,
  type Trace,
} from 'tracespec';
import {
  InventoryApi,
  InventoryClient,
  StockService,
  type StockServiceOptions,
} from './stock-service';

const DEPENDENCY = '{ name = "GET /stock/{sku}" && kind = client }';
const ATTEMPTS = '{ name = "getStock attempt" }';

const services: StockService[] = [];

/** A stock service over an inventory API that answers with `statuses`, one per request. */
function serviceFor(statuses: number[], options: StockServiceOptions = {}): StockService {
  const service = new StockService(new InventoryClient(new InventoryApi(statuses)), {
    retry: { maxAttempts: 3, baseDelayMs: 10 },
    ...options,
  });
  services.push(service);
  return service;
}

afterEach(() => {
  // Clears opossum's timers (the reset timer, the statistics interval).
  for (const service of services.splice(0)) service.breaker.shutdown();
});

describe('retries', () => {
  test('a flaky dependency is retried with exponential backoff until it answers', async () => {
    const service = serviceFor([503, 503, 200]);

    const trace = await captureTrace(() => service.getStock('sku-1'));

    expect(trace).toMatchTraceTree(
      `
      getStock
      ├── getStock attempt  ✗ error
      │   └── GET /stock/{sku}  ✗ error
      ├── getStock attempt  ✗ error
      │   └── GET /stock/{sku}  ✗ error
      └── getStock attempt
          └── GET /stock/{sku}
    `,
      { strict: true, ordered: true },
    );
    expect(trace).toHaveSpanCount(DEPENDENCY, 3);
    expect(trace).toHaveAttributes('{ name = "getStock attempt" && span.retry.attempt = 1 }', {
      'retry.backoff_ms': 10,
      'error.type': 'HttpError',
    });
    expect(trace).toHaveAttributes('{ span.retry.attempt = 2 }', { 'retry.backoff_ms': 20 });
    expect(trace).toHaveAttributes('{ span.retry.attempt = 3 }', {
      'retry.backoff_ms': undefined,
      'circuit_breaker.state': 'closed',
    });
    // Attempts never overlap: each waits for the previous one and its backoff.
    expect(trace).toHaveSpansInOrder([
      '{ span.retry.attempt = 1 }',
      '{ span.retry.attempt = 2 }',
      '{ span.retry.attempt = 3 }',
    ]);
    expect(trace).toHaveRecordedException(DEPENDENCY, { type: 'HttpError', message: '503' });
    // The call as a whole succeeded.
    expect(trace).toHaveSpanCount('{ name = "getStock" && status = error }', 0);
  });

  test('a client error is not retried', async () => {
    const service = serviceFor([404]);

    const trace = await captureTrace(() => service.getStock('nope').catch(() => undefined));

    expect(trace).toHaveSpanCount(ATTEMPTS, 1);
    expect(trace).toHaveAttributes(ATTEMPTS, { 'retry.stopped': 'not_retryable' });
    expect(trace).toHaveErrorOrigin(DEPENDENCY);
    expect(trace).toPropagateError({ from: DEPENDENCY });
  });
});

describe('circuit breaker (opossum)', () => {
  test('opens after 3 failures; later calls fail fast without calling the dependency', async () => {
    const service = serviceFor([503]);

    // Three calls, each its own trace; the first one's three failed attempts open the breaker.
    const traces = await captureTraces(async () => {
      for (let i = 0; i < 3; i++) await service.getStock('sku-1').catch(() => undefined);
    });

    expect(traces).toHaveLength(3);
    // Three calls, five attempts (3 + 1 + 1), three requests: the open breaker kept the last
    // two calls from reaching the dependency, and they were not retried.
    expect(traces).toHaveSpanCount(ATTEMPTS, 5);
    expect(traces).toHaveSpanCount(DEPENDENCY, 3);
    expect(traces).toHaveSpanCount('{ name = "circuit breaker open" }', 1);

    const [first, second, third] = traces as [Trace, Trace, Trace];
    // The third failure tripped the breaker, in the third attempt of the first call.
    expect(first).toHaveSpan(
      '{ span.retry.attempt = 3 } > { name = "circuit breaker open" && span.circuit_breaker.state = "open" }',
    );
    for (const failedFast of [second, third]) {
      expect(failedFast).toMatchTraceTree(
        `
        getStock  ✗ error: Breaker is open
        └── getStock attempt  ✗ error: Breaker is open
      `,
        { strict: true },
      );
      expect(failedFast).toHaveAttributes(ATTEMPTS, {
        'circuit_breaker.state': 'open',
        'retry.stopped': 'not_retryable',
      });
      expect(failedFast).toHaveRecordedException(ATTEMPTS, {
        type: 'EOPENBREAKER',
        message: 'Breaker is open',
      });
    }
  });

  test('half-opens after its reset timeout, and a successful trial call closes it', async () => {
    const service = serviceFor([503, 503, 503, 200], { breaker: { resetTimeout: 250 } });
    const halfOpen = once(service.breaker, 'halfOpen');

    await expect(service.getStock('sku-1')).rejects.toThrow('503');
    await expect(service.getStock('sku-1')).rejects.toThrow('Breaker is open');
    // opossum's reset timer half-opens the breaker: wait for the event, not for a duration.
    await halfOpen;
    await expect(service.getStock('sku-1')).resolves.toBe(50);

    // Everything this test caused, the half-open span from opossum's timer included.
    const traces = currentTraces();
    expect(traces).toHaveLength(4);
    const changes = select(traces, '{ name =~ "circuit breaker .*" }').sort(byStart);
    expect(changes.map((s) => s.attributes['circuit_breaker.state'])).toEqual([
      'open',
      'halfOpen',
      'closed',
    ]);
    const [opened, halfOpened] = changes as [Span, Span];
    // The half-open span starts a trace of its own, linked to the span that opened the breaker.
    expect(halfOpened.parentSpanId).toBeUndefined();
    expect(halfOpened.links).toEqual([
      expect.objectContaining({ traceId: opened.traceId, spanId: opened.spanId }),
    ]);
    // The trial call went through, and its success closed the breaker.
    const trial = traces.at(-1) as Trace;
    expect(trial).toMatchTraceTree(`
      getStock
      └── getStock attempt
          ├── GET /stock/{sku}
          └── circuit breaker close
    `);
    expect(trial).toHaveAttributes(ATTEMPTS, { 'circuit_breaker.state': 'halfOpen' });
    expect(trial).toHaveNoErrors();
  });
});

describe('the same expectations catch a broken setup', () => {
  test('with the breaker disabled, every attempt reaches the failing dependency', async () => {
    // opossum's `enabled: false`: calls go straight to the action, unprotected.
    const service = serviceFor([503], { breaker: { enabled: false } });

    const traces = await captureTraces(async () => {
      for (let i = 0; i < 3; i++) await service.getStock('sku-1').catch(() => undefined);
    });

    expect(() => expect(traces).toHaveSpanCount(DEPENDENCY, 3)).toThrow(
      /exactly 3 spans[\s\S]*9 spans:[\s\S]*9 × "GET \/stock\/\{sku\}"/,
    );
    expect(() => expect(traces).toHaveSpan('{ name = "circuit breaker open" }')).toThrow(
      /none of 21 spans in 3 traces matched/,
    );
  });
});

function byStart(a: Span, b: Span): number {
  return a.startTimeUnixNano < b.startTimeUnixNano
    ? -1
    : a.startTimeUnixNano > b.startTimeUnixNano
      ? 1
      : 0;
}
