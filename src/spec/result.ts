/**
 * What running a spec found: plain data that every reporter (console, JSON, JUnit, GitHub)
 * reads. Verdicts are decided here, once; reporters only describe them.
 */

import type { Span, Trace } from '../model';
import type { AssertionKind, Metric, Severity, SpecLocation } from './types';

/**
 * `pass`; `fail` (a check with severity fail broke: exit code 1); `warn` (a check with
 * severity warn broke, or a failure under `--warn-only`: reported, exit code 0).
 */
export type Verdict = 'pass' | 'warn' | 'fail';

/** One budget of one SLO (group), measured. */
export interface BudgetOutcome {
  readonly metric: Metric;
  /** The budget as written, e.g. `<= 300ms`, `< 1%`, `<= +10% vs baseline`. */
  readonly budget: string;
  /** Canonical unit: ns for durations, a fraction for error_rate, spans/s for rate. NaN when there were no samples. */
  readonly measured: number;
  readonly pass: boolean;
  /** The baseline's value for this metric, when a regression budget compared with one. */
  readonly baseline?: number | undefined;
  /** Why it failed, in words: `p95 312ms > 300ms (over by 12ms)`. */
  readonly reason?: string | undefined;
}

/** An example span behind a failed SLO (the slowest ones, the failed ones). */
export interface SpanPointer {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  readonly service: string;
  readonly durationNs: number;
}

export interface SloGroupResult {
  /** The `group_by` values of this group, in `group_by` order; empty without `group_by`. */
  readonly key: readonly string[];
  readonly samples: number;
  readonly verdict: Verdict;
  readonly budgets: readonly BudgetOutcome[];
  /** Every metric measured, canonical units (what a baseline stores). */
  readonly measured: Readonly<Record<Metric, number>>;
  /**
   * Set when there were fewer samples than `min_samples`, with what was found in words:
   * `{ name = "pay" } selected only 3 spans; min_samples needs at least 50`.
   */
  readonly tooFewSamples?: { readonly needed: number; readonly reason: string } | undefined;
  /** Up to a few spans that explain a failure (slowest first, or failed ones for error_rate). */
  readonly examples: readonly SpanPointer[];
}

export interface SloResult {
  readonly name: string;
  readonly selector: string;
  readonly severity: Severity;
  readonly groupBy: readonly string[];
  readonly minSamples: number;
  /** One entry without `group_by`; one per group (sorted by key) with it. */
  readonly groups: readonly SloGroupResult[];
  readonly verdict: Verdict;
  readonly location: SpecLocation;
}

/** One scope (trace, or `for_each` span with its subtree) that broke an assertion. */
export interface CheckFailure {
  readonly assertion: AssertionKind;
  readonly message: string;
  /** Undefined for a failure of the traces as a set (dependency rules, capacity limits). */
  readonly trace: Trace | undefined;
  /** The span `for_each` matched; undefined when the scope is the whole trace. */
  readonly scope: Span | undefined;
  /** Spans to mark in the trace tree (too slow, failed, missing attributes ...). */
  readonly spans: readonly Span[];
  /** Where the broken assertion was written. */
  readonly location: SpecLocation;
}

export interface CheckResult {
  readonly name: string;
  readonly forEach: string | undefined;
  readonly severity: Severity;
  /** Scopes checked: spans `for_each` matched, or traces. */
  readonly samples: number;
  readonly minSamples: number;
  readonly assertions: readonly AssertionKind[];
  /** Set when there were fewer scopes than `min_samples`. */
  readonly tooFewSamples?: { readonly needed: number } | undefined;
  readonly failures: readonly CheckFailure[];
  /** Scopes that broke at least one assertion. */
  readonly failedScopes: number;
  readonly verdict: Verdict;
  readonly location: SpecLocation;
}

export interface SpecResult {
  readonly name: string;
  readonly file: string;
  /** Trace files read, as given. */
  readonly sources: readonly string[];
  readonly traceCount: number;
  readonly spanCount: number;
  /** Earliest start to latest end over every trace, ns since the epoch; undefined without spans. */
  readonly window: { readonly startNs: bigint; readonly endNs: bigint } | undefined;
  readonly slos: readonly SloResult[];
  readonly checks: readonly CheckResult[];
  readonly verdict: Verdict;
}

export interface RunResult {
  readonly specs: readonly SpecResult[];
  readonly verdict: Verdict;
  /** `--warn-only`: failures were reported as warnings. */
  readonly warnOnly: boolean;
}
