import type { Command } from 'commander';
import { createReporters } from '../../report/spec';
import { createBaseline, readBaseline, writeBaseline } from '../../slo';
import { loadSpecs, runSpecs } from '../../spec';
import { EXIT } from '../errors';
import { type CliIO, colorEnabled } from '../io';
import { type FormatChoice, formatOption } from '../load';

export interface RunCommandOptions {
  readonly traces?: readonly string[];
  readonly format: FormatChoice;
  readonly reporter: readonly string[];
  readonly baseline?: string;
  readonly saveBaseline?: string;
  readonly warnOnly?: boolean;
  readonly quiet?: boolean;
  readonly saveTraces?: string;
}

export function registerRun(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('run')
    .showHelpAfterError('(see tracespec run --help)')
    .summary('run YAML trace specs: SLO budgets and per-trace checks')
    .description(
      'Run trace specs over their traces and report every SLO and check. Exit codes: 0 every ' +
        'check passed (warnings allowed), 1 a check failed, 2 invalid spec, unreadable traces ' +
        'or bad usage.',
    )
    .argument('<specs...>', 'spec files, or folders of them (*.yaml, *.yml)')
    .option('--traces <files...>', "trace files or globs for every spec, instead of the specs' own")
    .addOption(formatOption())
    .option(
      '--reporter <name[=path]>',
      'console, json, junit=path, github; repeatable (default: console)',
      collect,
    )
    .option('--baseline <file>', 'compare `regression:` budgets with this saved baseline')
    .option('--save-baseline <file>', "store every SLO's measured values in this file")
    .option(
      '--save-traces <dir>',
      'write the traces triggered specs receive to <dir>/<spec name>.jsonl (OTLP JSON Lines)',
    )
    .option('--warn-only', 'report failures as warnings and exit 0')
    .option('--quiet', 'print only what broke, and the summary')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ tracespec run specs/checkout.yaml\n' +
        '  $ tracespec run specs/ --traces traces/run.jsonl --reporter console --reporter junit=report.xml\n' +
        '  $ tracespec run specs/ --baseline baseline.json --save-baseline next-baseline.json',
    )
    .action(async (specs: string[], options: RunCommandOptions) => {
      done(await runCommand(specs, options, io));
    });
}

export async function runCommand(
  files: readonly string[],
  options: RunCommandOptions,
  io: CliIO,
): Promise<number> {
  const cwd = process.cwd();
  // Everything the run needs is checked before any trace is read: a typo in a reporter
  // or a missing baseline must not cost a long load first.
  const reporters = createReporters(options.reporter ?? ['console'], {
    stdout: io.stdout,
    env: io.env,
    color: colorEnabled(io),
    cwd,
    quiet: options.quiet === true,
  });
  const specs = await loadSpecs(files, { env: io.env, cwd });
  const baseline =
    options.baseline === undefined ? undefined : await readBaseline(options.baseline);
  const result = await runSpecs(specs, {
    traces: options.traces,
    format: options.format === 'auto' ? undefined : options.format,
    baseline,
    warnOnly: options.warnOnly === true,
    ...(options.saveTraces !== undefined ? { saveTraces: options.saveTraces } : {}),
    cwd,
    onWarning: (message) => io.stderr.write(`tracespec: warning: ${message}\n`),
  });
  for (const reporter of reporters) await reporter.report(result);
  if (options.saveBaseline !== undefined) {
    await writeBaseline(options.saveBaseline, createBaseline(result.specs));
  }
  return result.verdict === 'fail' ? EXIT.nothing : EXIT.ok;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
