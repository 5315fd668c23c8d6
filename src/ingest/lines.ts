import type { Readable } from 'node:stream';

/**
 * The lines of a text stream, without their `\n` or `\r\n`.
 *
 * Strings above 128 KiB live in V8's large-object space, and each one costs an mmap and
 * page faults: the Collector's lines are hundreds of kilobytes, so allocating a fresh
 * string per line (as `node:readline` and per-line Buffer decoding do) costs more than
 * parsing it. Here the stream is decoded in big chunks and a line inside a chunk is a
 * slice of it, which `JSON.parse` reads without a copy; only a line that straddles two
 * chunks is joined.
 */
export async function* readLines(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      const line = rest === '' ? piece : rest + piece;
      rest = '';
      start = nl + 1;
      yield withoutCr(line);
    }
    if (start < chunk.length) rest = rest === '' ? chunk.slice(start) : rest + chunk.slice(start);
  }
  if (rest !== '') yield withoutCr(rest);
}

function withoutCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
