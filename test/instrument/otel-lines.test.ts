/**
 * `preset: 'tracespec'` as a user of the OpenTelemetry 3.x line gets it: tracespec packed
 * into a tarball and npm-installed into a fresh project next to Jest 30, api 1.10,
 * sdk-trace 3.x and `@opentelemetry/instrumentation-http` 0.301 (the 3.x instrumentations);
 * a plain-JavaScript test file makes a real HTTP call under Jest. The 2.x line is what the
 * repository itself installs (the other tests of this folder).
 *
 * Checks as well that `preset: 'tracespec'` resolves through the package's `exports` map.
 * Needs the npm registry (or npm's cache) and a few minutes.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';
import type { JestJson } from './run-jest';

const MINUTES = 60_000;

const PACKAGES = [
  'jest@^30',
  '@opentelemetry/api@~1.10.0',
  '@opentelemetry/sdk-trace@^3.0.0',
  '@opentelemetry/context-async-hooks@^3.0.0',
  '@opentelemetry/core@^3.0.0',
  '@opentelemetry/instrumentation-http@^0.301.0',
];

const SETUP = `const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { installCapture } = require('tracespec');
installCapture({ instrumentations: [new HttpInstrumentation()] });
`;

const TEST = `const http = require('node:http');
const { captureTrace } = require('tracespec');

test('client and server spans of a real request, from the 3.x instrumentation', async () => {
  const server = http.createServer((req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = 'http://127.0.0.1:' + server.address().port + '/health';
  try {
    const trace = await captureTrace(
      () => new Promise((resolve, reject) => {
        http.get(url, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
      }),
    );
    expect(trace.spans.map((s) => [trace.depthOf(s), s.kind, s.scope.name, s.scope.version])).toEqual([
      [0, 'client', '@opentelemetry/instrumentation-http', expect.stringMatching(/^0\\.3/)],
      [1, 'server', '@opentelemetry/instrumentation-http', expect.stringMatching(/^0\\.3/)],
    ]);
    expect(trace.root.attributes['url.full']).toBe(url);
    expect(trace.root.resource.attributes['telemetry.sdk.version']).toMatch(/^3\\./);
    expect(trace).toHaveNoErrors();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
`;

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|JEST_WORKER_ID$)/i.test(key)) env[key] = value;
  }
  env.NO_COLOR = '1';
  return env;
}

function mustRun(command: string, args: readonly string[], cwd: string): string {
  const result = spawnSync(command, args, {
    cwd,
    env: cleanEnv(),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result.stdout;
}

let work: string;
let project: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tracespec-instrument-3x-'));
  const stage = join(work, 'stage');
  mkdirSync(stage);
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
  for (const file of ['package.json', 'jest-preset.js']) {
    writeFileSync(join(stage, file), readFileSync(join(PROJECT_ROOT, file)));
  }
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  // Built above; --ignore-scripts keeps prepack from building into the repository.
  mustRun('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], stage);
  const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz')) ?? '');

  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'consumer-otel-3x',
        version: '1.0.0',
        private: true,
        jest: { preset: 'tracespec', setupFilesAfterEnv: ['<rootDir>/setup.js'] },
      },
      null,
      2,
    )}\n`,
  );
  mustRun(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...PACKAGES],
    project,
  );
  writeFileSync(join(project, 'setup.js'), SETUP);
  writeFileSync(join(project, 'health.test.js'), TEST);
}, 8 * MINUTES);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test(
  'the 3.x line: npm ls is clean, and the 3.x instrumentation records spans under preset: tracespec',
  () => {
    mustRun('npm', ['ls', '--all'], project);
    const output = join(work, 'report.json');
    spawnSync(
      process.execPath,
      [join(project, 'node_modules/jest/bin/jest.js'), '--ci', '--json', '--outputFile', output],
      { cwd: project, env: cleanEnv(), encoding: 'utf8' },
    );
    const report = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
    const failures = report.testResults.flatMap((file) => [
      file.message,
      ...file.assertionResults.flatMap((a) => a.failureMessages),
    ]);
    expect(failures.filter(Boolean)).toEqual([]);
    expect(report.numPassedTests).toBe(1);
  },
  3 * MINUTES,
);
