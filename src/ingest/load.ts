import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors';
import type { Trace } from '../model';
import { SpanCollector } from './collector';
import { forEachJsonValue, stripBom } from './content';
import { readTraceFile } from './file';
import type { TraceFormat } from './format';
import { resolveSources, type TraceSource } from './sources';

export interface LoadOptions {
  /** Force a format instead of recognising each document by its shape. */
  format?: TraceFormat | 'auto';
  /** Told about anything odd that did not stop the load (a file without spans, ...). */
  onWarning?(message: string): void;
  /** An updating line on stderr while a file over 64 MiB loads. Default: stderr is a TTY. */
  progress?: boolean;
}

export interface ParseOptions {
  format?: TraceFormat | 'auto';
  /** Named in error messages, e.g. the request an OTLP receiver got the content from. */
  file?: string;
  onWarning?(message: string): void;
}

/**
 * Load traces from files, directories, globs, JSON text, Buffers or parsed values. Spans
 * from all sources are merged before they are grouped, so a trace split across export
 * batches, lines or files comes back as one `Trace`. Bad input is an `InputError` that
 * names the file, line and span.
 */
export async function loadTraces(
  source: TraceSource | readonly TraceSource[],
  options: LoadOptions = {},
): Promise<Trace[]> {
  const collector = new SpanCollector(options.format, options.onWarning);
  const progress = options.progress ?? process.stderr.isTTY === true;
  for (const input of await resolveSources(source)) {
    if (input.kind === 'file') await readTraceFile(input.path, collector, progress);
    else if (input.kind === 'text')
      forEachJsonValue(input.text, undefined, addTo(collector, undefined));
    else if (input.kind === 'bytes') readBytes(input.bytes, undefined, collector);
    else collector.add(input.value, undefined, undefined);
  }
  return collector.traces();
}

/**
 * Synchronous `loadTraces` for content already in memory: JSON text (a document or JSON
 * Lines), a Buffer of it (gzip too), or a parsed value. A string is always content here,
 * never a path.
 */
export function parseTraces(
  content: string | Buffer | object,
  options: ParseOptions = {},
): Trace[] {
  const collector = new SpanCollector(options.format, options.onWarning);
  const file = options.file;
  if (typeof content === 'string') forEachJsonValue(content, file, addTo(collector, file));
  else if (content instanceof Uint8Array) {
    readBytes(Buffer.isBuffer(content) ? content : Buffer.from(content), file, collector);
  } else collector.add(content, file, undefined);
  return collector.traces();
}

function readBytes(bytes: Buffer, file: string | undefined, collector: SpanCollector): void {
  let data = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      data = gunzipSync(bytes);
    } catch (error) {
      throw new InputError(
        { file },
        `the gzip data is corrupt or cut off (${(error as Error).message})`,
        { cause: error },
      );
    }
  }
  forEachJsonValue(stripBom(data.toString('utf8')), file, addTo(collector, file));
}

function addTo(collector: SpanCollector, file: string | undefined) {
  return (value: unknown, line: number | undefined): void => collector.add(value, file, line);
}
