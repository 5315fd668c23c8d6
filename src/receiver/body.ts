import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';

export type Body =
  | { readonly kind: 'ok'; readonly bytes: Buffer }
  | { readonly kind: 'tooLarge'; readonly bytes: number; readonly complete: boolean }
  | { readonly kind: 'aborted' };

/**
 * How far past the limit the rest of a too-large body is read (and dropped) before the
 * answer: a client that is still sending when the connection closes sees a reset instead of
 * the 413 that says why. Beyond this the connection is closed anyway.
 */
const DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * Reads a request body of at most `limit` bytes. A larger one is not kept: the rest is read
 * and dropped (up to `DRAIN_BYTES` more) so that the client can read the answer.
 * `onBytes` counts what arrives on the wire.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  onBytes: (n: number) => void,
): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const finish = (body: Body): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      onBytes(chunk.length);
      if (over) {
        if (size > limit + DRAIN_BYTES) {
          req.pause();
          finish({ kind: 'tooLarge', bytes: size, complete: false });
        }
        return;
      }
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      finish(
        over
          ? { kind: 'tooLarge', bytes: size, complete: true }
          : {
              kind: 'ok',
              bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
            },
      );
    };
    const onAborted = (): void => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
  });
}

export type Gunzipped =
  | { readonly kind: 'ok'; readonly bytes: Buffer }
  | { readonly kind: 'tooLarge' }
  | { readonly kind: 'corrupt'; readonly reason: string };

/**
 * Decompresses a gzip body, stopping at `limit` bytes of output: a few kilobytes of gzip can
 * hold gigabytes of zeros, and the limit is on what the receiver must hold, not on the wire.
 */
export function gunzipBody(bytes: Buffer, limit: number): Promise<Gunzipped> {
  return new Promise((resolve) => {
    gunzip(bytes, { maxOutputLength: Math.max(1, limit) }, (error, result) => {
      if (error === null) resolve({ kind: 'ok', bytes: result });
      else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        resolve({ kind: 'tooLarge' });
      } else resolve({ kind: 'corrupt', reason: error.message });
    });
  });
}
