/**
 * The example's specs, end to end: the five services run as real processes exporting over
 * OTLP (protobuf and JSON) to the receiver `tracespec run` starts; tracespec triggers the
 * checkouts and gates on what comes back. A passing run exits 0; with the payment gateway
 * slowed to 400ms, "payment gateway p95 under 300ms" breaks and the run exits 1.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { loadTraces } from 'tracespec';
import { run } from '../../src/cli/program';
import { type Checkout, type CheckoutOptions, startCheckout } from './launch';

const SPECS = join(__dirname, 'specs');

/**
 * A port for the receiver the spec starts, held until `release()`: the services start on
 * ports the OS picks meanwhile, and must not be handed this one.
 */
function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        release: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

async function tracespec(argv: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

let checkout: Checkout | undefined;

afterEach(async () => {
  await checkout?.stop();
  checkout = undefined;
});

async function runSpecs(
  options: CheckoutOptions,
  specs: string[],
  extraEnv: NodeJS.ProcessEnv = {},
  flags: string[] = [],
) {
  const { port, release } = await reservePort();
  try {
    checkout = await startCheckout({
      otlpEndpoint: `http://127.0.0.1:${port}/v1/traces`,
      ...options,
    });
  } finally {
    await release();
  }
  const env = {
    OTLP_PORT: String(port),
    CHECKOUT_URL: `${checkout.gatewayUrl}/api/checkout`,
    ...extraEnv,
  };
  return tracespec(['run', ...specs.map((s) => join(SPECS, s)), ...flags], env);
}

describe('the checkout specs against the running services', () => {
  test('healthy services: every SLO and check passes, exit 0; the received traces are saved', async () => {
    const saved = mkdtempSync(join(tmpdir(), 'tracespec-checkout-'));
    const result = await runSpecs(
      { paymentLatencyMs: 20 },
      ['checkout.yaml', 'declined.yaml'],
      { CHECKOUTS: '30' },
      ['--save-traces', saved],
    );
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /✓ pass +payment gateway p95 under 300ms +p95 +\S+ +<= 300ms +30/,
    );
    expect(result.stdout).toMatch(/✓ pass +traces arrived +checked 30 traces/);
    expect(result.stdout).toMatch(/✓ pass +the failure starts at the payment gateway/);
    expect(result.stdout).toMatch(/✓ passed: 2 specs/);
    expect(result.code).toBe(0);
    try {
      const traces = await loadTraces(join(saved, 'checkout-live.jsonl'));
      expect(traces).toHaveLength(30);
      // All five services' spans (the order service's sent as protobuf, the rest as JSON),
      // under tracespec's own span for the request, the parent its traceparent named.
      expect(traces[0]?.roots.map((s) => [s.name, s.service])).toEqual([
        ['trigger POST /api/checkout', 'tracespec'],
      ]);
      expect(new Set(traces[0]?.spans.map((s) => s.service))).toEqual(
        new Set([
          'tracespec',
          'api-gateway',
          'order-service',
          'inventory-service',
          'payment-gateway',
          'notification-service',
        ]),
      );
      expect(await loadTraces(join(saved, 'checkout-declined-live.jsonl'))).toHaveLength(5);
    } finally {
      rmSync(saved, { recursive: true, force: true });
    }
  }, 60_000);

  test('a slowed payment gateway breaks the p95 budget: exit 1, the slow spans named', async () => {
    const result = await runSpecs(
      { paymentLatencyMs: 400, paymentLatencyJitter: 0.1 },
      ['checkout.yaml'],
      {
        CHECKOUTS: '20',
      },
    );
    expect([result.code, result.stderr]).toEqual([1, '']);
    expect(result.stdout).toMatch(
      /✗ fail +payment gateway p95 under 300ms +p95 +\d+ms +<= 300ms +20/,
    );
    expect(result.stdout).toMatch(
      /e\.g\. trace [0-9a-f]{32} span [0-9a-f]{16} "Payment Gateway API" \[order-service\]/,
    );
    // Only the latency broke: the shape, the errors and the responses are fine.
    expect(result.stdout).not.toMatch(/✗ fail +checkout shape/);
    expect(result.stdout).not.toMatch(/✗ fail +responses/);
  }, 60_000);

  test('a system that is down fails fast with a clear error, exit 2', async () => {
    const nobody = await reservePort();
    const receiver = await reservePort();
    await Promise.all([nobody.release(), receiver.release()]);
    const port = nobody.port;
    const started = Date.now();
    const result = await tracespec(['run', join(SPECS, 'checkout.yaml')], {
      OTLP_PORT: String(receiver.port),
      CHECKOUT_URL: `http://127.0.0.1:${port}/api/checkout`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `checkout\\.yaml:\\d+:\\d+: cannot reach POST http://127\\.0\\.0\\.1:${port}/api/checkout: connection refused\\. Is the system under test running there\\?`,
      ),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
