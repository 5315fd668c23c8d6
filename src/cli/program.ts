import { Command, CommanderError } from 'commander';
import { packageVersion } from '../package-files';
import { registerAnalyze } from './commands/analyze';
import { registerQuery } from './commands/query';
import { registerReceive } from './commands/receive';
import { registerRun } from './commands/run';
import { registerShow } from './commands/show';
import { registerValidate } from './commands/validate';
import { EXIT, reportError } from './errors';
import type { CliIO } from './io';

export type { CliIO, WritableLike } from './io';

/**
 * Run the tracespec command line in-process and return its exit code. Nothing here calls
 * process.exit or touches process.stdout: everything goes through `io`, so tests and
 * embedding tools (examples/demo.js) can run it and read what it printed.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message or the help; only the code is left.
      // Help and --version exit 0; `tracespec` with no command, an unknown option or a
      // missing argument are usage errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(error, io);
  }
}

function buildProgram(io: CliIO, done: (code: number) => void): Command {
  const program = new Command('tracespec');
  // Settings first: subcommands copy them when they are created.
  program
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Commander would measure the real process.stdout; measure the stream we write to.
      getOutHelpWidth: () => columns(io.stdout),
      getErrHelpWidth: () => columns(io.stderr),
      // Commander's messages start with "error: "; ours start with the program's name,
      // like every other line tracespec writes to stderr.
      outputError: (text, write) => write(`tracespec: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(see tracespec --help)')
    .helpCommand(false)
    .description(
      'Turn OpenTelemetry traces into tests: print, query and analyse trace files, receive them over OTLP, and gate CI on YAML trace specs.',
    )
    .version(packageVersion(), '-V, --version', 'print the tracespec version')
    .helpOption('-h, --help', 'print this help')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ tracespec show traces/checkout.json\n' +
        "  $ tracespec query traces/ --select '{ status = error }'\n" +
        '  $ tracespec analyze traces/ --graph mermaid\n' +
        '  $ tracespec run specs/checkout.yaml --reporter junit=report.xml\n' +
        '  $ tracespec receive --out traces.jsonl\n' +
        '\nExit codes: 0 ok; 1 nothing matched (query) or a check failed (run);\n' +
        '2 invalid spec, unreadable input or bad usage.',
    );
  registerShow(program, io, done);
  registerQuery(program, io, done);
  registerAnalyze(program, io, done);
  registerRun(program, io, done);
  registerValidate(program, io, done);
  registerReceive(program, io, done);
  return program;
}

/** A terminal's width, or 80 for pipes, files and test streams. */
function columns(stream: object): number {
  const width = (stream as { columns?: unknown }).columns;
  return typeof width === 'number' && width > 0 ? width : 80;
}
