/** The `console` reporter: what a person reads in a terminal or a CI log. */

import { createColors } from 'picocolors';
import { formatDuration, type Span } from '../../model';
import type {
  CheckResult,
  RunResult,
  SloResult,
  SpanPointer,
  SpecResult,
  Verdict,
} from '../../spec/result';
import { type Cell, formatTable } from '../table';
import { plural, printable } from '../text';
import { formatTraceTree } from '../tree';
import {
  checkTooFewText,
  type FailedScope,
  failedScopes,
  samplesText,
  scopeNoun,
  scopeText,
} from './checks';
import { displayPath, tally, tallyText, VERDICT_MARK, verdictWords, warnOnlyText } from './format';
import { sloProblems, sloRows } from './slos';

export interface ConsoleOptions {
  readonly color: boolean;
  /** Only what did not pass, and the summary. */
  readonly quiet: boolean;
  /** Spec paths are shown relative to this. */
  readonly cwd: string;
}

/** Failed scopes shown per check: enough to see a pattern, few enough to find the next check. */
const MAX_SCOPES = 3;
/** Spans per failing trace: a request fits, a batch job is cut with a count of what is hidden. */
const MAX_TREE_SPANS = 40;
const MAX_EXAMPLES = 3;
const MAX_SOURCES = 3;
/** SLO labels with group keys run long; past this one row may go out of line, not all. */
const MAX_LABEL_WIDTH = 64;

type Colors = ReturnType<typeof createColors>;

/** The whole console report, ending with a newline. */
export function formatConsoleReport(run: RunResult, options: ConsoleOptions): string {
  const c = createColors(options.color);
  const out = new Writer(c, options);
  for (const spec of run.specs) {
    if (options.quiet && spec.verdict === 'pass') continue;
    specSection(out, spec);
    out.blank();
  }
  summary(out, run);
  return out.text();
}

class Writer {
  readonly lines: string[] = [];
  constructor(
    readonly c: Colors,
    readonly options: ConsoleOptions,
  ) {}

  line(text = '', indent = 0): void {
    // Indent every line of a multi-line message, so that it stays under its heading.
    const pad = ' '.repeat(indent);
    for (const part of text.split('\n')) this.lines.push(part === '' ? '' : pad + part);
  }

  blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }

  verdict(verdict: Verdict, words = true): string {
    const text = words ? `${VERDICT_MARK[verdict]} ${verdict}` : VERDICT_MARK[verdict];
    return this.paint(verdict)(text);
  }

  paint(verdict: Verdict): (text: string) => string {
    return verdict === 'pass' ? this.c.green : verdict === 'warn' ? this.c.yellow : this.c.red;
  }

  path(file: string): string {
    return displayPath(file, this.options.cwd);
  }

  text(): string {
    while (this.lines[this.lines.length - 1] === '') this.lines.pop();
    return `${this.lines.join('\n')}\n`;
  }
}

function specSection(out: Writer, spec: SpecResult): void {
  const { c } = out;
  out.line(
    `${out.verdict(spec.verdict, false)} ${c.bold(printable(spec.name))}  ${c.dim(out.path(spec.file))}`,
  );
  out.line(c.dim(readText(spec, out)), 2);
  if (spec.slos.length > 0) sloSection(out, spec.slos);
  if (spec.checks.length > 0) checkSection(out, spec.checks);
}

function readText(spec: SpecResult, out: Writer): string {
  let text = `read ${plural(spec.traceCount, 'trace')} and ${plural(spec.spanCount, 'span')}`;
  if (spec.sources.length > 0) {
    const shown = spec.sources.slice(0, MAX_SOURCES).map((s) => out.path(s));
    const rest = spec.sources.length - shown.length;
    text += ` from ${shown.join(', ')}${rest > 0 ? ` and ${plural(rest, 'more file')}` : ''}`;
  }
  return text;
}

function sloSection(out: Writer, slos: readonly SloResult[]): void {
  const { c, options } = out;
  const rows: Cell[][] = [];
  for (const slo of slos) {
    let previous: string | undefined;
    for (const row of sloRows(slo)) {
      if (options.quiet && row.verdict === 'pass') continue;
      // The label once per group: its budgets read as one block.
      const label = row.label === previous ? '' : printable(row.label);
      previous = row.label;
      rows.push([
        { text: `${VERDICT_MARK[row.verdict]} ${row.verdict}`, paint: out.paint(row.verdict) },
        { text: label },
        { text: row.metric },
        { text: row.measured, paint: row.verdict === 'pass' ? undefined : out.paint(row.verdict) },
        { text: row.budget },
        { text: String(row.samples) },
      ]);
    }
  }
  if (rows.length === 0) return;
  out.blank();
  out.line(c.bold('SLOs'), 2);
  const table = formatTable(
    [
      { title: 'verdict' },
      { title: 'SLO', maxWidth: MAX_LABEL_WIDTH },
      { title: 'metric' },
      { title: 'measured', align: 'right' },
      { title: 'budget' },
      { title: 'samples', align: 'right' },
    ],
    rows,
    c.dim,
  );
  for (const line of table) out.line(line, 2);

  for (const slo of slos) {
    for (const problem of sloProblems(slo)) {
      out.blank();
      out.line(
        `${out.verdict(problem.verdict, false)} ${c.bold(printable(problem.label))}  ${c.dim(location(out, slo.location))}`,
        2,
      );
      for (const reason of problem.reasons) out.line(reason, 6);
      for (const example of problem.examples.slice(0, MAX_EXAMPLES)) {
        out.line(c.dim(`e.g. ${exampleText(example)}`), 6);
      }
    }
  }
}

function exampleText(span: SpanPointer): string {
  return `trace ${span.traceId} span ${span.spanId} "${printable(span.name)}" [${printable(span.service)}] ${formatDuration(span.durationNs)}`;
}

function location(out: Writer, loc: { file: string; line: number }): string {
  return `${out.path(loc.file)}:${loc.line}`;
}

function checkSection(out: Writer, checks: readonly CheckResult[]): void {
  const { c, options } = out;
  const shown = options.quiet ? checks.filter((check) => check.verdict !== 'pass') : checks;
  if (shown.length === 0) return;
  out.blank();
  out.line(c.bold('Checks'), 2);
  for (const check of shown) {
    const facts = [samplesText(check)];
    if (check.verdict !== 'pass') facts.push(c.dim(location(out, check.location)));
    out.line(
      `${out.verdict(check.verdict)}  ${c.bold(printable(check.name))}  ${facts.join('  ')}`,
      2,
    );
    const tooFew = checkTooFewText(check);
    if (tooFew) out.line(out.paint(check.verdict)(tooFew), 6);
    if (check.failures.length > 0) {
      failureDetails(out, check);
      out.blank();
    }
  }
}

function failureDetails(out: Writer, check: CheckResult, indent = 6): void {
  const { c } = out;
  const { scopes, more } = failedScopes(check, MAX_SCOPES);
  for (const scope of scopes) {
    out.blank();
    out.line(scopeText(scope), indent);
    for (const failure of scope.failures) {
      const where = c.dim(`${location(out, failure.location)}:`);
      out.line(`${where} ${c.bold(failure.assertion)}: ${failure.message}`, indent + 2);
    }
    if (!scope.trace) continue;
    const tree = formatTraceTree(scope.trace, {
      color: out.options.color,
      maxSpans: MAX_TREE_SPANS,
      mark: marks(scope),
    });
    out.line(tree, indent + 2);
  }
  if (more > 0) {
    const noun = scopeNoun(check);
    out.blank();
    out.line(c.dim(`… and ${more} more failed ${more === 1 ? noun : `${noun}s`}`), indent);
  }
}

/**
 * The failures of one check as the console shows them (the first scopes, each with its
 * messages, locations and marked trace tree), for reports that embed them as text.
 */
export function formatCheckFailures(check: CheckResult, options: ConsoleOptions): string {
  const out = new Writer(createColors(options.color), options);
  failureDetails(out, check, 0);
  return out.text().replace(/^\n+/, '');
}

/** `for_each` on the scope span; the broken assertions on the spans each one blamed. */
function marks(scope: FailedScope): (span: Span) => string | undefined {
  const notes = new Map<string, string[]>();
  const add = (spanId: string, note: string) => {
    const list = notes.get(spanId) ?? [];
    if (!list.includes(note)) list.push(note);
    notes.set(spanId, list);
  };
  if (scope.scope) add(scope.scope.spanId, 'for_each');
  for (const failure of scope.failures) {
    for (const span of failure.spans) add(span.spanId, failure.assertion);
  }
  return (span) => notes.get(span.spanId)?.join('; ');
}

function summary(out: Writer, run: RunResult): void {
  const { c, options } = out;
  for (const spec of run.specs) {
    if (options.quiet && spec.verdict === 'pass') continue;
    out.line(
      `${out.verdict(spec.verdict, false)} ${printable(spec.name)}: ${tallyText(tally([spec], run.warnOnly))}`,
    );
  }
  const downgrade = warnOnlyText(run);
  if (downgrade) out.line(c.yellow(downgrade));
  const total = tally(run.specs, run.warnOnly);
  const words = out.paint(run.verdict)(
    c.bold(`${VERDICT_MARK[run.verdict]} ${verdictWords(run.verdict)}`),
  );
  out.line(`${words}: ${plural(total.specs, 'spec')}, ${tallyText(total)}`);
}
