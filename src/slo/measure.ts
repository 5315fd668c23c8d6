import { failureSignal } from '../analyze';
import type { Span } from '../model';
import type { Metric } from '../spec/types';
import { durationStats } from './percentile';

/** A run's time window: earliest span start to latest span end, ns since the epoch. */
export interface TimeWindow {
  readonly startNs: bigint;
  readonly endNs: bigint;
}

/** The window's length in seconds; NaN without a window or for one that lasts no time. */
export function windowSeconds(window: TimeWindow | undefined): number {
  if (window === undefined) return Number.NaN;
  const seconds = Number(window.endNs - window.startNs) / 1e9;
  return seconds > 0 ? seconds : Number.NaN;
}

/**
 * Every metric of one SLO group, in canonical units: the duration statistics (ns),
 * `error_rate` (failed spans over spans, failed as the no-errors check defines it: see
 * `failureSignal`), `count` (spans) and `rate` (spans per second of `seconds`, the run's
 * window). Statistics of no spans are NaN; a count of no spans is 0, and so is their rate.
 */
export function measure(spans: readonly Span[], seconds: number): Record<Metric, number> {
  const n = spans.length;
  const durations = new Float64Array(n);
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const span = spans[i] as Span;
    durations[i] = span.durationNs;
    if (failureSignal(span) !== undefined) failed++;
  }
  return {
    ...durationStats(durations),
    error_rate: n === 0 ? Number.NaN : failed / n,
    count: n,
    rate: n / seconds,
  };
}
