/**
 * An Express 5 application with `@opentelemetry/instrumentation-express`, called over real
 * HTTP: without tracespec's preset there are no Express spans (nor HTTP server spans);
 * with it, middleware, router and handler spans nest under the server span.
 */

import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { failuresOf, runFixture, testsWith } from './run-jest';

const FIXTURE = join(__dirname, 'fixtures/express');
const MINUTES = 60_000;

test(
  'without the preset: the request is served, but no Express or server span is recorded',
  () => {
    const report = runFixture(FIXTURE, { preset: false });
    expect(testsWith(report, 'passed')).toEqual([]);
    const failures = failuresOf(report);
    expect(failures).toHaveLength(3);
    // The first test's capture finds nothing at all; the isolated apps' captures find only
    // the HTTP client span of the request (node:http's client side is not hooked through
    // the app's modules), and no Express span.
    expect(failures.join('\n')).toContain('the function started no span');
  },
  3 * MINUTES,
);

test(
  'with the preset: Express spans under the HTTP server span, with their attributes',
  () => {
    const report = runFixture(FIXTURE, { preset: true });
    expect(failuresOf(report)).toEqual([]);
    expect(testsWith(report, 'passed')).toEqual([
      'Express middleware, router and handler spans under the HTTP server span',
      'an app loaded again after jest.resetModules is instrumented',
      'an app loaded in jest.isolateModules is instrumented',
    ]);
  },
  3 * MINUTES,
);
