import { InputError } from '../errors';
import type { CliIO } from './io';

/** Exit codes, as every tracespec command uses them. */
export const EXIT = {
  /** The command did what was asked and found something. */
  ok: 0,
  /** Ran fine, but nothing matched (or, for checks, something failed). */
  nothing: 1,
  /** Bad command line, trace file or selector; or tracespec itself failed. */
  usage: 2,
} as const;

/**
 * Report an error thrown while running a command and return the exit code.
 *
 * Bad input (an InputError: unreadable file, bad selector) is the user's to fix, so it is
 * one `tracespec: <message>` block with the location the message already starts with.
 * Anything else is a bug in tracespec; it still gets a one-line message rather than a stack
 * trace in someone's CI log, with the way to get the stack when they report it.
 */
export function reportError(error: unknown, io: CliIO): number {
  const debug = isDebug(io.env);
  if (error instanceof InputError) {
    // A spec with several problems lists them all, one `file:line:column: what` each.
    const problems = (error as { problems?: readonly InputError[] }).problems ?? [error];
    for (const problem of problems) io.stderr.write(`tracespec: ${problem.message}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`tracespec: internal error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write('tracespec: this is a bug; set TRACESPEC_DEBUG=1 to see the stack trace\n');
  return EXIT.usage;
}

function isDebug(env: NodeJS.ProcessEnv): boolean {
  const value = env.TRACESPEC_DEBUG;
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}
