/**
 * One updating stderr line while a big file loads, so that a CI log or a terminal shows
 * the load is alive: `loading big.jsonl: 312 MB / 1.2 GB, 2.1M spans`. Redrawn on a timer
 * (not per line or per span) and erased when the file is done.
 */

/** Files smaller than this load in a few seconds at most: no line for them. */
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024;
const REDRAW_MS = 250;

export class ProgressLine {
  readonly #name: string;
  readonly #total: number;
  readonly #stream: NodeJS.WritableStream;
  readonly #timer: NodeJS.Timeout;
  #bytes = 0;
  #spans = 0;
  #drawn = false;

  constructor(name: string, totalBytes: number, stream: NodeJS.WritableStream = process.stderr) {
    this.#name = name;
    this.#total = totalBytes;
    this.#stream = stream;
    this.#timer = setInterval(() => this.#draw(), REDRAW_MS);
    // Never keeps a process alive on its own.
    this.#timer.unref();
    this.#draw();
  }

  update(bytes: number, spans: number): void {
    this.#bytes = bytes;
    this.#spans = spans;
  }

  done(): void {
    clearInterval(this.#timer);
    if (this.#drawn) this.#stream.write('\r\x1b[K');
  }

  #draw(): void {
    this.#drawn = true;
    this.#stream.write(
      `\r${formatProgress(this.#name, this.#bytes, this.#total, this.#spans)}\x1b[K`,
    );
  }
}

export function formatProgress(name: string, bytes: number, total: number, spans: number): string {
  return `loading ${name}: ${formatBytes(bytes)} / ${formatBytes(total)}, ${formatCount(spans)} spans`;
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${Math.round(n / 1e6)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k`;
  return String(n);
}
