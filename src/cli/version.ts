import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * tracespec's version from its package.json. Looked up from this file's directory because
 * the depth differs between the sources (src/cli) and the build (dist/src/cli), and
 * package.json is not part of the build.
 */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'tracespec' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json here (or not ours): keep walking up.
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
