// Required first by every service: instrumentation patches `http` when it is required, so
// this module must run before the service's own `require('node:http')`.

const { inspect } = require('node:util');
const { DiagLogLevel, diag } = require('@opentelemetry/api');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');

// Registered against the global (proxy) tracer provider before the SDK and the exporters
// are loaded, so nothing can take hold of an unpatched `http` first; the proxy hands spans
// to the provider once it is registered below.
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

const { resourceFromAttributes } = require('@opentelemetry/resources');
const { BatchSpanProcessor, NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { ATTR_SERVICE_NAME } = require('@opentelemetry/semantic-conventions');

const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318/v1/traces';
const PROTOCOLS = ['http/json', 'http/protobuf'];

const LOG_LEVEL =
  DiagLogLevel[(process.env.OTEL_LOG_LEVEL ?? 'ERROR').toUpperCase()] ?? DiagLogLevel.ERROR;

/**
 * The SDK's problems (receiver down, batch rejected) as one line each on stderr: the SDK is
 * silent without a logger, and its error handler hands over exceptions as JSON with stacks.
 */
function oneLineLogger(prefix) {
  const text = (arg) => {
    if (arg instanceof Error) return arg.message;
    if (typeof arg !== 'string') return inspect(arg, { breakLength: Number.POSITIVE_INFINITY });
    if (arg.startsWith('{')) {
      try {
        return JSON.parse(arg).message ?? arg;
      } catch {
        return arg;
      }
    }
    return arg;
  };
  const log =
    (level) =>
    (...args) =>
      console.error(`${prefix} ${level}: ${args.map(text).join(' ')}`);
  return {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    verbose: log('verbose'),
  };
}

/**
 * Starts the SDK for one service: its resource, W3C trace context (the default propagator),
 * and a batch processor exporting over OTLP/HTTP to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`.
 * `protocol` is the service's own encoding; `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` overrides
 * it when it names one of the two HTTP encodings.
 */
function startTracing(serviceName, { protocol }) {
  diag.setLogger(oneLineLogger('opentelemetry'), { logLevel: LOG_LEVEL });
  const requested = process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL;
  const chosen = PROTOCOLS.includes(requested) ? requested : protocol;
  const url = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || DEFAULT_ENDPOINT;
  // Only the chosen exporter is loaded: each package pulls in its own serializer.
  const { OTLPTraceExporter } =
    chosen === 'http/protobuf'
      ? require('@opentelemetry/exporter-trace-otlp-proto')
      : require('@opentelemetry/exporter-trace-otlp-http');
  // Under the launcher's 5 s stop grace, so that a service whose receiver is gone still
  // gives up, reports it and exits 0 on SIGTERM instead of being killed mid-retry.
  const timeout = Number(process.env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT);
  const exporter = new OTLPTraceExporter({
    url,
    timeoutMillis: Number.isFinite(timeout) && timeout > 0 ? timeout : 3000,
  });
  // The SDK's 5 s default would keep a trace incomplete for longer than a test waits for it.
  const delay = Number(process.env.OTEL_BSP_SCHEDULE_DELAY);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        scheduledDelayMillis: Number.isFinite(delay) && delay >= 0 ? delay : 200,
      }),
    ],
  });
  provider.register();
  return { protocol: chosen, url, shutdown: () => provider.shutdown() };
}

module.exports = { startTracing };
