/**
 * The Jest wiring as users get it: a separate Jest run on a fixture project whose
 * setupFilesAfterEnv file wires capture, whose tests import from @jest/globals with the
 * globals turned off (so nothing can rely on a wrapped global `test`), and a second run
 * with fake timers installed before tracespec loads.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';

const FIXTURE = join(PROJECT_ROOT, 'test/capture/fixtures/jest-project');
const work = mkdtempSync(join(tmpdir(), 'tracespec-jest-wiring-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface JestJson {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: {
    message: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

function runJest(config: string): JestJson {
  const output = join(work, `${config}.json`);
  const result = spawnSync(
    process.execPath,
    [
      join(PROJECT_ROOT, 'node_modules/jest/bin/jest.js'),
      '--config',
      join(FIXTURE, config),
      '--json',
      '--outputFile',
      output,
      '--ci',
    ],
    { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  let report: JestJson;
  try {
    report = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
  } catch {
    throw new Error(
      `jest --config ${config} wrote no report (exit ${result.status}):\n${result.stderr}`,
    );
  }
  const failures = report.testResults.flatMap((file) => [
    ...(file.message ? [file.message] : []),
    ...file.assertionResults
      .filter((a) => a.status !== 'passed')
      .map((a) => `${a.fullName}: ${a.failureMessages.join('\n')}`),
  ]);
  if (failures.length > 0) throw new Error(`fixture tests failed:\n${failures.join('\n\n')}`);
  return report;
}

function passed(report: JestJson): string[] {
  return report.testResults
    .flatMap((file) => file.assertionResults)
    .filter((a) => a.status === 'passed')
    .map((a) => a.fullName)
    .sort();
}

test('setupFilesAfterEnv + @jest/globals imports: serial, concurrent and retried tests are isolated', () => {
  const report = runJest('jest.config.js');
  expect(report.success).toBe(true);
  expect(passed(report)).toEqual([
    'concurrent captureTrace',
    'concurrent left',
    'concurrent right',
    'globals are off: only the imports exist',
    'retried a retry starts with no spans',
    'serial one',
    'serial two',
  ]);
}, 60_000);

test('fake timers enabled for every test before tracespec loads do not stall capture', () => {
  const report = runJest('jest.fake-timers.config.js');
  expect(report.success).toBe(true);
  expect(report.numPassedTests).toBe(3);
}, 60_000);
