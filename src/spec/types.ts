/**
 * A trace spec once read, validated and normalised: what the runner executes and the
 * reporters describe. Budgets are parsed into bounds in canonical units (nanoseconds,
 * fractions, spans per second), selectors are parsed, and every part remembers where it
 * was written so that a failure can point at its line.
 */

import type { CapacityRule, DependencyRule, TreeExpectation } from '../assert';
import type { TraceFormat } from '../ingest';
import type { Selector } from '../query';

/** Where something was written in a spec file (1-based line and column). */
export interface SpecLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Severity = 'fail' | 'warn';

export type Comparison = '<' | '<=' | '>' | '>=';

/** One side of a budget: `p95 <= 300ms` is `{ op: '<=', value: 300e6 }` on metric p95. */
export interface Bound {
  readonly op: Comparison;
  /** Canonical unit of the metric: ns, a fraction, a count, or spans per second. */
  readonly value: number;
  /** As the spec wrote it, for messages: `300ms`, `<1%`, `>=50/s`. */
  readonly text: string;
}

/** Duration statistics an SLO can bound, all in nanoseconds. */
export const DURATION_METRICS = ['p50', 'p90', 'p95', 'p99', 'p999', 'min', 'max', 'avg'] as const;
export type DurationMetric = (typeof DURATION_METRICS)[number];

/** Every statistic an SLO can bound. */
export const METRICS = [...DURATION_METRICS, 'error_rate', 'count', 'rate'] as const;
export type Metric = (typeof METRICS)[number];

/**
 * A relative budget against a stored baseline: fail when the value moved the wrong way by
 * more than `allowed` (a fraction: 10% is 0.1). The wrong way is up for durations, error
 * rate and count, and down for rate (throughput).
 */
export interface Regression {
  readonly allowed: number;
  readonly text: string;
  /** What an SLO with no baseline value to compare with does; `fail` unless the spec says so. */
  readonly withoutBaseline: 'fail' | 'pass';
}

export interface MetricBudget {
  readonly metric: Metric;
  /** Every bound must hold; empty when only a regression is asked for. */
  readonly bounds: readonly Bound[];
  readonly regression: Regression | undefined;
  readonly location: SpecLocation;
}

/** An attribute or intrinsic to split an SLO by: `resource.service.name`, `name`, `span.http.route`. */
export interface GroupKey {
  readonly text: string;
}

export interface SloSpec {
  readonly name: string;
  readonly select: Selector;
  readonly budgets: readonly MetricBudget[];
  /** Fewer selected spans than this fail the SLO (per group with `group_by`). At least 1. */
  readonly minSamples: number;
  readonly severity: Severity;
  readonly groupBy: readonly GroupKey[];
  readonly location: SpecLocation;
}

/** One thing a per-trace check asserts about each scope (the span `for_each` matched and its subtree). */
export type Assertion =
  | { readonly kind: 'exists'; readonly select: Selector; readonly location: SpecLocation }
  | { readonly kind: 'absent'; readonly select: Selector; readonly location: SpecLocation }
  | {
      readonly kind: 'count';
      readonly select: Selector;
      readonly min: number;
      readonly max: number;
      readonly location: SpecLocation;
    }
  | {
      readonly kind: 'tree';
      /** The expectation in the tree notation, parsed once for every scope it is matched on. */
      readonly expectation: TreeExpectation;
      readonly strict: boolean;
      readonly ordered: boolean;
      readonly location: SpecLocation;
    }
  | {
      readonly kind: 'duration';
      /** Spans whose durations are bounded; undefined means the scope's root span. */
      readonly select: Selector | undefined;
      readonly bounds: readonly Bound[];
      readonly location: SpecLocation;
    }
  | {
      readonly kind: 'attributes';
      /** Spans that must carry the attributes; undefined means the scope's root span. */
      readonly select: Selector | undefined;
      readonly expected: Readonly<Record<string, unknown>>;
      readonly location: SpecLocation;
    }
  | {
      readonly kind: 'no_errors';
      /** Failures in spans this matches are allowed (expected retries, 404s). */
      readonly ignore: Selector | undefined;
      readonly location: SpecLocation;
    }
  | { readonly kind: 'error_origin'; readonly select: Selector; readonly location: SpecLocation }
  | { readonly kind: 'critical_path'; readonly select: Selector; readonly location: SpecLocation }
  | {
      readonly kind: 'self_time';
      readonly maxNs: number;
      readonly by: 'service' | 'span';
      readonly select: Selector | undefined;
      readonly location: SpecLocation;
    }
  | {
      readonly kind: 'no_repeated_serial_calls';
      readonly minCount: number | undefined;
      readonly select: Selector | undefined;
      readonly ignore: Selector | undefined;
      readonly location: SpecLocation;
    }
  /** A triggered spec: every request got a response that keeps `trigger.response` (and no transport error). */
  | { readonly kind: 'response'; readonly location: SpecLocation }
  /** A triggered spec: every request's trace arrived, and stopped arriving before the wait timed out. */
  | { readonly kind: 'trace_arrived'; readonly location: SpecLocation }
  | {
      /** Each service's share of the work, checked once over all the spec's traces. */
      readonly kind: 'capacity';
      readonly rules: readonly CapacityRule[];
      readonly location: SpecLocation;
    }
  | {
      /** Who may call whom, checked once over all the spec's traces. */
      readonly kind: 'dependencies';
      readonly rules: readonly DependencyRule[];
      readonly location: SpecLocation;
    };

export type AssertionKind = Assertion['kind'];

export interface CheckSpec {
  readonly name: string;
  /** `trace`: each trace (or `for_each` scope) on its own; `all`: every trace at once (dependencies). */
  readonly scope: 'trace' | 'all';
  /** Scopes to check: every span this matches, with its subtree. Undefined: every whole trace. */
  readonly forEach: Selector | undefined;
  readonly assertions: readonly Assertion[];
  /** Fewer scopes than this fail the check. At least 1. */
  readonly minSamples: number;
  readonly severity: Severity;
  readonly location: SpecLocation;
}

/** Trace files for a spec: paths and globs, resolved against the spec file's folder. */
export interface TraceSources {
  readonly paths: readonly string[];
  readonly format: TraceFormat | undefined;
  readonly location: SpecLocation;
}

/** The requests a triggered spec sends to the system under test. */
export interface TriggerSpec {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly timeoutMs: number;
  readonly repeat: number;
  readonly concurrency: number;
  /** What every response must be; transport errors (refused, reset, timed out) always fail. */
  readonly response: {
    readonly status: readonly number[] | undefined;
    readonly latency: readonly Bound[];
    readonly bodyContains: string | undefined;
  };
  readonly location: SpecLocation;
}

/** A spec that drives the system: the receiver it starts, the requests, how long it waits. */
export interface LiveSpec {
  readonly receiver: {
    readonly host: string;
    readonly port: number;
    readonly token: string | undefined;
    readonly out: string | undefined;
    readonly location: SpecLocation;
  };
  readonly trigger: TriggerSpec;
  readonly wait: { readonly quietMs: number; readonly timeoutMs: number };
}

export interface Spec {
  readonly name: string;
  readonly description: string | undefined;
  readonly file: string;
  readonly traces: TraceSources | undefined;
  /** Set when the spec triggers requests instead of reading `traces`. */
  readonly live: LiveSpec | undefined;
  readonly slos: readonly SloSpec[];
  readonly checks: readonly CheckSpec[];
}
