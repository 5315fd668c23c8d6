/**
 * Runs Jest itself on a fixture project under `test/instrument/fixtures/`, the way a user
 * runs it: tracespec built and staged as a package (`jest-preset.js` beside `dist/`), the
 * fixture's `import ... from 'tracespec'` resolved to that build, and either
 * `preset: '<the staged package>'` or, without the preset, plain `tracespec/jest` in
 * `setupFilesAfterEnv` (what users have today).
 *
 * A fixture directory holds `*.fixture.ts` test files and, optionally, `setup.ts`, which
 * runs after tracespec's own setup (`installCapture({ instrumentations: [...] })` goes
 * there). Packages resolve from the repository's node_modules.
 *
 * The build is cached under node_modules/.cache by a hash of the sources, so the test
 * files that use this helper share one `tsc` run (about 10 s), and the repository's own
 * dist/ is never rewritten (test/package/pack.test.ts packs it meanwhile).
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../helpers/fixtures';

/** The parts of `jest --json` the tests read. */
export interface JestJson {
  success: boolean;
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    status: string;
    message: string;
    assertionResults: {
      fullName: string;
      status: string;
      failureMessages: string[];
    }[];
  }[];
}

export interface RunFixtureOptions {
  /** With tracespec's preset (runtime + setup), or with `tracespec/jest` only. */
  readonly preset: boolean;
  /** Added to the child's environment (e.g. a database URL). */
  readonly env?: NodeJS.ProcessEnv;
}

const STAGE_INPUTS = ['src', 'matchers', 'jest-preset.js', 'package.json', 'tsconfig.json'];
const CACHE = join(PROJECT_ROOT, 'node_modules/.cache/tracespec-instrument');

/**
 * Runs Jest on `fixtureDir` in a child process and returns its JSON report, passed or
 * failed: the caller asserts on the outcome (a run without the preset is expected to fail
 * its span assertions). Throws only when Jest wrote no report at all.
 */
export function runFixture(fixtureDir: string, options: RunFixtureOptions): JestJson {
  const stage = stagedPackage();
  const runDir = join(stage, 'runs');
  mkdirSync(runDir, { recursive: true });
  const id = `${relative(PROJECT_ROOT, fixtureDir).replace(/\W+/g, '_')}-${options.preset ? 'preset' : 'plain'}-${process.pid}`;
  const configFile = join(runDir, `${id}.config.js`);
  const output = join(runDir, `${id}.json`);
  rmSync(output, { force: true });
  writeFileSync(configFile, fixtureConfig(fixtureDir, stage, options.preset));
  const result = spawnSync(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules/jest/bin/jest.js'),
      '--config',
      configFile,
      '--json',
      '--outputFile',
      output,
      '--ci',
    ],
    {
      cwd: fixtureDir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      maxBuffer: 64 << 20,
    },
  );
  try {
    return JSON.parse(readFileSync(output, 'utf8')) as JestJson;
  } catch {
    throw new Error(
      `jest on fixture ${relative(PROJECT_ROOT, fixtureDir)} (preset: ${options.preset}) wrote no report, exit ${result.status}:\n${result.stderr}`,
    );
  }
}

/** Every failure message of a report, one block per failed test or file. */
export function failuresOf(report: JestJson): string[] {
  return report.testResults.flatMap((file) => [
    ...(file.message && file.assertionResults.length === 0 ? [file.message] : []),
    ...file.assertionResults
      .filter((a) => a.status !== 'passed')
      .map((a) => `${a.fullName}: ${a.failureMessages.join('\n')}`),
  ]);
}

/** The full names of the tests with the given status, sorted. */
export function testsWith(report: JestJson, status: 'passed' | 'failed'): string[] {
  return report.testResults
    .flatMap((file) => file.assertionResults)
    .filter((a) => a.status === status)
    .map((a) => a.fullName)
    .sort();
}

function fixtureConfig(fixtureDir: string, stage: string, preset: boolean): string {
  const setup = existsSync(join(fixtureDir, 'setup.ts')) ? [join(fixtureDir, 'setup.ts')] : [];
  const config = {
    rootDir: fixtureDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/**/*.fixture.ts'],
    transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper: {
      '^tracespec$': join(stage, 'dist/src/index.js'),
      '^tracespec/jest$': join(stage, 'dist/src/jest.js'),
    },
    ...(preset
      ? { preset: join(stage, 'jest-preset.js'), setupFilesAfterEnv: setup }
      : { setupFilesAfterEnv: [join(stage, 'dist/src/jest.js'), ...setup] }),
  };
  return `module.exports = ${JSON.stringify(config, null, 2)};\n`;
}

/** tracespec built into node_modules/.cache, keyed by its sources; built once per change. */
function stagedPackage(): string {
  const stage = join(CACHE, sourceHash());
  if (existsSync(join(stage, 'dist/src/jest-runtime.js'))) return stage;
  const building = `${stage}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const tsc = spawnSync(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(PROJECT_ROOT, 'tsconfig.build.json'),
      '--outDir',
      join(building, 'dist'),
    ],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  if (tsc.status !== 0) {
    throw new Error(
      `building tracespec for the fixture runs failed (tsc exit ${tsc.status}):\n${tsc.stdout}${tsc.stderr}`,
    );
  }
  cpSync(join(PROJECT_ROOT, 'jest-preset.js'), join(building, 'jest-preset.js'));
  cpSync(join(PROJECT_ROOT, 'package.json'), join(building, 'package.json'));
  try {
    renameSync(building, stage);
  } catch {
    // Another test file staged the same sources meanwhile: use theirs.
    rmSync(building, { recursive: true, force: true });
  }
  return stage;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) visit(join(path, entry));
      return;
    }
    hash.update(relative(PROJECT_ROOT, path));
    hash.update(readFileSync(path));
  };
  for (const input of STAGE_INPUTS) visit(join(PROJECT_ROOT, input));
  return hash.digest('hex').slice(0, 16);
}
