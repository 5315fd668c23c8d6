// What tracespec does, end to end: `npm run demo` builds the package and runs this.
// It starts the checkout example's five services (real HTTP, the real OpenTelemetry HTTP
// instrumentation and OTLP exporters), then drives the real command line in-process:
// `tracespec run` starts its OTLP receiver, triggers checkouts, waits for their traces and
// gates on the specs; `tracespec analyze` explains what arrived. Each command is printed
// before its output, as if typed in a terminal. Every process it starts is stopped.
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { run } = require('../dist/src/cli/program.js');
const { startCheckout } = require('./checkout/launch.js');

/** A path as short as it reads: relative under the working directory, absolute elsewhere. */
const relative = (to) => {
  const rel = path.relative(process.cwd(), to);
  return rel === '' ? '.' : rel.startsWith('..') ? to : rel;
};
const specs = relative(path.join(__dirname, 'checkout', 'specs'));

/** A port for the receiver, held while the services pick theirs so that none takes it. */
function reservePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ port, release: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

function quote(arg) {
  return /^[\w./:=-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

async function main() {
  const saved = mkdtempSync(path.join(tmpdir(), 'tracespec-demo-'));
  const { port, release } = await reservePort();
  process.stdout.write(
    '# Five services of the seed text’s checkout, each its own Node process, exporting spans over\n' +
      `# OTLP (protobuf from the order service, JSON from the others) to 127.0.0.1:${port}.\n`,
  );
  let checkout;
  try {
    checkout = await startCheckout({
      otlpEndpoint: `http://127.0.0.1:${port}/v1/traces`,
      paymentLatencyMs: 50,
    });
  } finally {
    await release();
  }
  const stop = () => checkout.stop();
  process.once('SIGINT', () => {
    stop().finally(() => process.exit(130));
  });
  for (const service of checkout.services) {
    process.stdout.write(`  ${service.name.padEnd(21)} ${service.url}\n`);
  }

  const io = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: {
      ...process.env,
      OTLP_PORT: String(port),
      CHECKOUT_URL: `${checkout.gatewayUrl}/api/checkout`,
      CHECKOUTS: '40',
    },
    isTTY: process.stdout.isTTY === true,
  };
  const live = (name) => relative(path.join(saved, `${name}.jsonl`));
  /** Each command with the exit code it must give; a different code fails the demo. */
  const steps = [
    {
      note: 'Trigger 40 checkouts, each with its own traceparent; receive their traces; check the SLOs and the trace shape.',
      argv: ['run', path.join(specs, 'checkout.yaml'), '--save-traces', relative(saved)],
    },
    {
      note: 'What one checkout waited for (critical path), the service map, and who spends the time.',
      argv: ['analyze', live('checkout-live'), '--max-traces', '1'],
    },
    {
      note: 'Declined cards: the checkout must answer 502, and the failure must start at the payment gateway.',
      argv: ['run', path.join(specs, 'declined.yaml'), '--save-traces', relative(saved)],
    },
    {
      note: 'Where a declined checkout’s failure started, and how it travelled up.',
      argv: ['analyze', live('checkout-declined-live'), '--max-traces', '1'],
    },
  ];
  let failed = 0;
  try {
    for (const step of steps) {
      process.stdout.write(`\n# ${step.note}\n$ tracespec ${step.argv.map(quote).join(' ')}\n`);
      const code = await run(step.argv, io);
      const expected = step.code ?? 0;
      if (code !== expected) {
        failed++;
        process.stderr.write(`demo: this command exited ${code}, expected ${expected}\n`);
      }
    }
  } finally {
    await stop();
    rmSync(saved, { recursive: true, force: true });
  }
  process.stdout.write(
    '\nEvery service is stopped. Next: `npx tracespec --help`, and README.md for the Jest matchers, the spec format and the examples.\n',
  );
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : error}\n`);
  process.exitCode = 1;
});
