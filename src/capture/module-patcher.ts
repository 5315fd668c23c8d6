/**
 * What `require-in-the-middle` does for an instrumentation, done for a module that a
 * loader other than Node's (Jest's module registry) has just loaded: find the registered
 * instrumentations' definitions for the module's package, check the package version
 * against `supportedVersions`, and call `patch(exports, version)`, whose return value
 * becomes the module's exports. Mirrors `InstrumentationBase._onRequire` of both
 * OpenTelemetry lines (0.2xx and 0.3xx), including the `moduleExports`/`moduleVersion` it
 * records, so that the instrumentation's own `disable()` unpatches what was patched here.
 *
 * Code in here runs inside every `require` of the code under test: it never throws into
 * it. A patch that throws leaves the module as loaded and is reported through `warn`.
 */

import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, normalize, relative, sep } from 'node:path';
import { satisfies } from 'semver';
import {
  type InstrumentationLike,
  type InstrumentationModuleDefinitionLike,
  isInstrumentationEnabled,
  moduleDefinitionsOf,
} from './instrumentations';

/** The package a file belongs to, as `require-in-the-middle` reads it from the path. */
export interface PackageOfFile {
  readonly name: string;
  readonly version: string | undefined;
  /** The package's directory (`.../node_modules/<name>`). */
  readonly dir: string;
}

const NODE_MODULES = `${sep}node_modules${sep}`;
const BUILTINS = new Set(builtinModules);

/** `node:http` and `http` alike; undefined for anything that is not a Node builtin. */
export function builtinName(request: string | undefined): string | undefined {
  if (!request) return undefined;
  const bare = request.startsWith('node:') ? request.slice(5) : request;
  return BUILTINS.has(bare) ? bare : undefined;
}

export function isSupported(
  supportedVersions: readonly string[],
  version: string | undefined,
  includePrerelease: boolean | undefined,
): boolean {
  if (version === undefined) return supportedVersions.includes('*');
  return supportedVersions.some((range) =>
    satisfies(version, range, { includePrerelease: includePrerelease === true }),
  );
}

/**
 * Applies instrumentations to the modules of one module registry's lifetime (one Jest
 * test file). Packages and their main files are looked up once per path.
 */
export class ModulePatcher {
  readonly #packages = new Map<string, PackageOfFile | null>();
  readonly #mains = new Map<string, string | null>();
  /** Builtins handed to the code under test: a patched copy per name, and what it had. */
  readonly #builtins = new Map<
    string,
    { exports: unknown; applied: Set<InstrumentationModuleDefinitionLike> }
  >();
  /** Every instrumentation that patched something, for {@link ModulePatcher.dispose}. */
  readonly #used = new Set<InstrumentationLike>();

  constructor(
    private readonly instrumentations: () => readonly InstrumentationLike[],
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * The exports the code under test gets for a file just loaded from `path` (requested as
   * `request`): `exports` patched by every matching definition, or `exports` itself.
   */
  patchLoaded(exports: unknown, path: string, request: string | undefined): unknown {
    const list = this.instrumentations();
    if (list.length === 0 || !path.includes(NODE_MODULES)) return exports;
    const pkg = this.packageOf(path);
    if (!pkg) return exports;
    let current = exports;
    for (const instrumentation of list) {
      for (const definition of moduleDefinitionsOf(instrumentation)) {
        if (definition.name !== pkg.name) continue;
        current = this.#applyToPackageFile(
          instrumentation,
          definition,
          pkg,
          current,
          path,
          request,
        );
      }
    }
    return current;
  }

  /**
   * The exports the code under test gets for a Node builtin. Builtins are one object per
   * process, shared by every test file of a worker and by Jest itself, so the patches go on
   * a copy made for this registry; definitions registered after the first `require` of the
   * builtin are applied on the next one. Patches that reach shared objects anyway (the
   * HTTP instrumentation wraps `http.Server.prototype.emit`) are undone by {@link dispose}.
   */
  patchBuiltin(name: string, real: unknown): unknown {
    const entry = this.#builtins.get(name);
    const pending: [InstrumentationLike, InstrumentationModuleDefinitionLike][] = [];
    for (const instrumentation of this.instrumentations()) {
      for (const definition of moduleDefinitionsOf(instrumentation)) {
        if (definition.name !== name || entry?.applied.has(definition)) continue;
        if (typeof definition.patch !== 'function') continue;
        pending.push([instrumentation, definition]);
      }
    }
    if (pending.length === 0) return entry ? entry.exports : real;
    const current = entry ?? { exports: copyOf(real), applied: new Set() };
    this.#builtins.set(name, current);
    for (const [instrumentation, definition] of pending) {
      current.applied.add(definition);
      definition.moduleExports = current.exports;
      if (!isInstrumentationEnabled(instrumentation)) continue;
      current.exports =
        this.#patch(instrumentation, name, () => definition.patch?.(current.exports)) ??
        current.exports;
    }
    return current.exports;
  }

  /**
   * The test file is over: each instrumentation that patched something here unpatches
   * (its `disable()` reads the `moduleExports` recorded above) and drops the
   * `require-in-the-middle` hooks its constructor installed in Jest's own process.
   */
  dispose(): void {
    for (const instrumentation of this.#used) {
      try {
        instrumentation.disable();
      } catch (error) {
        this.warn(
          `tracespec: ${instrumentation.instrumentationName}.disable() failed after the test file: ${String(error)}`,
        );
      }
    }
    this.#used.clear();
    this.#builtins.clear();
  }

  /** The package of a file under node_modules, read from the path as RITM does. */
  packageOf(path: string): PackageOfFile | undefined {
    const at = path.lastIndexOf(NODE_MODULES);
    if (at < 0) return undefined;
    const rest = path.slice(at + NODE_MODULES.length).split(sep);
    const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : rest[0];
    if (!name) return undefined;
    const dir = join(path.slice(0, at + NODE_MODULES.length), ...name.split('/'));
    const cached = this.#packages.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let found: PackageOfFile | null = null;
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        version?: unknown;
      };
      found = {
        name,
        version: typeof manifest.version === 'string' ? manifest.version : undefined,
        dir,
      };
    } catch {
      found = null;
    }
    this.#packages.set(dir, found);
    return found ?? undefined;
  }

  #applyToPackageFile(
    instrumentation: InstrumentationLike,
    definition: InstrumentationModuleDefinitionLike,
    pkg: PackageOfFile,
    exports: unknown,
    path: string,
    request: string | undefined,
  ): unknown {
    const enabled = isInstrumentationEnabled(instrumentation);
    definition.moduleVersion = pkg.version;
    if (request === pkg.name || this.#isMain(pkg, path)) {
      if (!isSupported(definition.supportedVersions, pkg.version, definition.includePrerelease)) {
        return exports;
      }
      if (typeof definition.patch !== 'function') return exports;
      definition.moduleExports = exports;
      if (!enabled) return exports;
      return (
        this.#patch(instrumentation, pkg.name, () => definition.patch?.(exports, pkg.version)) ??
        exports
      );
    }
    const fileName = normalize(`${pkg.name}${sep}${relative(pkg.dir, path)}`);
    let current = exports;
    for (const file of definition.files ?? []) {
      if (file.name !== fileName) continue;
      if (!isSupported(file.supportedVersions, pkg.version, definition.includePrerelease)) continue;
      file.moduleExports = current;
      if (!enabled || typeof file.patch !== 'function') continue;
      const input = current;
      current =
        this.#patch(instrumentation, fileName, () => file.patch?.(input, pkg.version)) ?? current;
    }
    return current;
  }

  /** Whether `path` is what `require('<package>')` resolves to, the file RITM calls the module. */
  #isMain(pkg: PackageOfFile, path: string): boolean {
    let main = this.#mains.get(pkg.dir);
    if (main === undefined) {
      try {
        main = require.resolve(pkg.name, { paths: [pkg.dir] });
      } catch {
        main = null;
      }
      this.#mains.set(pkg.dir, main);
    }
    return main === path;
  }

  #patch(instrumentation: InstrumentationLike, what: string, apply: () => unknown): unknown {
    this.#used.add(instrumentation);
    try {
      return apply();
    } catch (error) {
      this.warn(
        `tracespec: ${instrumentation.instrumentationName} failed to patch ${what}, which stays uninstrumented: ${String(error)}`,
      );
      return undefined;
    }
  }
}

/** A copy of a builtin's exports with the same prototype and property descriptors (getters included). */
function copyOf(exports: unknown): unknown {
  if (typeof exports !== 'object' || exports === null) return exports;
  return Object.defineProperties(
    Object.create(Object.getPrototypeOf(exports) as object | null) as object,
    Object.getOwnPropertyDescriptors(exports),
  );
}
