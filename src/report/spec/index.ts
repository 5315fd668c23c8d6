/**
 * The reporters of `tracespec run`: each one describes a {@link RunResult} (the verdicts are
 * already decided) on stdout or in a file, chosen with `--reporter name[=path]`.
 */

import { resolve } from 'node:path';
import type { WritableLike } from '../../cli/io';
import { InputError } from '../../errors';
import { packageVersion } from '../../package-files';
import { didYouMean, nearest } from '../../query/errors';
import type { RunResult } from '../../spec/result';
import { formatConsoleReport } from './console';
import { formatAnnotations } from './github';
import { toReportJson } from './json';
import { formatJunitReport } from './junit';
import { append, emit, type Target } from './output';
import { formatStepSummary } from './summary';

export { type ConsoleOptions, formatCheckFailures, formatConsoleReport } from './console';
export { escapeData, escapeProperty, formatAnnotations } from './github';
export * from './json';
export { formatJunitReport, type JunitOptions } from './junit';
export { formatStepSummary } from './summary';

export interface ReporterIO {
  stdout: WritableLike;
  env: NodeJS.ProcessEnv;
  /** Colour the console reporter on stdout (never in a file). */
  color: boolean;
  /** Relative report paths are resolved against this, and spec paths shown relative to it. */
  cwd: string;
  /** Console: only what did not pass, and the summary. */
  quiet: boolean;
}

export interface Reporter {
  /** The `--reporter` value it was made from, e.g. `junit=report.xml`. */
  readonly name: string;
  report(result: RunResult): Promise<void>;
}

type ReporterKind = 'console' | 'json' | 'junit' | 'github';

const KINDS: readonly ReporterKind[] = ['console', 'json', 'junit', 'github'];

/** A file name to suggest in messages, per reporter. */
const EXAMPLE_FILE: Readonly<Record<ReporterKind, string>> = {
  console: 'tracespec.txt',
  json: 'tracespec.json',
  junit: 'report.xml',
  github: '',
};

const USAGE = 'console, console=<file>, json, json=<file>, junit=<file> or github';

interface Parsed {
  readonly kind: ReporterKind;
  readonly text: string;
  readonly target: Target;
}

/**
 * Reporters from `--reporter` values: `console`, `console=path`, `json`, `json=path`,
 * `junit=path`, `github`. None given means `console` on stdout. Throws an InputError with
 * the fix for an unknown name, a missing or misplaced path, two reporters writing stdout
 * in a way that would mix their output, or two reporters writing one file.
 */
export function createReporters(specs: readonly string[], io: ReporterIO): Reporter[] {
  const parsed = (specs.length > 0 ? specs : ['console']).map((spec) => parse(spec, io.cwd));
  checkConflicts(parsed);
  return parsed.map((p) => build(p, io));
}

function parse(spec: string, cwd: string): Parsed {
  const text = spec.trim();
  const fail = (reason: string): never => {
    throw new InputError({}, `--reporter ${JSON.stringify(spec)}: ${reason}`);
  };
  const eq = text.indexOf('=');
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  const path = eq < 0 ? undefined : text.slice(eq + 1).trim();
  if (name === '') fail(`no reporter name; use ${USAGE}`);
  const kind = KINDS.find((k) => k === name);
  if (!kind) {
    fail(`unknown reporter "${name}"${didYouMean(nearest(name, KINDS))} (reporters: ${USAGE})`);
  }
  const k = kind as ReporterKind;

  if (k === 'github') {
    if (path !== undefined) {
      fail(
        'github writes workflow commands to stdout, where GitHub Actions reads them, and its summary to $GITHUB_STEP_SUMMARY; write --reporter github, without a file',
      );
    }
    return { kind: k, text, target: { kind: 'stdout' } };
  }
  if (path === undefined) {
    if (k === 'junit')
      fail(`junit writes a file; give it one: --reporter junit=${EXAMPLE_FILE.junit}`);
    return { kind: k, text, target: { kind: 'stdout' } };
  }
  if (path === '') fail(`no file after "="; write --reporter ${k}=${EXAMPLE_FILE[k]}`);
  if (/[\\/]$/.test(path as string)) {
    fail(`"${path}" is a folder; name the file in it: --reporter ${k}=${path}${EXAMPLE_FILE[k]}`);
  }
  const given = path as string;
  return { kind: k, text, target: { kind: 'file', path: resolve(cwd, given), given } };
}

function checkConflicts(parsed: readonly Parsed[]): void {
  const seen = new Set<string>();
  for (const p of parsed) {
    if (seen.has(p.text)) {
      throw new InputError({}, `--reporter ${p.text} is given twice; give it once`);
    }
    seen.add(p.text);
  }

  // Annotations are lines GitHub picks out of any log, so they may share stdout with the
  // console report; a JSON document shares it with nothing, or it would not parse.
  const onStdout = parsed.filter((p) => p.target.kind === 'stdout');
  const json = onStdout.find((p) => p.kind === 'json');
  const consoles = onStdout.filter((p) => p.kind === 'console');
  if (json && onStdout.length > 1) {
    const other = onStdout.find((p) => p !== json) as Parsed;
    throw new InputError(
      {},
      `--reporter json and --reporter ${other.text} both write to stdout, where the JSON would not parse; give json a file: --reporter json=${EXAMPLE_FILE.json}`,
    );
  }
  if (consoles.length > 1) {
    throw new InputError(
      {},
      `--reporter console is given twice on stdout; give one of them a file: --reporter console=${EXAMPLE_FILE.console}`,
    );
  }

  const byPath = new Map<string, Parsed>();
  for (const p of parsed) {
    if (p.target.kind !== 'file') continue;
    const earlier = byPath.get(p.target.path);
    if (earlier) {
      throw new InputError(
        {},
        `--reporter ${earlier.text} and --reporter ${p.text} both write ${p.target.given}; give each its own file`,
      );
    }
    byPath.set(p.target.path, p);
  }
}

function build(p: Parsed, io: ReporterIO): Reporter {
  const { target } = p;
  const toFile = target.kind === 'file';
  switch (p.kind) {
    case 'console':
      return reporter(p, (run) => {
        // A file is read later, maybe in a browser: ANSI codes would be noise there.
        const options = { color: io.color && !toFile, quiet: io.quiet, cwd: io.cwd };
        return emit(target, formatConsoleReport(run, options), io.stdout, 'console report');
      });
    case 'json':
      return reporter(p, (run) => {
        const version = packageVersion();
        const json = toReportJson(run, version === 'unknown' ? undefined : version);
        const text = `${JSON.stringify(json, null, 2)}\n`;
        return emit(target, text, io.stdout, 'JSON report');
      });
    case 'junit':
      return reporter(p, (run) =>
        emit(target, formatJunitReport(run, { cwd: io.cwd }), io.stdout, 'JUnit report'),
      );
    case 'github':
      return reporter(p, async (run) => {
        io.stdout.write(formatAnnotations(run, { cwd: io.cwd }));
        const summary = io.env.GITHUB_STEP_SUMMARY;
        if (summary) {
          const path = resolve(io.cwd, summary);
          await append(path, formatStepSummary(run, { cwd: io.cwd }), 'GitHub step summary');
        }
      });
  }
}

function reporter(p: Parsed, report: (run: RunResult) => Promise<void>): Reporter {
  return { name: p.text, report };
}
