/**
 * Jest's fake timers replace setTimeout, Date, performance and process.hrtime on the test's
 * global. Capture must neither depend on them (InMemorySpanExporter acknowledges through
 * setTimeout(0), which a faked clock never runs) nor be stalled by them when it waits.
 */

import { afterEach, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { context, trace } from '@opentelemetry/api';
import { captureTrace, currentTraces, UnfinishedSpansError } from '../../src/capture';
import { setupJestCapture } from '../../src/capture/jest-wiring';

setupJestCapture();

const tracer = () => trace.getTracer('fake-timers-test');

describe.each(['modern', 'legacy'] as const)('with %s fake timers', (kind) => {
  beforeEach(() => {
    jest.useFakeTimers({ legacyFakeTimers: kind === 'legacy' });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('currentTraces() sees spans at once: nothing waits on a timer', () => {
    tracer().startSpan('synchronous').end();
    expect(currentTraces().map((t) => t.root?.name)).toEqual(['synchronous']);
  });

  test('spans that end in a faked timer are captured when the test advances the clock', async () => {
    const t = await captureTrace(() => {
      tracer().startActiveSpan('scheduled job', (job) => {
        setTimeout(() => {
          tracer().startSpan('run', {}, trace.setSpan(context.active(), job)).end();
          job.end();
        }, 10_000);
      });
      jest.advanceTimersByTime(10_000);
    });
    expect(t.spans.map((s) => s.name)).toEqual(['scheduled job', 'run']);
    // Span times come from the SDK's real clock, not the faked Date.
    expect(t.root?.durationMs).toBeLessThan(1000);
  });

  test('the wait for open spans runs on real timers and still times out', async () => {
    // Had the wait used the faked setTimeout, this promise would never settle.
    const error = await captureTrace(
      () => {
        const span = tracer().startSpan('ends in a timer nobody advances');
        setTimeout(() => span.end(), 60_000);
      },
      { timeout: 30 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnfinishedSpansError);
    expect((error as Error).message).toContain('"ends in a timer nobody advances"');
  });
});
