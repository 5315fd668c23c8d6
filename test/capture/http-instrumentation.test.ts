/**
 * The real @opentelemetry/instrumentation-http on a real node:http server and client.
 *
 * Under Jest the instrumentation's require hook never fires: Jest loads modules through
 * its own registry, which bypasses require-in-the-middle. So this file patches the loaded
 * `http` module with the instrumentation's own module definition (the same patch the hook
 * would apply) and removes it afterwards. `node:http` is Node's one core module object,
 * shared by every test file of the worker, hence the unpatch in afterAll.
 */

import type * as HttpModule from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { captureTrace, currentCapture, currentTraces } from '../../src/capture';
import { setupJestCapture } from '../../src/capture/jest-wiring';
import type { Span, Trace } from '../../src/model';

setupJestCapture();

const http = jest.requireActual<typeof HttpModule>('node:http');
let definition: InstrumentationModuleDefinition;

beforeAll(() => {
  const instrumentation = new HttpInstrumentation({ enabled: false });
  const found = instrumentation.getModuleDefinitions().find((d) => d.name === 'http');
  if (!found?.patch) throw new Error('instrumentation-http has no patch for the http module');
  definition = found;
  found.patch(http);
});

afterAll(() => {
  definition?.unpatch?.(http);
});

/** The application: a handler that does some traced work of its own. */
function startServer(): Promise<{ server: HttpModule.Server; port: number }> {
  const server = http.createServer((req, res) => {
    trace.getTracer('orders').startActiveSpan('load order', (span) => {
      setTimeout(() => {
        span.end();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ path: req.url }));
      }, 5);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port }),
    ),
  );
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Through the module object, where the patch is.
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

function shape(t: Trace): [number, string, string][] {
  return t.spans.map((s: Span) => [t.depthOf(s), s.kind, s.name]);
}

test('client and server spans share one trace, the server nested under the client', async () => {
  const { server, port } = await startServer();
  try {
    let body = '';
    const t = await captureTrace(async () => {
      body = await get(port, '/orders/7');
    });
    expect(JSON.parse(body)).toEqual({ path: '/orders/7' });
    expect(shape(t)).toEqual([
      [0, 'client', expect.stringMatching(/^GET/)],
      [1, 'server', expect.stringMatching(/^GET/)],
      [2, 'internal', 'load order'],
    ]);
    const [client, serverSpan] = t.spans as [Span, Span];
    expect(serverSpan.parentSpanId).toBe(client.spanId);
    expect(serverSpan.scope.name).toBe('@opentelemetry/instrumentation-http');
    const status =
      client.attribute('http.response.status_code') ?? client.attribute('http.status_code');
    expect(status).toBe(200);
    expect(t.issues).toEqual([]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('a server started in beforeAll, called from concurrent tests', () => {
  let server: HttpModule.Server;
  let port: number;

  beforeAll(async () => {
    ({ server, port } = await startServer());
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test.concurrent.each(['1', '2', '3'])(
    'order %s: the test sees its own request only',
    async (id) => {
      await get(port, `/orders/${id}`);
      // The server span ends when the response is flushed, maybe after the client read it.
      expect(await currentCapture().whenIdle(1000)).toEqual([]);
      const traces = currentTraces();
      expect(traces).toHaveLength(1);
      expect(shape(traces[0] as Trace)).toEqual([
        [0, 'client', expect.stringMatching(/^GET/)],
        [1, 'server', expect.stringMatching(/^GET/)],
        [2, 'internal', 'load order'],
      ]);
      const server = (traces[0] as Trace).spans[1] as Span;
      const target = server.attribute('url.path') ?? server.attribute('http.target');
      expect(target).toBe(`/orders/${id}`);
    },
  );
});
