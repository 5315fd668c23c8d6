/**
 * Receiver throughput: `node bench/receiver.js [--spans N] [--batch N] [--concurrency N] [--json]`;
 * `npm run bench` runs it after the load benchmark.
 *
 * Starts the built CLI, `tracespec receive --out <temp file>`, as a child process, and POSTs
 * export requests serialised beforehand by the OpenTelemetry SDK's own serialisers to it
 * from this process, `concurrency` at a time on keep-alive connections, as a batch span
 * processor does: OTLP/HTTP JSON, protobuf, and gzipped protobuf in turn. The time runs from
 * the first request to the last 200; spans per second is the spans acknowledged in it. The
 * child writes every request to its file before it answers, so the figure includes the
 * decoding, the readers' validation and the file. Afterwards the child is stopped with
 * SIGTERM, and its summary must count every span sent.
 */

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { gzipSync } = require('node:zlib');
const M = require('./measure');

const OUT_DIR = path.join(__dirname, 'out');
const CLI = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');

const DEFAULTS = { spans: 100_000, batch: 512, concurrency: 4, json: false };

function parseArgs(argv) {
  return M.readOptions(
    argv,
    DEFAULTS,
    'node bench/receiver.js [--spans N per encoding] [--batch N spans per request] [--concurrency N] [--json]',
  );
}

const log = (message) => process.stderr.write(`${message}\n`);

/** Span ids unique across the whole run, so that the file could be checked span by span. */
let nextId = 1;
const hex = (n, width) => n.toString(16).padStart(width, '0');

/**
 * ReadableSpan-shaped objects, as a service's batch processor hands them to its exporter:
 * server spans with a database call under each, semantic-convention attributes, an
 * exception event now and then.
 */
function makeSpans(n, resource, scope) {
  const spans = [];
  const base = Math.floor(Date.now() / 1000);
  for (let i = 0; i < n; i++) {
    const id = nextId++;
    const traceId = hex(Math.floor(id / 2) + 1, 32);
    const server = id % 2 === 0;
    const parent = server ? undefined : { spanId: hex(id - 1, 16), traceId, traceFlags: 1 };
    const start = [base, (id % 1000) * 1000];
    const end = [base, (id % 1000) * 1000 + 5_000_000];
    const attributes = server
      ? {
          'http.request.method': 'POST',
          'url.path': '/api/checkout',
          'http.route': '/api/checkout',
          'http.response.status_code': id % 50 === 0 ? 502 : 200,
          'server.address': 'checkout.shop.svc.cluster.local',
          'user_agent.original': 'k6/0.50.0 (https://k6.io/)',
        }
      : {
          'db.system.name': 'postgresql',
          'db.query.text': 'SELECT id, total FROM orders WHERE customer_id = $1',
          'db.operation.name': 'SELECT',
          'server.port': 5432,
          'db.response.returned_rows': id % 7,
        };
    const events =
      id % 10 === 1
        ? [
            {
              name: 'exception',
              time: end,
              attributes: {
                'exception.type': 'TimeoutError',
                'exception.message': 'query timed out',
              },
              droppedAttributesCount: 0,
            },
          ]
        : [];
    spans.push({
      name: server ? 'POST /api/checkout' : 'SELECT orders',
      kind: server ? 1 : 2,
      spanContext: () => ({ traceId, spanId: hex(id, 16), traceFlags: 1 }),
      parentSpanContext: parent,
      startTime: start,
      endTime: end,
      duration: [0, 5_000_000],
      status: { code: id % 50 === 0 ? 2 : 0 },
      attributes,
      links: [],
      events,
      ended: true,
      resource,
      instrumentationScope: scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    });
  }
  return spans;
}

/** Request bodies of `batch` spans each, `spans` in all, in each encoding. */
function makeBodies(total, batch) {
  const {
    JsonTraceSerializer,
    ProtobufTraceSerializer,
  } = require('@opentelemetry/otlp-transformer');
  const { resourceFromAttributes } = require('@opentelemetry/resources');
  const resource = resourceFromAttributes({
    'service.name': 'checkout',
    'service.version': '1.4.2',
    'host.name': 'checkout-7d9f8c6b5-x2k4q',
  });
  const scope = { name: '@opentelemetry/instrumentation-http', version: '0.223.0' };
  const encodings = [
    {
      name: 'OTLP/HTTP JSON',
      headers: { 'Content-Type': 'application/json' },
      encode: (spans) => Buffer.from(JsonTraceSerializer.serializeRequest(spans)),
    },
    {
      name: 'OTLP/HTTP protobuf',
      headers: { 'Content-Type': 'application/x-protobuf' },
      encode: (spans) => Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)),
    },
    {
      name: 'OTLP/HTTP protobuf, gzip',
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' },
      encode: (spans) => gzipSync(ProtobufTraceSerializer.serializeRequest(spans)),
    },
  ];
  return encodings.map((encoding) => {
    const bodies = [];
    for (let made = 0; made < total; made += batch) {
      const n = Math.min(batch, total - made);
      bodies.push({ bytes: encoding.encode(makeSpans(n, resource, scope)), spans: n });
    }
    return { ...encoding, bodies };
  });
}

/** Starts the CLI receiver; resolves with its URL once it says it listens. */
function startCli(out) {
  if (!fs.existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run npm run build first (npm run bench does)`);
  }
  const child = spawn(process.execPath, [CLI, 'receive', '--port', '0', '--out', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise((resolve, reject) => {
    child.stderr.on('data', (text) => {
      stderr += text;
      const match = /receiving OTLP\/HTTP on (\S+)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    exited.then((code) => reject(new Error(`tracespec receive exited (${code}):\n${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

function post(agent, url, headers, bytes) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'Content-Length': bytes.length } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200
            ? resolve()
            : reject(new Error(`the receiver answered ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

/** Sends every body, `concurrency` at a time; milliseconds from the first to the last answer. */
async function sendAll(agent, url, encoding, concurrency) {
  let next = 0;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < encoding.bodies.length) {
      const body = encoding.bodies[next++];
      await post(agent, url, encoding.headers, body.bytes);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function measureReceiver(args) {
  log(
    `receiver: serialising ${M.fmtInt(args.spans)} spans per encoding, ${args.batch} per request`,
  );
  const warmUp = makeBodies(Math.min(args.spans, 20 * args.batch), args.batch);
  const encodings = makeBodies(args.spans, args.batch);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracespec-bench-receiver-'));
  const out = path.join(dir, 'received.jsonl');
  const cli = startCli(out);
  const agent = new http.Agent({ keepAlive: true, maxSockets: args.concurrency });
  try {
    const url = await cli.url;
    log('receiver: warm-up');
    for (const encoding of warmUp) await sendAll(agent, url, encoding, args.concurrency);
    const rows = [];
    for (const encoding of encodings) {
      log(`receiver: ${encoding.name}`);
      const ms = await sendAll(agent, url, encoding, args.concurrency);
      const spans = encoding.bodies.reduce((n, b) => n + b.spans, 0);
      const bytes = encoding.bodies.reduce((n, b) => n + b.bytes.length, 0);
      rows.push({
        encoding: encoding.name,
        requests: encoding.bodies.length,
        spans,
        bytes,
        ms,
        spansPerS: (spans / ms) * 1000,
        mibPerS: bytes / M.MiB / (ms / 1000),
      });
    }
    agent.destroy();
    cli.child.kill('SIGTERM');
    const code = await cli.exited;
    const sent =
      rows.reduce((n, r) => n + r.spans, 0) +
      warmUp.reduce((n, e) => n + e.bodies.reduce((m, b) => m + b.spans, 0), 0);
    const summary = /received [\d,]+ requests?, ([\d,]+) spans?/.exec(cli.stderr());
    const received = summary ? Number(summary[1].replace(/,/g, '')) : undefined;
    if (code !== 0 || received !== sent) {
      throw new Error(
        `tracespec receive exited ${code} having received ${received} of ${sent} spans:\n${cli.stderr()}`,
      );
    }
    return {
      env: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model },
      spansPerRequest: args.batch,
      concurrency: args.concurrency,
      fileBytes: fs.statSync(out).size,
      rows,
    };
  } finally {
    agent.destroy();
    if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(r) {
  const rows = [
    ['receiver (tracespec receive --out)', 'requests', 'spans', 'sent', 'time', 'spans/s', 'MiB/s'],
  ];
  for (const row of r.rows) {
    rows.push([
      row.encoding,
      M.fmtInt(row.requests),
      M.fmtInt(row.spans),
      `${(row.bytes / M.MiB).toFixed(1)} MiB`,
      M.fmtMs(row.ms),
      M.fmtInt(row.spansPerS),
      row.mibPerS.toFixed(1),
    ]);
  }
  const head = `receiver: ${r.spansPerRequest} spans per request, ${r.concurrency} requests at a time on keep-alive connections; each acknowledged after its line is written`;
  return `${head}\n${M.table(rows, 'lrrrrrr')}`;
}

/**
 * Runs the measurement and saves the figures to bench/out/results-receiver.json. `output`:
 * `table` prints the table, `json` the figures, `none` nothing (bench/run.js --json, whose
 * stdout is its own JSON).
 */
async function main(options = {}) {
  const args = { ...DEFAULTS, output: 'table', ...options };
  const results = await measureReceiver(args);
  const file = path.join(OUT_DIR, 'results-receiver.json');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  if (args.output === 'table') process.stdout.write(`\n${report(results)}\n`);
  else if (args.output === 'json') process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else log(`receiver: figures in ${path.relative(process.cwd(), file)}`);
  return results;
}

module.exports = { main, measureReceiver };

if (require.main === module) {
  const args = parseArgs(process.argv.slice(2));
  main({ ...args, output: args.json ? 'json' : 'table' }).catch((error) => {
    log(error?.stack ?? String(error));
    process.exitCode = 1;
  });
}
