import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import {
  parseSize,
  type ReceiveOptions,
  receive,
  type SignalSource,
  TOKEN_ENV,
} from '../../src/cli/commands/receive';
import type { CliIO } from '../../src/cli/io';
import { loadTraces } from '../../src/ingest';
import type { Receiver } from '../../src/receiver';
import { runCli } from '../cli/run-cli';
import { PROJECT_ROOT } from '../helpers/fixtures';
import {
  closeReceivers,
  exportSpans,
  JSON_TYPE,
  jsonRequest,
  jsonSpan,
  receiver,
  send,
  TRACE_A,
  tempDir,
} from './helpers';

const temps: { remove(): void }[] = [];
function dir(): string {
  const d = tempDir();
  temps.push(d);
  return d.dir;
}

/** Stop signals a test sends itself. */
class TestSignals implements SignalSource {
  #listener: ((signal: string) => void) | undefined;
  listen(listener: (signal: string) => void): () => void {
    this.#listener = listener;
    return () => {
      this.#listener = undefined;
    };
  }
  send(signal: string): void {
    this.#listener?.(signal);
  }
  get listening(): boolean {
    return this.#listener !== undefined;
  }
}

interface Running {
  readonly signals: TestSignals;
  readonly stderr: () => string;
  readonly receiver: Receiver;
  readonly done: Promise<number>;
}

const stops: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await closeReceivers();
  for (const t of temps.splice(0)) t.remove();
});

/** `tracespec receive` in-process; resolves once it listens. */
async function start(
  options: Partial<ReceiveOptions>,
  env: NodeJS.ProcessEnv = {},
): Promise<Running> {
  const signals = new TestSignals();
  let stderr = '';
  const io: CliIO = {
    stdout: { write: () => true },
    stderr: {
      write(text: string) {
        stderr += text;
        return true;
      },
    },
    env,
  };
  let listening: (r: Receiver) => void = () => {};
  const ready = new Promise<Receiver>((resolve) => {
    listening = resolve;
  });
  const done = receive({ host: '127.0.0.1', port: 0, maxBody: 20 * 1024 * 1024, ...options }, io, {
    signals,
    onListening: listening,
  });
  stops.push(() => {
    signals.send('SIGTERM');
    return done;
  });
  const r = await Promise.race([
    ready,
    done.then((code) => Promise.reject(new Error(`receive exited ${code}: ${stderr}`))),
  ]);
  return { signals, stderr: () => stderr, receiver: r, done };
}

describe('tracespec receive, in-process', () => {
  test('says where it listens, writes what it acknowledges, and exits 0 on SIGTERM with a summary', async () => {
    const out = join(dir(), 'traces.jsonl');
    const run = await start({ out });
    const url = run.receiver.url;
    expect(run.stderr()).toBe(`tracespec: receiving OTLP/HTTP on ${url} → ${out}\n`);
    const ok = await send(
      url,
      JSON.stringify(
        jsonRequest([jsonSpan(TRACE_A, '0000000000000001'), jsonSpan(TRACE_A, 'bad')]),
      ),
      JSON_TYPE,
    );
    expect(ok.status).toBe(200);
    const refused = await send(url, '{', JSON_TYPE);
    expect(refused.status).toBe(400);

    run.signals.send('SIGTERM');
    expect(await run.done).toBe(0);
    expect(run.signals.listening).toBe(false);
    const lines = run.stderr().split('\n');
    expect(lines).toEqual([
      `tracespec: receiving OTLP/HTTP on ${url} → ${out}`,
      expect.stringMatching(
        /^tracespec: 1 of 2 spans rejected: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]\.spanId: .* \(from 127\.0\.0\.1:\d+\)$/,
      ),
      expect.stringMatching(
        /^tracespec: refused a request from 127\.0\.0\.1:\d+ \(400\): the JSON body:1:2: /,
      ),
      'tracespec: SIGTERM: stopping, finishing the requests in flight',
      `tracespec: received 1 request, 1 span, 1 span rejected, 1 request refused, written to ${out}`,
      '',
    ]);
    expect((await loadTraces(out)).flatMap((t) => t.spans.map((s) => s.spanId))).toEqual([
      '0000000000000001',
    ]);
  });

  test(`the token from --token or $${TOKEN_ENV}`, async () => {
    const fromEnv = await start({}, { [TOKEN_ENV]: 'env-token' });
    expect(fromEnv.stderr()).toMatch(/ \(bearer token required\)\n$/);
    expect((await send(fromEnv.receiver.url, '{}', JSON_TYPE)).status).toBe(401);
    expect(
      (await send(fromEnv.receiver.url, '{}', { ...JSON_TYPE, Authorization: 'Bearer env-token' }))
        .status,
    ).toBe(200);
    const fromFlag = await start({ token: 'flag-token' }, { [TOKEN_ENV]: 'env-token' });
    expect(
      (
        await send(fromFlag.receiver.url, '{}', {
          ...JSON_TYPE,
          Authorization: 'Bearer flag-token',
        })
      ).status,
    ).toBe(200);
    const none = await start({}, { [TOKEN_ENV]: '' });
    expect(none.stderr()).toMatch(/\(no --out: spans are counted, not kept\)\n$/);
    expect((await send(none.receiver.url, '{}', JSON_TYPE)).status).toBe(200);
  });

  test('a port in use: exit 2, and says what to do', async () => {
    const taken = await receiver();
    let stderr = '';
    const code = await receive(
      { host: '127.0.0.1', port: taken.port, maxBody: 1024 },
      { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env: {} },
      { signals: new TestSignals() },
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      `tracespec: port ${taken.port} on 127.0.0.1 is in use (another receiver or a Collector?); pass --port\n`,
    );
  });

  test('an output file it cannot create: exit 2 naming it', async () => {
    const out = join(dir(), 'no', 'such', 'dir.jsonl');
    let stderr = '';
    const code = await receive(
      { host: '127.0.0.1', port: 0, maxBody: 1024, out },
      { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, env: {} },
      { signals: new TestSignals() },
    );
    expect(code).toBe(2);
    expect(stderr).toBe(
      `tracespec: ${out}: cannot write the output file (ENOENT); does its directory exist, and may this user write there?\n`,
    );
  });

  test('bad flags: exit 2 before anything listens', async () => {
    const port = await runCli(['receive', '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(
      /^tracespec: option '--port <port>' argument '70000' is invalid\. expected a port number from 0 to 65535/,
    );
    const size = await runCli(['receive', '--max-body', '20 parsecs']);
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/expected a size such as 20MiB, 512KiB or 1048576/);
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/^ {2}receive .*receive traces over OTLP\/HTTP/m);
  });

  test('sizes', () => {
    expect(parseSize('20MiB')).toBe(20 * 1024 * 1024);
    expect(parseSize('512 kib')).toBe(512 * 1024);
    expect(parseSize('1.5MB')).toBe(1_500_000);
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('10B')).toBe(10);
    for (const bad of ['', '0', '-1', 'MiB', '1 XB', '1e3']) expect(() => parseSize(bad)).toThrow();
  });
});

describe('tracespec receive, as a child process', () => {
  let child: ChildProcess | undefined;

  afterEach(() => {
    // A test that failed half-way must not leave a receiver running.
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
    child = undefined;
  });

  test('real exporters send to it; on SIGTERM every acknowledged span is in the file, exit 0', async () => {
    const out = join(dir(), 'traces.jsonl');
    const proc = spawn(
      process.execPath,
      [
        '-r',
        join(__dirname, 'register-ts.js'),
        join(PROJECT_ROOT, 'src/cli/main.ts'),
        'receive',
        '--port',
        '0',
        '--out',
        out,
      ],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, [TOKEN_ENV]: 'child-token' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    let stderr = '';
    proc.stderr?.setEncoding('utf8');
    const exited = new Promise<number | null>((resolve) =>
      proc.on('exit', (code) => resolve(code)),
    );
    const url = await new Promise<string>((resolve, reject) => {
      proc.stderr?.on('data', (text: string) => {
        stderr += text;
        const match = /receiving OTLP\/HTTP on (\S+) → /.exec(stderr);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      void exited.then((code) =>
        reject(new Error(`the receiver exited (${code}) before it listened:\n${stderr}`)),
      );
    });

    const run = await exportSpans({
      url,
      spans: 500,
      exporters: [
        { protocol: 'json', token: 'child-token' },
        { protocol: 'proto', token: 'child-token', compression: 'gzip' },
      ],
    });
    expect(run.results.map((r) => r.failed)).toEqual([0, 0]);

    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('tracespec: SIGTERM: stopping, finishing the requests in flight\n');
    expect(stderr).toMatch(
      /tracespec: received \d+ requests, 1,000 spans, 0 spans rejected, written to /,
    );
    const ids = (await loadTraces(out)).flatMap((t) => t.spans.map((s) => s.spanId));
    expect(ids).toHaveLength(1000);
    expect(new Set(ids)).toEqual(new Set(run.sent));
    // One OTLP/JSON request per line.
    for (const line of readFileSync(out, 'utf8').trimEnd().split('\n')) {
      expect(Object.keys(JSON.parse(line))).toEqual(['resourceSpans']);
    }
  }, 60_000);
});
