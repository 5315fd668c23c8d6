import { holds } from '../spec/budgets';
import type { BudgetOutcome } from '../spec/result';
import type { Bound, Metric, Regression } from '../spec/types';
import { formatGap, formatMetric, formatPair, formatPercent } from './format';

/** Whether a bigger value of `metric` is worse: true for all but throughput. */
export function higherIsWorse(metric: Metric): boolean {
  return metric !== 'rate';
}

/**
 * One bound of a budget against the measured value. `unmeasured` says why the value is
 * NaN (no samples, no time window), for the reason: a bound over nothing never holds.
 */
export function boundOutcome(
  metric: Metric,
  bound: Bound,
  measured: number,
  unmeasured: string,
): BudgetOutcome {
  const budget = `${bound.op} ${formatMetric(metric, bound.value)}`;
  const pass = holds(bound, measured);
  if (pass) return { metric, budget, measured, pass };
  return {
    metric,
    budget,
    measured,
    pass,
    reason: boundReason(metric, bound, measured, unmeasured),
  };
}

function boundReason(metric: Metric, bound: Bound, measured: number, unmeasured: string): string {
  if (Number.isNaN(measured)) return `${metric} could not be measured: ${unmeasured}`;
  const [m, v] = formatPair(metric, measured, bound.value);
  if (measured === bound.value) return `${metric} ${m} is not ${bound.op} ${v} (exactly at it)`;
  const gap = formatGap(metric, measured - bound.value);
  return measured > bound.value
    ? `${metric} ${m} > ${v} (over by ${gap})`
    : `${metric} ${m} < ${v} (under by ${gap})`;
}

// The change is a quotient of measured values, so a change of exactly the allowance can come
// out a few ulps above it (0.033 against 0.03 is 10.000000000000002%); that must not fail.
const SLACK = 1 + 1e-9;

/**
 * A regression budget: the measured value against the baseline's value of the same
 * spec, SLO, group and metric. Fails when it got worse by more than `allowed` (a fraction
 * of the baseline); from a baseline of 0 any worsening fails, since no fraction of 0 allows it.
 */
export function regressionOutcome(
  metric: Metric,
  regression: Regression,
  measured: number,
  baseline: number | undefined,
  unmeasured: string,
  /** Why the baseline has no value (`no baseline was given` ...); asked only when it has none. */
  missing: () => string,
): BudgetOutcome {
  const up = higherIsWorse(metric);
  const allowed = formatPercent(regression.allowed);
  const budget = up ? `<= +${allowed} vs baseline` : `>= -${allowed} vs baseline`;
  const base = { metric, budget, measured };
  if (Number.isNaN(measured)) {
    return {
      ...base,
      pass: false,
      baseline,
      reason: `${metric} could not be measured: ${unmeasured}`,
    };
  }
  if (baseline === undefined) {
    const why = missing();
    if (regression.withoutBaseline === 'pass') {
      return {
        ...base,
        pass: true,
        reason: `not compared with a baseline: ${why}; passes because of if_no_baseline: pass`,
      };
    }
    return {
      ...base,
      pass: false,
      reason: `no baseline ${metric} to compare with: ${why}. Run with --baseline <file> (a file saved by --save-baseline), or set if_no_baseline: pass to let it pass without one`,
    };
  }
  const worse = up ? measured - baseline : baseline - measured;
  if (worse <= 0) return { ...base, pass: true, baseline };
  const [now, before] = formatPair(metric, measured, baseline);
  const moved = up ? 'rose' : 'fell';
  const limit = up ? `+${allowed}` : `-${allowed}`;
  if (baseline === 0) {
    return {
      ...base,
      pass: false,
      baseline,
      reason: `${metric} rose from 0 to ${now}; from a baseline of 0 any rise is more than the allowed ${limit}`,
    };
  }
  const change = worse / Math.abs(baseline);
  if (change <= regression.allowed * SLACK) return { ...base, pass: true, baseline };
  return {
    ...base,
    pass: false,
    baseline,
    reason: `${metric} ${moved} ${formatPercent(change)} from ${before} to ${now}, more than the allowed ${limit}`,
  };
}

export function spans(n: number): string {
  return `${n} ${n === 1 ? 'span' : 'spans'}`;
}
