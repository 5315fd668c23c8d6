/**
 * The checkout as five real Node processes (see README.md), exporting through the real
 * OTLP exporters to a small sink in this test. The sink stands in for tracespec's receiver:
 * it stores what it is sent, by content type, and answers as an OTLP endpoint does.
 */

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadTraces, type Trace } from 'tracespec';
import { type Checkout, startCheckout } from './launch';

interface Received {
  readonly contentType: string;
  readonly body: Buffer;
}

interface Sink {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

function startSink(): Promise<Sink> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      received.push({ contentType, body: Buffer.concat(chunks) });
      // An empty ExportTraceServiceResponse: `{}` in JSON, zero bytes in protobuf.
      const json = contentType === 'application/json';
      res.writeHead(200, { 'content-type': contentType });
      res.end(json ? '{}' : '');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/v1/traces`,
        received,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A W3C traceparent of our own, so that the trace of each checkout is known in advance. */
function newTraceparent(): { traceId: string; header: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, header: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

async function postCheckout(checkout: Checkout, body: object, traceparent: string) {
  const response = await fetch(`${checkout.gatewayUrl}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

interface OtlpSpan {
  readonly traceId: string;
  readonly name: string;
  readonly status?: { readonly code?: number; readonly message?: string };
}

/** `[service, span]` for every span in the sink's OTLP/JSON bodies. */
function jsonSpans(sink: Sink): Array<[string, OtlpSpan]> {
  const out: Array<[string, OtlpSpan]> = [];
  for (const { contentType, body } of sink.received) {
    if (contentType !== 'application/json') continue;
    for (const resourceSpans of JSON.parse(body.toString('utf8')).resourceSpans ?? []) {
      const service = resourceSpans.resource.attributes.find(
        (a: { key: string }) => a.key === 'service.name',
      )?.value.stringValue;
      for (const scopeSpans of resourceSpans.scopeSpans) {
        for (const span of scopeSpans.spans) out.push([service, span]);
      }
    }
  }
  return out;
}

async function waitFor(what: string, ready: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs}ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Checkout services that are children of this process: `ps`, not our own bookkeeping. */
function servicesRunningHere(): string[] {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  }).split('\n');
  return lines.filter((line) => line.includes('checkout/services/'));
}

const JSON_SERVICES = [
  'api-gateway',
  'inventory-service',
  'payment-gateway',
  'notification-service',
];

/**
 * Five Node processes start in 2–4 s on a busy 2-core machine, more than Jest's 5 s
 * default leaves when other suites run beside this one.
 */
const START_TIMEOUT_MS = 30_000;

/**
 * Stops what `starting` started, also when `beforeAll` timed out while the start was
 * still under way (the services would otherwise outlive the suite until Jest exits).
 */
async function stopStarted(starting: Promise<Checkout> | undefined): Promise<void> {
  const checkout = await starting?.catch(() => undefined);
  await checkout?.stop();
}

describe('five processes, exporting OTLP/JSON and OTLP/protobuf', () => {
  let sink: Sink;
  let starting: Promise<Checkout> | undefined;
  let checkout: Checkout;

  beforeAll(async () => {
    sink = await startSink();
    starting = startCheckout({ otlpEndpoint: sink.url, paymentLatencyMs: 20, exportDelayMs: 50 });
    checkout = await starting;
  }, START_TIMEOUT_MS);

  // Runs even when a test or beforeAll failed: the only way the services end besides
  // their own watchdog (they exit when this process goes away).
  afterAll(async () => {
    await stopStarted(starting);
    await sink?.close();
  }, START_TIMEOUT_MS);

  test('a checkout answers 200 with the confirmed order as JSON', async () => {
    const { traceId, header } = newTraceparent();
    const answer = await postCheckout(checkout, { cart: 42 }, header);

    expect(answer).toMatchObject({
      status: 200,
      contentType: 'application/json',
      body: { status: 'confirmed', orderId: expect.stringMatching(/^ord_/), currency: 'EUR' },
    });

    // Both encodings arrive, and both carry the caller's trace: protobuf holds the trace id
    // as 16 raw bytes and names as plain UTF-8, so a byte search suffices without a decoder.
    const traceIdBytes = Buffer.from(traceId, 'hex');
    const protobufOfTrace = () =>
      Buffer.concat(
        sink.received
          .filter(
            (r) => r.contentType === 'application/x-protobuf' && r.body.includes(traceIdBytes),
          )
          .map((r) => r.body),
      );
    await waitFor('OTLP/protobuf spans of the checkout from the order service', () =>
      ['order-service', 'POST /orders', 'Order Service', 'Payment Gateway API'].every((text) =>
        protobufOfTrace().includes(text),
      ),
    );
    await waitFor('OTLP/JSON spans of the checkout from the four other services', () => {
      const services = new Set(
        jsonSpans(sink).flatMap(([service, span]) => (span.traceId === traceId ? [service] : [])),
      );
      return JSON_SERVICES.every((service) => services.has(service));
    });
  });

  test('a forced decline answers 502 with the reason, and no notification is sent', async () => {
    const { traceId, header } = newTraceparent();
    const answer = await postCheckout(checkout, { cart: 43, card: 'tok_chargeDeclined' }, header);

    expect(answer).toMatchObject({
      status: 502,
      body: { error: 'card_declined', message: 'card declined' },
    });
    const spansOfTrace = () => jsonSpans(sink).filter(([, span]) => span.traceId === traceId);
    // The gateway's server span ends last; once it is exported, a notification, had there
    // been one, would have ended before it and been exported by now or in the next batch.
    await waitFor('the gateway span of the declined checkout', () =>
      spansOfTrace().some(([, span]) => span.name === 'POST /api/checkout'),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const spans = spansOfTrace();
    expect(spans).toContainEqual([
      'payment-gateway',
      expect.objectContaining({
        name: 'POST /charge',
        status: { code: 2, message: 'card declined' },
      }),
    ]);
    expect(spans.filter(([service]) => service === 'notification-service')).toEqual([]);
  });

  test('stop() flushes, every service exits 0, and no process is left', async () => {
    const services = checkout.services;
    const pids = services.map((s) => s.pid);
    expect(pids.every(isRunning)).toBe(true);

    await checkout.stop();

    expect(services.map((s) => [s.name, s.exitCode, s.signal])).toEqual(
      services.map((s) => [s.name, 0, null]),
    );
    expect(pids.filter(isRunning)).toEqual([]);
    expect(servicesRunningHere()).toEqual([]);
  });
});

describe('a service that cannot start', () => {
  test(
    'fails the start with its name and stderr, and leaves nothing running',
    async () => {
      const starting = startCheckout({
        otlpEndpoint: 'http://127.0.0.1:9/v1/traces',
        env: { PAYMENT_LATENCY_MS: 'soon' },
      });

      await expect(starting).rejects.toThrow(
        /payment-gateway exited before it was ready \(code 1\); its stderr:\n\s+PAYMENT_LATENCY_MS must be a number, got "soon"/,
      );
      expect(servicesRunningHere()).toEqual([]);
    },
    START_TIMEOUT_MS,
  );
});

describe('the trace of a checkout (every service on OTLP/JSON, read by tracespec)', () => {
  let sink: Sink;
  let starting: Promise<Checkout> | undefined;
  let ok: Trace;
  let declined: Trace;

  beforeAll(async () => {
    sink = await startSink();
    starting = startCheckout({ otlpEndpoint: sink.url, otlpProtocol: 'http/json' });
    const checkout = await starting;
    const first = newTraceparent();
    const second = newTraceparent();
    await postCheckout(checkout, { cart: 42 }, first.header);
    await postCheckout(checkout, { cart: 43, card: 'tok_chargeDeclined' }, second.header);
    // stop() is also the flush: every service exports what it holds before it exits.
    await checkout.stop();
    const traces = await loadTraces(sink.received.map((r) => r.body));
    const byId = (id: string) => {
      const trace = traces.find((t) => t.traceId === id);
      if (!trace) throw new Error(`trace ${id} not received`);
      return trace;
    };
    ok = byId(first.traceId);
    declined = byId(second.traceId);
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await stopStarted(starting);
    await sink?.close();
  }, START_TIMEOUT_MS);

  test('reads like the seed text, with the HTTP spans in between', () => {
    expect(ok).toMatchTraceTree(`
      POST /api/checkout [api-gateway]
      └── ...
          └── Order Service [order-service]
              ├── Payment Gateway API [order-service]
              └── ...
                  ├── Inventory Service [inventory-service]
                  └── Notification Service [notification-service]
    `);
  });

  test('every span, in order: client and server spans of each call, named by route', () => {
    expect(ok).toMatchTraceTree(
      `
      POST /api/checkout [api-gateway]
      └── POST [api-gateway]
          └── POST /orders [order-service]
              └── Order Service [order-service]
                  ├── POST [order-service]
                  │   └── POST /reserve [inventory-service]
                  │       └── Inventory Service [inventory-service]
                  ├── Payment Gateway API [order-service]
                  │   └── POST [order-service]
                  │       └── POST /charge [payment-gateway]
                  └── POST [order-service]
                      └── POST /notify [notification-service]
                          └── Notification Service [notification-service]
      `,
      { strict: true, ordered: true },
    );
    expect(ok).toHaveAttributes('{ name = "Payment Gateway API" }', {
      'server.address': '127.0.0.1',
    });
    expect(ok).toHaveAttributes('{ name = "POST /orders" && kind = server }', {
      'http.route': '/orders',
    });
    expect(ok).toHaveNoErrors();
  });

  test('a decline starts at the payment gateway, fails the checkout, releases the stock', () => {
    expect(declined).toMatchTraceTree(
      `
      POST /api/checkout [api-gateway] ✗ error
      └── POST [api-gateway] ✗ error
          └── POST /orders [order-service] ✗ error
              └── Order Service [order-service] ✗ error: card declined
                  ├── POST [order-service]
                  │   └── POST /reserve [inventory-service]
                  │       └── Inventory Service [inventory-service]
                  ├── Payment Gateway API [order-service] ✗ error: card declined
                  │   └── POST [order-service] ✗ error
                  │       └── POST /charge [payment-gateway] ✗ error: card declined
                  └── POST [order-service]
                      └── POST /release [inventory-service]
      `,
      { strict: true, ordered: true },
    );
    expect(declined).toHaveErrorOrigin('{ name = "POST /charge" }');
    expect(declined).toPropagateError({ from: '{ name = "POST /charge" }' });
    expect(declined).toHaveRecordedException('{ name = "Payment Gateway API" }', {
      message: 'card declined',
    });
    expect(declined).not.toHaveSpan('{ resource.service.name = "notification-service" }');
  });
});
