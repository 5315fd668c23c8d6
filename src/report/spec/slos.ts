/** SLO results as rows and problems: what the console, Markdown and JUnit reporters print. */

import type {
  BudgetOutcome,
  SloGroupResult,
  SloResult,
  SpanPointer,
  Verdict,
} from '../../spec/result';
import type { Metric } from '../../spec/types';
import { brokenVerdict, formatMetric, sloLabel, tooFewSamplesText } from './format';

/** One line of an SLO table: one budget of one group, or the sample count when it was short. */
export interface SloRow {
  readonly label: string;
  readonly metric: Metric | 'samples';
  readonly measured: string;
  readonly budget: string;
  readonly samples: number;
  readonly verdict: Verdict;
}

/** Every row of one SLO, groups in result order; budgets in spec order. */
export function sloRows(slo: SloResult): SloRow[] {
  if (slo.groups.length === 0) {
    // group_by over no spans leaves no group at all; the SLO still needs a row saying why.
    return [samplesRow(slo.name, 0, slo.minSamples, slo.verdict)];
  }
  const rows: SloRow[] = [];
  for (const group of slo.groups) {
    const label = sloLabel(slo, group);
    if (group.tooFewSamples) {
      rows.push(samplesRow(label, group.samples, group.tooFewSamples.needed, group.verdict));
    }
    for (const outcome of group.budgets) {
      rows.push({
        label,
        metric: outcome.metric,
        measured: formatMetric(outcome.metric, outcome.measured),
        budget: budgetText(outcome),
        samples: group.samples,
        verdict: outcome.pass ? 'pass' : brokenVerdict(group.verdict),
      });
    }
    if (!group.tooFewSamples && group.budgets.length === 0) {
      rows.push(samplesRow(label, group.samples, slo.minSamples, group.verdict));
    }
  }
  return rows;
}

function samplesRow(label: string, samples: number, needed: number, verdict: Verdict): SloRow {
  return {
    label,
    metric: 'samples',
    measured: String(samples),
    budget: `>= ${needed}`,
    samples,
    verdict,
  };
}

/** The budget as written, with the baseline it was compared with: `+10% (baseline 200ms)`. */
export function budgetText(outcome: BudgetOutcome): string {
  if (outcome.baseline === undefined) return outcome.budget;
  return `${outcome.budget} (baseline ${formatMetric(outcome.metric, outcome.baseline)})`;
}

/** Why one SLO group (or an SLO without groups) did not pass. */
export interface SloProblem {
  readonly label: string;
  readonly verdict: Verdict;
  /** One sentence per broken budget, and one for too few samples. */
  readonly reasons: readonly string[];
  readonly examples: readonly SpanPointer[];
}

/** The groups of an SLO that did not pass, each with its reasons in words. */
export function sloProblems(slo: SloResult): SloProblem[] {
  if (slo.groups.length === 0) {
    if (slo.verdict === 'pass') return [];
    const reason = `${tooFewSamplesText(0, slo.minSamples, 'span')} (selector ${slo.selector})`;
    return [{ label: slo.name, verdict: slo.verdict, reasons: [reason], examples: [] }];
  }
  const problems: SloProblem[] = [];
  for (const group of slo.groups) {
    if (group.verdict === 'pass') continue;
    problems.push({
      label: sloLabel(slo, group),
      verdict: group.verdict,
      reasons: groupReasons(group),
      examples: group.examples,
    });
  }
  return problems;
}

function groupReasons(group: SloGroupResult): string[] {
  const reasons: string[] = [];
  if (group.tooFewSamples) reasons.push(group.tooFewSamples.reason);
  for (const outcome of group.budgets) {
    if (outcome.pass) continue;
    reasons.push(
      outcome.reason ??
        `${outcome.metric} = ${formatMetric(outcome.metric, outcome.measured)}, budget ${budgetText(outcome)}`,
    );
  }
  return reasons;
}
