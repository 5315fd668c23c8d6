import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { loadTraces } from '../../src/ingest';
import { formatBytes, formatCount, formatProgress, ProgressLine } from '../../src/ingest/progress';
import { line, span } from './otlp-build';
import { useTempDir } from './tmp-dir';

const tmp = useTempDir();

describe('progress line', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('the line reads as a person expects', () => {
    expect(formatProgress('big.jsonl', 312e6, 1.2e9, 2.1e6)).toBe(
      'loading big.jsonl: 312 MB / 1.2 GB, 2.1M spans',
    );
    expect([formatBytes(999), formatBytes(12_345), formatBytes(67_108_864)]).toEqual([
      '999 B',
      '12 kB',
      '67 MB',
    ]);
    expect([
      formatCount(7),
      formatCount(1234),
      formatCount(45_600),
      formatCount(1_000_000),
    ]).toEqual(['7', '1.2k', '46k', '1.0M']);
  });

  test('a file over 64 MiB shows one updating line on stderr, erased at the end', async () => {
    // One JSON Lines record padded with whitespace past the threshold: big, yet quick to parse.
    const path = join(tmp.path, 'big.jsonl');
    const record = line([span()]);
    writeFileSync(path, `${record.slice(0, -1)}${' '.repeat(65 * 2 ** 20)}}\n`);
    const writes: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      writes.push(String(chunk));
      return true;
    });
    const traces = await loadTraces(path, { progress: true });
    expect(traces).toHaveLength(1);
    expect(writes.length).toBeGreaterThanOrEqual(2);
    const ERASE_TO_END = '\x1b[K';
    expect(writes[0]?.endsWith(ERASE_TO_END)).toBe(true);
    expect(writes[0]?.slice(0, -ERASE_TO_END.length)).toMatch(
      /^\rloading big\.jsonl: \d+ (B|kB|MB) \/ 68 MB, \d+ spans$/,
    );
    expect(writes.at(-1)).toBe('\r\x1b[K');
    for (const w of writes) expect(w).not.toContain('\n');

    writes.length = 0;
    await loadTraces(path, { progress: false });
    expect(writes).toEqual([]);
  }, 60_000);

  test('redraws with the latest counts on its timer, erases itself when done', () => {
    jest.useFakeTimers();
    try {
      const writes: string[] = [];
      const stream = {
        write: (chunk: string) => writes.push(chunk),
      } as unknown as NodeJS.WritableStream;
      const line = new ProgressLine('x.jsonl', 2e9, stream);
      line.update(5e8, 1_500_000);
      expect(writes).toHaveLength(1);
      jest.advanceTimersByTime(300);
      expect(writes[1]).toBe('\rloading x.jsonl: 500 MB / 2.0 GB, 1.5M spans\x1b[K');
      line.done();
      expect(writes.at(-1)).toBe('\r\x1b[K');
      jest.advanceTimersByTime(1000);
      expect(writes).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });

  test('a small file shows nothing even with progress on', async () => {
    const path = join(tmp.path, 'small.jsonl');
    writeFileSync(path, line([span()]));
    const writes: unknown[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      writes.push(chunk);
      return true;
    });
    await loadTraces(path, { progress: true });
    expect(writes).toEqual([]);
  });
});
