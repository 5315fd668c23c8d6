import type { Command } from 'commander';
import type { Span, Trace } from '../../model';
import { select } from '../../query';
import { formatTraceHeader, formatTraceIssues, formatTraceTree, MATCH_MARK } from '../../report';
import { plural } from '../../report/text';
import { EXIT } from '../errors';
import { type CliIO, colorEnabled } from '../io';
import { type FormatChoice, formatOption, loadFromArgs } from '../load';
import { wholeNumber } from '../numbers';
import { parseSelectOption } from '../selector';
import { filterTraces, parseTraceIdPrefix } from '../trace-filter';

export interface ShowOptions {
  readonly trace?: readonly string[];
  readonly select?: string;
  readonly format: FormatChoice;
  /** 0 for no limit. */
  readonly maxSpans: number;
}

/** Enough for any request a person reads in a terminal; big batch traces are cut. */
const DEFAULT_MAX_SPANS = 500;

export function registerShow(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('show')
    .showHelpAfterError('(see tracespec show --help)')
    .summary('print traces as trees')
    .description(
      'Print each trace as a tree of spans, one `name [service] (duration)` line each, with ' +
        'errors marked and repaired problems (orphan spans, clock skew) listed as warnings.',
    )
    .argument('<files...>', 'trace files, directories or globs (OTLP/JSON, Jaeger, Zipkin)')
    .option(
      '--trace <id>',
      'only the trace with this id or id prefix (repeatable)',
      collectTraceIds,
    )
    .option('--select <query>', 'only traces with a span matching the TraceQL query; marks them')
    .addOption(formatOption())
    .option(
      '--max-spans <n>',
      'print at most n spans per trace, 0 for all',
      wholeNumber(0, ', 0 for all'),
      DEFAULT_MAX_SPANS,
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ tracespec show traces/checkout.json\n' +
        "  $ tracespec show traces/ --select '{ status = error }'\n" +
        '  $ tracespec show traces/run.jsonl --trace 4bf92f35',
    )
    .action(async (files: string[], options: ShowOptions) => {
      done(await show(files, options, io));
    });
}

function collectTraceIds(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), parseTraceIdPrefix(value)];
}

export async function show(files: string[], options: ShowOptions, io: CliIO): Promise<number> {
  // Parse the query before reading possibly large files: a typo should fail at once.
  const selector = options.select === undefined ? undefined : parseSelectOption(options.select);
  let traces = await loadFromArgs(files, options.format, io);
  if (traces.length === 0) {
    io.stderr.write(`tracespec: no traces found in ${files.join(', ')}\n`);
    return EXIT.nothing;
  }
  if (options.trace && options.trace.length > 0) traces = filterTraces(traces, options.trace);

  const color = colorEnabled(io);
  const maxSpans = options.maxSpans === 0 ? undefined : options.maxSpans;
  // One write per trace: a file of thousands of traces starts printing at once and is
  // never held in memory as one string.
  let shown = 0;
  let matchedSpans = 0;
  for (const trace of traces) {
    let highlight: ((span: Span) => boolean) | undefined;
    if (selector) {
      const matches = new Set(select(trace, selector));
      if (matches.size === 0) continue;
      matchedSpans += matches.size;
      highlight = (span) => matches.has(span);
    }
    io.stdout.write(
      `${shown > 0 ? '\n' : ''}${renderTrace(trace, { color, highlight, maxSpans })}\n`,
    );
    shown++;
  }

  if (options.select !== undefined) {
    const summary =
      shown === 0
        ? `no span matches ${options.select} in ${plural(traces.length, 'trace')}`
        : `${shown} of ${plural(traces.length, 'trace')} ${shown === 1 ? 'has' : 'have'} spans matching ${options.select} (${plural(matchedSpans, 'span')}, marked ${MATCH_MARK})`;
    io.stdout.write(`${shown > 0 ? '\n' : ''}${summary}\n`);
  }
  return shown > 0 ? EXIT.ok : EXIT.nothing;
}

function renderTrace(
  trace: Trace,
  options: {
    color: boolean;
    highlight: ((span: Span) => boolean) | undefined;
    maxSpans: number | undefined;
  },
): string {
  const parts = [
    formatTraceHeader(trace, { color: options.color }),
    formatTraceTree(trace, options),
  ];
  const issues = formatTraceIssues(trace, { color: options.color });
  if (issues !== '') parts.push(issues);
  return parts.join('\n');
}
