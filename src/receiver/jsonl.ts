import { type FileHandle, open } from 'node:fs/promises';
import { InputError } from '../errors';

const NEWLINE = Buffer.from('\n');

interface Pending {
  readonly line: Buffer;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * An append-only JSON Lines file that says when a line is written. The receiver answers a
 * request only after its line is written, so whatever a client saw acknowledged is in the
 * file (in the operating system's hands: it survives the process, and `close` syncs it to
 * disk).
 *
 * Lines that arrive while a write is in progress are written together by the next one: one
 * write per burst instead of one per request, and never two writes at once, which could
 * interleave on the file.
 */
export class JsonlWriter {
  readonly path: string;
  readonly #handle: FileHandle;
  #queue: Pending[] = [];
  #writing: Promise<void> | undefined;
  /** Bytes known to be in the file: a failed write is cut back to here. */
  #size = 0;
  #closed = false;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  /** Creates the file, or empties it: one receiver run, one file. */
  static async create(path: string): Promise<JsonlWriter> {
    try {
      return new JsonlWriter(path, await open(path, 'w'));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new InputError(
        { file: path },
        `cannot write the output file (${code ?? (error as Error).message}); does its directory exist, and may this user write there?`,
        { cause: error },
      );
    }
  }

  /** Appends one line (without its newline); resolves once it is written. */
  append(line: string | Buffer): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`${this.path} is closed`));
    const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ line: bytes, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      const parts: Buffer[] = [];
      for (const item of batch) parts.push(item.line, NEWLINE);
      const bytes = Buffer.concat(parts);
      try {
        await this.#writeAll(bytes);
        this.#size += bytes.length;
        for (const item of batch) item.resolve();
      } catch (error) {
        // A half-written batch would leave a broken line that every later read trips over.
        await this.#handle.truncate(this.#size).catch(() => {});
        for (const item of batch) item.reject(error);
      }
    }
    this.#writing = undefined;
  }

  async #writeAll(bytes: Buffer): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.#handle.write(
        bytes,
        offset,
        bytes.length - offset,
        this.#size + offset,
      );
      offset += bytesWritten;
    }
  }

  /** Waits for every line appended so far, syncs the file to disk and closes it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#writing !== undefined) await this.#writing;
    try {
      await this.#handle.sync();
    } finally {
      await this.#handle.close();
    }
  }
}
