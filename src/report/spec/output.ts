/** Where a reporter's text goes: stdout, or a file written whole once the report is done. */

import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WritableLike } from '../../cli/io';
import { InputError } from '../../errors';

export type Target =
  | { readonly kind: 'stdout' }
  /** `path` is resolved against the working directory; `given` is what the user wrote. */
  | { readonly kind: 'file'; readonly path: string; readonly given: string };

/**
 * Write a finished report. A file is written in one go, so that a reader (a CI step that
 * uploads it, a watcher) never sees half a document; its folders are created first.
 */
export async function emit(
  target: Target,
  text: string,
  stdout: WritableLike,
  what: string,
): Promise<void> {
  if (target.kind === 'stdout') {
    stdout.write(text);
    return;
  }
  await writeTo(target.path, target.given, what, () => writeFile(target.path, text, 'utf8'));
}

/** Add to a file another step may also write (GitHub's step summary): never overwrite it. */
export async function append(path: string, text: string, what: string): Promise<void> {
  await writeTo(path, path, what, () => appendFile(path, text, 'utf8'));
}

async function writeTo(
  path: string,
  given: string,
  what: string,
  write: () => Promise<void>,
): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await write();
  } catch (error) {
    // Node's message already names the code and the path: `EACCES: permission denied, open '…'`.
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputError(
      { file: given },
      `cannot write the ${what}: ${detail}; check the path and its permissions, or write the report elsewhere`,
      { cause: error },
    );
  }
}
