import type { Command } from 'commander';
import { select } from '../../query';
import { formatSpanList, spanToJson } from '../../report';
import { plural } from '../../report/text';
import { EXIT } from '../errors';
import { type CliIO, colorEnabled } from '../io';
import { type FormatChoice, formatOption, loadFromArgs } from '../load';
import { parseSelectOption } from '../selector';

export interface QueryOptions {
  readonly select: string;
  readonly json?: boolean;
  readonly format: FormatChoice;
}

export function registerQuery(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('query')
    .showHelpAfterError('(see tracespec query --help)')
    .summary('list the spans a TraceQL query matches')
    .description(
      'List every span that matches a TraceQL query, one line each, or as JSON. ' +
        'Exits 0 when a span matched, 1 when none did, 2 on bad input.',
    )
    .argument('<files...>', 'trace files, directories or globs (OTLP/JSON, Jaeger, Zipkin)')
    .requiredOption('--select <query>', "TraceQL query, e.g. '{ status = error }'")
    .option('--json', 'print one JSON array of the matching spans')
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ tracespec query traces/ --select \'{ name = "POST /api/checkout" } >> { status = error }\'\n' +
        '  $ tracespec query traces/ --select \'{ span.db.system.name = "postgresql" } | count() > 3\' --json',
    )
    .action(async (files: string[], options: QueryOptions) => {
      done(await query(files, options, io));
    });
}

export async function query(files: string[], options: QueryOptions, io: CliIO): Promise<number> {
  const selector = parseSelectOption(options.select);
  const traces = await loadFromArgs(files, options.format, io);
  const spans = select(traces, selector);

  if (options.json) {
    io.stdout.write(`${JSON.stringify(spans.map(spanToJson), null, 2)}\n`);
  } else {
    const traceCount = new Set(spans.map((span) => span.traceId)).size;
    const summary =
      spans.length === 0
        ? `no span matched ${options.select} in ${plural(traces.length, 'trace')}`
        : `${plural(spans.length, 'span')} matched in ${traceCount} of ${plural(traces.length, 'trace')}`;
    const list = formatSpanList(spans, { color: colorEnabled(io) });
    io.stdout.write(list === '' ? `${summary}\n` : `${list}\n\n${summary}\n`);
  }
  return spans.length > 0 ? EXIT.ok : EXIT.nothing;
}
