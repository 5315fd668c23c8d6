/**
 * `installCapture`: make spans from code that only uses `@opentelemetry/api` reach
 * tracespec, with a provider tracespec creates or with the user's own.
 */

import { attachProcessor } from './attach';
import { createDefaultProvider } from './default-provider';
import { describeProvider } from './describe';
import { CaptureSetupError } from './errors';
import { ensureContextManager, ensurePropagator, registerProvider } from './globals';
import {
  checkInstrumentations,
  type InstrumentationLike,
  isInstrumentationEnabled,
  underTracespecRuntime,
} from './instrumentations';
import { loadApi } from './otel-load';
import type { TracerProviderLike } from './otel-types';
import type { CaptureProcessor } from './processor';
import { captureRuntime } from './runtime';

export interface InstallCaptureOptions {
  /**
   * Your own tracer provider (2.x or 3.x SDK): tracespec attaches its processor to it
   * instead of creating a provider. Construct it with `spanProcessors:
   * [captureProcessor(), ...yours]` to attach the documented way; otherwise tracespec adds
   * its processor to the provider's processor list (see {@link CaptureInstallation.attachedBy}).
   * It is registered as the global provider if none is.
   */
  readonly provider?: TracerProviderLike;
  /**
   * Take over from an earlier registration: tracespec's own (to switch providers) or
   * another global tracer provider. Without it, installing over a different registration
   * fails with an explanation, because the API ignores a second registration silently.
   */
  readonly replace?: boolean;
  /**
   * Options for the provider tracespec creates (`resource`, `sampler`, `idGenerator`,
   * `spanLimits`, more `spanProcessors`). tracespec's processor always comes first, and
   * the sampler defaults to always-on so that `OTEL_TRACES_SAMPLER` cannot thin out a test.
   * Ignored with `provider`.
   */
  readonly providerOptions?: Readonly<Record<string, unknown>>;
  /**
   * OpenTelemetry instrumentations (`new HttpInstrumentation()`, `new
   * ExpressInstrumentation()`, ... of either line): enabled with capture's tracer provider,
   * and applied by tracespec's Jest runtime (`preset: 'tracespec'`) to the modules Jest
   * loads after this call. Without that runtime they patch nothing under Jest, whose module
   * registry bypasses their `require` hook. Added to those of earlier calls.
   */
  readonly instrumentations?: readonly InstrumentationLike[];
}

/** What `installCapture` set up, and how. */
export interface CaptureInstallation {
  /** `default`: tracespec created the provider; `attached`: it uses yours. */
  readonly mode: 'default' | 'attached';
  readonly provider: TracerProviderLike;
  readonly processor: CaptureProcessor;
  /** The SDK package the default provider came from. */
  readonly sdkPackage: string | undefined;
  /**
   * How the processor reached your provider: `constructor` when you listed
   * `captureProcessor()` in `spanProcessors` (the supported way), `processor-list` when
   * tracespec appended it to the provider's internal list, which the 2.x and 3.x
   * `TracerProvider` both keep (`_activeSpanProcessor._spanProcessors`).
   */
  readonly attachedBy: 'constructor' | 'processor-list' | undefined;
  /** What was registered with the API and what was left as found, one line each. */
  readonly notes: readonly string[];
}

/**
 * tracespec's span processor for this global object. List it when you construct your
 * own provider: `new NodeTracerProvider({ spanProcessors: [captureProcessor(), ...] })`,
 * then `installCapture({ provider })`.
 */
export function captureProcessor(): CaptureProcessor {
  return captureRuntime().processor;
}

/**
 * Capture the spans of code that uses `@opentelemetry/api`. Without options it creates a
 * provider (`BasicTracerProvider` of `@opentelemetry/sdk-trace-base`, or the
 * `TracerProvider` of `@opentelemetry/sdk-trace` 3.x) and registers it with an
 * `AsyncLocalStorageContextManager` and the W3C propagator where none is registered.
 *
 * Idempotent: when capture is installed, a call without `provider` returns the existing
 * installation, and so does a call with the provider already in use; anything else needs
 * `replace: true`.
 */
export function installCapture(options: InstallCaptureOptions = {}): CaptureInstallation {
  const instrumentations =
    options.instrumentations === undefined ? [] : checkInstrumentations(options.instrumentations);
  const installation = install(options);
  registerInstrumentations(instrumentations, installation.provider);
  return installation;
}

function install(options: InstallCaptureOptions): CaptureInstallation {
  const runtime = captureRuntime();
  const wanted = options.provider ? unwrapProxy(options.provider) : undefined;
  const existing = runtime.installation;
  if (existing && !options.replace) {
    if (!wanted || wanted === existing.provider) return existing;
    throw new CaptureSetupError(
      `installCapture({ provider }): capture is already installed with ${describeInstallation(existing)}, ` +
        'and tracespec captures through one provider at a time. Pass { replace: true } to switch ' +
        'to the new provider, or call installCapture once, before any test runs (a setup file).',
    );
  }
  if (existing) {
    const previous = uninstallNow();
    if (previous?.mode === 'default') {
      // Replacing is synchronous; the old provider holds only tracespec's processor and the
      // user's extra ones, so it can finish shutting down in the background.
      void Promise.resolve(previous.provider.shutdown?.()).catch(() => undefined);
    }
  }

  const api = loadApi();
  const undo: (() => void)[] = [];
  const notes: string[] = [];
  try {
    let provider: TracerProviderLike;
    let sdkPackage: string | undefined;
    let attachedBy: CaptureInstallation['attachedBy'];
    if (wanted) {
      provider = wanted;
      const attached = attachProcessor(wanted, runtime.processor);
      attachedBy = attached.by;
      undo.push(attached.detach);
    } else {
      const created = createDefaultProvider(runtime.processor, options.providerOptions);
      provider = created.provider;
      sdkPackage = created.packageName;
      notes.push(`created a tracer provider from ${created.packageName}`);
    }
    const registration = registerProvider(api, provider, {
      replace: options.replace === true,
      mode: wanted ? 'attached' : 'default',
    });
    undo.push(registration.undo);
    notes.push(registration.note);
    const contextManager = ensureContextManager(api);
    undo.push(contextManager.undo);
    notes.push(contextManager.note);
    const propagator = ensurePropagator(api);
    undo.push(propagator.undo);
    notes.push(propagator.note);
    runtime.installation = {
      mode: wanted ? 'attached' : 'default',
      provider,
      processor: runtime.processor,
      sdkPackage,
      attachedBy,
      notes,
      undo,
    };
    return runtime.installation;
  } catch (error) {
    runUndo(undo);
    throw error;
  }
}

/**
 * Undo `installCapture`: unregister what it registered, detach from your provider, shut
 * down the provider it created, and forget every captured span. Tracers that application
 * code obtained earlier keep pointing at the old provider (the API caches them), so install
 * once per test file rather than around each test.
 */
export async function uninstallCapture(): Promise<void> {
  const installation = uninstallNow();
  if (installation?.mode === 'default') await installation.provider.shutdown?.();
}

function uninstallNow(): CaptureInstallation | undefined {
  const runtime = captureRuntime();
  const installation = runtime.installation;
  if (!installation) return undefined;
  runtime.installation = undefined;
  // disable() unpatches what the Jest runtime patched (it recorded moduleExports as RITM does).
  for (const instrumentation of runtime.instrumentations.splice(0)) {
    try {
      instrumentation.disable();
    } catch {
      // One instrumentation failing to unpatch must not keep capture installed.
    }
  }
  runUndo([...installation.undo]);
  runtime.reset();
  return installation;
}

/**
 * Points the instrumentations at capture's provider and enables them, once each. Under
 * Jest without tracespec's runtime they would record nothing, silently: say so once.
 */
function registerInstrumentations(
  instrumentations: readonly InstrumentationLike[],
  provider: TracerProviderLike,
): void {
  if (instrumentations.length === 0) return;
  const runtime = captureRuntime();
  for (const instrumentation of instrumentations) {
    if (runtime.instrumentations.includes(instrumentation)) continue;
    instrumentation.setTracerProvider?.(provider);
    if (!isInstrumentationEnabled(instrumentation)) instrumentation.enable();
    runtime.instrumentations.push(instrumentation);
  }
  if (
    process.env.JEST_WORKER_ID !== undefined &&
    !underTracespecRuntime() &&
    !runtime.warnedNoHooks
  ) {
    runtime.warnedNoHooks = true;
    console.warn(
      "tracespec: installCapture({ instrumentations }) under Jest without tracespec's Jest runtime: " +
        "Jest's module registry bypasses the require hook these instrumentations patch libraries with, " +
        "so they will record no spans. Add preset: 'tracespec' to the Jest config (or, with another " +
        'preset, runtime: \'tracespec/jest-runtime\'; see the README, "Why are my spans missing in Jest?").',
    );
  }
}

function runUndo(steps: (() => void)[]): void {
  for (const step of steps.reverse()) {
    try {
      step();
    } catch {
      // Undoing one registration must not stop the others.
    }
  }
}

/** `trace.getTracerProvider()` returns the API's proxy; the SDK provider is its delegate. */
function unwrapProxy(provider: TracerProviderLike): TracerProviderLike {
  const delegate = (provider as { getDelegate?: () => TracerProviderLike }).getDelegate;
  return typeof delegate === 'function' ? delegate.call(provider) : provider;
}

function describeInstallation(installation: CaptureInstallation): string {
  return installation.mode === 'default'
    ? `the provider tracespec created (${installation.sdkPackage})`
    : `your ${describeProvider(installation.provider)}`;
}
