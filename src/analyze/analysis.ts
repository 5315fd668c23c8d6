import type { Trace } from '../model';
import { type Capacity, measureCapacity } from './capacity';
import { type CriticalPath, findCriticalPath } from './critical-path';
import { buildDependencyMap, type DependencyMap } from './dependencies';
import { type ErrorOrigin, findErrorOrigin } from './error-origin';
import { findRepeatedSerialCalls, type RepeatedCallGroup } from './repeated-calls';
import { findSlowTail, type SlowTail } from './slow-tail';

export interface TraceAnalysis {
  readonly trace: Trace;
  readonly criticalPath: CriticalPath;
  /** Undefined when no span of the trace failed. */
  readonly errorOrigin: ErrorOrigin | undefined;
  readonly repeatedSerialCalls: readonly RepeatedCallGroup[];
}

/** Every analysis of what tracing is for, over a set of traces: what `tracespec analyze` prints. */
export interface Analysis {
  readonly traces: readonly TraceAnalysis[];
  readonly dependencies: DependencyMap;
  readonly capacity: Capacity;
  readonly slowTail: SlowTail;
}

export interface AnalysisOptions {
  /** Fewest calls that make a repeated group (default 5). */
  readonly minRepeatedCalls?: number;
  /** Which traces make the slow tail: those at or above this percentile of durations (default 0.95). */
  readonly slowTailPercentile?: number;
}

/** Run every analysis. Linear in the spans but for sorting within groups. */
export function analyzeTraces(traces: readonly Trace[], options: AnalysisOptions = {}): Analysis {
  return {
    traces: traces.map((trace) => ({
      trace,
      criticalPath: findCriticalPath(trace),
      errorOrigin: findErrorOrigin(trace),
      repeatedSerialCalls: findRepeatedSerialCalls(trace, {
        ...(options.minRepeatedCalls !== undefined ? { minCount: options.minRepeatedCalls } : {}),
      }),
    })),
    dependencies: buildDependencyMap(traces),
    capacity: measureCapacity(traces),
    slowTail: findSlowTail(traces, {
      ...(options.slowTailPercentile !== undefined
        ? { percentile: options.slowTailPercentile }
        : {}),
    }),
  };
}
