/**
 * Capture as users of either OpenTelemetry JS line get it: tracespec packed into a tarball
 * and installed into a fresh project next to the 2.x line (api 1.9, sdk-trace-base 2.x) or
 * the 3.x line (api 1.10, sdk-trace 3.x), with plain `npm install` (peer dependencies must
 * resolve without --legacy-peer-deps), then used from child processes: the default
 * provider, and a provider of that line handed to installCapture both ways.
 *
 * The package is built into a staging folder and packed from there rather than with
 * `npm pack` in the repository, so that this test never rewrites the repository's dist/
 * while another test file packs it.
 *
 * Needs the npm registry (or npm's cache) and a few minutes.
 */

import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';

const MINUTES = 60_000;

const LINES = {
  '2.x': {
    packages: [
      '@opentelemetry/api@~1.9.0',
      '@opentelemetry/sdk-trace-base@^2.12.0',
      '@opentelemetry/context-async-hooks@^2.12.0',
      '@opentelemetry/core@^2.12.0',
    ],
    providerModule: '@opentelemetry/sdk-trace-base',
    providerClass: 'BasicTracerProvider',
    defaultSdkPackage: '@opentelemetry/sdk-trace-base',
    api: /^1\.9\./,
    sdk: /^2\./,
  },
  '3.x': {
    packages: [
      '@opentelemetry/api@~1.10.0',
      '@opentelemetry/sdk-trace@^3.0.0',
      '@opentelemetry/context-async-hooks@^3.0.0',
      '@opentelemetry/core@^3.0.0',
    ],
    providerModule: '@opentelemetry/sdk-trace',
    providerClass: 'TracerProvider',
    defaultSdkPackage: '@opentelemetry/sdk-trace',
    api: /^1\.10\./,
    sdk: /^3\./,
  },
} as const;

type Line = keyof typeof LINES;

/** The child's environment without the `npm_*` variables an enclosing `npm test` sets. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  env.NO_COLOR = '1';
  return env;
}

function run(command: string, args: readonly string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    env: cleanEnv(),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function mustRun(command: string, args: readonly string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}\n` +
        `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** What a user's script does: capture spans of API-only code, in one of three setups. */
const CONSUMER_SCRIPT = `
const path = require('node:path');
const otel = require('@opentelemetry/api');
const [mode, providerModule, providerClass] = process.argv.slice(2);

function loadCapture() {
  const main = require('tracespec');
  if (typeof main.installCapture === 'function') return { capture: main, via: 'tracespec' };
  // Until the main entry re-exports capture: the built module inside the installed package.
  const root = path.dirname(require.resolve('tracespec/package.json'));
  return { capture: require(path.join(root, 'dist/src/capture/index.js')), via: 'dist' };
}

async function main() {
  const { capture, via } = loadCapture();
  const Provider = require(providerModule)[providerClass];
  let installation;
  if (mode === 'default') installation = capture.installCapture();
  else if (mode === 'constructor') {
    const provider = new Provider({ spanProcessors: [capture.captureProcessor()] });
    installation = capture.installCapture({ provider });
  } else {
    installation = capture.installCapture({ provider: new Provider() });
  }
  const tracer = otel.trace.getTracer('consumer-app');
  const trace = await capture.captureTrace(async () => {
    await tracer.startActiveSpan('checkout', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      tracer.startSpan('payment').end();
      span.end();
    });
  });
  let unfinished = '';
  try {
    await capture.captureTrace(() => { tracer.startSpan('left open'); }, { timeout: 20 });
  } catch (error) {
    unfinished = error.message;
  }
  console.log(JSON.stringify({
    via,
    mode: installation.mode,
    sdkPackage: installation.sdkPackage ?? null,
    attachedBy: installation.attachedBy ?? null,
    spans: trace.spans.map((s) => [trace.depthOf(s), s.name]),
    sdkVersion: trace.root.resource.attributes['telemetry.sdk.version'],
    unfinished,
  }));
}
main().catch((error) => { console.error(error); process.exit(1); });
`;

let work: string;
let tarball: string;
const projects: Partial<Record<Line, string>> = {};

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tracespec-otel-lines-'));
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
  cpSync(join(PROJECT_ROOT, 'package.json'), join(stage, 'package.json'));
  if (existsSync(join(PROJECT_ROOT, 'specs'))) {
    cpSync(join(PROJECT_ROOT, 'specs'), join(stage, 'specs'), { recursive: true });
  }
  const packDir = join(work, 'pack');
  mkdirSync(packDir);
  // The build ran above; --ignore-scripts keeps prepack from building into the repository.
  mustRun('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir], stage);
  const tgz = readdirSync(packDir).filter((f) => f.endsWith('.tgz'));
  expect(tgz).toHaveLength(1);
  tarball = join(packDir, tgz[0] as string);
}, 3 * MINUTES);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function install(line: Line): string {
  const existing = projects[line];
  if (existing) return existing;
  const dir = join(work, `otel-${line}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumer-otel-${line}`, version: '1.0.0', private: true }, null, 2)}\n`,
  );
  // No --legacy-peer-deps, no --force: an ERESOLVE here is what users would hit.
  mustRun(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...LINES[line].packages],
    dir,
  );
  writeFileSync(join(dir, 'consume.cjs'), CONSUMER_SCRIPT);
  projects[line] = dir;
  return dir;
}

function installedVersion(dir: string, pkg: string): string {
  const manifest = JSON.parse(
    readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

test('the published declarations name no OpenTelemetry package (they are optional peers)', () => {
  const dir = join(work, 'stage/dist/src/capture');
  const offending = readdirSync(dir)
    .filter((f) => f.endsWith('.d.ts'))
    .filter((f) =>
      /(from|import\()\s*['"]@opentelemetry\//.test(readFileSync(join(dir, f), 'utf8')),
    );
  expect(offending).toEqual([]);
});

describe.each(Object.keys(LINES) as Line[])('next to the OpenTelemetry %s line', (line) => {
  const spec = LINES[line];

  test(
    'npm install resolves the peer dependencies, and npm ls finds nothing wrong',
    () => {
      const dir = install(line);
      expect(installedVersion(dir, '@opentelemetry/api')).toMatch(spec.api);
      expect(installedVersion(dir, spec.providerModule)).toMatch(spec.sdk);
      const ls = run('npm', ['ls', '--all'], dir);
      expect(`${ls.stderr}`).toBe('');
      expect(ls.stdout).not.toMatch(/invalid|missing|ERR/i);
      expect(ls.status).toBe(0);
    },
    5 * MINUTES,
  );

  test.each([
    ['default', { mode: 'default', sdkPackage: spec.defaultSdkPackage, attachedBy: null }],
    ['constructor', { mode: 'attached', sdkPackage: null, attachedBy: 'constructor' }],
    ['processor-list', { mode: 'attached', sdkPackage: null, attachedBy: 'processor-list' }],
  ] as const)(
    'captures API-only code with the %s setup',
    (mode, expected) => {
      const dir = install(line);
      const out = JSON.parse(
        mustRun(
          process.execPath,
          ['consume.cjs', mode, spec.providerModule, spec.providerClass],
          dir,
        ),
      ) as Record<string, unknown>;
      expect(out).toMatchObject({
        ...expected,
        spans: [
          [0, 'checkout'],
          [1, 'payment'],
        ],
      });
      expect(out.sdkVersion).toMatch(spec.sdk);
      // Once the main entry re-exports capture, users must get it from there.
      if (/['"]\.\/capture['"]/.test(readFileSync(join(PROJECT_ROOT, 'src/index.ts'), 'utf8'))) {
        expect(out.via).toBe('tracespec');
      }
      expect(out.unfinished).toContain('"left open" (service unknown_service');
    },
    5 * MINUTES,
  );
});
