/**
 * The example's specs, end to end: the five services run as real processes exporting over
 * OTLP (protobuf and JSON) to the receiver `tracespec run` starts; tracespec triggers the
 * checkouts and gates on what comes back. A passing run exits 0; with the payment gateway
 * slowed to 400ms, "payment gateway p95 under 300ms" breaks and the run exits 1.
 */

import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { run } from '../../src/cli/program';
import { type Checkout, type CheckoutOptions, startCheckout } from './launch';

const SPECS = join(__dirname, 'specs');

/** A port nothing listens on now, for the receiver the spec starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
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
) {
  const port = await freePort();
  checkout = await startCheckout({
    otlpEndpoint: `http://127.0.0.1:${port}/v1/traces`,
    ...options,
  });
  const env = {
    OTLP_PORT: String(port),
    CHECKOUT_URL: `${checkout.gatewayUrl}/api/checkout`,
    ...extraEnv,
  };
  return tracespec(['run', ...specs.map((s) => join(SPECS, s))], env);
}

describe('the checkout specs against the running services', () => {
  test('healthy services: every SLO and check passes, exit 0', async () => {
    const result = await runSpecs({ paymentLatencyMs: 40 }, ['checkout.yaml', 'declined.yaml'], {
      CHECKOUTS: '30',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /✓ pass +payment gateway p95 under 300ms +p95 +\S+ +<= 300ms +30/,
    );
    expect(result.stdout).toMatch(/✓ pass +traces arrived +checked 30 traces/);
    expect(result.stdout).toMatch(/✓ pass +the failure starts at the payment gateway/);
    expect(result.stdout).toMatch(/✓ passed: 2 specs/);
    expect(result.code).toBe(0);
  }, 60_000);

  test('a slowed payment gateway breaks the p95 budget: exit 1, the slow spans named', async () => {
    const result = await runSpecs(
      { paymentLatencyMs: 400, paymentLatencyJitter: 0.1 },
      ['checkout.yaml'],
      {
        CHECKOUTS: '20',
      },
    );
    expect(result.code).toBe(1);
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
    const port = await freePort();
    const started = Date.now();
    const result = await tracespec(['run', join(SPECS, 'checkout.yaml')], {
      OTLP_PORT: String(await freePort()),
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
