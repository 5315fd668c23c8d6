import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type LoadSpecOptions, loadSpec, type Spec, SpecError } from '../../src/spec';

/** Write files (path → text) under `dir`, creating folders. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/**
 * Load `spec.yaml` from `dir` (messages name it relative to `dir`); returns the spec, or
 * the problems' messages when it is rejected.
 */
export async function tryLoad(
  dir: string,
  options: LoadSpecOptions = {},
  file = 'spec.yaml',
): Promise<{ spec?: Spec; problems?: string[] }> {
  try {
    return { spec: await loadSpec(file, { env: {}, cwd: dir, ...options }) };
  } catch (error) {
    if (error instanceof SpecError) return { problems: error.problems.map((p) => p.message) };
    if (error instanceof Error && error.name === 'InputError') return { problems: [error.message] };
    throw error;
  }
}
