import { Option } from 'commander';
import { loadTraces } from '../ingest';
import type { Trace } from '../model';
import type { CliIO } from './io';

/** What `--format` accepts; `auto` lets the loader recognise each file. */
export const FORMAT_CHOICES = ['auto', 'otlp-json', 'jaeger-json', 'zipkin-json'] as const;
export type FormatChoice = (typeof FORMAT_CHOICES)[number];

/** `--format`, the same for every command that reads traces. */
export function formatOption(): Option {
  return new Option('--format <format>', 'trace format of the input; auto recognises each file')
    .choices(FORMAT_CHOICES)
    .default('auto');
}

/**
 * Load every trace from the files, directories and globs on the command line. The loader's
 * warnings (skipped records, repaired values) go to stderr, where they do not mix with
 * output that may be piped into another tool.
 */
export function loadFromArgs(
  sources: readonly string[],
  format: FormatChoice,
  io: CliIO,
): Promise<Trace[]> {
  return loadTraces(sources, {
    format,
    // The loader draws its progress line on process.stderr itself: only let it when that
    // is where this run's messages go and a person is watching it.
    progress: io.stderr === process.stderr && process.stderr.isTTY === true,
    onWarning(message) {
      io.stderr.write(`tracespec: warning: ${message}\n`);
    },
  });
}
