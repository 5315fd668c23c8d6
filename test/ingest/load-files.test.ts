import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import { loadTraces } from '../../src/ingest';
import type { Trace } from '../../src/model';
import { realFixture } from '../helpers/fixtures';
import { CHILD_ID, child, line, ROOT_ID, request, span, TRACE_ID } from './otlp-build';
import { useTempDir } from './tmp-dir';

const tmp = useTempDir();
let counter = 0;
/** Writes `content` to a new file in the temp dir and returns its path. */
function file(name: string, content: string | Buffer): string {
  const dir = join(tmp.path, `case-${++counter}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function loadError(source: Parameters<typeof loadTraces>[0]): Promise<InputError> {
  const error = await loadTraces(source, { progress: false }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const OTHER_TRACE = '11111111111111111111111111111111';
/** A trace split across lines (a root here, its child there) plus a second trace. */
const JSONL = [
  line([span()], 'api'),
  line([span({ traceId: OTHER_TRACE, spanId: '2222222222222222' })], 'worker'),
  line([child()], 'db'),
].join('\n');

const shape = (traces: Trace[]) =>
  traces.map((t) => [t.traceId, t.spans.map((s) => `${s.service}:${s.spanId}`), t.issues.length]);
const EXPECTED = [
  [TRACE_ID, [`api:${ROOT_ID}`, `db:${CHILD_ID}`], 0],
  [OTHER_TRACE, ['worker:2222222222222222'], 0],
];

describe('loadTraces: JSON Lines and documents', () => {
  test('JSON Lines: one trace split across lines is one Trace, in first-seen order', async () => {
    expect(shape(await loadTraces(file('batches.jsonl', `${JSONL}\n`)))).toEqual(EXPECTED);
  });

  test('blank lines, CRLF line ends, a missing final newline and a BOM are all fine', async () => {
    const text = `\uFEFF\r\n${JSONL.split('\n').join('\r\n\r\n')}`;
    expect(shape(await loadTraces(file('crlf.ndjson', text)))).toEqual(EXPECTED);
  });

  test('a pretty-printed document is read whole', async () => {
    const doc = JSON.stringify(request([span(), child()]), null, 2);
    const traces = await loadTraces(file('pretty.json', doc));
    expect(shape(traces)).toEqual([[TRACE_ID, [`checkout:${ROOT_ID}`, `checkout:${CHILD_ID}`], 0]]);
  });

  test('gzip: by magic bytes, whatever the file is called, JSONL or a document', async () => {
    const gzipped = gzipSync(Buffer.from(JSONL));
    expect(shape(await loadTraces(file('batches.jsonl.gz', gzipped)))).toEqual(EXPECTED);
    expect(shape(await loadTraces(file('no-extension', gzipped)))).toEqual(EXPECTED);
    const pretty = gzipSync(Buffer.from(JSON.stringify(request([span()]), null, 2)));
    expect((await loadTraces(file('pretty.json.gz', pretty)))[0]?.spans).toHaveLength(1);
  });

  test('a gzip file cut off in the middle is an InputError naming it', async () => {
    const big = Array.from({ length: 400 }, (_, i) =>
      line([span({ spanId: (i + 1).toString(16).padStart(16, '0') })]),
    ).join('\n');
    const gzipped = gzipSync(Buffer.from(big));
    const path = file('cut.jsonl.gz', gzipped.subarray(0, gzipped.length >> 1));
    const error = await loadError(path);
    expect(error.location.file).toBe(path);
    expect(error.reason).toMatch(
      /^the gzip data is corrupt or cut off after line \d+ \(unexpected end of file\)/,
    );
  });

  test('a long line that spans many read chunks is read intact', async () => {
    const spans = Array.from({ length: 5000 }, (_, i) =>
      child({ spanId: (i + 1).toString(16).padStart(16, '0'), name: `op-${'x'.repeat(i % 300)}` }),
    );
    const text = `${line([span()])}\n${line(spans)}\n`;
    expect(text.length).toBeGreaterThan(1.5 * (1 << 20));
    const [trace] = await loadTraces(file('long.jsonl', text));
    expect(trace?.spans).toHaveLength(5001);
    expect(trace?.issues).toEqual([]);
  });

  test('multi-byte UTF-8 split across read chunks survives', async () => {
    // 1 MiB chunks: put a 3-byte character across every boundary position near 1 MiB.
    const names = Array.from({ length: 8 }, (_, i) => `${'a'.repeat((1 << 20) - 200 + i)}€ñ😀`);
    const text = names
      .map((name, i) => line([span({ spanId: `${i}`.padStart(16, '0'), name })]))
      .join('\n');
    const [trace] = await loadTraces(file('utf8.jsonl', text));
    expect(trace?.spans.map((s) => s.name).sort()).toEqual([...names].sort());
  });
});

describe('loadTraces: sources', () => {
  test('a directory: every *.json, *.jsonl, *.ndjson and .gz of them, recursively, merged', async () => {
    const dir = join(tmp.path, 'tree');
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'root.json'), JSON.stringify(request([span()], 'api')));
    writeFileSync(join(dir, 'a', 'b', 'child.jsonl.gz'), gzipSync(line([child()], 'db')));
    writeFileSync(
      join(dir, 'a', 'other.ndjson'),
      line([span({ traceId: OTHER_TRACE, spanId: '2222222222222222' })], 'worker'),
    );
    writeFileSync(join(dir, 'a', 'notes.txt'), 'not a trace');
    writeFileSync(join(dir, 'a', 'bad.json.bak'), '{');
    const traces = await loadTraces(dir);
    expect(shape(traces)).toEqual(EXPECTED);
  });

  test('a glob; a glob and a directory naming the same file read it once', async () => {
    const dir = join(tmp.path, 'globbed');
    mkdirSync(join(dir, 'day1'), { recursive: true });
    writeFileSync(join(dir, 'day1', 'x.jsonl'), line([span()]));
    writeFileSync(join(dir, 'day1', 'y.jsonl'), line([child()]));
    writeFileSync(join(dir, 'day1', 'z.json'), line([span({ traceId: OTHER_TRACE })]));
    const globbed = await loadTraces(`${dir}/**/*.jsonl`);
    expect(shape(globbed)).toEqual([
      [TRACE_ID, [`checkout:${ROOT_ID}`, `checkout:${CHILD_ID}`], 0],
    ]);
    const relativeGlob = relative(process.cwd(), join(dir, 'day1', '[xy].jsonl'));
    expect(await loadTraces(relativeGlob).then(shape)).toEqual(shape(globbed));
    const both = await loadTraces([dir, `${dir}/day1/*.jsonl`]);
    expect(both.flatMap((t) => t.spans)).toHaveLength(3);
    expect(both.flatMap((t) => t.issues)).toEqual([]);
  });

  test('a list mixing paths, JSON text, Buffers and parsed values merges them all', async () => {
    const path = file('root.json', JSON.stringify(request([span()], 'api')));
    const traces = await loadTraces([
      path,
      `  ${line([child()], 'db')}`,
      Buffer.from(line([span({ traceId: OTHER_TRACE, spanId: '2222222222222222' })], 'worker')),
    ]);
    expect(shape(traces)).toEqual(EXPECTED);
    const parsed = await loadTraces([
      request([span()], 'api'),
      { result: request([child()], 'db') },
    ]);
    expect(shape(parsed)).toEqual([EXPECTED[0]]);
    const gz = await loadTraces(gzipSync(JSONL));
    expect(shape(gz)).toEqual(EXPECTED);
  });

  test('a glob that matches nothing, a missing file, an empty directory: InputErrors naming them', async () => {
    const glob = join(tmp.path, 'nowhere', '*.jsonl');
    const noMatch = await loadError(glob);
    expect(noMatch.message).toMatch(new RegExp(`^${escapeRegExp(glob)}: no files match this glob`));
    const missing = join(tmp.path, 'missing.jsonl');
    expect((await loadError(missing)).message).toMatch(
      new RegExp(`^${escapeRegExp(missing)}: no such file or directory`),
    );
    const empty = join(tmp.path, 'empty-dir');
    mkdirSync(empty);
    writeFileSync(join(empty, 'README.md'), '# nothing');
    expect((await loadError(empty)).message).toBe(
      `${empty}: the directory has no trace files (looked for *.json, *.jsonl, *.ndjson and their .gz, in subdirectories too)`,
    );
  });

  test('an empty file loads as nothing, with a warning', async () => {
    const warnings: string[] = [];
    const path = file('empty.jsonl', '\n\n');
    expect(await loadTraces(path, { onWarning: (m) => warnings.push(m) })).toEqual([]);
    expect(warnings).toEqual([`${path}: no spans in this file`]);
  });

  test('an oddity repeated on every line is reported once per file, where it first occurs', async () => {
    const odd = (id: string) => line([span({ spanId: id.repeat(16), kind: 7 })]);
    const a = file('a.jsonl', [line([span()]), odd('1'), odd('2'), odd('3')].join('\n'));
    const b = file('b.jsonl', odd('4'));
    const warnings: string[] = [];
    await loadTraces([a, b], { onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      `${a}:2: unknown span kind 7; read as unspecified (first at resourceSpans[0].scopeSpans[0].spans[0])`,
      `${b}:1: unknown span kind 7; read as unspecified (first at resourceSpans[0].scopeSpans[0].spans[0])`,
    ]);
  });

  test('format forces the reader instead of detection', async () => {
    const jaeger = realFixture('jaeger-api/otlp2jaeger-out.jaeger.json');
    const warnings: string[] = [];
    const asOtlp = await loadTraces(jaeger, {
      format: 'otlp-json',
      onWarning: (m) => warnings.push(m),
    });
    expect(asOtlp).toEqual([]);
    expect(warnings).toEqual([`${jaeger}: no spans in this file`]);
    expect((await loadTraces(jaeger, { format: 'auto' })).flatMap((t) => t.spans)).toHaveLength(2);
    const zipkin = realFixture('zipkin/envoy.json');
    expect(
      await loadTraces(zipkin, { format: 'otlp-json', onWarning: (m) => warnings.push(m) }),
    ).toEqual([]);
    expect(warnings[1]).toBe(`${zipkin}: no spans in this file`);
  });
});

describe('loadTraces: broken files', () => {
  test('a JSON Lines file whose last line is cut off says it is truncated', async () => {
    const cut = `${line([span()])}\n${line([child()]).slice(0, 80)}\n\n`;
    const path = file('cut.jsonl', cut);
    const error = await loadError(path);
    expect(error.location).toEqual({ file: path, line: 2, column: 81 });
    expect(error.message).toMatch(
      new RegExp(
        `^${escapeRegExp(path)}:2:81: the file ends in the middle of a JSON value: truncated\\? \\(`,
      ),
    );
  });

  test('a pretty-printed document cut off says it is truncated, at its last line', async () => {
    const doc = JSON.stringify(request([span(), child()]), null, 2);
    const lines = doc.split('\n');
    const path = file('cut.json', lines.slice(0, 20).join('\n'));
    const error = await loadError(path);
    expect(error.location.line).toBe(20);
    expect(error.reason).toMatch(/^the file ends in the middle of a JSON value: truncated\?/);
  });

  test('a line cut off in the middle of the file is reported as that line', async () => {
    const text = [line([span()]), line([child()]).slice(0, 50), line([child()])].join('\n');
    const path = file('crashed.jsonl', text);
    const error = await loadError(path);
    expect(error.location).toEqual({ file: path, line: 2, column: 51 });
    expect(error.reason).toMatch(/^this line ends in the middle of a JSON value/);
  });

  test('a syntax error in a JSON Lines record: file, line and column', async () => {
    const bad = line([span()]).replace('"kind":2', '"kind":2,,');
    const path = file('bad.jsonl', `${line([span()])}\n${bad}\n`);
    const error = await loadError(path);
    const column = bad.indexOf(',,') + 2;
    expect(error.location).toEqual({ file: path, line: 2, column });
    expect(error.message).toBe(
      `${path}:2:${column}: invalid JSON: Expected double-quoted property name`,
    );
  });

  test('a syntax error inside a pretty-printed document: file, line and column', async () => {
    const doc = JSON.stringify(request([span()]), null, 2).split('\n');
    const at = doc.findIndex((l) => l.includes('"kind"'));
    doc[at] = (doc[at] as string).replace('2', 'tru');
    const path = file('bad.json', doc.join('\n'));
    const error = await loadError(path);
    expect(error.location).toEqual({
      file: path,
      line: at + 1,
      column: (doc[at] as string).indexOf('tru') + 1,
    });
    expect(error.reason).toBe("invalid JSON: Unexpected token ','");
  });

  test('a file that is not a trace: what it saw and what it accepts', async () => {
    const path = file(
      'package.json',
      JSON.stringify({ name: 'x', version: '1.0.0', scripts: {} }, null, 2),
    );
    const error = await loadError(path);
    expect(error.location.file).toBe(path);
    expect(error.reason).toContain('the top-level keys are "name", "version", "scripts"');
    expect(error.reason).toContain('OTLP/JSON ({"resourceSpans": [...]}');
    expect(error.reason).toContain('Jaeger JSON');
    expect(error.reason).toContain('Zipkin v2 JSON');
    const scalar = await loadError(file('n.json', '42'));
    expect(scalar.reason).toContain('the top level is a number');
    const jsonl = await loadError(file('mixed.jsonl', `${line([span()])}\n{"hello": "world"}\n`));
    expect(jsonl.location.line).toBe(2);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
