/**
 * `node:http` with `@opentelemetry/instrumentation-http` in a Jest project: without
 * tracespec's preset the instrumentation records nothing (Jest's registry bypasses its
 * require hook); with it, client and server spans of both hops nest into one trace.
 */

import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { failuresOf, runFixture, testsWith } from './run-jest';

const FIXTURE = join(__dirname, 'fixtures/http');
const MINUTES = 60_000;

test(
  'without the preset: no http spans, the captures find nothing',
  () => {
    const report = runFixture(FIXTURE, { preset: false });
    expect(testsWith(report, 'passed')).toEqual([]);
    expect(report.numFailedTests).toBe(3);
    for (const failure of failuresOf(report)) {
      expect(failure).toContain('the function started no span');
    }
  },
  3 * MINUTES,
);

test(
  'with the preset: client and server spans, nested, in every test file',
  () => {
    const report = runFixture(FIXTURE, { preset: true });
    expect(failuresOf(report)).toEqual([]);
    expect(testsWith(report, 'passed')).toEqual([
      'a second test of the same file gets its own trace from the same patched module',
      'client and server spans of both hops, nested, with HTTP attributes',
      'the next test file of the run is instrumented too',
    ]);
  },
  3 * MINUTES,
);
