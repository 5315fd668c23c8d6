/**
 * The `junit` reporter: JUnit XML as Jenkins, GitLab, Azure DevOps and the GitHub test
 * report actions read it. One testsuite per spec, one testcase per SLO group and per check;
 * a warning passes (its text in `<system-out>`), too few samples fails.
 */

import type { CheckResult, RunResult, SloResult, SpecResult, Verdict } from '../../spec/result';
import { checkTooFewText, samplesText } from './checks';
import { formatCheckFailures } from './console';
import { displayPath, formatMetric, sloLabel, warnOnlyText } from './format';
import { budgetText, sloProblems } from './slos';
import { xmlAttr, xmlText } from './xml';

export interface JunitOptions {
  /** Spec paths in `file` attributes are made relative to this, as CI servers link them. */
  readonly cwd: string;
}

interface TestCase {
  readonly name: string;
  readonly line: number;
  readonly verdict: Verdict;
  /** Failure kind for `type=`: `budget`, `too_few_samples`, or the assertion that broke. */
  readonly type: string;
  /** One line for `message=`. */
  readonly message: string;
  /** Everything else: reasons, trace ids, trees. */
  readonly details: string;
}

/** The whole JUnit document, ending with a newline. */
export function formatJunitReport(run: RunResult, options: JunitOptions): string {
  const suites = run.specs.map((spec) => ({ spec, cases: testCases(spec, options) }));
  const count = (cases: readonly TestCase[]) => cases.filter((t) => t.verdict === 'fail').length;
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + count(s.cases), 0);

  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="tracespec" tests="${tests}" failures="${failures}" errors="0" skipped="0">`,
  );
  for (const { spec, cases } of suites) {
    const file = displayPath(spec.file, options.cwd);
    out.push(
      `  <testsuite name="${xmlAttr(spec.name)}" tests="${cases.length}" failures="${count(cases)}" errors="0" skipped="0" file="${xmlAttr(file)}">`,
    );
    out.push('    <properties>');
    const property = (name: string, value: string) =>
      out.push(`      <property name="${name}" value="${xmlAttr(value)}"/>`);
    property('traces', String(spec.traceCount));
    property('spans', String(spec.spanCount));
    for (const source of spec.sources) property('source', displayPath(source, options.cwd));
    if (run.warnOnly) property('warn-only', warnOnlyText(run) ?? '');
    out.push('    </properties>');
    for (const testCase of cases) out.push(...caseXml(spec, file, testCase));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

function caseXml(spec: SpecResult, file: string, t: TestCase): string[] {
  const open = `    <testcase classname="${xmlAttr(spec.name)}" name="${xmlAttr(t.name)}" file="${xmlAttr(file)}" line="${t.line}"`;
  if (t.verdict === 'pass' && t.details === '') return [`${open}/>`];
  const body =
    t.verdict === 'fail'
      ? `      <failure message="${xmlAttr(t.message)}" type="${xmlAttr(t.type)}">${xmlText(t.details)}</failure>`
      : `      <system-out>${xmlText(t.details)}</system-out>`;
  return [`${open}>`, body, '    </testcase>'];
}

function testCases(spec: SpecResult, options: JunitOptions): TestCase[] {
  return [
    ...spec.slos.flatMap((slo) => sloCases(slo)),
    ...spec.checks.map((check) => checkCase(check, options)),
  ];
}

function sloCases(slo: SloResult): TestCase[] {
  const problems = new Map(sloProblems(slo).map((p) => [p.label, p]));
  const groups = slo.groups.length > 0 ? slo.groups : [undefined];
  return groups.map((group) => {
    const label = sloLabel(slo, group);
    const verdict = group?.verdict ?? slo.verdict;
    const problem = problems.get(label);
    const lines: string[] = [];
    if (verdict !== 'pass') lines.push(`${verdict === 'warn' ? 'warning' : 'failed'}: ${label}`);
    lines.push(...(problem?.reasons ?? []));
    for (const outcome of group?.budgets ?? []) {
      lines.push(
        `${outcome.pass ? 'ok  ' : 'FAIL'} ${outcome.metric} = ${formatMetric(outcome.metric, outcome.measured)} (budget ${budgetText(outcome)}, ${group?.samples ?? 0} samples)`,
      );
    }
    for (const example of problem?.examples ?? []) {
      lines.push(`example: trace ${example.traceId} span ${example.spanId} "${example.name}"`);
    }
    lines.push(`selector: ${slo.selector}`);
    const tooFew = group === undefined || group.tooFewSamples !== undefined;
    const reasons = problem?.reasons ?? [];
    return {
      name: `SLO ${label}`,
      line: slo.location.line,
      verdict,
      type: tooFew ? 'too_few_samples' : 'budget',
      message: firstOf(reasons, verdict),
      // A passing SLO says nothing more: its numbers are in the JSON report.
      details: verdict === 'pass' ? '' : `${lines.join('\n')}\n`,
    };
  });
}

function checkCase(check: CheckResult, options: JunitOptions): TestCase {
  const lines: string[] = [];
  const tooFew = checkTooFewText(check);
  if (check.verdict !== 'pass') {
    lines.push(`${check.verdict === 'warn' ? 'warning' : 'failed'}: ${samplesText(check)}`);
    if (tooFew) lines.push(tooFew);
    if (check.failures.length > 0) {
      lines.push('', formatCheckFailures(check, { color: false, quiet: false, cwd: options.cwd }));
    }
  }
  const first = check.failures[0];
  const messages = [...(tooFew ? [tooFew] : []), ...check.failures.map((f) => f.message)];
  return {
    name: `check ${check.name}`,
    line: check.location.line,
    verdict: check.verdict,
    type: first ? first.assertion : 'too_few_samples',
    message: firstOf(messages, check.verdict),
    details: lines.length > 0 ? `${lines.join('\n').trimEnd()}\n` : '',
  };
}

/** The first reason's first line, and how many more there are. */
function firstOf(reasons: readonly string[], verdict: Verdict): string {
  const first = reasons[0];
  if (first === undefined) return verdict === 'pass' ? '' : verdict;
  const line = first.split('\n')[0] as string;
  return reasons.length > 1 ? `${line} (and ${reasons.length - 1} more)` : line;
}
