/**
 * The real OTLP exporters (http/json and http/protobuf, with and without gzip) sending to the
 * receiver at once, each from its own provider with a batch processor, as the services of a
 * load test do: every span must arrive exactly once, in memory and in the file.
 */

import { join } from 'node:path';
import { afterEach, expect, test } from '@jest/globals';
import { loadTraces } from '../../src/ingest';
import { closeReceivers, exportSpans, receiver, tempDir } from './helpers';

const SPANS_PER_EXPORTER = 2000;
const TOKEN = 'load-test-token';

let temp: { dir: string; remove(): void } | undefined;

afterEach(async () => {
  await closeReceivers();
  temp?.remove();
  temp = undefined;
});

function counts(ids: Iterable<string>): Map<string, number> {
  const map = new Map<string, number>();
  for (const id of ids) map.set(id, (map.get(id) ?? 0) + 1);
  return map;
}

test('six exporters at once: every span id arrives exactly once, in memory and in the file', async () => {
  temp = tempDir();
  const out = join(temp.dir, 'load.jsonl');
  const r = await receiver({ out, token: TOKEN, retain: false });
  const arrived: string[] = [];
  r.onSpans((batch) => {
    for (const span of batch.spans) arrived.push(span.spanId);
  });

  const run = await exportSpans({
    url: r.url,
    spans: SPANS_PER_EXPORTER,
    exporters: [
      { protocol: 'json', token: TOKEN },
      { protocol: 'json', token: TOKEN },
      { protocol: 'json', token: TOKEN, compression: 'gzip' },
      { protocol: 'proto', token: TOKEN },
      { protocol: 'proto', token: TOKEN },
      { protocol: 'proto', token: TOKEN, compression: 'gzip' },
    ],
  });
  const total = 6 * SPANS_PER_EXPORTER;
  expect(run.results.map((x) => x.failed)).toEqual([0, 0, 0, 0, 0, 0]);
  expect(new Set(run.sent).size).toBe(total);

  const inMemory = counts(arrived);
  expect([...inMemory].filter(([, n]) => n > 1)).toEqual([]);
  expect(run.sent.filter((id) => !inMemory.has(id))).toEqual([]);
  expect(inMemory.size).toBe(total);
  expect(r.stats).toMatchObject({ spans: total, rejectedSpans: 0, refusedRequests: 0 });

  await r.close();
  const inFile = counts((await loadTraces(out)).flatMap((t) => t.spans.map((s) => s.spanId)));
  expect([...inFile].filter(([, n]) => n > 1)).toEqual([]);
  expect(run.sent.filter((id) => !inFile.has(id))).toEqual([]);
  expect(inFile.size).toBe(total);
}, 60_000);

test('real exporters without the token: every export fails, none is taken', async () => {
  const r = await receiver({ token: TOKEN });
  const run = await exportSpans({
    url: r.url,
    spans: 10,
    exporters: [{ protocol: 'json' }, { protocol: 'proto', token: 'wrong' }],
  });
  for (const result of run.results) {
    expect(result.success).toBe(0);
    expect(result.failed).toBeGreaterThan(0);
  }
  expect(run.results[0]?.errors[0]).toMatch(
    /^401 Unauthorized: .*this receiver needs a bearer token/,
  );
  expect(run.results[1]?.errors[0]).toMatch(/^401 Unauthorized: .*does not match/);
  expect(r.stats.spans).toBe(0);
}, 30_000);
