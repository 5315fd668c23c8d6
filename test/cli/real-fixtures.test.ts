import { describe, expect, test } from '@jest/globals';
import { realFixture } from '../helpers/fixtures';
import { STACK_LINE } from './patterns';
import { runCli } from './run-cli';

describe('the CLI over real trace files', () => {
  test('show reports the clock skew in zipkin/skew.json and still draws the tree', async () => {
    const { code, stdout, stderr } = await runCli(['show', realFixture('zipkin/skew.json')]);
    expect(code).toBe(0);
    expect(stderr).not.toMatch(STACK_LINE);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^trace 0{16}1e223ff1f80f1c69 · 4 spans · /);
    // The client half of the RPC in servicea, the shared server half in serviceb below it.
    expect(lines.slice(1, 5)).toEqual([
      expect.stringMatching(/^get \[servicea\] \(/),
      expect.stringMatching(/^└── post \(/),
      expect.stringMatching(/^ {4}└── post \[serviceb\] \(/),
      expect.stringMatching(/^ {8}└── async \(/),
    ]);
    const warnings = lines.filter((line) => line.startsWith('warning: '));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.join('\n')).toMatch(
      /"post" \(serviceb\) starts \S+ before its parent "post" \(servicea\)/,
    );
  });

  test('--trace accepts the 16-digit id Zipkin shows', async () => {
    const { code, stdout } = await runCli([
      'show',
      realFixture('zipkin/skew.json'),
      '--trace',
      '1e223ff1f80f1c69',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^trace 0{16}1e223ff1f80f1c69 /);
  });

  test('query finds every failed span among the sibling errors of jaeger-skills', async () => {
    const file = realFixture('jaeger-skills/sibling_errors.json');
    const text = await runCli(['query', file, '--select', '{ status = error }']);
    expect(text.code).toBe(0);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('5 spans matched in 1 of 1 trace');
    expect(text.stdout).toContain('error: payment declined: card processor rejected transaction');

    const json = await runCli(['query', file, '--select', '{ status = error }', '--json']);
    const spans = JSON.parse(json.stdout) as { spanId: string; status: { code: string } }[];
    expect(spans.map((s) => s.spanId).sort()).toEqual([
      'a1b2c3d4e5f60718',
      'c3d4e5f60718293a',
      'd4e5f60718293a4b',
      'e5f60718293a4b5c',
      'f60718293a4b5c6d',
    ]);
    expect(spans.every((s) => s.status.code === 'error')).toBe(true);
  });

  test('a descendant query across services in the same file', async () => {
    const { code, stdout } = await runCli([
      'query',
      realFixture('jaeger-skills/sibling_errors.json'),
      '--select',
      '{ name = "oteldemo.CheckoutService/PlaceOrder" } > { status = error }',
      '--json',
    ]);
    expect(code).toBe(0);
    const ids = (JSON.parse(stdout) as { spanId: string }[]).map((s) => s.spanId).sort();
    // Direct children only: not the payment and email services' own spans one level down.
    expect(ids).toEqual(['c3d4e5f60718293a', 'e5f60718293a4b5c']);
  });
});
