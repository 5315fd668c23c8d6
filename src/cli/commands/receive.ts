import { type Command, InvalidArgumentError, Option } from 'commander';
import { InputError } from '../../errors';
import {
  DEFAULT_HOST,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  type Receiver,
  startReceiver,
} from '../../receiver';
import { EXIT, reportError } from '../errors';
import type { CliIO } from '../io';

export interface ReceiveOptions {
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly out?: string;
  readonly maxBody: number;
}

/** Where the stop signals come from: the process, or a test that sends its own. */
export interface SignalSource {
  /** Calls `listener` with each stop signal's name; returns the function that stops listening. */
  listen(listener: (signal: string) => void): () => void;
}

export interface ReceiveDeps {
  readonly signals?: SignalSource;
  /** Told once the receiver listens: tests read its URL and counters from it. */
  readonly onListening?: (receiver: Receiver) => void;
}

/** SIGINT and SIGTERM of this process. */
export const processSignals: SignalSource = {
  listen(listener) {
    const onInt = (): void => listener('SIGINT');
    const onTerm = (): void => listener('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    return () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  },
};

export const TOKEN_ENV = 'TRACESPEC_RECEIVER_TOKEN';

/** Problems printed one per line before the rest only count in the summary. */
const MAX_LOG_LINES = 50;

export function registerReceive(
  program: Command,
  io: CliIO,
  done: (code: number) => void,
  deps: ReceiveDeps = {},
): void {
  program
    .command('receive')
    .showHelpAfterError('(see tracespec receive --help)')
    .summary('receive traces over OTLP/HTTP and write them to a file')
    .description(
      'Listen for OTLP/HTTP trace exports (POST /v1/traces, protobuf or JSON, gzip or not) ' +
        'from any OpenTelemetry SDK or Collector, and write every acknowledged request as one ' +
        'line of OTLP/JSON to --out, which every tracespec command reads. Runs until SIGINT or ' +
        'SIGTERM, then finishes the requests in flight, closes the file and exits 0.',
    )
    .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', DEFAULT_HOST)
    .option('--port <port>', 'port to listen on, 0 for any free one', parsePort, DEFAULT_PORT)
    .option(
      '--token <token>',
      `require "Authorization: Bearer <token>" (default: $${TOKEN_ENV}; the variable keeps it out of ps)`,
    )
    .option('--out <file>', 'JSON Lines file for what is received (emptied first)')
    .addOption(
      new Option('--max-body <size>', 'largest request body, compressed and decompressed')
        .argParser(parseSize)
        .default(DEFAULT_MAX_BODY_BYTES, '20MiB'),
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  $ tracespec receive --out traces/run.jsonl\n' +
        '  $ OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 npm run load-test\n' +
        '  $ tracespec run specs/ --traces traces/run.jsonl\n' +
        '\nExit codes: 0 stopped by SIGINT/SIGTERM with everything written;\n' +
        '2 the port is taken, the file cannot be written, or bad usage.',
    )
    .action(async (options: ReceiveOptions) => {
      done(await receive(options, io, deps));
    });
}

export async function receive(
  options: ReceiveOptions,
  io: CliIO,
  deps: ReceiveDeps = {},
): Promise<number> {
  const signals = deps.signals ?? processSignals;
  const envToken = io.env[TOKEN_ENV];
  const token = options.token ?? (envToken === '' ? undefined : envToken);
  let logged = 0;
  const log = (message: string): void => {
    logged++;
    if (logged <= MAX_LOG_LINES) io.stderr.write(`tracespec: ${message}\n`);
    else if (logged === MAX_LOG_LINES + 1) {
      io.stderr.write(
        'tracespec: more problems than are worth printing; the summary counts them\n',
      );
    }
  };

  // Listen for signals before the port opens: a stop that comes while it opens still stops.
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const unlisten = signals.listen((signal) => stop(signal));

  let receiver: Receiver;
  try {
    receiver = await startReceiver({
      host: options.host,
      port: options.port,
      token,
      out: options.out,
      maxBodyBytes: options.maxBody,
      retain: false,
      log,
    });
  } catch (error) {
    unlisten();
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (error instanceof InputError && code === 'EADDRINUSE') {
      io.stderr.write(
        `tracespec: port ${options.port} on ${options.host} is in use (another receiver or a Collector?); pass --port\n`,
      );
      return EXIT.usage;
    }
    return reportError(error, io);
  }

  const target =
    receiver.out === undefined ? ' (no --out: spans are counted, not kept)' : ` → ${receiver.out}`;
  io.stderr.write(
    `tracespec: receiving OTLP/HTTP on ${receiver.url}${target}${token === undefined ? '' : ' (bearer token required)'}\n`,
  );
  deps.onListening?.(receiver);

  const signal = await stopped;
  // A second signal now gets the default action: the process ends at once. Nothing
  // acknowledged is lost even then, since every line is written before its answer.
  unlisten();
  io.stderr.write(`tracespec: ${signal}: stopping, finishing the requests in flight\n`);
  try {
    await receiver.close();
  } catch (error) {
    io.stderr.write(`tracespec: ${summary(receiver)}\n`);
    return reportError(error, io);
  }
  io.stderr.write(`tracespec: ${summary(receiver)}\n`);
  return EXIT.ok;
}

function summary(receiver: Receiver): string {
  const s = receiver.stats;
  const parts = [
    `${count(s.requests, 'request')}`,
    `${count(s.spans, 'span')}`,
    `${count(s.rejectedSpans, 'span')} rejected`,
  ];
  if (s.refusedRequests > 0) parts.push(`${count(s.refusedRequests, 'request')} refused`);
  const where = receiver.out === undefined ? '' : `, written to ${receiver.out}`;
  return `received ${parts.join(', ')}${where}`;
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0: any free port)');
  }
  return Number(value);
}

const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** `20MiB`, `512 KiB`, `1.5MB`, `1048576`: a byte count. */
export function parseSize(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = UNITS[(match?.[2] || 'b').toLowerCase()];
  const n = match === null || unit === undefined ? Number.NaN : Math.round(Number(match[1]) * unit);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(
      'expected a size such as 20MiB, 512KiB or 1048576 (units B, KB, KiB, MB, MiB, GB, GiB)',
    );
  }
  return n;
}
