import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/**
 * tracespec's own package folder, found by walking up from this file: the depth differs
 * between the sources (src/) and the build (dist/src/), and files outside the build
 * (package.json, specs/) are read from there.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'tracespec') {
        root = dir;
        return dir;
      }
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    if (dirname(dir) === dir)
      throw new Error(`tracespec's package.json not found above ${__dirname}`);
  }
}

/** A file of the tracespec package, by its path from the package root. */
export function packageFile(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

/** tracespec's version from its package.json, or `unknown` when it cannot be read. */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
