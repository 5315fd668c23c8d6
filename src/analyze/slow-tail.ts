import { InputError } from '../errors';
import type { Trace } from '../model';
import { percentile as quantile } from '../slo/percentile';
import { type CriticalPath, findCriticalPath } from './critical-path';
import { largestFirst, operationKey } from './groups';

export interface SlowTailOptions {
  /** Which traces are the tail: those at or above this quantile of trace durations (0 to 1). Default 0.95. */
  readonly percentile?: number;
}

/** How much of the slow traces' critical paths one service accounts for. */
export interface SlowTailService {
  readonly service: string;
  /** Time on the critical paths of the slow traces, added up over them. */
  readonly pathNs: number;
  /** `pathNs` as a fraction of every slow trace's critical path, from 0 to 1. */
  readonly share: number;
  /** In how many of the slow traces it has time on the path. */
  readonly traces: number;
}

/** The same, for one operation: spans of one name in one service. */
export interface SlowTailOperation extends SlowTailService {
  readonly name: string;
}

/** Which services and operations the slowest traces spend their critical path in. */
export interface SlowTail {
  readonly percentile: number;
  /** The trace duration at that percentile; null when there were no traces. */
  readonly thresholdNs: number | null;
  /** Traces considered. */
  readonly traces: number;
  /** The critical paths of the traces at or above the threshold, slowest trace first. */
  readonly slow: readonly CriticalPath[];
  /** The slow traces' critical paths, added up: what the shares divide by. */
  readonly pathNs: number;
  /** Largest share first. */
  readonly services: readonly SlowTailService[];
  /** Largest share first. */
  readonly operations: readonly SlowTailOperation[];
}

interface Tally {
  service: string;
  name: string;
  pathNs: number;
  traces: number;
  /** The last slow trace counted, so that `traces` counts each trace once. */
  lastTrace: Trace | undefined;
}

/**
 * Which service, and which operation, the slow tail is waiting on: take the traces whose
 * duration (first start to last end, as `traceDuration` and `toCompleteWithin` measure it)
 * is at or above the given percentile of all of them, and share out their critical-path
 * time by the service and operation of the span on the path. Critical-path time rather than
 * span durations, because a span that runs in parallel with a slower one does not make the
 * request slower, and an enclosing span's duration counts its children's time again.
 *
 * Percentiles are interpolated as everywhere in tracespec (see `percentile`), so with
 * fewer than twenty traces only the slowest is at or above p95.
 */
export function findSlowTail(traces: readonly Trace[], options: SlowTailOptions = {}): SlowTail {
  const p = options.percentile ?? 0.95;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new InputError(
      {},
      `the slow-tail percentile must be a fraction from 0 to 1 (0.95 for p95), not ${String(p)}`,
    );
  }
  const durations = Float64Array.from(traces, (t) => t.durationNs).sort();
  const threshold = traces.length > 0 ? quantile(durations, p) : null;
  const slowTraces = traces
    .filter((t) => threshold !== null && t.durationNs >= threshold)
    .sort((a, b) => b.durationNs - a.durationNs);

  const services = new Map<string, Tally>();
  const operations = new Map<string, Tally>();
  const slow: CriticalPath[] = [];
  let total = 0;
  for (const trace of slowTraces) {
    const path = findCriticalPath(trace);
    slow.push(path);
    for (const { span, startNs, endNs } of path.segments) {
      const ns = endNs - startNs;
      total += ns;
      add(services, span.service, span.service, '', ns, trace);
      add(operations, operationKey(span.service, span.name), span.service, span.name, ns, trace);
    }
  }
  const measures = (t: Tally): Omit<SlowTailService, 'service'> => ({
    pathNs: t.pathNs,
    share: total > 0 ? t.pathNs / total : 0,
    traces: t.traces,
  });
  return {
    percentile: p,
    thresholdNs: threshold,
    traces: traces.length,
    slow,
    pathNs: total,
    services: largestFirst(services.values(), (t) => t.pathNs).map((t) => ({
      service: t.service,
      ...measures(t),
    })),
    operations: largestFirst(operations.values(), (t) => t.pathNs).map((t) => ({
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
  ns: number,
  trace: Trace,
): void {
  let tally = groups.get(key);
  if (!tally) {
    tally = { service, name, pathNs: 0, traces: 0, lastTrace: undefined };
    groups.set(key, tally);
  }
  tally.pathNs += ns;
  if (tally.lastTrace !== trace) {
    tally.traces++;
    tally.lastTrace = trace;
  }
}
