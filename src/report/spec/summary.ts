/**
 * The Markdown a `github` reporter appends to `$GITHUB_STEP_SUMMARY`: the run's verdict,
 * per spec an SLO table and the checks that did not pass, with their traces folded away.
 */

import type { CheckResult, RunResult, SpecResult } from '../../spec/result';
import { plural } from '../text';
import { checkTooFewText, samplesText } from './checks';
import { formatCheckFailures } from './console';
import { displayPath, tally, tallyText, VERDICT_MARK, verdictWords, warnOnlyText } from './format';
import { sloProblems, sloRows } from './slos';

export interface SummaryOptions {
  readonly cwd: string;
}

/** One Markdown block for the run, starting and ending with a blank line so appends stay apart. */
export function formatStepSummary(run: RunResult, options: SummaryOptions): string {
  const total = tally(run.specs, run.warnOnly);
  const out: string[] = [
    '',
    `## ${VERDICT_MARK[run.verdict]} tracespec ${verdictWords(run.verdict)}`,
    '',
    md(`${plural(total.specs, 'spec')}: ${tallyText(total)}`),
  ];
  const downgrade = warnOnlyText(run);
  if (downgrade) out.push('', `> ${md(downgrade)}`);
  for (const spec of run.specs) out.push(...specBlock(spec, options));
  out.push('');
  return `${out.join('\n')}\n`;
}

function specBlock(spec: SpecResult, options: SummaryOptions): string[] {
  const out = [
    '',
    `### ${VERDICT_MARK[spec.verdict]} ${md(spec.name)}: ${verdictWords(spec.verdict)}`,
    '',
    md(
      `${displayPath(spec.file, options.cwd)}: read ${plural(spec.traceCount, 'trace')} and ${plural(spec.spanCount, 'span')}`,
    ),
  ];
  if (spec.slos.length > 0) {
    out.push('', '| | SLO | metric | measured | budget | samples |', '|:-:|---|---|--:|---|--:|');
    for (const slo of spec.slos) {
      for (const row of sloRows(slo)) {
        const cells = [row.label, row.metric, row.measured, row.budget, String(row.samples)];
        out.push(`| ${VERDICT_MARK[row.verdict]} | ${cells.map(cell).join(' | ')} |`);
      }
    }
    const reasons = spec.slos.flatMap((slo) =>
      sloProblems(slo).map(
        (p) => `- ${VERDICT_MARK[p.verdict]} **${md(p.label)}**: ${md(p.reasons.join('; '))}`,
      ),
    );
    if (reasons.length > 0) out.push('', ...reasons);
  }
  const broken = spec.checks.filter((check) => check.verdict !== 'pass');
  if (spec.checks.length > 0) {
    const passed = spec.checks.length - broken.length;
    out.push('', md(`${passed} of ${plural(spec.checks.length, 'check')} passed`));
  }
  for (const check of broken) out.push(...checkBlock(check, options));
  return out;
}

function checkBlock(check: CheckResult, options: SummaryOptions): string[] {
  const loc = `${displayPath(check.location.file, options.cwd)}:${check.location.line}`;
  const out = [
    '',
    `#### ${VERDICT_MARK[check.verdict]} ${md(check.name)}`,
    '',
    md(`${samplesText(check)} · ${loc}`),
  ];
  const tooFew = checkTooFewText(check);
  if (tooFew) out.push('', md(tooFew));
  if (check.failures.length > 0) {
    const text = formatCheckFailures(check, { color: false, quiet: false, cwd: options.cwd });
    out.push(
      '',
      '<details><summary>failures and their traces</summary>',
      '',
      ...fenced(text),
      '',
      '</details>',
    );
  }
  return out;
}

/** A code block whose fence is longer than any backtick run inside, so nothing can close it. */
function fenced(text: string): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}text`, text.trimEnd(), fence];
}

/**
 * Text from spans and specs as literal Markdown: HTML is entity-escaped (GitHub renders
 * it), the punctuation that starts emphasis, code, links, tables and headings is
 * backslash-escaped, line breaks become spaces.
 */
export function md(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/[\\`*_[\]#|~]/g, '\\$&')
    .replace(/\r?\n|\r/g, ' ');
}

/** A table cell: `md`, and never empty (an empty cell is fine, but `–` reads better). */
function cell(text: string): string {
  return text === '' ? '–' : md(text);
}
