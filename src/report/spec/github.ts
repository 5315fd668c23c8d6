/**
 * The `github` reporter's annotations: workflow commands that GitHub Actions turns into
 * error and warning marks on the spec file's lines in a pull request.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */

import type { CheckFailure, CheckResult, RunResult, SpecResult, Verdict } from '../../spec/result';
import type { SpecLocation } from '../../spec/types';
import { plural } from '../text';
import { checkTooFewText, samplesText } from './checks';
import { displayPath, tally, warnOnlyText } from './format';
import { sloProblems } from './slos';

export interface AnnotationOptions {
  /** Annotations name files relative to the repository root, the workflow's directory. */
  readonly cwd: string;
}

/** Every annotation of a run, one workflow command per line, ending with a newline (or empty). */
export function formatAnnotations(run: RunResult, options: AnnotationOptions): string {
  const lines: string[] = [];
  for (const spec of run.specs) {
    for (const slo of spec.slos) {
      for (const problem of sloProblems(slo)) {
        const examples = problem.examples
          .slice(0, 3)
          .map((e) => `e.g. trace ${e.traceId} span ${e.spanId} "${e.name}"`);
        lines.push(
          annotation(problem.verdict, slo.location, options, `${spec.name}: ${problem.label}`, [
            ...problem.reasons,
            ...examples,
          ]),
        );
      }
    }
    for (const check of spec.checks) lines.push(...checkAnnotations(spec, check, options));
  }
  const downgrade = warnOnlyText(run);
  if (downgrade && tally(run.specs, true).downgraded > 0) {
    lines.push(
      `::notice title=${escapeProperty('tracespec --warn-only')}::${escapeData(downgrade)}`,
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/**
 * One annotation per assertion line that broke, not one per failing trace: GitHub shows
 * only the first few annotations of a step, and a hundred copies of one message would
 * hide every other check.
 */
function checkAnnotations(
  spec: SpecResult,
  check: CheckResult,
  options: AnnotationOptions,
): string[] {
  if (check.verdict === 'pass') return [];
  const title = `${spec.name}: ${check.name}`;
  const out: string[] = [];
  const tooFew = checkTooFewText(check);
  if (tooFew) out.push(annotation(check.verdict, check.location, options, title, [tooFew]));

  const byLocation = new Map<string, CheckFailure[]>();
  for (const failure of check.failures) {
    const loc = failure.location;
    const key = `${loc.file}:${loc.line}:${loc.column}`;
    const list = byLocation.get(key);
    if (list) list.push(failure);
    else byLocation.set(key, [failure]);
  }
  for (const failures of byLocation.values()) {
    const first = failures[0] as CheckFailure;
    const where = !first.trace
      ? 'over all traces'
      : first.scope
        ? `in trace ${first.trace.traceId}, span ${first.scope.spanId} "${first.scope.name}"`
        : `in trace ${first.trace.traceId}`;
    const lines = [first.message, where];
    if (failures.length > 1) {
      lines.push(`and ${plural(failures.length - 1, 'more scope')} broke this assertion`);
    }
    lines.push(`${samplesText(check)}; the log has each trace as a tree`);
    out.push(annotation(check.verdict, first.location, options, title, lines));
  }
  if (out.length === 0) {
    // A verdict without a stated reason must still be seen.
    out.push(annotation(check.verdict, check.location, options, title, [samplesText(check)]));
  }
  return out;
}

function annotation(
  verdict: Verdict,
  loc: SpecLocation,
  options: AnnotationOptions,
  title: string,
  lines: readonly string[],
): string {
  const command = verdict === 'fail' ? 'error' : 'warning';
  const properties = [
    `file=${escapeProperty(displayPath(loc.file, options.cwd))}`,
    `line=${loc.line}`,
    `col=${loc.column}`,
    `title=${escapeProperty(title)}`,
  ];
  return `::${command} ${properties.join(',')}::${escapeData(lines.join('\n'))}`;
}

/** As @actions/core escapes a command's message. */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** As @actions/core escapes a command's property values: also `:` and `,`, its separators. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
