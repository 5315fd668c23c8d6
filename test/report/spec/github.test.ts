import { describe, expect, test } from '@jest/globals';
import {
  escapeData,
  escapeProperty,
  formatAnnotations,
  formatStepSummary,
} from '../../../src/report/spec';
import { md } from '../../../src/report/spec/summary';
import { CWD, check, mixedSpec, passingSpec, run, spec, warnOnlyRun } from './results';

describe('github annotations', () => {
  const lines = formatAnnotations(run([mixedSpec(), passingSpec()]), { cwd: CWD })
    .trimEnd()
    .split('\n');

  test('one error per failed SLO group, at the SLO line, relative path, % encoded', () => {
    expect(lines[0]).toBe(
      '::error file=specs/checkout.yaml,line=12,col=3,title=checkout%3A checkout error rate::' +
        'error_rate = 2.5%25, over the budget of 1%25 by 1.5%25%0A' +
        'e.g. trace aaaa0000000000000000000000000001 span 0000000000000001 "POST /api/checkout"',
    );
    expect(lines).toContain(
      '::error file=specs/checkout.yaml,line=21,col=3,title=checkout%3A search latency::' +
        '{ name = "search" } selected no spans in 2 traces; min_samples needs at least 50%0Ap95 has no samples',
    );
  });

  test('warnings are ::warning, and passing items say nothing', () => {
    expect(lines).toContain(
      '::warning file=specs/checkout.yaml,line=16,col=3,title=checkout%3A latency by service [resource.service.name=payment]::p99 = 1.25s, over the budget of 500ms by 750ms',
    );
    expect(lines.filter((l) => l.includes('payment called once'))).toEqual([]);
    expect(lines.filter((l) => l.includes('inventory'))).toEqual([]);
    expect(formatAnnotations(run([passingSpec()]), { cwd: CWD })).toBe('');
  });

  test('a check gets one annotation per broken assertion line, not one per trace', () => {
    const shape = lines.filter((l) => l.includes('title=checkout%3A checkout shape'));
    expect(shape).toEqual([
      '::error file=specs/checkout.yaml,line=37,col=5,title=checkout%3A checkout shape::' +
        'expected 1 span matching { name = "Payment Gateway API" }, found 2%0A' +
        'in trace aaaa0000000000000000000000000001, span 0000000000000001 "POST /api/checkout"%0A' +
        'and 3 more scopes broke this assertion%0A' +
        '4 of 120 spans failed; the log has each trace as a tree',
      '::error file=specs/checkout.yaml,line=39,col=5,title=checkout%3A checkout shape::' +
        'Payment Gateway API took 280ms, over the budget of 250ms%0A' +
        'in trace aaaa0000000000000000000000000001, span 0000000000000001 "POST /api/checkout"%0A' +
        '4 of 120 spans failed; the log has each trace as a tree',
    ]);
    expect(lines).toContain(
      '::error file=specs/checkout.yaml,line=48,col=3,title=checkout%3A search traces exist::for_each { name = "GET /search" } selected 0 spans; needs at least 5',
    );
    expect(lines.filter((l) => l.startsWith('::'))).toHaveLength(lines.length);
    expect(lines).toHaveLength(8);
  });

  test('encodes as the actions toolkit does: data %, CR, LF; properties also : and ,', () => {
    expect(escapeData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b');
    expect(escapeProperty('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext%3A a%2C b');
    const odd = run([
      spec({
        name: 'a:b,c',
        file: '/repo/specs/odd, name.yaml',
        verdict: 'fail',
        slos: [],
        checks: [
          check({
            name: 'x%y\nz',
            samples: 0,
            tooFewSamples: { needed: 1 },
            verdict: 'fail',
            location: { file: '/repo/specs/odd, name.yaml', line: 3, column: 1 },
          }),
        ],
      }),
    ]);
    expect(formatAnnotations(odd, { cwd: CWD })).toBe(
      '::error file=specs/odd%2C name.yaml,line=3,col=1,title=a%3Ab%2Cc%3A x%25y%0Az::' +
        'for_each { name = "POST /api/checkout" && kind = server } selected 0 spans; needs at least 1\n',
    );
  });

  test('--warn-only: warnings, and a notice that says failures were downgraded', () => {
    const out = formatAnnotations(warnOnlyRun(), { cwd: CWD }).trimEnd().split('\n');
    expect(out[0]).toMatch(/^::warning file=specs\/checkout.yaml,line=12,/);
    expect(out[1]).toBe(
      '::notice title=tracespec --warn-only::--warn-only: 1 failure reported as a warning; without it this run fails',
    );
  });

  test('paths outside the working directory stay absolute', () => {
    const out = formatAnnotations(run([mixedSpec()]), { cwd: '/elsewhere' });
    expect(out).toContain('::error file=/repo/specs/checkout.yaml,line=12,');
  });
});

describe('github step summary', () => {
  const summary = formatStepSummary(run([mixedSpec(), passingSpec()]), { cwd: CWD });

  test('gives the verdict, per spec an SLO table and the checks that did not pass', () => {
    expect(
      summary.startsWith(
        '\n## ✗ tracespec failed\n\n2 specs: 6 SLOs, 5 checks — 5 failed, 2 warnings\n',
      ),
    ).toBe(true);
    expect(summary).toContain(
      '### ✗ checkout: failed\n\nspecs/checkout.yaml: read 120 traces and 600 spans',
    );
    expect(summary).toContain(
      '| | SLO | metric | measured | budget | samples |\n|:-:|---|---|--:|---|--:|\n',
    );
    expect(summary).toContain('| ✗ | checkout error rate | error\\_rate | 2.5% | &lt; 1% | 400 |');
    expect(summary).toContain(
      '| ✗ | p95 no worse than last release | p95 | 230ms | +10% over baseline (baseline 200ms) | 300 |',
    );
    expect(summary).toContain(
      '- ! **latency by service \\[resource.service.name=payment\\]**: p99 = 1.25s',
    );
    expect(summary).toContain(
      '#### ✗ checkout shape\n\n4 of 120 spans failed · specs/checkout.yaml:34',
    );
    expect(summary).toContain('#### ! no errors');
    expect(summary).not.toContain('#### ✓');
    expect(summary).toContain('```text\ntrace aaaa0000000000000000000000000001 span');
    expect(summary).toContain('### ✓ inventory: passed');
  });

  test('text from specs cannot break out of the Markdown', () => {
    expect(md('a|b <script> *x* `y` [l](u) #h\nnext')).toBe(
      'a\\|b &lt;script&gt; \\*x\\* \\`y\\` \\[l\\](u) \\#h next',
    );
  });

  test('--warn-only is stated', () => {
    expect(formatStepSummary(warnOnlyRun(), { cwd: CWD })).toContain(
      '> --warn-only: 1 failure reported as a warning',
    );
  });
});
