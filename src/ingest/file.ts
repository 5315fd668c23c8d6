import { createReadStream, type ReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors';
import type { SpanCollector } from './collector';
import {
  FAILED,
  isBlank,
  jsonError,
  lastParseError,
  parseDocument,
  stripBom,
  tryParse,
} from './content';
import { locateJsonError } from './json-error';
import { readLines } from './lines';
import { PROGRESS_MIN_BYTES, ProgressLine } from './progress';

/**
 * Streams one trace file into the collector. JSON Lines (the Collector's file exporter) is
 * parsed a line at a time, so the file's text is never in memory all at once; a
 * pretty-printed document has to be parsed whole. Gzip is recognised by its magic bytes,
 * whatever the file is called.
 */
export async function readTraceFile(
  path: string,
  collector: SpanCollector,
  showProgress: boolean,
): Promise<void> {
  const { size, gzip } = await inspect(path);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const input: Readable = gzip ? pipeline(raw, createGunzip(), noop) : raw;
  const progress =
    showProgress && size > PROGRESS_MIN_BYTES ? new ProgressLine(basename(path), size) : undefined;
  const spansBefore = collector.count;
  const position = { line: 0 };
  try {
    await readRecords(path, input, raw, collector, progress, position);
  } catch (error) {
    throw streamError(error, path, position.line);
  } finally {
    progress?.done();
    raw.destroy();
  }
  if (collector.count === spansBefore) collector.warn(`${path}: no spans in this file`);
}

async function readRecords(
  path: string,
  input: Readable,
  raw: ReadStream,
  collector: SpanCollector,
  progress: ProgressLine | undefined,
  position: { line: number },
): Promise<void> {
  let lineNo = 0;
  // Undetermined until the first non-blank line: JSON Lines if it parses on its own.
  let mode: 'unknown' | 'lines' | 'document' = 'unknown';
  let document: string[] = [];
  let documentStart = 0;
  // A line that ended mid-value; whether it is a truncated file depends on what follows.
  let cutLine: { text: string; line: number; error: unknown } | undefined;
  for await (let line of readLines(input)) {
    lineNo++;
    position.line = lineNo;
    if (mode === 'document') {
      document.push(line);
      continue;
    }
    if (lineNo === 1) line = stripBom(line);
    if (isBlank(line)) continue;
    if (cutLine) throw jsonError(cutLine.text, cutLine.error, path, cutLine.line, false);
    const value = tryParse(line);
    if (value === FAILED) {
      if (mode === 'unknown') {
        mode = 'document';
        document = [line];
        documentStart = lineNo;
        continue;
      }
      const error = lastParseError();
      if (!locateJsonError(line, error).truncated)
        throw jsonError(line, error, path, lineNo, false);
      cutLine = { text: line, line: lineNo, error };
      continue;
    }
    mode = 'lines';
    collector.add(value, path, lineNo);
    progress?.update(raw.bytesRead, collector.count);
  }
  if (cutLine) throw jsonError(cutLine.text, cutLine.error, path, cutLine.line, true);
  if (mode === 'document') {
    progress?.update(raw.bytesRead, collector.count);
    const text = document.join('\n');
    document = [];
    collector.add(parseDocument(text, path, documentStart), path, undefined);
  }
}

async function inspect(path: string): Promise<{ size: number; gzip: boolean }> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return { size, gzip: bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b };
  } catch (error) {
    throw streamError(error, path, 0);
  } finally {
    await handle?.close();
  }
}

/** System and zlib errors become InputErrors naming the file; anything else is a bug, as is. */
function streamError(error: unknown, path: string, lineNo: number): unknown {
  if (error instanceof InputError) return error;
  // Duck-typed: errors from node's internals may come from another realm (Jest's sandbox).
  if (typeof error !== 'object' || error === null) return error;
  const e = error as NodeJS.ErrnoException;
  if (typeof e.code !== 'string') return error;
  if (e.code === 'ENOENT') return new InputError({ file: path }, 'no such file or directory');
  if (e.code === 'EACCES' || e.code === 'EPERM') {
    return new InputError({ file: path }, 'permission denied: tracespec cannot read this file');
  }
  if (e.code === 'EISDIR') return new InputError({ file: path }, 'is a directory, not a file');
  if (e.code.startsWith('Z_')) {
    const where = lineNo > 0 ? ` after line ${lineNo}` : '';
    return new InputError(
      { file: path },
      `the gzip data is corrupt or cut off${where} (${e.message}); was the file still being written?`,
      { cause: error },
    );
  }
  return new InputError({ file: path }, `cannot read the file: ${e.message}`, { cause: error });
}

function noop(): void {}
