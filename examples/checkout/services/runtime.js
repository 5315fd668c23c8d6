// What every checkout service shares: a JSON-over-HTTP server with named routes, a JSON
// client, readiness reporting to the launcher, and a shutdown that flushes spans.
// Loaded after ./tracing, so `node:http` is already patched by the instrumentation.

const http = require('node:http');
const { context } = require('@opentelemetry/api');
const { RPCType, getRPCMetadata } = require('@opentelemetry/core');

/**
 * A failure with the HTTP status it answers with, a machine-readable code, and `details`
 * added to the JSON body (`{ error: code, message, ...details }`).
 */
class HttpError extends Error {
  constructor(status, code, message, details = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * Serves `routes` (`{ 'POST /orders': async ({ body, headers }) => ({ status, body }) }`)
 * on HOST:PORT (127.0.0.1, port 0 = chosen by the OS) and reports readiness: an IPC message
 * `{ type: 'ready', port }` when started by the launcher, a line on stdout in any case.
 * SIGTERM, SIGINT and the launcher going away all end it the same way: stop accepting,
 * flush spans, exit 0.
 */
function runService({ name, tracing, routes }) {
  const server = http.createServer((req, res) => {
    handle(routes, req, res).catch((error) => {
      // Only reached when the answer itself could not be written.
      console.error(`${name}: ${error.stack ?? error}`);
      res.destroy();
    });
  });

  // Node's client agent drops an idle kept-alive socket after 5 s, the same as the
  // server's default: the server closing first races a reused socket into ECONNRESET
  // under load. A longer server timeout leaves closing to the client.
  server.keepAliveTimeout = 30_000;

  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    try {
      await tracing.shutdown();
    } catch (error) {
      console.error(`${name}: flushing spans failed on ${why}: ${error.message ?? error}`);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Ctrl-C in a terminal reaches the whole process group, the launcher's children too.
  process.on('SIGINT', () => stop('SIGINT'));
  // The launcher died without stopping us: do not outlive it.
  process.on('disconnect', () => stop('disconnect'));

  server.on('error', (error) => {
    console.error(`${name}: cannot listen: ${error.message}`);
    process.exit(1);
  });
  server.listen(Number(process.env.PORT ?? 0), process.env.HOST || '127.0.0.1', () => {
    const { address, port } = server.address();
    console.log(`${name} listening on http://${address}:${port}`);
    if (process.send) process.send({ type: 'ready', service: name, port });
  });
  return server;
}

async function handle(routes, req, res) {
  const route = new URL(req.url ?? '/', 'http://service').pathname;
  const handler = routes[`${req.method} ${route}`];
  if (!handler) {
    sendJson(res, 404, { error: 'not_found', message: `no route ${req.method} ${route}` });
    return;
  }
  // The HTTP instrumentation reads the route from here when the response ends: it sets
  // `http.route` and renames the server span from `POST` to `POST /orders`.
  const metadata = getRPCMetadata(context.active());
  if (metadata?.type === RPCType.HTTP) metadata.route = route;

  let body;
  try {
    body = await readJson(req);
  } catch (error) {
    sendJson(res, 400, { error: 'bad_request', message: error.message });
    return;
  }
  try {
    const answer = await handler({ body, headers: req.headers });
    sendJson(res, answer.status ?? 200, answer.body ?? {});
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    const code = error instanceof HttpError ? error.code : 'internal';
    sendJson(res, status, { error: code, message: error.message, ...error.details });
  }
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('the body is not JSON');
  }
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * POSTs JSON and resolves with `{ status, body }` for any answer, so the caller decides
 * what a 4xx means; rejects only when there is no answer (refused, reset, `timeoutMs`).
 */
function postJson(url, body, { timeoutMs = 5000 } = {}) {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let parsed;
          try {
            parsed = raw === '' ? {} : JSON.parse(raw);
          } catch {
            parsed = { message: raw };
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    request.on('timeout', () => {
      request.destroy(new Error(`no answer from ${url} within ${timeoutMs}ms`));
    });
    request.on('error', reject);
    request.end(text);
  });
}

/** A required URL from the environment, e.g. `ORDER_URL`, or an exit naming it. */
function requireUrl(name, variable) {
  const value = process.env[variable];
  if (!value) {
    console.error(`${name}: ${variable} is not set (the downstream service's base URL)`);
    process.exit(1);
  }
  return value.replace(/\/+$/, '');
}

function numberFromEnv(variable, fallback) {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    console.error(`${variable} must be a number, got ${JSON.stringify(raw)}`);
    process.exit(1);
  }
  return value;
}

module.exports = { HttpError, numberFromEnv, postJson, requireUrl, runService };
