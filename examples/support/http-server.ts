/**
 * Real HTTP servers and a small client for the examples' tests: servers listen on
 * 127.0.0.1 port 0 (a free port the OS picks), the client goes through `node:http`, so the
 * HTTP instrumentation (see `./instrumentation`) sees both sides.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on loopback; `close()` ends open connections too. */
export interface RunningServer {
  readonly server: http.Server;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** Start `handler` on 127.0.0.1, on a port the OS picks. */
export function startServer(handler: http.RequestListener): Promise<RunningServer> {
  const server = http.createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        port,
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Keep-alive sockets (Node's global agent keeps them) would hold close() open.
            server.closeAllConnections();
          }),
      });
    });
  });
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  /** Sent as JSON (`content-type: application/json`) unless it is a string. */
  readonly body?: unknown;
  /** Abort the request after this many milliseconds (default 5000). */
  readonly timeoutMs?: number;
}

/** One HTTP request through `node:http`, resolving with the whole response. */
export function httpRequest(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const { method = 'GET', headers = {}, body, timeoutMs = 5000 } = options;
  const payload =
    body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        headers: {
          ...(payload !== undefined && typeof body !== 'string'
            ? { 'content-type': 'application/json' }
            : {}),
          ...(payload !== undefined ? { 'content-length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
        timeout: timeoutMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs}ms`)),
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Read a request body as JSON (`undefined` for an empty body). */
export function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      try {
        resolve(text === '' ? undefined : JSON.parse(text));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

/** Write `body` as a JSON response. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
