import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { InputError } from '../errors';
import { normalizeSpec, type SpecParts } from './normalize';
import { SpecError, schemaProblems } from './schema';
import type { Spec } from './types';
import { YamlSource } from './yaml-source';

export interface LoadSpecOptions {
  /** For `${VAR}` interpolation; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Base for relative paths in messages; process.cwd() by default. */
  readonly cwd?: string;
}

/**
 * Read, validate and normalise one spec file with everything it includes. Throws a
 * {@link SpecError} listing every problem found (each with file, line and column), or an
 * InputError when a file cannot be read.
 */
export async function loadSpec(file: string, options: LoadSpecOptions = {}): Promise<Spec> {
  const loader = new SpecLoader(options);
  return loader.spec(resolve(options.cwd ?? process.cwd(), file));
}

/**
 * Spec files named on a command line: files as given, folders searched for `*.yaml` and
 * `*.yml` (recursively). Files that another spec of the set includes are fragments, not
 * specs of their own, and are left out.
 */
export async function loadSpecs(
  paths: readonly string[],
  options: LoadSpecOptions = {},
): Promise<Spec[]> {
  const cwd = options.cwd ?? process.cwd();
  const files = await specFiles(paths, cwd);
  const loader = new SpecLoader(options);
  const results: { file: string; spec?: Spec; problems?: InputError[] }[] = [];
  for (const file of files) {
    try {
      results.push({ file, spec: await loader.spec(file) });
    } catch (error) {
      if (error instanceof SpecError) results.push({ file, problems: [...error.problems] });
      else if (error instanceof InputError) results.push({ file, problems: [error] });
      else throw error;
    }
  }
  // Decided once every file is read: a fragment may sort before the spec that includes it.
  const own = results.filter((r) => !loader.included.has(r.file));
  const problems = own.flatMap((r) => r.problems ?? []);
  if (problems.length > 0) throw new SpecError(problems);
  return own.map((r) => r.spec as Spec);
}

async function specFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  if (paths.length === 0) throw new InputError({}, 'no spec files given');
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new InputError({ file: p }, 'no such spec file or folder');
    if (!info.isDirectory()) {
      out.push(full);
      continue;
    }
    const found = await glob(['**/*.yaml', '**/*.yml'], {
      cwd: full,
      absolute: true,
      ignore: ['**/node_modules/**'],
    });
    if (found.length === 0)
      throw new InputError({ file: p }, 'this folder has no spec files (*.yaml, *.yml)');
    out.push(...found.sort());
  }
  return [...new Set(out)];
}

class SpecLoader {
  readonly #env: NodeJS.ProcessEnv;
  readonly #cwd: string;
  /** Files some spec includes, absolute. */
  readonly included = new Set<string>();

  constructor(options: LoadSpecOptions) {
    this.#env = options.env ?? process.env;
    this.#cwd = options.cwd ?? process.cwd();
  }

  async spec(file: string): Promise<Spec> {
    const parts = await this.#parts(file, 'spec', []);
    const slos = [...parts.own.slos];
    const checks = [...parts.own.checks];
    let traces = parts.own.traces;
    for (const inc of parts.includes) {
      slos.push(...inc.slos);
      checks.push(...inc.checks);
      traces ??= inc.traces;
    }
    return {
      name: parts.own.name as string,
      description: parts.own.description,
      file: this.#shown(file),
      traces,
      live: parts.own.live,
      slos,
      checks,
    };
  }

  /** A file's parts and, flattened, those of every file it includes (depth first). */
  async #parts(
    file: string,
    kind: 'spec' | 'include',
    chain: readonly string[],
  ): Promise<{ own: SpecParts; includes: SpecParts[] }> {
    const shown = this.#shown(file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(
        { file: shown },
        code === 'ENOENT'
          ? 'no such spec file'
          : `cannot read the spec file (${code ?? String(error)})`,
      );
    }
    const source = YamlSource.parse(shown, text, this.#env);
    const invalid = schemaProblems(source, kind);
    if (invalid.length > 0) throw new SpecError(invalid);
    const own = normalizeSpec(source, dirname(file));
    if (Array.isArray(own)) throw new SpecError(own);

    const includes: SpecParts[] = [];
    for (const inc of own.include) {
      if (inc === file || chain.includes(inc)) {
        throw new InputError(
          source.locate(['include']),
          `include loop: ${[...chain, file, inc].map((f) => this.#shown(f)).join(' → ')}`,
        );
      }
      this.included.add(inc);
      const nested = await this.#parts(inc, 'include', [...chain, file]);
      includes.push(nested.own, ...nested.includes);
    }
    return { own, includes };
  }

  #shown(file: string): string {
    const rel = relative(this.#cwd, file);
    return rel === '' || rel.startsWith('..') ? file : rel;
  }
}
