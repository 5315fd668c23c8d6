/**
 * The SDK stamps span starts in whole milliseconds; capture re-stamps them with a
 * sub-microsecond clock so that spans which ran one after another are seen in order.
 */
import { describe, expect, test } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { captureTrace } from '../../src/capture';
import { setupJestCapture } from '../../src/capture/jest-wiring';
import { startCorrectionNs } from '../../src/capture/start-clock';

setupJestCapture();
const tracer = trace.getTracer('start-clock-test');

describe('span start times', () => {
  test('back-to-back spans never appear to overlap', async () => {
    const captured = await captureTrace(() =>
      tracer.startActiveSpan('batch', (batch) => {
        for (let i = 0; i < 200; i++) tracer.startSpan(`step ${i}`).end();
        batch.end();
      }),
    );
    const steps = captured.spans.filter((s) => s.name.startsWith('step '));
    expect(steps).toHaveLength(200);
    const overlapping = steps.filter(
      (s, i) => i > 0 && s.startTimeUnixNano < (steps[i - 1]?.endTimeUnixNano ?? 0n),
    );
    // With the SDK's millisecond starts most of these 199 pairs overlapped.
    expect(overlapping.map((s) => s.name)).toEqual([]);
  });

  test('a start time the application passed itself is kept as given', async () => {
    const given = Date.UTC(2026, 0, 1); // far from now: not the SDK's own truncation
    const captured = await captureTrace(() => {
      tracer.startSpan('imported', { startTime: given }).end(given + 5);
    });
    const span = captured.spans[0];
    expect(span?.startTimeUnixNano).toBe(BigInt(given) * 1_000_000n);
    expect(span?.durationNs).toBe(5_000_000);
  });

  test('corrections are bounded by the truncation they repair', () => {
    expect(startCorrectionNs(1_000_000_000n, 1_000_400_000n)).toBe(400_000n);
    expect(startCorrectionNs(1_000_000_000n, 1_500_000_000n)).toBe(0n);
    expect(startCorrectionNs(1_000_000_000n, 1_009_000_000n)).toBe(9_000_000n);
    expect(startCorrectionNs(1_000_000_000n, 900_000_000n)).toBe(0n);
  });
});
