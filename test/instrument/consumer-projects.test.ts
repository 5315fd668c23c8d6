/**
 * `preset: 'tracespec'` as users get it: tracespec packed into a tarball and npm-installed
 * into a fresh project next to a Jest and an OpenTelemetry line, then Jest run on a
 * plain-JavaScript test file that makes a real HTTP call. Two projects: Jest 30 with the
 * 3.x line (api 1.10, sdk-trace 3.x, instrumentation-http 0.301), and Jest 29 with the
 * 2.x line (api 1.9, sdk-trace-base 2.x, instrumentation-http 0.2xx) plus Express 5 and
 * instrumentation-express: a package module, which Jest 29 loads through
 * `Runtime#_loadModule` rather than Jest 30.5's CommonJS loader (`node:http` is patched
 * on require in both). The repository itself runs Jest 30 with the 2.x line (the other
 * tests of this folder).
 *
 * Checks as well that `preset: 'tracespec'` resolves through the package's `exports` map.
 * Needs the npm registry (or npm's cache) and a few minutes.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import type { JestJson } from './run-jest';

const MINUTES = 60_000;

const PROJECTS = {
  'Jest 30, OpenTelemetry 3.x': {
    packages: ['jest@^30', ...OTEL_LINES['3.x'], '@opentelemetry/instrumentation-http@^0.301.0'],
    jest: /^30\./,
    instrumentation: '0\\.3',
    sdk: '3\\.',
    express: false,
  },
  'Jest 29, OpenTelemetry 2.x': {
    packages: [
      'jest@^29',
      ...OTEL_LINES['2.x'],
      '@opentelemetry/instrumentation-http@^0.223.0',
      'express@^5',
      '@opentelemetry/instrumentation-express@^0.71.0',
    ],
    jest: /^29\./,
    instrumentation: '0\\.2',
    sdk: '2\\.',
    express: true,
  },
} as const;

type Project = keyof typeof PROJECTS;

const setupFile = (
  spec: (typeof PROJECTS)[Project],
) => `const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { installCapture } = require('tracespec');
const instrumentations = [new HttpInstrumentation()];
${spec.express ? "const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');\ninstrumentations.push(new ExpressInstrumentation());" : ''}
installCapture({ instrumentations });
`;

const EXPRESS_TEST = `const http = require('node:http');
const express = require('express');
const { captureTrace } = require('tracespec');

test('Express handler spans under the HTTP server span, from a package module', async () => {
  const app = express();
  app.get('/api/users/:id', (req, res) => res.json({ id: req.params.id }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = 'http://127.0.0.1:' + server.address().port + '/api/users/42';
  try {
    const trace = await captureTrace(
      () => new Promise((resolve, reject) => {
        http.get(url, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
      }),
    );
    const serverSpan = trace.spans.find((s) => s.kind === 'server');
    expect(serverSpan.name).toBe('GET /api/users/:id');
    const handler = trace.spans.find((s) => s.attributes['express.type'] === 'request_handler');
    expect(handler.scope.name).toBe('@opentelemetry/instrumentation-express');
    expect(trace.isAncestor(serverSpan, handler)).toBe(true);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
`;

const testFile = (spec: (typeof PROJECTS)[Project]) => `const http = require('node:http');
const { captureTrace } = require('tracespec');

test('client and server spans of a real request, from the installed instrumentation', async () => {
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
      [0, 'client', '@opentelemetry/instrumentation-http', expect.stringMatching(/^${spec.instrumentation}/)],
      [1, 'server', '@opentelemetry/instrumentation-http', expect.stringMatching(/^${spec.instrumentation}/)],
    ]);
    expect(trace.root.attributes['url.full']).toBe(url);
    expect(trace.root.resource.attributes['telemetry.sdk.version']).toMatch(/^${spec.sdk}/);
    expect(trace).toHaveNoErrors();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
`;

let work: string;
let tarball: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tracespec-consumer-jest-'));
  tarball = packTracespec(work);
}, 3 * MINUTES);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(Object.keys(PROJECTS) as Project[])('a fresh project with %s', (name) => {
  const spec = PROJECTS[name];
  let project: string;

  beforeAll(() => {
    project = join(work, name.replace(/\W+/g, '-'));
    createProject(
      project,
      {
        name: 'consumer',
        jest: { preset: 'tracespec', setupFilesAfterEnv: ['<rootDir>/setup.js'] },
      },
      [tarball, ...spec.packages],
    );
    writeFileSync(join(project, 'setup.js'), setupFile(spec));
    writeFileSync(join(project, 'health.test.js'), testFile(spec));
    if (spec.express) writeFileSync(join(project, 'users.test.js'), EXPRESS_TEST);
  }, 8 * MINUTES);

  test(
    'npm ls is clean, and the instrumentations record spans under preset: tracespec',
    () => {
      expect(installedVersion(project, 'jest')).toMatch(spec.jest);
      mustRun('npm', ['ls', '--all'], project);
      const output = join(project, 'report.json');
      const jest = run(
        process.execPath,
        [join(project, 'node_modules/jest/bin/jest.js'), '--ci', '--json', '--outputFile', output],
        project,
      );
      const report = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
      const failures = report.testResults.flatMap((file) => [
        file.message,
        ...file.assertionResults.flatMap((a) => a.failureMessages),
      ]);
      expect({ failures: failures.filter(Boolean), status: jest.status }).toEqual({
        failures: [],
        status: 0,
      });
      expect(report.numPassedTests).toBe(spec.express ? 2 : 1);
    },
    3 * MINUTES,
  );
});
