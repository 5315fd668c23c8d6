import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { toMatchTraceSnapshot } from '../../matchers/to-match-trace-snapshot';
import { toMatchTraceTree } from '../../matchers/to-match-trace-tree';
import { checkoutTrace, traceOf } from '../assert/tree/build';

expect.extend({ toMatchTraceTree, toMatchTraceSnapshot });

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function failureOf(assertion: () => unknown): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message.replace(ANSI, '');
  }
  throw new Error('expected the assertion to fail, but it passed');
}

describe('toMatchTraceSnapshot', () => {
  // Stored in __snapshots__/to-match-trace-snapshot.test.ts.snap, committed with the test.
  test('stores the checkout’s stable tree', () => {
    expect(checkoutTrace()).toMatchTraceSnapshot();
  });

  test('with a hint, and for several traces', () => {
    const health = traceOf([{ id: '1', name: 'GET /health', start: 0, end: 1 }], 'b'.repeat(32));
    expect([checkoutTrace(), health]).toMatchTraceSnapshot('checkout and health');
  });

  test('cannot be used with .not, as no snapshot matcher can', () => {
    expect(failureOf(() => expect(checkoutTrace()).not.toMatchTraceSnapshot())).toContain(
      'Snapshot matchers cannot be used with not',
    );
  });

  test('refuses a value that is not a trace, and a hint that is not a string', () => {
    expect(failureOf(() => expect(undefined).toMatchTraceSnapshot())).toContain(
      'Matcher error: received value must be',
    );
    expect(failureOf(() => expect(checkoutTrace()).toMatchTraceSnapshot(1 as never))).toContain(
      'Matcher error: hint must be a string',
    );
  });
});

/**
 * A real Jest, in a child process, over a project in a temporary directory: the first run
 * writes the snapshot file, a run with other timings and ids passes against it, a run with
 * another shape fails with Jest's snapshot diff, and `--ci` does not write a new one.
 */
describe('toMatchTraceSnapshot in a Jest run of its own', () => {
  const ROOT = resolve(__dirname, '../..');
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracespec-snapshot-'));
    writeFileSync(
      join(dir, 'jest.config.js'),
      `module.exports = ${JSON.stringify({
        rootDir: dir,
        testEnvironment: 'node',
        testMatch: ['**/*.test.js'],
        cacheDirectory: join(dir, '.cache'),
        transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { target: 'es2022' } }] },
      })};\n`,
    );
    writeFileSync(
      join(dir, 'checkout.test.js'),
      `const { toMatchTraceSnapshot } = require(${JSON.stringify(join(ROOT, 'matchers/to-match-trace-snapshot.ts'))});
const { checkoutTrace, traceOf } = require(${JSON.stringify(join(ROOT, 'test/assert/tree/build.ts'))});
expect.extend({ toMatchTraceSnapshot });

test('checkout', () => {
  const variant = process.env.VARIANT;
  const trace =
    variant === 'other-shape'
      ? traceOf([{ id: '1', name: 'POST /api/checkout', service: 'api-gateway', start: 0, end: 5 }])
      : checkoutTrace(variant === 'slower' ? { payment: 270, traceId: 'c'.repeat(32) } : {});
  expect(trace).toMatchTraceSnapshot();
});
`,
    );
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const jest = (variant: string, ...flags: string[]) => {
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/jest/bin/jest.js'),
        '--config',
        join(dir, 'jest.config.js'),
        ...flags,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, VARIANT: variant, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    );
    return { code: run.status, output: `${run.stdout}${run.stderr}`.replace(ANSI, '') };
  };
  const snapFile = () => join(dir, '__snapshots__', 'checkout.test.js.snap');

  test('writes, passes, fails on another shape, and is not written under --ci', () => {
    const first = jest('base', '--ci=false');
    expect(first).toEqual({ code: 0, output: expect.stringContaining('1 snapshot written') });
    const snapshot = readFileSync(snapFile(), 'utf8');
    expect(snapshot).toContain(
      [
        'exports[`checkout 1`] = `',
        '"POST /api/checkout [api-gateway]',
        '└── Order Service [order-service]',
        '    ├── Inventory Service [inventory-service]',
        '    │   └── SELECT stock',
        '    ├── Payment Gateway API  ✗ error',
        '    │   ├── redis GET [payments]',
        '    │   └── charge card [payments]',
        '    └── Notification Service"',
        '`;',
      ].join('\n'),
    );
    // No durations, no ids: nothing that changes from one run to the next.
    expect(snapshot.replace(/^\/\/.*$/m, '')).not.toMatch(/\d+(ms|µs|s)\b|[0-9a-f]{16}/);

    expect(jest('slower', '--ci')).toEqual({
      code: 0,
      output: expect.stringContaining('1 passed'),
    });

    const changed = jest('other-shape', '--ci');
    expect(changed.code).toBe(1);
    expect(changed.output).toContain('1 snapshot failed');
    expect(changed.output).toContain('-     └── Notification Service');

    rmSync(snapFile());
    const ci = jest('base', '--ci');
    expect(ci.code).toBe(1);
    expect(ci.output).toContain('New snapshot was not written');
  }, 120_000);
});
