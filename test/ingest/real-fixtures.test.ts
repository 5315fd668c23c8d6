/**
 * Every real trace file in ../shared/fixtures/real loads through the public entry point,
 * file by file and as one directory, with format detection doing the choosing.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { loadTraces } from '../../src/ingest';
import { realFixture } from '../helpers/fixtures';

const root = realFixture('.');
const files = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(`${root}/${d.name}`).map((f) => `${d.name}/${f}`))
  .filter((f) => f.endsWith('.json'));

describe('the shared real fixtures', () => {
  test('there are real files to load', () => {
    expect(files.length).toBeGreaterThanOrEqual(23);
  });

  test.each(files)(
    '%s loads into traces whose spans all have ids, names and times',
    async (file) => {
      const traces = await loadTraces(realFixture(file), { progress: false });
      expect(traces.length).toBeGreaterThan(0);
      for (const trace of traces) {
        expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
        for (const span of trace.spans) {
          expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
          expect(span.durationNs).toBeGreaterThanOrEqual(0);
          expect(trace.has(span)).toBe(true);
        }
      }
    },
  );

  test('the whole folder loads at once, as many traces as the files hold', async () => {
    let separately = 0;
    const ids = new Set<string>();
    for (const file of files) {
      for (const trace of await loadTraces(realFixture(file), { progress: false })) {
        separately += trace.spans.length;
        ids.add(trace.traceId);
      }
    }
    const together = await loadTraces(root, { progress: false });
    expect(together.reduce((n, t) => n + t.spans.length, 0)).toBe(separately);
    // Files that hold the same trace (jaeger-api's two formats) merge into one trace.
    expect(new Set(together.map((t) => t.traceId))).toEqual(ids);
  });
});
