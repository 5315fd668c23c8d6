/**
 * The OpenTelemetry instrumentations handed to `installCapture({ instrumentations })`.
 *
 * They are kept on the capture runtime of the global object, where tracespec's Jest
 * runtime (`preset: 'tracespec'`, outside the test's realm) finds them when Jest loads a
 * module. Only the shape that both lines' `InstrumentationBase` share is used (2.x
 * `@opentelemetry/instrumentation` 0.2xx and 3.x 0.3xx), so nothing here imports them.
 */

import type { TracerProviderLike } from './otel-types';

/** A file inside a package that an instrumentation patches (`InstrumentationNodeModuleFile`). */
export interface InstrumentationFileLike {
  readonly name: string;
  readonly supportedVersions: readonly string[];
  patch?: (exports: unknown, version?: string) => unknown;
  unpatch?: (exports?: unknown, version?: string) => void;
  moduleExports?: unknown;
}

/** A module an instrumentation patches (`InstrumentationNodeModuleDefinition`). */
export interface InstrumentationModuleDefinitionLike {
  readonly name: string;
  readonly supportedVersions: readonly string[];
  readonly includePrerelease?: boolean;
  readonly files?: readonly InstrumentationFileLike[];
  patch?: (exports: unknown, version?: string) => unknown;
  unpatch?: (exports?: unknown, version?: string) => void;
  moduleExports?: unknown;
  moduleVersion?: string;
}

/** An `InstrumentationBase` of either OpenTelemetry line. */
export interface InstrumentationLike {
  readonly instrumentationName: string;
  enable(): void;
  disable(): void;
  setTracerProvider?(provider: TracerProviderLike): void;
  isEnabled?(): boolean;
  getModuleDefinitions?(): readonly InstrumentationModuleDefinitionLike[];
}

/**
 * The instrumentation's own definitions: `_modules`, which its `enable()`/`disable()`
 * read (3.x `getModuleDefinitions()` calls `init()` again and returns new objects, which
 * `disable()` would never unpatch); `getModuleDefinitions()` when there is no `_modules`.
 */
export function moduleDefinitionsOf(
  instrumentation: InstrumentationLike,
): readonly InstrumentationModuleDefinitionLike[] {
  const own = (instrumentation as { _modules?: unknown })._modules;
  if (Array.isArray(own)) return own as InstrumentationModuleDefinitionLike[];
  try {
    return instrumentation.getModuleDefinitions?.() ?? [];
  } catch {
    return [];
  }
}

export function isInstrumentationEnabled(instrumentation: InstrumentationLike): boolean {
  if (typeof instrumentation.isEnabled === 'function') return instrumentation.isEnabled();
  return (instrumentation as { _enabled?: unknown })._enabled !== false;
}

/** Checks the caller's list before anything is registered: a wrong item fails the setup file. */
export function checkInstrumentations(list: unknown): readonly InstrumentationLike[] {
  if (!Array.isArray(list)) {
    throw new TypeError(
      `installCapture({ instrumentations }): expected an array of instrumentations (new HttpInstrumentation(), ...), got ${typeof list}`,
    );
  }
  list.forEach((item: unknown, index) => {
    const candidate = item as Partial<InstrumentationLike> | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      typeof candidate.enable !== 'function' ||
      typeof candidate.disable !== 'function'
    ) {
      throw new TypeError(
        `installCapture({ instrumentations }): item ${index} is not an OpenTelemetry instrumentation ` +
          '(an object with enable() and disable(), such as new HttpInstrumentation()). ' +
          'Pass instances, not classes or packages.',
      );
    }
  });
  return list as InstrumentationLike[];
}

/**
 * The marker tracespec's Jest runtime puts on the test's global object, so that capture
 * can tell users whose instrumentations cannot work (Jest's own runtime) why.
 */
export const JEST_RUNTIME_MARKER: symbol = Symbol.for('tracespec.jest.runtime');

/** Whether this test file runs under tracespec's Jest runtime. */
export function underTracespecRuntime(): boolean {
  return (globalThis as { [JEST_RUNTIME_MARKER]?: unknown })[JEST_RUNTIME_MARKER] === true;
}
