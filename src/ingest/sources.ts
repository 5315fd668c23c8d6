import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InputError } from '../errors';
import { READERS } from './readers';

/**
 * Where traces come from: a path, a directory, a glob, JSON text, a Buffer (JSON or gzip),
 * or an already parsed JSON value.
 */
export type TraceSource = string | Buffer | object;

/** One thing to read, after paths, directories and globs have been expanded. */
export type Input =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bytes'; readonly bytes: Buffer }
  | { readonly kind: 'value'; readonly value: unknown };

/** The files a directory contributes: every JSON or JSON Lines file, compressed or not. */
const DIRECTORY_PATTERNS = ['**/*.{json,jsonl,ndjson}', '**/*.{json,jsonl,ndjson}.gz'];

export async function resolveSources(
  source: TraceSource | readonly TraceSource[],
): Promise<Input[]> {
  const inputs: Input[] = [];
  const seenFiles = new Set<string>();
  for (const one of sourceList(source)) {
    if (typeof one === 'string') {
      if (isJsonText(one)) inputs.push({ kind: 'text', text: one });
      else {
        // The same file named twice (a directory and a glob inside it) is read once.
        for (const path of await expandPath(one)) {
          const key = resolve(path);
          if (seenFiles.has(key)) continue;
          seenFiles.add(key);
          inputs.push({ kind: 'file', path });
        }
      }
    } else if (one instanceof Uint8Array) {
      inputs.push({ kind: 'bytes', bytes: Buffer.isBuffer(one) ? one : Buffer.from(one) });
    } else inputs.push({ kind: 'value', value: one });
  }
  return inputs;
}

/** Content, not a path: JSON text starts with `{` or `[` (after whitespace). */
export function isJsonText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
    return c === 123 || c === 91;
  }
  return false;
}

/**
 * An array is either a list of sources or one parsed document that is an array (Zipkin's
 * span list, a list of OTLP requests). Paths or Buffers in it make it a list; otherwise it
 * is a document if some reader recognises it whole.
 */
function sourceList(source: TraceSource | readonly TraceSource[]): readonly TraceSource[] {
  if (!Array.isArray(source)) return [source as TraceSource];
  const list = source as readonly TraceSource[];
  if (list.some((s) => typeof s === 'string' || s instanceof Uint8Array)) return list;
  if (READERS.some((r) => r.detect(list))) return [list];
  return list;
}

async function expandPath(spec: string): Promise<string[]> {
  const info = await stat(spec).catch(() => undefined);
  if (info?.isDirectory()) {
    const found = await glob(DIRECTORY_PATTERNS, { cwd: spec, onlyFiles: true });
    if (found.length === 0) {
      throw new InputError(
        { file: spec },
        'the directory has no trace files (looked for *.json, *.jsonl, *.ndjson and their .gz, in subdirectories too)',
      );
    }
    return found.sort().map((f) => join(spec, f));
  }
  if (info) return [spec];
  if (isDynamicPattern(spec)) {
    const found = await glob(spec, { onlyFiles: true, absolute: isAbsolute(spec) });
    if (found.length === 0) {
      throw new InputError({ file: spec }, `no files match this glob (from ${process.cwd()})`);
    }
    return found.sort();
  }
  throw new InputError({ file: spec }, `no such file or directory (from ${process.cwd()})`);
}
