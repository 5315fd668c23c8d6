/**
 * tracespec's Jest runtime (`runtime` in the Jest config; `preset: 'tracespec'` sets it).
 *
 * Why it exists: every OpenTelemetry auto-instrumentation patches a library when Node's
 * `require` loads it, through `require-in-the-middle`, which wraps `Module.prototype.require`.
 * Jest never calls that: jest-runtime reads, transforms and evaluates each module itself,
 * in a registry of its own per test file. So under Jest the instrumentations see nothing
 * and http, express, pg, ... produce no spans.
 *
 * What it does: it is Jest's own `Runtime`, plus one step after Jest has evaluated a
 * CommonJS module (of the test file, of the application code it imports, of the setup
 * files): the instrumentations registered with `installCapture({ instrumentations })` patch
 * it, as `require-in-the-middle` would have, and the patched exports go into Jest's
 * registry, so every later `require` of that module instance gets them. Node builtins
 * (`http`, `https`, ...) get a patched copy per test file. At the end of the test file the
 * instrumentations are disabled, which undoes what their patches did to shared objects.
 *
 * Not covered: native ES modules (Jest's `--experimental-vm-modules` loader, and
 * `require(esm)` on Node 24.9+), which Jest links without this step; modules loaded before
 * `installCapture({ instrumentations })` ran (as in production, instrumentations must be
 * registered before the library is loaded). Module mocks are left alone: a `jest.mock`
 * factory or a `__mocks__` file is not the library's package, so nothing matches it.
 */

import { createRequire } from 'node:module';
import { sep } from 'node:path';
import { type InstrumentationLike, JEST_RUNTIME_MARKER } from './capture/instrumentations';
import { builtinName, ModulePatcher } from './capture/module-patcher';
import { captureRuntimeOf } from './capture/runtime';

/** The parts of jest-runtime's `Runtime` this class relies on (Jest 29 and 30). */
interface JestRuntimeLike {
  requireModule(
    from: string,
    moduleName?: string,
    options?: unknown,
    isRequireActual?: boolean,
  ): unknown;
  teardown(): void;
}

interface LocalModuleLike {
  exports: unknown;
}

interface JestEnvironmentLike {
  global?: Record<PropertyKey, unknown> | null;
}

type RuntimeClass = new (...args: unknown[]) => JestRuntimeLike;

/**
 * The jest-runtime of the Jest running this file. The runner that loads us has loaded its
 * own, so it is found in the require cache first; resolving `jest-runtime` from tracespec's
 * location could find another copy in a project with several Jest versions.
 */
function jestRuntimeClass(): RuntimeClass {
  const marker = `${sep}jest-runtime${sep}build${sep}index.js`;
  const runnerMarker = `${sep}jest-runner${sep}build${sep}`;
  const cached = Object.keys(require.cache);
  const loaded = cached.find((path) => path.endsWith(marker));
  const runner = cached.find((path) => path.includes(runnerMarker));
  const exports = loaded
    ? require.cache[loaded]?.exports
    : runner
      ? createRequire(runner)('jest-runtime')
      : require('jest-runtime');
  const Runtime = (exports as { default?: unknown }).default ?? exports;
  if (typeof Runtime !== 'function') {
    throw new Error(
      "tracespec's Jest runtime could not find Jest's own Runtime class in jest-runtime; it supports Jest 29 and 30.",
    );
  }
  return Runtime as RuntimeClass;
}

const Runtime = jestRuntimeClass();

export default class TracespecRuntime extends Runtime {
  readonly #patcher: ModulePatcher;

  constructor(...args: unknown[]) {
    super(...args);
    const environment = args[1] as JestEnvironmentLike | undefined;
    const global = environment?.global ?? undefined;
    if (global) {
      Object.defineProperty(global, JEST_RUNTIME_MARKER, { value: true, configurable: true });
    }
    const warn = (message: string) => {
      const console = global?.console as { warn?: (m: string) => void } | undefined;
      (console?.warn ?? process.emitWarning)(message);
    };
    this.#patcher = new ModulePatcher(() => registered(global), warn);

    // Jest 30.5+ evaluates CommonJS modules in an internal loader; older Jest in
    // Runtime#_loadModule, which the method below overrides. Both take the same arguments.
    const loader = (this as { cjsLoader?: { loadModule?: LoadModule } }).cjsLoader;
    const original = loader?.loadModule;
    if (loader && typeof original === 'function') {
      loader.loadModule = (...load: Parameters<LoadModule>) => {
        original.apply(loader, load);
        this.#afterLoad(load);
      };
    }
  }

  override requireModule(
    from: string,
    moduleName?: string,
    options?: unknown,
    isRequireActual?: boolean,
  ): unknown {
    const exports = super.requireModule(from, moduleName, options, isRequireActual);
    const builtin = builtinName(moduleName);
    return builtin ? this.#patcher.patchBuiltin(builtin, exports) : exports;
  }

  /** Jest 29 and 30 before 30.5. */
  _loadModule(...load: Parameters<LoadModule>): void {
    const base = Object.getPrototypeOf(TracespecRuntime.prototype) as { _loadModule?: LoadModule };
    base._loadModule?.apply(this, load);
    this.#afterLoad(load);
  }

  override teardown(): void {
    this.#patcher.dispose();
    super.teardown();
  }

  #afterLoad([localModule, , moduleName, modulePath, options]: Parameters<LoadModule>): void {
    // Jest's own modules (the test framework, the environment's helpers) are not the code under test.
    if ((options as { isInternalModule?: boolean } | undefined)?.isInternalModule) return;
    if (typeof modulePath !== 'string' || !localModule) return;
    const loaded = localModule.exports;
    const patched = this.#patcher.patchLoaded(loaded, modulePath, moduleName);
    // Only when something patched it: some registry entries expose `exports` as a getter
    // (Jest's wrapper of an ES module loaded with require()).
    if (patched !== loaded) localModule.exports = patched;
  }
}

type LoadModule = (
  localModule: LocalModuleLike,
  from: string,
  moduleName: string | undefined,
  modulePath: string,
  options: unknown,
  moduleRegistry: unknown,
) => void;

/** What `installCapture({ instrumentations })` registered in the test file's realm. */
function registered(
  global: Record<PropertyKey, unknown> | undefined,
): readonly InstrumentationLike[] {
  return (global && captureRuntimeOf(global)?.instrumentations) || [];
}
