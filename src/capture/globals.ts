/**
 * Registering with `@opentelemetry/api`'s globals: the tracer provider, a context manager
 * and a propagator. The API ignores a second registration silently (it returns false), so
 * every step checks what is already there, and each returns how to undo itself.
 */

import { describeProvider } from './describe';
import { CaptureSetupError } from './errors';
import { createContextManager, loadW3CPropagator } from './otel-load';
import type { OtelApiLike, TracerProviderLike } from './otel-types';

export interface Registration {
  readonly undo: () => void;
  /** One line for `CaptureInstallation.notes`. */
  readonly note: string;
}

const NOTHING_TO_UNDO = () => undefined;

export function registerProvider(
  api: OtelApiLike,
  provider: TracerProviderLike,
  options: { replace: boolean; mode: 'default' | 'attached' },
): Registration {
  if (api.trace.setGlobalTracerProvider(provider)) {
    return {
      undo: () => api.trace.disable(),
      note: `registered ${describeProvider(provider)} as the global tracer provider`,
    };
  }
  const proxy = api.trace.getTracerProvider();
  const current = typeof proxy.getDelegate === 'function' ? proxy.getDelegate() : proxy;
  if (current === provider) {
    return { undo: NOTHING_TO_UNDO, note: 'the provider was already the global tracer provider' };
  }
  if (!options.replace) throw conflict(current, options.mode);
  const name = describeProvider(current);
  const setDelegate = proxy.setDelegate;
  if (typeof setDelegate === 'function') {
    // Swapping the delegate of the registered proxy also reaches tracers obtained earlier
    // that have not started a span yet; unregistering would strand them on the old proxy.
    setDelegate.call(proxy, provider);
    return {
      undo: () => setDelegate.call(proxy, current),
      note: `replaced the global tracer provider (${name})`,
    };
  }
  api.trace.disable();
  api.trace.setGlobalTracerProvider(provider);
  return {
    undo: () => {
      api.trace.disable();
      api.trace.setGlobalTracerProvider(current);
    },
    note: `replaced the global tracer provider (${name})`,
  };
}

function conflict(current: TracerProviderLike, mode: 'default' | 'attached'): CaptureSetupError {
  const name = describeProvider(current);
  if (mode === 'attached') {
    return new CaptureSetupError(
      `installCapture({ provider }): another tracer provider (${name}) is registered with ` +
        '@opentelemetry/api, so code that uses the API sends its spans there, not to the ' +
        'provider you passed. Pass the registered provider instead, or add { replace: true } to ' +
        'make yours the global one.',
    );
  }
  return new CaptureSetupError(
    `installCapture(): a tracer provider (${name}) is already registered with @opentelemetry/api, ` +
      'which ignores a second registration, so tracespec would capture nothing. Either attach ' +
      'tracespec to that provider with installCapture({ provider }) (construct it with ' +
      'spanProcessors: [captureProcessor(), ...yours]), or let tracespec take over with ' +
      'installCapture({ replace: true }).',
  );
}

const PROBE = Symbol('tracespec.capture.probe');

/**
 * Register an `AsyncLocalStorageContextManager` unless a context manager already works.
 * Without one, `context.with` does nothing and every span is a root.
 */
export function ensureContextManager(api: OtelApiLike): Registration {
  const probe = api.ROOT_CONTEXT.setValue(PROBE, true);
  const works = api.context.with(probe, () => api.context.active().getValue(PROBE) === true);
  if (works) {
    return { undo: NOTHING_TO_UNDO, note: 'kept the context manager that was registered' };
  }
  // enable() is easy to forget: a manager that is not enabled propagates nothing.
  const manager = createContextManager().enable();
  if (!api.context.setGlobalContextManager(manager)) {
    manager.disable();
    throw new CaptureSetupError(
      'installCapture(): a context manager is registered with @opentelemetry/api but does not ' +
        'propagate context, so every span would be a root. If you registered an ' +
        'AsyncHooksContextManager or AsyncLocalStorageContextManager yourself, call .enable() on ' +
        'it before registering it; or register none and tracespec registers one.',
    );
  }
  return {
    undo: () => api.context.disable(),
    note: 'registered an AsyncLocalStorageContextManager',
  };
}

/**
 * Register the W3C trace-context propagator when no propagator is set: without it an
 * instrumented HTTP client sends no `traceparent`, and a server span in the same test
 * starts a trace of its own.
 */
export function ensurePropagator(api: OtelApiLike): Registration {
  if (api.propagation.fields().length > 0) {
    return { undo: NOTHING_TO_UNDO, note: 'kept the propagator that was registered' };
  }
  const propagator = loadW3CPropagator();
  if (!propagator) {
    return {
      undo: NOTHING_TO_UNDO,
      note:
        'registered no propagator: @opentelemetry/core is not installed, so client and server ' +
        'spans of an in-process HTTP call will not share a trace',
    };
  }
  if (!api.propagation.setGlobalPropagator(propagator)) {
    return { undo: NOTHING_TO_UNDO, note: 'a propagator was registered meanwhile; kept it' };
  }
  return {
    undo: () => api.propagation.disable(),
    note: 'registered the W3C trace-context propagator',
  };
}
