/**
 * Capture as users of either OpenTelemetry JS line get it: tracespec packed into a tarball
 * and installed into a fresh project next to the 2.x line (api 1.9, sdk-trace-base 2.x) or
 * the 3.x line (api 1.10, sdk-trace 3.x), with plain `npm install` (peer dependencies must
 * resolve without --legacy-peer-deps), then used from child processes: the default
 * provider, and a provider of that line handed to installCapture both ways.
 *
 * Needs the npm registry (or npm's cache) and a few minutes.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  createProject,
  installedVersion,
  mustRun,
  OTEL_LINES,
  packTracespec,
  run,
} from '../helpers/consumer-project';

const MINUTES = 60_000;

const LINES = {
  '2.x': {
    packages: OTEL_LINES['2.x'],
    providerModule: '@opentelemetry/sdk-trace-base',
    providerClass: 'BasicTracerProvider',
    defaultSdkPackage: '@opentelemetry/sdk-trace-base',
    api: /^1\.9\./,
    sdk: /^2\./,
  },
  '3.x': {
    packages: OTEL_LINES['3.x'],
    providerModule: '@opentelemetry/sdk-trace',
    providerClass: 'TracerProvider',
    defaultSdkPackage: '@opentelemetry/sdk-trace',
    api: /^1\.10\./,
    sdk: /^3\./,
  },
} as const;

type Line = keyof typeof LINES;

/** What a user's script does: capture spans of API-only code, in one of three setups. */
const CONSUMER_SCRIPT = `
const otel = require('@opentelemetry/api');
const capture = require('tracespec');
const [mode, providerModule, providerClass] = process.argv.slice(2);

async function main() {
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
  tarball = packTracespec(work);
}, 3 * MINUTES);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function install(line: Line): string {
  const existing = projects[line];
  if (existing) return existing;
  const dir = join(work, `otel-${line}`);
  createProject(dir, { name: `consumer-otel-${line}` }, [tarball, ...LINES[line].packages]);
  writeFileSync(join(dir, 'consume.cjs'), CONSUMER_SCRIPT);
  projects[line] = dir;
  return dir;
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
      expect(out.unfinished).toContain('"left open" (service unknown_service');
    },
    5 * MINUTES,
  );
});
