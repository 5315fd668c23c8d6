/**
 * The one capture state of a global object.
 *
 * The tracer provider is registered on the global object (the API keys it there), so the
 * processor it calls and the spans it files must be found from the global object too, not
 * from a module instance: under Jest, `jest.resetModules()` and `jest.isolateModules()`
 * load tracespec again while the provider registered by the first copy keeps running. Every
 * copy of tracespec therefore uses the runtime that the first one put on the global.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import type { CaptureInstallation } from './installation';
import type { InstrumentationLike } from './instrumentations';
import { CaptureProcessor } from './processor';
import { CaptureScope } from './scope';

/** The test running in the current async context, as the test runner identifies it. */
export interface RunningTest {
  /** Stable for the test (Jest's test object, or its full name on older Jest). */
  readonly key: object | string;
  /** Its full name, for messages. */
  readonly name: string;
}

/** Capture's state for one global object: the processor, the scopes, the installation. */
export class CaptureRuntime {
  readonly processor = new CaptureProcessor();
  /** The `captureTrace` scope of the current async context (independent of the OTel context). */
  readonly storage = new AsyncLocalStorage<CaptureScope>();
  installation: (CaptureInstallation & { readonly undo: readonly (() => void)[] }) | undefined;
  /** Finds the test of the current async context; set by the Jest wiring. */
  locateTest: (() => RunningTest | undefined) | undefined;
  /** The test running serially (between its beforeEach and afterEach), the fallback. */
  serialTest: RunningTest | undefined;
  /** Whether the Jest hooks are registered for this global (once per test file). */
  jestWired = false;
  /**
   * The instrumentations of `installCapture({ instrumentations })`, in order. tracespec's
   * Jest runtime reads them from outside the test's realm when Jest loads a module.
   */
  instrumentations: InstrumentationLike[] = [];
  /** Whether capture warned that Jest's runtime cannot apply the instrumentations. */
  warnedNoHooks = false;
  #testScopes = new WeakMap<object, CaptureScope>();
  #namedTestScopes = new Map<string, CaptureScope>();

  constructor() {
    this.processor.ambientScope = () => this.ambientScope();
  }

  /** The scope of code running now: its `captureTrace`, else its test. */
  ambientScope(): CaptureScope | undefined {
    return this.storage.getStore() ?? this.testScope();
  }

  runningTest(): RunningTest | undefined {
    return this.locateTest?.() ?? this.serialTest;
  }

  /** The scope of a test (by default the running one), created on first use. */
  testScope(test: RunningTest | undefined = this.runningTest()): CaptureScope | undefined {
    if (!test) return undefined;
    const existing = this.#scopeOf(test.key);
    if (existing) return existing;
    const scope = new CaptureScope(`test "${test.name}"`);
    if (typeof test.key === 'string') this.#namedTestScopes.set(test.key, scope);
    else this.#testScopes.set(test.key, scope);
    return scope;
  }

  /**
   * A test starts (again, when retried): it gets a new scope, so that the spans of a failed
   * attempt, even those still ending, stay out of the next one.
   */
  forgetTest(test: RunningTest): void {
    if (typeof test.key === 'string') this.#namedTestScopes.delete(test.key);
    else this.#testScopes.delete(test.key);
  }

  /** Forget every span and scope (capture was uninstalled). */
  reset(): void {
    this.processor.reset();
    this.#testScopes = new WeakMap();
    this.#namedTestScopes = new Map();
    this.serialTest = undefined;
  }

  #scopeOf(key: object | string): CaptureScope | undefined {
    return typeof key === 'string' ? this.#namedTestScopes.get(key) : this.#testScopes.get(key);
  }
}

const RUNTIME_KEY = Symbol.for('tracespec.capture.runtime.v1');

/** The runtime of another realm's global object (a Jest test file's), if capture made one. */
export function captureRuntimeOf(global: object): CaptureRuntime | undefined {
  return (global as { [RUNTIME_KEY]?: CaptureRuntime })[RUNTIME_KEY];
}

/** The runtime of this global object, created by the first tracespec copy that asks. */
export function captureRuntime(): CaptureRuntime {
  const holder = globalThis as { [RUNTIME_KEY]?: CaptureRuntime };
  let runtime = holder[RUNTIME_KEY];
  if (!runtime) {
    runtime = new CaptureRuntime();
    Object.defineProperty(holder, RUNTIME_KEY, { value: runtime, configurable: true });
  }
  return runtime;
}
