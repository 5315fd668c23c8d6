/**
 * `pg` with `@opentelemetry/instrumentation-pg` against a real PostgreSQL server, in a
 * child Jest run on fixtures/pg: without tracespec's preset the queries run and make no
 * spans (the problem users have), with it every query is a span under the test's own span,
 * carrying the query text and the database name, and the failing one has ERROR status.
 */

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';
import { type PostgresServer, startPostgres } from '../helpers/postgres';
import { failuresOf, type JestJson, runFixture, testsWith } from './run-jest';

const FIXTURE = join(PROJECT_ROOT, 'test/instrument/fixtures/pg');
const work = mkdtempSync(join(tmpdir(), 'tracespec-pg-fixture-'));
let server: PostgresServer | undefined;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** What the fixture's first test wrote: the query results and the spans it captured. */
interface FixtureReport {
  selected: unknown[];
  failure: string;
  spans: {
    name: string;
    parent: string | null;
    kind: string;
    status: string;
    attributes: Record<string, unknown>;
  }[];
}

function run(preset: boolean): { jest: JestJson; captured: FixtureReport } {
  if (!server) throw new Error('PostgreSQL did not start');
  const reportFile = join(work, `${preset ? 'preset' : 'plain'}.json`);
  const jest = runFixture(FIXTURE, {
    preset,
    env: { TRACESPEC_PG_URL: server.connectionString, TRACESPEC_PG_REPORT: reportFile },
  });
  let captured: FixtureReport;
  try {
    captured = JSON.parse(readFileSync(reportFile, 'utf8')) as FixtureReport;
  } catch {
    throw new Error(`the fixture wrote no report:\n${failuresOf(jest).join('\n\n')}`);
  }
  return { jest, captured };
}

// The attribute names of the stable database conventions, or of the older ones that
// instrumentations still emit by default on some lines.
const queryText = (a: Record<string, unknown>) => a['db.query.text'] ?? a['db.statement'];
const databaseName = (a: Record<string, unknown>) => a['db.namespace'] ?? a['db.name'];

test('without the preset, the queries run and no pg span is recorded', () => {
  const { jest, captured } = run(false);

  expect(captured.selected).toEqual([{ id: 2 }]);
  expect(captured.failure).toBe('relation "no_such_table" does not exist');
  expect(captured.spans.map((s) => s.name)).toEqual(['store orders']);
  expect(testsWith(jest, 'passed')).toEqual(['the queries run']);
  expect(testsWith(jest, 'failed')).toEqual([
    'each query is a client span under the operation that ran it',
    'the failing query is an error span, and only that one',
    'with the query text and the database name',
  ]);
}, 120_000);

test('with the preset, every query is a span under the test’s span, with its text and database', () => {
  const { jest, captured } = run(true);

  expect(failuresOf(jest)).toEqual([]);
  expect(jest.numPassedTests).toBe(4);

  const pg = captured.spans.filter((s) => s.attributes['db.system.name'] === 'postgresql');
  expect(pg.map((s) => s.name)).toEqual([
    'pg.connect',
    'pg.query:CREATE tracespec',
    'pg.query:INSERT tracespec',
    'pg.query:SELECT tracespec',
    'pg.query:SELECT tracespec',
  ]);
  for (const span of pg) {
    expect(span).toMatchObject({ parent: 'store orders', kind: 'client' });
    expect(databaseName(span.attributes)).toBe('tracespec');
  }
  const queries = pg.filter((s) => s.name !== 'pg.connect');
  expect(queries.map((s) => [queryText(s.attributes), s.status])).toEqual([
    [expect.stringMatching(/^CREATE TEMPORARY TABLE orders/), 'unset'],
    [expect.stringMatching(/^INSERT INTO orders/), 'unset'],
    ['SELECT id FROM orders WHERE customer = $1', 'unset'],
    ['SELECT id FROM no_such_table', 'error'],
  ]);
}, 120_000);
