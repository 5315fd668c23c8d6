import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PROJECT_ROOT } from '../helpers/fixtures';
import { useTempDir } from '../ingest/tmp-dir';
import { runCli } from './run-cli';

const dir = useTempDir();
const RUN = join(PROJECT_ROOT, 'examples/runs/checkout-run.jsonl');
const DEGRADED = join(PROJECT_ROOT, 'examples/runs/checkout-degraded.jsonl');
const CHECKOUT_SPEC = join(PROJECT_ROOT, 'specs/checkout.yaml');

/** A spec whose only budget is relative: payment p95 may not rise more than 10%. */
function regressionSpec(): string {
  const path = join(dir.path, 'regression.yaml');
  writeFileSync(
    path,
    'name: payment regression\nslos:\n  - name: payment p95\n    select: \'{ name = "Payment Gateway API" }\'\n    p95: { max: 1s, regression: 10% }\n',
  );
  return path;
}

describe('baselines', () => {
  test('--save-baseline stores every SLO value; --baseline then gates a regression that is under the absolute budget', async () => {
    const spec = regressionSpec();
    const base = join(dir.path, 'base.json');
    const saved = await runCli(['run', spec, '--traces', RUN, '--save-baseline', base], {
      env: {},
    });
    // No baseline yet: the relative budget cannot be judged and fails, saying how to fix it.
    expect(saved.code).toBe(1);
    expect(saved.stdout).toMatch(/no baseline p95 to compare with: no baseline was given/);
    const file = JSON.parse(readFileSync(base, 'utf8'));
    expect(file).toMatchObject({ tracespec: 'baseline', version: 1 });
    const values = file.specs['payment regression']['payment p95'][0].values;
    expect(values.p95).toBeGreaterThan(200e6);
    expect(values.count).toBe(60);

    const same = await runCli(['run', spec, '--traces', RUN, '--baseline', base]);
    expect(same.code).toBe(0);

    // The degraded run is under the 1s budget but far over +10%.
    const slower = await runCli(['run', spec, '--traces', DEGRADED, '--baseline', base]);
    expect(slower.code).toBe(1);
    expect(slower.stdout).toMatch(
      /p95 rose \d+(\.\d+)?% from \d+(\.\d+)?ms to 580ms, more than the allowed \+10%/,
    );
  });

  test('a baseline that is not one, or is from elsewhere, is an error (exit 2), not a pass', async () => {
    const spec = regressionSpec();
    const bogus = join(dir.path, 'bogus.json');
    writeFileSync(bogus, '{"resourceSpans": []}');
    const wrong = await runCli(['run', spec, '--traces', RUN, '--baseline', bogus]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/bogus\.json/);
    writeFileSync(
      bogus,
      '{"tracespec":"baseline","version":1,"createdAt":"2026-01-01T00:00:00.000Z","units":{},"specs":{',
    );
    const cut = await runCli(['run', spec, '--traces', RUN, '--baseline', bogus]);
    expect(cut.code).toBe(2);
  });
});

describe('reporters from the command line', () => {
  test('console, json, junit and github at once, each where it was sent', async () => {
    const json = join(dir.path, 'out/report.json');
    const junit = join(dir.path, 'out/report.xml');
    const summary = join(dir.path, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const result = await runCli(
      [
        'run',
        CHECKOUT_SPEC,
        '--traces',
        DEGRADED,
        '--reporter',
        'console',
        '--reporter',
        `json=${json}`,
        '--reporter',
        `junit=${junit}`,
        '--reporter',
        'github',
      ],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ fail +payment gateway under 300ms/);
    expect(result.stdout).toMatch(
      /^::error file=specs\/checkout\.yaml,line=\d+,col=\d+,title=checkout%3A payment gateway under 300ms::/m,
    );

    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.verdict).toBe('fail');
    const payment = report.specs[0].slos.find(
      (s: { name: string }) => s.name === 'payment gateway under 300ms',
    );
    expect(payment.groups[0].budgets[0]).toMatchObject({
      metric: 'p95',
      unit: 'ms',
      pass: false,
      measured: 580.2,
    });

    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(xml);
    expect(Number(parsed.testsuites['@_failures'])).toBeGreaterThanOrEqual(4);

    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n')).toBe(true);
    expect(md).toMatch(/checkout/);
  });

  test('--quiet prints only what broke and the summary', async () => {
    const quiet = await runCli(['run', CHECKOUT_SPEC, '--traces', DEGRADED, '--quiet']);
    expect(quiet.stdout).toMatch(/payment gateway under 300ms/);
    expect(quiet.stdout).not.toMatch(/payment called once per checkout/);
    const passing = await runCli(['run', CHECKOUT_SPEC, '--quiet']);
    expect(passing.code).toBe(0);
    expect(passing.stdout).not.toMatch(/payment gateway under 300ms/);
  });

  test('colours only when asked for a terminal, never with NO_COLOR', async () => {
    const tty = await runCli(['run', CHECKOUT_SPEC], { isTTY: true });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    expect(tty.stdout).toMatch(/\u001b\[/);
    const off = await runCli(['run', CHECKOUT_SPEC], { isTTY: true, env: { NO_COLOR: '1' } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    expect(off.stdout).not.toMatch(/\u001b\[/);
  });

  test('a reporter that cannot write names the path and exits 2', async () => {
    const blocker = join(dir.path, 'file');
    writeFileSync(blocker, '');
    const result = await runCli([
      'run',
      CHECKOUT_SPEC,
      '--reporter',
      `junit=${join(blocker, 'x.xml')}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/file\/x\.xml/);
    expect(existsSync(join(blocker, 'x.xml'))).toBe(false);
  });
});
