import type { Span, Trace } from '../model';
import { failureSignal } from './failure';
import { largestFirst, operationKey } from './groups';
import { selfTimes } from './self-time';

/** How much of the load one service carried over the window. */
export interface ServiceCapacity {
  readonly service: string;
  readonly spans: number;
  /** Spans that failed (`failureSignal`: ERROR status, or an exception with status unset). */
  readonly errors: number;
  /** `errors / spans`, from 0 to 1. */
  readonly errorRate: number;
  /** Spans per second over the window; null when the window has no length. */
  readonly throughputPerSecond: number | null;
  /** Sum of the spans' durations: overlapping spans each count. */
  readonly totalNs: number;
  /** Sum of the spans' self times: the time spent in the service's own code. */
  readonly selfNs: number;
  /** `selfNs` as a fraction of every span's self time, from 0 to 1. */
  readonly selfShare: number;
}

/** One operation: the spans of one name in one service. */
export interface OperationCapacity extends ServiceCapacity {
  readonly name: string;
}

/** Which services and operations dominate the time budget, over a set of traces. */
export interface Capacity {
  readonly traces: number;
  readonly spans: number;
  /** From the earliest trace start to the latest trace end. */
  readonly windowNs: number;
  /** Every span's self time, added up: what `selfShare` divides by. */
  readonly selfNs: number;
  /** Largest self time first. */
  readonly services: readonly ServiceCapacity[];
  /** Largest self time first. */
  readonly operations: readonly OperationCapacity[];
}

interface Tally {
  service: string;
  name: string;
  spans: number;
  errors: number;
  totalNs: number;
  selfNs: number;
}

/**
 * Span count, throughput, total and self time, and error rate per service and per
 * operation (service + span name), sorted by self time. Self time rather than total time
 * ranks the groups, because a gateway whose span encloses the whole request has the
 * largest total while doing little itself: self time is where the time budget is spent.
 */
export function measureCapacity(traces: readonly Trace[]): Capacity {
  const services = new Map<string, Tally>();
  const operations = new Map<string, Tally>();
  let spans = 0;
  let selfTotal = 0;
  let from: bigint | undefined;
  let to: bigint | undefined;
  for (const trace of traces) {
    if (from === undefined || trace.startTimeUnixNano < from) from = trace.startTimeUnixNano;
    if (to === undefined || trace.endTimeUnixNano > to) to = trace.endTimeUnixNano;
    const self = selfTimes(trace);
    for (let i = 0; i < trace.spans.length; i++) {
      const span = trace.spans[i] as Span;
      const selfNs = self[i] as number;
      const failed = failureSignal(span) !== undefined;
      add(services, span.service, span.service, '', span, selfNs, failed);
      add(
        operations,
        operationKey(span.service, span.name),
        span.service,
        span.name,
        span,
        selfNs,
        failed,
      );
      spans++;
      selfTotal += selfNs;
    }
  }
  const windowNs = from === undefined || to === undefined ? 0 : Number(to - from);
  const measures = (t: Tally): Omit<ServiceCapacity, 'service'> => ({
    spans: t.spans,
    errors: t.errors,
    errorRate: t.errors / t.spans,
    throughputPerSecond: windowNs > 0 ? t.spans / (windowNs / 1e9) : null,
    totalNs: t.totalNs,
    selfNs: t.selfNs,
    selfShare: selfTotal > 0 ? t.selfNs / selfTotal : 0,
  });
  return {
    traces: traces.length,
    spans,
    windowNs,
    selfNs: selfTotal,
    services: largestFirst(services.values(), (t) => t.selfNs).map((t) => ({
      service: t.service,
      ...measures(t),
    })),
    operations: largestFirst(operations.values(), (t) => t.selfNs).map((t) => ({
      service: t.service,
      name: t.name,
      ...measures(t),
    })),
  };
}

function add(
  groups: Map<string, Tally>,
  key: string,
  service: string,
  name: string,
  span: Span,
  selfNs: number,
  failed: boolean,
): void {
  let tally = groups.get(key);
  if (!tally) {
    tally = { service, name, spans: 0, errors: 0, totalNs: 0, selfNs: 0 };
    groups.set(key, tally);
  }
  tally.spans++;
  if (failed) tally.errors++;
  tally.totalNs += span.durationNs;
  tally.selfNs += selfNs;
}
