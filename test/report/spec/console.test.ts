import { describe, expect, test } from '@jest/globals';
import { formatConsoleReport } from '../../../src/report/spec';
import type { CheckResult } from '../../../src/spec/result';
import { traceOf } from '../../helpers/traces';
import {
  at,
  CWD,
  check,
  mixedSpec,
  passingSpec,
  run,
  slo,
  spanNamed,
  spec,
  warnOnlyRun,
} from './results';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are the subject
const ANSI = /\u001b\[\d+m/g;

const plain = (r = run([mixedSpec(), passingSpec()]), quiet = false) =>
  formatConsoleReport(r, { color: false, quiet, cwd: CWD });

describe('console reporter', () => {
  test('starts each spec with its name, file and what was read', () => {
    const lines = plain().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '✗ checkout  specs/checkout.yaml',
      '  read 120 traces and 600 spans from traces/checkout-run.jsonl',
    ]);
    expect(lines).toContain('✓ inventory  specs/inventory.yaml');
    expect(lines).toContain('  read 10 traces and 40 spans');
  });

  test('tables every SLO group and budget with units, the budget as written and samples', () => {
    const text = plain(run([mixedSpec()]));
    const table = text.slice(
      text.indexOf('  verdict'),
      text.indexOf('\n\n', text.indexOf('  verdict')),
    );
    expect(table.split('\n').map((l) => l.replace(/ +/g, ' '))).toEqual([
      ' verdict SLO metric measured budget samples',
      ' ✓ pass payment gateway under 300ms p95 212ms <= 300ms 480',
      ' ✓ pass max 950ms <= 1s 480',
      ' ✗ fail checkout error rate error_rate 2.5% < 1% 400',
      ' ✓ pass latency by service [resource.service.name=cart] p99 121ms <= 500ms 200',
      ' ! warn latency by service [resource.service.name=payment] p99 1.25s <= 500ms 80',
      ' ✗ fail search latency samples 0 >= 50 0',
      ' ✗ fail p95 – <= 200ms 0',
      ' ✗ fail p95 no worse than last release p95 230ms +10% over baseline (baseline 200ms) 300',
      ' ✓ pass rate 12.5/s >= 10/s 300',
    ]);
    // Columns line up: every measured value ends where the header's `measured` ends.
    const rows = table.split('\n');
    const end = (rows[0] as string).indexOf('measured') + 'measured'.length;
    for (const row of rows.slice(1)) {
      if (row.includes('[resource.service.name=payment]')) continue; // wider than the cap
      expect(row[end - 1]).not.toBe(' ');
      expect(row[end]).toBe(' ');
    }
  });

  test('explains each SLO that did not pass below the table, with its line and examples', () => {
    const text = plain();
    expect(text).toContain(
      [
        '  ✗ checkout error rate  specs/checkout.yaml:12',
        '      error_rate = 2.5%, over the budget of 1% by 1.5%',
        '      e.g. trace aaaa0000000000000000000000000001 span 0000000000000001 "POST /api/checkout" [api-gateway] 352ms',
      ].join('\n'),
    );
    expect(text).toContain(
      '  ! latency by service [resource.service.name=payment]  specs/checkout.yaml:16\n      p99 = 1.25s, over the budget of 500ms by 750ms',
    );
    expect(text).toContain('      p95 = 230ms, 15% over the baseline of 200ms (allowed: +10%)');
  });

  test('says plainly when there were too few samples', () => {
    const text = plain();
    expect(text).toContain(
      '      { name = "search" } selected no spans in 2 traces; min_samples needs at least 50',
    );
    expect(text).toContain(
      '  ✗ fail  search traces exist  checked 0 spans  specs/checkout.yaml:48\n      for_each { name = "GET /search" } selected 0 spans; needs at least 5',
    );
  });

  test('an SLO whose group_by found no group still gets a row and a reason', () => {
    const empty = slo({
      name: 'per route',
      groupBy: ['span.http.route'],
      minSamples: 10,
      verdict: 'fail',
      groups: [],
    });
    const text = plain(run([spec({ verdict: 'fail', slos: [empty], checks: [] })]));
    expect(text).toContain('  ✗ fail   per route  samples         0  >= 10         0\n');
    expect(text).toContain('selected 0 spans; needs at least 10 (selector { name = "per route" })');
  });

  test('lists each check with its verdict and samples', () => {
    const text = plain();
    expect(text).toContain('  ✓ pass  payment called once per checkout  checked 120 spans\n');
    expect(text).toContain(
      '  ✗ fail  checkout shape  4 of 120 spans failed  specs/checkout.yaml:34\n',
    );
    expect(text).toContain('  ! warn  no errors  1 of 120 traces failed  specs/checkout.yaml:42\n');
  });

  test('shows the first three failed scopes: messages at their lines and the marked trace', () => {
    const text = plain();
    expect(text).toContain(
      [
        '      trace aaaa0000000000000000000000000001 span 0000000000000001 "POST /api/checkout"',
        '        specs/checkout.yaml:37: count: expected 1 span matching { name = "Payment Gateway API" }, found 2',
        '        specs/checkout.yaml:39: duration: Payment Gateway API took 280ms, over the budget of 250ms',
        '        POST /api/checkout [api-gateway] (352ms)  ◀ for_each',
        '        └── Order Service [order-service] (350ms)',
        '            ├── Inventory Service [inventory] (45ms)',
        '            ├── Payment Gateway API (280ms)  ✗ error: card declined  ◀ count; duration',
        '            └── Notification Service (19ms)',
      ].join('\n'),
    );
    expect(text).toContain('trace cccc0000000000000000000000000003');
    expect(text).not.toContain('trace dddd0000000000000000000000000004 span');
    expect(text).toContain('      … and 1 more failed span\n');
    // A whole-trace scope marks only the failing span.
    expect(text).toContain(
      '            ├── Payment Gateway API (280ms)  ✗ error: card declined  ◀ no_errors',
    );
  });

  test('cuts a big trace and says the marked span is among the hidden ones', () => {
    const specs = [{ id: '1', start: 0, end: 100 }];
    for (let i = 2; i <= 60; i++)
      specs.push({ id: i.toString(16), parent: '1', start: i, end: i + 1 } as never);
    const trace = traceOf(specs);
    const failing = spanNamed(trace, 'op-3c'); // the 60th span in tree order
    const big: CheckResult = check({
      name: 'batch job',
      forEach: undefined,
      failures: [
        {
          assertion: 'exists',
          message: 'no span',
          trace,
          scope: undefined,
          spans: [failing],
          location: at(9),
        },
      ],
      failedScopes: 1,
      verdict: 'fail',
    });
    const text = plain(run([spec({ verdict: 'fail', slos: [], checks: [big] })]));
    expect(text).toContain('        … 20 more spans (1 of them marked ◀)');
    expect(text.split('\n').filter((l) => l.includes('── op-'))).toHaveLength(39);
  });

  test('ends with a line per spec and the overall verdict', () => {
    const lines = plain().trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual([
      '✗ checkout: 5 SLOs, 4 checks — 5 failed, 2 warnings',
      '✓ inventory: 1 SLO, 1 check — all passed',
      '✗ failed: 2 specs, 6 SLOs, 5 checks — 5 failed, 2 warnings',
    ]);
    expect(
      plain(run([passingSpec()]))
        .trimEnd()
        .split('\n')
        .at(-1),
    ).toBe('✓ passed: 1 spec, 1 SLO, 1 check — all passed');
  });

  test('quiet: only what did not pass, and the summary', () => {
    const text = plain(run([mixedSpec(), passingSpec()]), true);
    expect(text).not.toContain('✓ pass');
    expect(text).not.toContain('specs/inventory.yaml');
    expect(text).not.toContain('payment called once per checkout');
    expect(text).toContain(' ✗ fail   checkout error rate');
    expect(text).toContain('  ✗ fail  checkout shape  4 of 120 spans failed');
    expect(text).toContain('◀ count; duration');
    expect(text.trimEnd().split('\n').slice(-2)).toEqual([
      '✗ checkout: 5 SLOs, 4 checks — 5 failed, 2 warnings',
      '✗ failed: 2 specs, 6 SLOs, 5 checks — 5 failed, 2 warnings',
    ]);
    // A passing run in quiet mode is one line.
    expect(plain(run([passingSpec()]), true)).toBe(
      '✓ passed: 1 spec, 1 SLO, 1 check — all passed\n',
    );
  });

  test('--warn-only: says the failures were downgraded and the run passes with warnings', () => {
    const lines = plain(warnOnlyRun()).trimEnd().split('\n');
    expect(lines).toContain(
      '  ! warn   checkout error rate          error_rate      2.5%  < 1%          400',
    );
    expect(lines.slice(-2)).toEqual([
      '--warn-only: 1 failure reported as a warning; without it this run fails',
      '! passed with warnings: 1 spec, 2 SLOs, 1 check — 1 warning',
    ]);
  });

  test('colours only when asked, without changing a single character of the layout', () => {
    const r = run([mixedSpec(), passingSpec()]);
    const text = plain(r);
    expect(text).not.toMatch(ANSI);
    const colored = formatConsoleReport(r, { color: true, quiet: false, cwd: CWD });
    expect(colored).toMatch(ANSI);
    expect(colored.replace(ANSI, '')).toBe(text);
    const failRow = colored.split('\n').find((l) => l.includes('checkout error rate')) as string;
    expect(failRow).toContain('\u001b[31m✗ fail\u001b[39m'); // red verdict
    const passRow = colored.split('\n').find((l) => l.includes('payment gateway under')) as string;
    expect(passRow).toContain('\u001b[32m✓ pass\u001b[39m'); // green verdict
    expect(colored).toContain('\u001b[33m! warn\u001b[39m'); // yellow warning
  });

  test('an empty run still ends with a verdict line', () => {
    expect(plain(run([]))).toBe('✓ passed: 0 specs, 0 SLOs, 0 checks — all passed\n');
  });
});
