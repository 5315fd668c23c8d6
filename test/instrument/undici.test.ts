/**
 * `fetch` (Node's bundled undici) with `@opentelemetry/instrumentation-undici`, calling a
 * `node:http` server instrumented by `@opentelemetry/instrumentation-http`.
 *
 * The undici instrumentation listens on `diagnostics_channel` rather than patching a module,
 * so its client span is recorded under plain Jest too; what is missing without the preset
 * is the server span, whose instrumentation patches `node:http` on require. With the
 * preset the request is one trace: fetch's client span, the server span under it.
 */

import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { failuresOf, runFixture, testsWith } from './run-jest';

const FIXTURE = join(__dirname, 'fixtures/undici');
const MINUTES = 60_000;

test(
  'without the preset: fetch is traced, the server it calls is not',
  () => {
    const report = runFixture(FIXTURE, { preset: false });
    expect(testsWith(report, 'passed')).toEqual([]);
    const failures = failuresOf(report);
    expect(failures).toHaveLength(1);
    // The undici client span alone: no server span below it.
    expect(failures[0]).toContain('@opentelemetry/instrumentation-undici');
    expect(failures[0]).toMatch(/-\s+"server",\s+-\s+"@opentelemetry\/instrumentation-http"/);
  },
  3 * MINUTES,
);

test(
  'with the preset: the fetch client span with the server span under it',
  () => {
    const report = runFixture(FIXTURE, { preset: true });
    expect(failuresOf(report)).toEqual([]);
    expect(testsWith(report, 'passed')).toEqual([
      'fetch: the undici client span, with the server span of the request it made under it',
    ]);
  },
  3 * MINUTES,
);
