import { type Command, Option } from 'commander';
import {
  analyzeTraces,
  buildDependencyMap,
  formatDependencyDot,
  formatDependencyMermaid,
} from '../../analyze';
import { analysisToJson } from '../../report/analysis-json';
import { formatAnalysis } from '../../report/analysis-text';
import { plural } from '../../report/text';
import { EXIT } from '../errors';
import { type CliIO, colorEnabled } from '../io';
import { type FormatChoice, formatOption, loadFromArgs } from '../load';
import { wholeNumber } from '../numbers';
import { filterTraces, parseTraceIdPrefix } from '../trace-filter';

export interface AnalyzeOptions {
  readonly json?: boolean;
  readonly graph?: 'mermaid' | 'dot';
  readonly trace?: readonly string[];
  readonly minCalls: number;
  readonly maxTraces: number;
  readonly maxSpans: number;
  readonly format: FormatChoice;
}

export function registerAnalyze(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('analyze')
    .showHelpAfterError('(see tracespec analyze --help)')
    .summary('critical paths, error origins, N+1 calls, the service map and capacity')
    .description(
      'Explain traces: each trace with its critical path marked, where its failure started ' +
        'and how it travelled, repeated serial calls (N+1); then the service map with calls, ' +
        'errors and p95 per edge, time per service (capacity) and what the slowest traces wait on.',
    )
    .argument('<files...>', 'trace files, directories or globs (OTLP/JSON, Jaeger, Zipkin)')
    .option('--json', 'print one JSON document (see the README for its shape)')
    .addOption(
      new Option(
        '--graph <format>',
        'print only the service map, as a Mermaid or Graphviz DOT graph',
      ).choices(['mermaid', 'dot']),
    )
    .option(
      '--trace <id>',
      'only the trace with this id or id prefix (repeatable)',
      collectTraceIds,
    )
    .option('--min-calls <n>', 'fewest calls that make a repeated serial group', wholeNumber(2), 5)
    .option(
      '--max-traces <n>',
      'print at most n traces as trees, 0 for all',
      wholeNumber(0, ', 0 for all'),
      10,
    )
    .option(
      '--max-spans <n>',
      'print at most n spans per tree, 0 for all',
      wholeNumber(0, ', 0 for all'),
      200,
    )
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ tracespec analyze traces/run.jsonl\n' +
        '  $ tracespec analyze traces/ --graph mermaid > service-map.mmd\n' +
        "  $ tracespec analyze traces/ --json | jq '.traces[] | select(.errorOrigin) | .errorOrigin'",
    )
    .action(async (files: string[], options: AnalyzeOptions) => {
      done(await analyze(files, options, io));
    });
}

export async function analyze(
  files: string[],
  options: AnalyzeOptions,
  io: CliIO,
): Promise<number> {
  let traces = await loadFromArgs(files, options.format, io);
  if (options.trace && options.trace.length > 0) traces = filterTraces(traces, options.trace);
  if (traces.length === 0) {
    io.stderr.write(`tracespec: no traces found in ${files.join(', ')}\n`);
    return EXIT.nothing;
  }
  if (options.graph) {
    // The graph needs only the service map: no critical paths, N+1 groups or capacity.
    const map = buildDependencyMap(traces);
    io.stdout.write(
      `${options.graph === 'dot' ? formatDependencyDot(map) : formatDependencyMermaid(map)}\n`,
    );
    return EXIT.ok;
  }
  const analysis = analyzeTraces(traces, { minRepeatedCalls: options.minCalls });
  if (options.json) {
    io.stdout.write(`${JSON.stringify(analysisToJson(analysis), null, 2)}\n`);
    return EXIT.ok;
  }
  const limit = options.maxTraces === 0 ? analysis.traces.length : options.maxTraces;
  const shown = { ...analysis, traces: analysis.traces.slice(0, limit) };
  let text = formatAnalysis(shown, {
    color: colorEnabled(io),
    maxSpans: options.maxSpans,
    maxRows: 20,
  });
  const rest = analysis.traces.length - shown.traces.length;
  if (rest > 0) {
    text += `\n(${plural(rest, 'more trace')} not drawn: --max-traces 0 draws all, --trace <id> picks one, --json has every one)\n`;
  }
  io.stdout.write(text);
  return EXIT.ok;
}

function collectTraceIds(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), parseTraceIdPrefix(value)];
}
