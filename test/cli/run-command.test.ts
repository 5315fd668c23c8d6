import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';
import { useTempDir } from '../ingest/tmp-dir';
import { ANSI, STACK_LINE } from './patterns';
import { runCli } from './run-cli';

const dir = useTempDir();
const SPECS = join(PROJECT_ROOT, 'specs');
const RUN = join(PROJECT_ROOT, 'examples/runs/checkout-run.jsonl');
const DEGRADED = join(PROJECT_ROOT, 'examples/runs/checkout-degraded.jsonl');

function write(name: string, text: string): string {
  const path = join(dir.path, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('tracespec run: the specs of this repository', () => {
  test('specs/ passes over the recorded checkouts: exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['run', SPECS]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ passed: 2 specs, 4 SLOs, 9 checks — all passed/);
    expect(stdout).not.toMatch(ANSI);
  });

  test('the checkout spec over the degraded run fails: exit 1, naming the broken SLOs and checks', async () => {
    const { code, stdout } = await runCli([
      'run',
      join(SPECS, 'checkout.yaml'),
      '--traces',
      DEGRADED,
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ fail +payment gateway under 300ms +p95 +580ms +<= 300ms +60/);
    expect(stdout).toMatch(/✗ fail +checkout error rate +error_rate +6\.667% +<= 1% +60/);
    expect(stdout).toMatch(/✗ fail +checkout shape/);
    expect(stdout).toMatch(/✗ fail +checkout succeeds/);
    expect(stdout).not.toMatch(/✗ fail +payment called once per checkout/);
  });

  test('--warn-only reports the same failures and exits 0', async () => {
    const { code, stdout } = await runCli([
      'run',
      join(SPECS, 'checkout.yaml'),
      '--traces',
      DEGRADED,
      '--warn-only',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/payment gateway under 300ms/);
  });

  test('the spec can take its trace file from an environment variable', async () => {
    const { code } = await runCli(['run', join(SPECS, 'checkout.yaml')], {
      env: { CHECKOUT_RUN: 'checkout-degraded' },
    });
    expect(code).toBe(1);
  });
});

describe('the YAML sketch of DESIGN.md runs as written', () => {
  const sketch = () =>
    /```yaml\n([\s\S]*?)```/.exec(
      readFileSync(join(PROJECT_ROOT, '../shared/DESIGN.md'), 'utf8'),
    )?.[1] as string;

  test('over 60 healthy checkouts it passes; over the degraded run it fails', async () => {
    const spec = write('design/spec.yaml', sketch());
    mkdirSync(join(dir.path, 'design/traces/b1'), { recursive: true });
    mkdirSync(join(dir.path, 'design/traces/b2'), { recursive: true });
    copyFileSync(RUN, join(dir.path, 'design/traces/b1/checkout.jsonl'));
    copyFileSync(DEGRADED, join(dir.path, 'design/traces/b2/checkout.jsonl'));
    const good = await runCli(['run', spec], { env: { BUILD_ID: 'b1' } });
    expect([good.code, good.stderr]).toEqual([0, '']);
    const bad = await runCli(['run', spec], { env: { BUILD_ID: 'b2' } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ fail +payment gateway under 300ms/);
  });
});

describe('tracespec run: invalid input exits 2 with a located message and no stack trace', () => {
  test.each([
    ['bad YAML', 'name: x\nslos: [\n', /^tracespec: .*bad\.yaml:3:1: invalid YAML: /],
    [
      'a schema violation',
      'name: x\nslos:\n  - select: "{}"\n    p95: 300ms\n    p59: 1s\n',
      /^tracespec: .*bad\.yaml:5:5: unknown key `p59` in `slos\[0\]`/,
    ],
    [
      'a bad selector',
      'name: x\nslos:\n  - select: "{ name = }"\n    p95: 300ms\n',
      /^tracespec: .*bad\.yaml:3:23: `slos\[0\]\.select`: /,
    ],
  ])('%s', async (_, text, message) => {
    const spec = write('bad.yaml', text);
    const { code, stdout, stderr } = await runCli(['run', spec, '--traces', RUN]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  test('a missing trace file names it', async () => {
    const spec = write('missing.yaml', "name: x\ntraces: gone.jsonl\nchecks:\n  - exists: '{}'\n");
    const { code, stderr } = await runCli(['run', spec]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tracespec: .*gone\.jsonl: /);
  });

  test('a truncated trace file names the file and line', async () => {
    const lines = readFileSync(RUN, 'utf8').split('\n');
    const truncated = write(
      'truncated.jsonl',
      `${lines[0]}\n${(lines[1] as string).slice(0, 100)}`,
    );
    const spec = write('trunc.yaml', `name: x\ntraces: ${truncated}\nchecks:\n  - exists: '{}'\n`);
    const { code, stderr } = await runCli(['run', spec]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^tracespec: .*truncated\.jsonl:2:\d+: .*truncated\?/);
  });

  test('a spec without traces and no --traces says how to give them', async () => {
    const spec = write('no-traces.yaml', "name: x\nchecks:\n  - exists: '{}'\n");
    const { code, stderr } = await runCli(['run', spec]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/spec "x" names no traces: add `traces: /);
  });

  test('a missing spec file, an unknown reporter, a missing baseline', async () => {
    expect((await runCli(['run', join(dir.path, 'nope.yaml')])).stderr).toMatch(
      /nope\.yaml: no such spec file or folder/,
    );
    const unknown = await runCli(['run', SPECS, '--reporter', 'jsn']);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/jsn.*json/)]);
    const baseline = await runCli(['run', SPECS, '--baseline', join(dir.path, 'none.json')]);
    expect(baseline.code).toBe(2);
    expect(baseline.stderr).toMatch(/none\.json/);
  });
});

describe('tracespec validate', () => {
  test('valid specs: one line each, exit 0, no traces read', async () => {
    const { code, stdout } = await runCli(['validate', SPECS]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/checkout-failures\.yaml: valid \(0 SLOs, 3 checks\)$/),
      expect.stringMatching(/checkout\.yaml: valid \(4 SLOs, 6 checks\)$/),
    ]);
  });

  test('every problem of every file, each on its own line, exit 2', async () => {
    write('v/a.yaml', 'name: a\nslos:\n  - select: "{}"\n    p95: soon\n');
    write('v/b.yaml', 'nme: b\n');
    const { code, stdout, stderr } = await runCli(['validate', join(dir.path, 'v')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^tracespec: .*a\.yaml:4:10: `slos\[0\]\.p95`/);
    expect(lines[1]).toMatch(
      /^tracespec: .*b\.yaml:1:1: unknown key `nme` in a spec; did you mean "name"\?/,
    );
  });
});
