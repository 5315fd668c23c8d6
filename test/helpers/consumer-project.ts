/**
 * tracespec as a user installs it: built into a staging folder, packed with `npm pack`,
 * and npm-installed into a fresh project next to the packages a test names. Building into
 * a staging folder (not `npm pack` in the repository) means a test never rewrites the
 * repository's dist/ while another test file packs it.
 *
 * Needs the npm registry (or npm's cache).
 */

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './fixtures';

/** The API, SDK and context packages of each OpenTelemetry JS line, as users install them. */
export const OTEL_LINES = {
  '2.x': [
    '@opentelemetry/api@~1.9.0',
    '@opentelemetry/sdk-trace-base@^2.12.0',
    '@opentelemetry/context-async-hooks@^2.12.0',
    '@opentelemetry/core@^2.12.0',
  ],
  '3.x': [
    '@opentelemetry/api@~1.10.0',
    '@opentelemetry/sdk-trace@^3.0.0',
    '@opentelemetry/context-async-hooks@^3.0.0',
    '@opentelemetry/core@^3.0.0',
  ],
} as const;

/**
 * The environment of a child process without what an enclosing `npm test` and Jest set:
 * `npm_*` variables would steer a nested npm, `JEST_WORKER_ID` a nested Jest.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|JEST_WORKER_ID$)/i.test(key)) env[key] = value;
  }
  env.NO_COLOR = '1';
  return env;
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(command: string, args: readonly string[], cwd: string): RunResult {
  const result = spawnSync(command, args, {
    cwd,
    env: cleanEnv(),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** `run`, failing with the command's whole output when it exits non-zero. */
export function mustRun(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}\n` +
        `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * Builds tracespec into `<work>/stage` with the published files beside it and packs it
 * into `<work>/pack`. Returns the tarball's path.
 */
export function packTracespec(work: string): string {
  const stage = join(work, 'stage');
  mkdirSync(stage, { recursive: true });
  mustRun(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(PROJECT_ROOT, 'tsconfig.build.json'),
      '--outDir',
      join(stage, 'dist'),
    ],
    PROJECT_ROOT,
  );
  for (const file of ['package.json', 'jest-preset.js', 'specs']) {
    const from = join(PROJECT_ROOT, file);
    if (existsSync(from)) cpSync(from, join(stage, file), { recursive: true });
  }
  const packDir = join(work, 'pack');
  mkdirSync(packDir, { recursive: true });
  // Built above; --ignore-scripts keeps prepack from building into the repository.
  mustRun('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], stage);
  const tarballs = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.length} tarballs`);
  return join(packDir, tarballs[0] as string);
}

/**
 * A fresh project in `dir` with `manifest` as its package.json and `packages` installed
 * with plain `npm install`: no --legacy-peer-deps, no --force, since an ERESOLVE here is
 * what users would hit.
 */
export function createProject(
  dir: string,
  manifest: Record<string, unknown>,
  packages: readonly string[],
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ version: '1.0.0', private: true, ...manifest }, null, 2)}\n`,
  );
  mustRun('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packages], dir);
}

/** The version of `pkg` installed in the project at `dir`. */
export function installedVersion(dir: string, pkg: string): string {
  const manifest = JSON.parse(
    readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}
