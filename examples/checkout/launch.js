// Starts the five checkout services as separate Node processes on 127.0.0.1 and stops them
// again. Used by tests (`startCheckout`) and by hand (`node examples/checkout/launch.js`).

const { fork } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const SERVICES_DIR = path.join(__dirname, 'services');
const DEFAULT_OTLP_ENDPOINT = 'http://127.0.0.1:4318/v1/traces';
/** How much of a service's output is kept for error messages and `output()`. */
const OUTPUT_LIMIT = 16 * 1024;

/**
 * Starts inventory, payment and notification first, then the order service with their
 * URLs, then the gateway with the order service's URL. Resolves once all five listen; if
 * one dies or is not ready within `readyTimeoutMs`, everything already started is stopped
 * and the promise rejects with an error naming the service and quoting its stderr.
 *
 * Call `stop()` in a `finally` or `afterAll`: it is the only thing that ends the processes
 * (they also exit on their own when this process goes away, as a last resort).
 *
 * @param {import('./launch').CheckoutOptions} [options]
 * @returns {Promise<import('./launch').Checkout>}
 */
async function startCheckout(options = {}) {
  const settings = {
    otlpEndpoint: DEFAULT_OTLP_ENDPOINT,
    exportDelayMs: 200,
    paymentLatencyMs: 50,
    paymentLatencyJitter: 0.2,
    paymentFailureRate: 0,
    paymentSeed: 1,
    gatewayPort: 0,
    readyTimeoutMs: 10_000,
    stopTimeoutMs: 5000,
    ...withoutUndefined(options),
  };
  const started = [];
  const stop = once(() => stopAll(started, settings.stopTimeoutMs));
  const common = commonEnv(settings);
  const spawn = (name, file, env) =>
    spawnService(name, file, { ...common, ...env, ...settings.env }, settings, started);

  try {
    const [inventory, payment, notification] = await Promise.all([
      spawn('inventory-service', 'inventory.js', {}),
      spawn('payment-gateway', 'payment.js', {
        PAYMENT_LATENCY_MS: String(settings.paymentLatencyMs),
        PAYMENT_LATENCY_JITTER: String(settings.paymentLatencyJitter),
        PAYMENT_FAILURE_RATE: String(settings.paymentFailureRate),
        PAYMENT_SEED: String(settings.paymentSeed),
      }),
      spawn('notification-service', 'notification.js', {}),
    ]);
    const order = await spawn('order-service', 'order.js', {
      INVENTORY_URL: inventory.url,
      PAYMENT_URL: payment.url,
      NOTIFICATION_URL: notification.url,
      ...(settings.paymentTimeoutMs === undefined
        ? {}
        : { PAYMENT_TIMEOUT_MS: String(settings.paymentTimeoutMs) }),
    });
    const gateway = await spawn('api-gateway', 'gateway.js', {
      ORDER_URL: order.url,
      PORT: String(settings.gatewayPort),
    });
    return {
      gatewayUrl: gateway.url,
      checkoutUrl: `${gateway.url}/api/checkout`,
      services: [gateway, order, inventory, payment, notification],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The environment every service gets. Inherited `OTEL_*` variables are dropped so that a
 * developer's or CI's own OpenTelemetry settings cannot change what the example exports;
 * `options.env` can set any of them again.
 */
function commonEnv(settings) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('OTEL_')) env[key] = value;
  }
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: '0',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: settings.otlpEndpoint,
    OTEL_BSP_SCHEDULE_DELAY: String(settings.exportDelayMs),
  });
  if (settings.otlpProtocol) env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = settings.otlpProtocol;
  if (settings.otlpCompression) {
    env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = settings.otlpCompression;
  }
  if (settings.otlpHeaders) {
    env.OTEL_EXPORTER_OTLP_TRACES_HEADERS = Object.entries(settings.otlpHeaders)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join(',');
  }
  return env;
}

function spawnService(name, file, env, settings, started) {
  const child = fork(path.join(SERVICES_DIR, file), [], {
    env,
    // Flags given to this process (Jest's, an inspector) are not the services' business.
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  let stderr = '';
  const service = {
    name,
    pid: child.pid,
    port: undefined,
    url: undefined,
    exitCode: null,
    signal: null,
    output: () => output,
    exited: undefined,
    child,
  };
  // Not enumerable: the handle is the launcher's, and it would make the object unprintable.
  Object.defineProperty(service, 'child', { enumerable: false });
  started.push(service);

  const keep = (text, chunk) => (text + chunk).slice(-OUTPUT_LIMIT);
  for (const [stream, source] of [
    ['stdout', child.stdout],
    ['stderr', child.stderr],
  ]) {
    let partial = '';
    source.setEncoding('utf8');
    source.on('data', (chunk) => {
      output = keep(output, chunk);
      if (stream === 'stderr') stderr = keep(stderr, chunk);
      if (!settings.onOutput) return;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) settings.onOutput(name, stream, line);
    });
  }

  // 'close', not 'exit': by then stderr is fully read, so error messages are complete.
  service.exited = new Promise((resolve) => {
    child.once('close', (code, signal) => {
      service.exitCode = code;
      service.signal = signal;
      resolve({ code, signal });
    });
  });

  return new Promise((resolve, reject) => {
    const fail = (reason) => {
      clearTimeout(timer);
      const quoted = stderr.trim() ? `; its stderr:\n${indent(stderr.trim())}` : ' (no stderr)';
      reject(new Error(`checkout: ${name} ${reason}${quoted}`));
    };
    const timer = setTimeout(
      () => fail(`was not ready within ${settings.readyTimeoutMs}ms`),
      settings.readyTimeoutMs,
    );
    child.once('error', (error) => fail(`could not be started: ${error.message}`));
    service.exited.then(({ code, signal }) => {
      if (service.url === undefined)
        fail(`exited before it was ready (${signal ?? `code ${code}`})`);
    });
    child.on('message', (message) => {
      if (message?.type !== 'ready' || service.url !== undefined) return;
      clearTimeout(timer);
      service.port = message.port;
      service.url = `http://127.0.0.1:${message.port}`;
      resolve(service);
    });
  });
}

/** SIGTERM to every service still running, SIGKILL to those not gone after the grace. */
async function stopAll(services, graceMs) {
  await Promise.all(
    services.map(async (service) => {
      const { child } = service;
      if (child.exitCode !== null || child.signalCode !== null) return service.exited;
      child.kill('SIGTERM');
      let timer;
      const graceEnded = new Promise((resolve) => {
        timer = setTimeout(resolve, graceMs, 'grace ended');
      });
      const outcome = await Promise.race([service.exited, graceEnded]);
      clearTimeout(timer);
      if (outcome === 'grace ended') {
        child.kill('SIGKILL');
        await service.exited;
      }
    }),
  );
}

function once(fn) {
  let result;
  return () => {
    result ??= fn();
    return result;
  };
}

function withoutUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** Whether something listens at the URL's host and port (a refused connect is no). */
function accepts(url) {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({
      host: hostname.replace(/^\[|\]$/g, ''),
      port: Number(port) || (protocol === 'https:' ? 443 : 80),
    });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** `node examples/checkout/launch.js`: settings from the environment, Ctrl-C stops. */
async function main() {
  const env = process.env;
  const number = (name) =>
    env[name] === undefined || env[name] === '' ? undefined : Number(env[name]);
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || DEFAULT_OTLP_ENDPOINT;
  if (!(await accepts(endpoint))) {
    console.error(
      `warning: nothing accepts connections at ${endpoint}; spans will be dropped (start a receiver there, or set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)`,
    );
  }
  let stopping = false;
  const checkout = await startCheckout({
    otlpEndpoint: endpoint,
    otlpProtocol: env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL,
    otlpCompression: env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION,
    exportDelayMs: number('OTEL_BSP_SCHEDULE_DELAY'),
    gatewayPort: number('GATEWAY_PORT') ?? 8080,
    paymentLatencyMs: number('PAYMENT_LATENCY_MS'),
    paymentLatencyJitter: number('PAYMENT_LATENCY_JITTER'),
    paymentFailureRate: number('PAYMENT_FAILURE_RATE'),
    paymentSeed: number('PAYMENT_SEED'),
    paymentTimeoutMs: number('PAYMENT_TIMEOUT_MS'),
    onOutput: (service, stream, line) => {
      (stream === 'stderr' ? process.stderr : process.stdout).write(`[${service}] ${line}\n`);
    },
  });
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log('stopping the checkout services (each flushes its spans first)...');
    await checkout.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  for (const service of checkout.services) {
    service.exited.then(({ code, signal }) => {
      if (stopping) return;
      console.error(`${service.name} stopped on its own (${signal ?? `code ${code}`})`);
      shutdown(1);
    });
  }
  const width = Math.max(...checkout.services.map((s) => s.name.length));
  console.log('');
  for (const service of checkout.services) {
    console.log(`  ${service.name.padEnd(width)}  ${service.url}  (pid ${service.pid})`);
  }
  console.log(`\nspans go to ${endpoint}`);
  console.log(`checkout:  ${checkout.checkoutUrl}`);
  console.log(
    `try:       curl -s -X POST ${checkout.checkoutUrl} -H 'content-type: application/json' -d '{"cart": 42}'`,
  );
  console.log('Ctrl-C stops everything.');
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}

module.exports = { startCheckout };
