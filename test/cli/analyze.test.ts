import { describe, expect, test } from '@jest/globals';
import { realFixture } from '../helpers/fixtures';
import { STACK_LINE } from './patterns';
import { runCli } from './run-cli';

const TIMEOUT = realFixture('jaeger-skills/error_timeout_masked.json');
const N_PLUS_ONE = realFixture('jaeger-skills/n_plus_one_positive.json');
const SKILLS = realFixture('jaeger-skills');

describe('tracespec analyze', () => {
  test('a tree per trace with the critical path, the error origin and its chain marked', async () => {
    const { code, stdout, stderr } = await runCli(['analyze', TIMEOUT]);
    expect([code, stderr]).toEqual([0, '']);
    // The proxy gave up after 15s (504, Envoy flag UT); the time went to the frontend's POST.
    expect(stdout).toMatch(
      /└── POST \[frontend-proxy\] \(15s\) {2}✗ error: HTTP 504 {2}◀ gave up waiting/,
    );
    expect(stdout).toMatch(/└── POST \[frontend\] \(15s\) {2}◀ error origin, critical path 15s$/m);
    expect(stdout).toContain('Error origin: "POST" [frontend]');
    expect(stdout).toContain(
      'chain: "POST" [frontend] → "router frontend egress" [frontend-proxy] → "POST" [frontend-proxy] → "user_checkout_multi" [load-generator]',
    );
    expect(stdout).toMatch(/^Service map\n/m);
    expect(stdout).toMatch(/^frontend-proxy +frontend +3 calls, 1 error, p95 /m);
    expect(stdout).toMatch(/^Capacity/m);
    expect(stdout).toMatch(/^frontend +10 +.* 99\.7%$/m);
    expect(stdout).toMatch(/^1 trace at or above p95 \(15\.1s\)/m);
  });

  test('repeated serial calls are listed and marked in the tree', async () => {
    const { stdout } = await runCli(['analyze', N_PLUS_ONE]);
    expect(stdout).toContain(
      'Repeated serial calls: 13 × "GetDriver" [redis-manual] under "driver.DriverService/FindNearest" [driver]: 194ms wall, 192ms summed, 0 overlapping pairs',
    );
    expect(stdout).toMatch(
      /GetDriver \[redis-manual\] \(10\.6ms\) {2}◀ critical path 10\.6ms, serial 13\/13/,
    );
    const fewer = await runCli(['analyze', N_PLUS_ONE, '--min-calls', '14']);
    expect(fewer.stdout).not.toContain('Repeated serial calls');
  });

  test('--json: traces with critical path, origin, chain and N+1 groups; services; edges', async () => {
    const { code, stdout } = await runCli(['analyze', TIMEOUT, N_PLUS_ONE, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual([
      'traces',
      'services',
      'operations',
      'nodes',
      'edges',
      'slowTail',
    ]);
    const timeout = json.traces.find(
      (t: { traceId: string }) => t.traceId === '3e241b731fcf87976a3d50f5a7cc4d94',
    );
    expect(timeout.errorOrigin).toMatchObject({
      spanId: '909a94f934468e91',
      service: 'frontend',
      name: 'POST',
      rule: 'timeout-masked',
    });
    expect(timeout.errorOrigin.timedOut).toMatchObject({ service: 'frontend-proxy', name: 'POST' });
    expect(timeout.errorChain.map((s: { service: string }) => s.service)).toEqual([
      'frontend',
      'frontend-proxy',
      'frontend-proxy',
      'load-generator',
    ]);
    expect(timeout.criticalPath).toContain('909a94f934468e91');
    const nPlusOne = json.traces.find(
      (t: { traceId: string }) => t.traceId === 'ea6db5d7b317ca1a5e2c4e0e7cea53ce',
    );
    expect(nPlusOne.repeatedSerialCalls).toEqual([
      expect.objectContaining({
        service: 'redis-manual',
        name: 'GetDriver',
        count: 13,
        overlappingPairs: 0,
      }),
    ]);
    expect(nPlusOne.repeatedSerialCalls[0].wallMs).toBeCloseTo(194.34, 1);
    expect(json.services[0]).toEqual(
      expect.objectContaining({
        service: 'frontend',
        spans: expect.any(Number),
        errors: 0,
        selfMs: expect.any(Number),
        totalMs: expect.any(Number),
      }),
    );
    expect(json.edges).toContainEqual(
      expect.objectContaining({ from: 'driver', to: 'redis-manual', calls: 13, errors: 3 }),
    );
    for (const edge of json.edges)
      expect(Object.keys(edge)).toEqual([
        'from',
        'to',
        'calls',
        'errors',
        'p50Ms',
        'p95Ms',
        'p99Ms',
      ]);
  });

  test('--graph mermaid and dot print only the service map', async () => {
    const mermaid = await runCli(['analyze', SKILLS, '--graph', 'mermaid']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid.stdout).not.toContain('Capacity');
    const dot = await runCli(['analyze', SKILLS, '--graph', 'dot']);
    expect(dot.stdout).toMatch(/^digraph /);
    expect(dot.stdout).toContain('"driver" -> "redis-manual"');
  });

  test('--trace keeps one trace; bad input exits 2 with one line', async () => {
    const one = await runCli(['analyze', SKILLS, '--trace', 'ea6db5d7', '--json']);
    expect(JSON.parse(one.stdout).traces.map((t: { traceId: string }) => t.traceId)).toEqual([
      'ea6db5d7b317ca1a5e2c4e0e7cea53ce',
    ]);
    const bad = await runCli(['analyze', SKILLS, '--graph', 'svg']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^tracespec: option '--graph <format>' argument 'svg' is invalid/);
    const missing = await runCli(['analyze', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).not.toMatch(STACK_LINE);
  });
});
