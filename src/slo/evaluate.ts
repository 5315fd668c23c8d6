import type { Span, Trace } from '../model';
import { compileSelector } from '../query';
import type { BudgetOutcome, SloGroupResult, SloResult, Verdict } from '../spec/result';
import type { Metric, SloSpec } from '../spec/types';
import { type Baseline, groupName } from './baseline';
import { type ExampleKinds, pickExamples } from './examples';
import { isDurationMetric } from './format';
import { compileGroupKey, type GroupKeyFn } from './group-key';
import { measure, type TimeWindow, windowSeconds } from './measure';
import { boundOutcome, regressionOutcome, spans } from './outcome';

/** What an SLO is evaluated against besides its traces. */
export interface SloContext {
  /** The spec the SLO belongs to: baseline values are stored per spec name. */
  readonly specName: string;
  /** Earliest start to latest end over all the spec's traces; `rate` is per second of it. */
  readonly window: TimeWindow | undefined;
  /** Values to compare regression budgets with; undefined when the run has no baseline. */
  readonly baseline: Baseline | undefined;
}

interface Group {
  readonly key: readonly string[];
  readonly spans: Span[];
}

/**
 * Measure an SLO over every span its selector selects in `traces`, split by `group_by`,
 * and hold each group to the SLO's budgets. A group breaks when a budget does not hold or
 * it has fewer spans than `min_samples`; a broken group has the SLO's severity as its
 * verdict, and the SLO's verdict is its worst group's. An SLO that selected nothing has
 * one group (key `[]`, no samples), which fails `min_samples`.
 *
 * Throws an `InputError` at the SLO's location for a `group_by` key that names nothing.
 */
export function evaluateSlo(
  slo: SloSpec,
  traces: readonly Trace[],
  context: SloContext,
): SloResult {
  const keys = slo.groupBy.map((key) => compileGroupKey(key.text, slo.location));
  const groups = collect(slo, traces, keys);
  const seconds = windowSeconds(context.window);
  const selector = slo.select.text.trim();
  const nothing =
    traces.length === 0
      ? 'there were no traces to select from'
      : `${selector} selected no spans in ${traces.length} ${traces.length === 1 ? 'trace' : 'traces'}`;
  const results = groups.map((group) => {
    const found =
      group.spans.length === 0
        ? nothing
        : keys.length === 0
          ? `${selector} selected only ${spans(group.spans.length)}`
          : `group ${groupName(group.key)} has only ${spans(group.spans.length)}`;
    return evaluateGroup(slo, group, seconds, context, found);
  });
  return {
    name: slo.name,
    selector,
    severity: slo.severity,
    groupBy: slo.groupBy.map((key) => key.text),
    minSamples: slo.minSamples,
    groups: results,
    verdict: worst(results.map((group) => group.verdict)),
    location: slo.location,
  };
}

/** The selected spans by key tuple, sorted by key; one empty group when nothing was selected. */
function collect(slo: SloSpec, traces: readonly Trace[], keys: readonly GroupKeyFn[]): Group[] {
  const matcher = compileSelector(slo.select);
  if (keys.length === 0) return [{ key: [], spans: matcher.select(traces) }];
  const groups = new Map<string, Group>();
  const [only] = keys;
  for (const trace of traces) {
    for (const span of matcher.select(trace)) {
      // One key (the usual case) is its own id: no array and no JSON per span.
      const key = keys.length === 1 ? undefined : keys.map((keyOf) => keyOf(span, trace));
      const id = key === undefined ? (only as GroupKeyFn)(span, trace) : JSON.stringify(key);
      const group = groups.get(id);
      if (group) group.spans.push(span);
      else groups.set(id, { key: key ?? [id], spans: [span] });
    }
  }
  if (groups.size === 0) return [{ key: [], spans: [] }];
  return [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
}

// Code-unit order rather than the locale's, so that reports and baselines list groups the
// same way on every machine.
function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

function evaluateGroup(
  slo: SloSpec,
  group: Group,
  seconds: number,
  context: SloContext,
  found: string,
): SloGroupResult {
  const samples = group.spans.length;
  const measured = measure(group.spans, seconds);
  const unmeasured = (metric: Metric): string =>
    metric !== 'rate'
      ? 'no spans were selected'
      : context.window === undefined
        ? 'there were no spans to take a time window from, so there is no rate per second'
        : 'the traces cover no time (they start and end at the same instant), so there is no rate per second';
  const outcomes: BudgetOutcome[] = [];
  const tooFew = samples < slo.minSamples;
  const kinds = { slowest: false, fastest: false, failed: false };
  for (const budget of slo.budgets) {
    const { metric } = budget;
    for (const bound of budget.bounds) {
      const outcome = boundOutcome(metric, bound, measured[metric], unmeasured(metric));
      outcomes.push(outcome);
      if (!outcome.pass) explain(kinds, metric, bound.op === '>' || bound.op === '>=');
    }
    if (budget.regression) {
      const baseline = context.baseline;
      const outcome = regressionOutcome(
        metric,
        budget.regression,
        measured[metric],
        baseline?.lookup(context.specName, slo.name, group.key, metric),
        unmeasured(metric),
        () =>
          baseline === undefined
            ? 'no baseline was given'
            : baseline.explainMissing(context.specName, slo.name, group.key, metric),
      );
      outcomes.push(outcome);
      if (!outcome.pass) explain(kinds, metric, metric === 'rate');
    }
  }
  const broken = tooFew || outcomes.some((outcome) => !outcome.pass);
  return {
    key: group.key,
    samples,
    verdict: broken ? slo.severity : 'pass',
    budgets: outcomes,
    measured,
    tooFewSamples: tooFew
      ? { needed: slo.minSamples, reason: `${found}; min_samples needs at least ${slo.minSamples}` }
      : undefined,
    examples: broken ? pickExamples(group.spans, kinds) : [],
  };
}

/** Note which spans explain a broken budget; `tooLow` when the value fell below a bound. */
function explain(
  kinds: { -readonly [K in keyof ExampleKinds]: boolean },
  metric: Metric,
  tooLow: boolean,
): void {
  if (isDurationMetric(metric)) {
    if (tooLow) kinds.fastest = true;
    else kinds.slowest = true;
  } else if (metric === 'error_rate' && !tooLow) kinds.failed = true;
}

const RANK: Readonly<Record<Verdict, number>> = { pass: 0, warn: 1, fail: 2 };

function worst(verdicts: readonly Verdict[]): Verdict {
  let out: Verdict = 'pass';
  for (const verdict of verdicts) if (RANK[verdict] > RANK[out]) out = verdict;
  return out;
}
