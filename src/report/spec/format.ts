/** Words and numbers shared by every spec reporter, so that all of them say the same thing. */

import { isAbsolute, relative, sep } from 'node:path';
import { formatMetric as formatSloMetric } from '../../slo/format';
import type { RunResult, SloGroupResult, SloResult, SpecResult, Verdict } from '../../spec/result';
import type { Metric } from '../../spec/types';
import { plural } from '../text';

export const VERDICT_MARK: Readonly<Record<Verdict, string>> = { pass: '✓', warn: '!', fail: '✗' };

/** `formatMetric` for tables: `–` where nothing could be measured. */
export function formatMetric(metric: Metric, value: number): string {
  return Number.isFinite(value) ? formatSloMetric(metric, value) : '–';
}

/** `payment latency`, or `payment latency [resource.service.name=cart]` for a group. */
export function sloLabel(slo: SloResult, group: SloGroupResult | undefined): string {
  if (!group || group.key.length === 0) return slo.name;
  const parts = group.key.map((value, i) => `${slo.groupBy[i] ?? `key${i + 1}`}=${value}`);
  return `${slo.name} [${parts.join(', ')}]`;
}

/** Why an SLO group or check with too few samples failed, in one plain sentence. */
export function tooFewSamplesText(samples: number, needed: number, what: string): string {
  return `selected ${plural(samples, what)}; needs at least ${needed}`;
}

/**
 * A spec file as a CI log and GitHub show it: relative to the working directory (the
 * repository root in a workflow), with forward slashes. Paths outside it stay as given,
 * since `../` would point nowhere in an annotation.
 */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return toSlashes(file);
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return toSlashes(file);
  return toSlashes(rel);
}

function toSlashes(path: string): string {
  return sep === '\\' ? path.replaceAll('\\', '/') : path;
}

/** Counts of SLOs and checks by verdict, over one spec or a whole run. */
export interface Tally {
  readonly specs: number;
  readonly slos: number;
  readonly checks: number;
  readonly failed: number;
  readonly warned: number;
  /** Items whose own severity is `fail` that `--warn-only` reported as warnings. */
  readonly downgraded: number;
}

export function tally(specs: readonly SpecResult[], warnOnly: boolean): Tally {
  let slos = 0;
  let checks = 0;
  let failed = 0;
  let warned = 0;
  let downgraded = 0;
  for (const spec of specs) {
    for (const item of [...spec.slos, ...spec.checks]) {
      if (item.verdict === 'fail') failed++;
      if (item.verdict === 'warn') {
        warned++;
        if (warnOnly && item.severity === 'fail') downgraded++;
      }
    }
    slos += spec.slos.length;
    checks += spec.checks.length;
  }
  return { specs: specs.length, slos, checks, failed, warned, downgraded };
}

/** `3 SLOs, 2 checks — 1 failed, 1 warning`, or `— all passed`. */
export function tallyText(t: Tally): string {
  const size = `${plural(t.slos, 'SLO')}, ${plural(t.checks, 'check')}`;
  const broken: string[] = [];
  if (t.failed > 0) broken.push(`${t.failed} failed`);
  if (t.warned > 0) broken.push(plural(t.warned, 'warning'));
  return `${size} — ${broken.length > 0 ? broken.join(', ') : 'all passed'}`;
}

/** `passed`, `passed with warnings`, `failed`: the run's verdict in words. */
export function verdictWords(verdict: Verdict): string {
  return verdict === 'pass' ? 'passed' : verdict === 'warn' ? 'passed with warnings' : 'failed';
}

/** The sentence a report gives when `--warn-only` turned failures into warnings. */
export function warnOnlyText(run: RunResult): string | undefined {
  if (!run.warnOnly) return undefined;
  const { downgraded } = tally(run.specs, true);
  if (downgraded === 0) return '--warn-only: nothing failed, so nothing was downgraded';
  return `--warn-only: ${plural(downgraded, 'failure')} reported as ${downgraded === 1 ? 'a warning' : 'warnings'}; without it this run fails`;
}

/** The verdict an item shows for one broken part (a budget, a scope) of it. */
export function brokenVerdict(verdict: Verdict): Verdict {
  return verdict === 'pass' ? 'fail' : verdict;
}
