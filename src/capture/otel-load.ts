/**
 * Loading OpenTelemetry packages on first use.
 *
 * They are optional peers: `tracespec` must load for someone who only uses the CLI, so
 * nothing imports them at the top of a module. Each loader names the packages to install
 * when one is missing, and tells a missing package apart from one that failed to load.
 */

import { CaptureSetupError } from './errors';
import type { ContextManagerLike, OtelApiLike, TracerProviderLike } from './otel-types';

const INSTALL_LINES =
  'Install one OpenTelemetry line next to tracespec:\n' +
  '  2.x: npm install --save-dev @opentelemetry/api@^1.9 @opentelemetry/sdk-trace-base@^2 @opentelemetry/context-async-hooks@^2 @opentelemetry/core@^2\n' +
  '  3.x: npm install --save-dev @opentelemetry/api@^1.10 @opentelemetry/sdk-trace@^3 @opentelemetry/context-async-hooks@^3 @opentelemetry/core@^3';

/** A tracer provider class of the SDK found, and what it was loaded from. */
export interface LoadedSdk {
  /** `@opentelemetry/sdk-trace-base` or `@opentelemetry/sdk-trace`. */
  readonly packageName: string;
  readonly Provider: new (options: Record<string, unknown>) => TracerProviderLike;
  readonly AlwaysOnSampler: (new () => object) | undefined;
}

/** Thrown by `require` when the package itself is absent (not when a file inside it fails). */
function isMissing(error: unknown, packageName: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (
    e !== null &&
    typeof e === 'object' &&
    e.code === 'MODULE_NOT_FOUND' &&
    typeof e.message === 'string' &&
    e.message.includes(`'${packageName}'`)
  );
}

function loadFailed(packageName: string, error: unknown): CaptureSetupError {
  return new CaptureSetupError(
    `tracespec capture: ${packageName} is installed but failed to load: ${String(error)}`,
    { cause: error },
  );
}

export function loadApi(): OtelApiLike {
  try {
    return require('@opentelemetry/api') as OtelApiLike;
  } catch (error) {
    if (!isMissing(error, '@opentelemetry/api')) throw loadFailed('@opentelemetry/api', error);
    throw new CaptureSetupError(
      `tracespec capture needs @opentelemetry/api, which is not installed.\n${INSTALL_LINES}`,
      { cause: error },
    );
  }
}

export function loadSdk(): LoadedSdk {
  let base: Record<string, unknown> | undefined;
  try {
    base = require('@opentelemetry/sdk-trace-base') as Record<string, unknown>;
  } catch (error) {
    if (!isMissing(error, '@opentelemetry/sdk-trace-base')) {
      throw loadFailed('@opentelemetry/sdk-trace-base', error);
    }
  }
  if (base && typeof base.BasicTracerProvider === 'function') {
    return sdkFrom('@opentelemetry/sdk-trace-base', base, base.BasicTracerProvider);
  }
  let sdk: Record<string, unknown> | undefined;
  try {
    sdk = require('@opentelemetry/sdk-trace') as Record<string, unknown>;
  } catch (error) {
    if (!isMissing(error, '@opentelemetry/sdk-trace')) {
      throw loadFailed('@opentelemetry/sdk-trace', error);
    }
  }
  // 3.x names the class TracerProvider; BasicTracerProvider stays the 2.x name.
  const Provider = sdk?.BasicTracerProvider ?? sdk?.TracerProvider;
  if (sdk && typeof Provider === 'function') {
    return sdkFrom('@opentelemetry/sdk-trace', sdk, Provider);
  }
  throw new CaptureSetupError(
    'tracespec capture needs an OpenTelemetry tracing SDK to create a tracer provider, and found ' +
      'neither @opentelemetry/sdk-trace-base (2.x) nor @opentelemetry/sdk-trace (3.x).\n' +
      `${INSTALL_LINES}\n` +
      'Or hand tracespec a provider you configure yourself: installCapture({ provider }).',
  );
}

function sdkFrom(packageName: string, exports: Record<string, unknown>, Provider: unknown) {
  const sampler = exports.AlwaysOnSampler;
  return {
    packageName,
    Provider: Provider as LoadedSdk['Provider'],
    AlwaysOnSampler: typeof sampler === 'function' ? (sampler as new () => object) : undefined,
  };
}

/** A new, not yet enabled, `AsyncLocalStorageContextManager`. */
export function createContextManager(): ContextManagerLike {
  let exports: { AsyncLocalStorageContextManager?: new () => ContextManagerLike };
  try {
    exports = require('@opentelemetry/context-async-hooks');
  } catch (error) {
    if (!isMissing(error, '@opentelemetry/context-async-hooks')) {
      throw loadFailed('@opentelemetry/context-async-hooks', error);
    }
    throw new CaptureSetupError(
      'tracespec capture needs a context manager so that a span started after an await knows its ' +
        'parent, and no context manager is registered and @opentelemetry/context-async-hooks is ' +
        `not installed.\n${INSTALL_LINES}`,
      { cause: error },
    );
  }
  const Manager = exports.AsyncLocalStorageContextManager;
  if (typeof Manager !== 'function') {
    throw new CaptureSetupError(
      '@opentelemetry/context-async-hooks has no AsyncLocalStorageContextManager; install a 2.x or 3.x version.',
    );
  }
  return new Manager();
}

/** The W3C trace-context propagator, or undefined when `@opentelemetry/core` is absent. */
export function loadW3CPropagator(): object | undefined {
  try {
    const core = require('@opentelemetry/core') as { W3CTraceContextPropagator?: new () => object };
    return typeof core.W3CTraceContextPropagator === 'function'
      ? new core.W3CTraceContextPropagator()
      : undefined;
  } catch {
    return undefined;
  }
}
