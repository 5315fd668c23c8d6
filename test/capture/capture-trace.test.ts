/**
 * captureTrace / captureTraces on code that only uses @opentelemetry/api, with the default
 * provider tracespec creates (SDK 2.x, the line the repo builds on).
 */

import { EventEmitter } from 'node:events';
import { describe, expect, test } from '@jest/globals';
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  captureTrace,
  captureTraces,
  currentCapture,
  currentTraces,
  UnfinishedSpansError,
} from '../../src/capture';
import { setupJestCapture } from '../../src/capture/jest-wiring';
import { captureRuntime } from '../../src/capture/runtime';

const installation = setupJestCapture();

/** Application code: it knows only the API, as instrumented libraries do. */
const tracer = () => trace.getTracer('checkout-app', '1.2.3');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function checkout(): Promise<void> {
  await tracer().startActiveSpan('POST /api/checkout', { kind: SpanKind.SERVER }, async (root) => {
    await tracer().startActiveSpan('Order Service', async (order) => {
      await tracer().startActiveSpan('Inventory Service', async (span) => {
        await sleep(2);
        span.end();
      });
      await tracer().startActiveSpan(
        'Payment Gateway API',
        { kind: SpanKind.CLIENT },
        async (p) => {
          await sleep(3);
          p.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
          p.end();
        },
      );
      order.end();
    });
    root.end();
  });
}

describe('the default installation', () => {
  test('creates a provider from the SDK it finds and registers what was missing', () => {
    expect(installation.mode).toBe('default');
    expect(installation.sdkPackage).toBe('@opentelemetry/sdk-trace-base');
    expect(installation.notes).toEqual(
      expect.arrayContaining([
        'registered an AsyncLocalStorageContextManager',
        'registered the W3C trace-context propagator',
      ]),
    );
    expect(trace.getTracerProvider()).toBeDefined();
  });
});

describe('captureTrace', () => {
  test('captures spans of API-only code, nested as they ran across awaits', async () => {
    const t = await captureTrace(checkout);
    expect(t.spans.map((s) => [t.depthOf(s), s.name])).toEqual([
      [0, 'POST /api/checkout'],
      [1, 'Order Service'],
      [2, 'Inventory Service'],
      [2, 'Payment Gateway API'],
    ]);
    expect(t.issues).toEqual([]);
    const payment = t.spans.find((s) => s.name === 'Payment Gateway API');
    expect(payment?.kind).toBe('client');
    expect(payment?.status).toEqual({ code: 'error', message: 'card declined' });
    expect(payment?.scope).toEqual({ name: 'checkout-app', version: '1.2.3' });
    expect(t.root?.kind).toBe('server');
    expect(payment?.service).toMatch(/^unknown_service/);
  });

  test('runs the function in a fresh root context, even inside an active span', async () => {
    const outer = tracer().startSpan('outer');
    const t = await context.with(trace.setSpan(context.active(), outer), () =>
      captureTrace(() => tracer().startSpan('inner').end()),
    );
    outer.end();
    expect(t.spans.map((s) => s.name)).toEqual(['inner']);
    expect(t.root?.parentSpanId).toBeUndefined();
  });

  test('waits for spans that end after the function returned: a timer, an event', async () => {
    const bus = new EventEmitter();
    const t = await captureTrace(() => {
      const parent = tracer().startSpan('job');
      const ctx = trace.setSpan(context.active(), parent);
      const viaTimer = tracer().startSpan('timer work', {}, ctx);
      setTimeout(() => viaTimer.end(), 20);
      const viaEvent = tracer().startSpan('event work', {}, ctx);
      bus.once('done', () => {
        viaEvent.end();
        parent.end();
      });
      setTimeout(() => bus.emit('done'), 40);
      // Returns at once: everything above ends later.
    });
    expect(t.spans.map((s) => s.name)).toEqual(['job', 'timer work', 'event work']);
    expect(t.durationMs).toBeGreaterThanOrEqual(35);
  });

  test('a span started by a timer the function scheduled belongs to the capture', async () => {
    const t = await captureTrace(async () => {
      await tracer().startActiveSpan('request', async (span) => {
        setTimeout(() => {
          // Started after the function's own spans ended, in the context the timer kept.
          tracer().startSpan('follow-up').end();
        }, 10);
        span.end();
      });
      await sleep(20);
    });
    expect(t.spans.map((s) => s.name)).toEqual(['request', 'follow-up']);
    expect(t.parentOf(t.spans[1] as never)?.name).toBe('request');
  });

  test('rejects naming the spans that never ended, with service and parent', async () => {
    const started = Date.now();
    const error = await captureTrace(
      () =>
        tracer().startActiveSpan('handler', (span) => {
          tracer().startSpan('db.query never ended');
          span.end();
        }),
      { timeout: 50 },
    ).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(UnfinishedSpansError);
    const message = (error as Error).message;
    expect(message).toContain('1 span was still open 50ms after the code under test returned');
    expect(message).toContain('"db.query never ended" (service unknown_service');
    expect(message).toContain('child of "handler"');
    expect(message).not.toContain('"handler" (');
    expect((error as UnfinishedSpansError).unfinished.map((s) => s.name)).toEqual([
      'db.query never ended',
    ]);
  });

  test("rejects with the function's own error when it throws", async () => {
    await expect(
      captureTrace(async () => {
        tracer().startSpan('before the throw').end();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      captureTrace(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
  });

  test('explains a function that started no span', async () => {
    await expect(captureTrace(() => undefined)).rejects.toThrow(
      /started no span that tracespec could tie to it[\s\S]*saw no span start during the call/,
    );
  });

  test('explains spans started during the call by work that began before it', async () => {
    // A poller started by the test keeps the test's context, not the capture's.
    const poller = setInterval(() => tracer().startSpan('poll').end(), 5);
    try {
      await expect(captureTrace(() => sleep(30))).rejects.toThrow(
        /\d+ spans? started during the call in a context that was not the call's/,
      );
    } finally {
      clearInterval(poller);
    }
    expect(currentTraces().length).toBeGreaterThan(0);
  });

  test('checks its arguments', async () => {
    await expect(captureTrace(42 as never)).rejects.toThrow(
      'captureTrace(fn): fn must be a function, got number',
    );
    await expect(captureTrace(() => undefined, { timeout: -1 })).rejects.toThrow(
      'options.timeout must be a number of milliseconds >= 0, got -1',
    );
  });
});

describe('captureTraces', () => {
  test('returns every trace the function caused, earliest first', async () => {
    const traces = await captureTraces(async () => {
      tracer().startSpan('first root').end();
      await sleep(2);
      // A background job with a root of its own.
      tracer().startActiveSpan('background job', { root: true }, (span) => {
        tracer().startSpan('job step').end();
        span.end();
      });
    });
    expect(traces.map((t) => t.spans.map((s) => s.name))).toEqual([
      ['first root'],
      ['background job', 'job step'],
    ]);
  });

  test('captureTrace returns the trace whose first span started first', async () => {
    const t = await captureTrace(async () => {
      const late = tracer().startSpan('started first, ends last');
      await sleep(2);
      tracer().startSpan('started second').end();
      late.end();
    });
    expect(t.root?.name).toBe('started first, ends last');
  });

  test('resolves with no trace when nothing was started', async () => {
    expect(await captureTraces(() => undefined)).toEqual([]);
  });
});

describe('the test scope', () => {
  test('currentTraces() includes what captureTrace saw and what the test did itself', async () => {
    tracer().startSpan('direct').end();
    await captureTrace(() => tracer().startSpan('captured').end());
    expect(currentTraces().map((t) => t.root?.name)).toEqual(['direct', 'captured']);
    expect(currentCapture().label).toMatch(/^test "the test scope currentTraces\(\) includes/);
  });

  test('a span still open is listed as open, not as a trace', () => {
    const open: Span = tracer().startSpan('still open');
    expect(currentTraces()).toEqual([]);
    expect(currentCapture().openSpans.map((s) => s.name)).toEqual(['still open']);
    open.end();
    expect(currentTraces().map((t) => t.root?.name)).toEqual(['still open']);
  });

  test('problems recording spans fail currentTraces() and captureTrace, naming the span', async () => {
    const problem = 'could not record span "bad": Error: unreadable';
    await expect(
      captureTrace(() => {
        tracer().startSpan('fine').end();
        captureRuntime().ambientScope()?.addProblem(problem);
      }),
    ).rejects.toThrow(/captureTrace: tracespec could not record every span[\s\S]*"bad"/);
    // The test saw it too: its capture is nested in the test.
    expect(() => currentTraces()).toThrow(
      /could not record every span of test "the test scope problems recording[^"]*"[\s\S]*"bad"/,
    );
  });

  test('converts attributes, events and links exactly', async () => {
    const link = tracer().startSpan('linked');
    link.end();
    const t = await captureTrace(() => {
      const span = tracer().startSpan('rich', {
        attributes: { 'http.request.method': 'GET', retries: 3, cached: false, tags: ['a', 'b'] },
        links: [{ context: link.spanContext(), attributes: { why: 'batch' } }],
      });
      span.addEvent('cache miss', { key: 'user:1' });
      span.recordException(new TypeError('bad input'));
      span.end();
    });
    const rich = t.root;
    expect(rich?.attributes).toEqual({
      'http.request.method': 'GET',
      retries: 3,
      cached: false,
      tags: ['a', 'b'],
    });
    expect(rich?.events.map((e) => [e.name, e.attributes])).toEqual([
      ['cache miss', { key: 'user:1' }],
      ['exception', expect.objectContaining({ 'exception.type': 'TypeError' })],
    ]);
    expect(rich?.exceptions[0]?.message).toBe('bad input');
    // recordException does not set error status (a known surprise, kept as the SDK has it).
    expect(rich?.status.code).toBe('unset');
    expect(rich?.links).toEqual([
      {
        traceId: link.spanContext().traceId,
        spanId: link.spanContext().spanId,
        attributes: { why: 'batch' },
      },
    ]);
    expect(typeof rich?.startTimeUnixNano).toBe('bigint');
    expect(rich?.endTimeUnixNano).toBeGreaterThanOrEqual(rich?.startTimeUnixNano as bigint);
  });
});
