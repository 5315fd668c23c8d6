import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { realClock } from '../capture/real-timers';
import { InputError } from '../errors';
import { jsonError, stripBom } from '../ingest/content';
import { createInterner } from '../ingest/context';
import type { Span, Trace } from '../model';
import { gunzipBody, readBody } from './body';
import { decodeTraceRequest } from './decode';
import { type Intake, RequestReader } from './intake';
import { JsonlWriter } from './jsonl';
import {
  type ReceivedBatch,
  ReceivedSpans,
  type TraceWait,
  type TraceWaitOptions,
} from './received';
import { type Encoding, exportResponse, type PartialSuccess, RPC, statusBody } from './responses';

/** OTLP/HTTP's port. */
export const DEFAULT_PORT = 4318;
/** Loopback: a receiver open to the network would take spans from anyone who finds it. */
export const DEFAULT_HOST = '127.0.0.1';
/** The Collector's default: big enough for any export batch an SDK sends. */
export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
export const TRACES_PATH = '/v1/traces';

export interface ReceiverOptions {
  /** Default `127.0.0.1`. `0.0.0.0` or `::` listens on every interface. */
  readonly host?: string;
  /** Default 4318; 0 picks a free port (see `Receiver.port`). */
  readonly port?: number;
  /** When set, requests need `Authorization: Bearer <token>`. */
  readonly token?: string;
  /**
   * A JSON Lines file that gets every acknowledged request, one OTLP/JSON line each
   * (emptied first). A request is acknowledged only once its line is written.
   */
  readonly out?: string;
  /** Limit on a request body, compressed and again decompressed. Default 20 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * Keep every received span in memory for `spans()`, `traces()` and `waitForTrace` of spans
   * that arrived before the call. Default true; a long-running receiver that writes a file
   * turns it off so that memory stays flat.
   */
  readonly retain?: boolean;
  /**
   * Told, one line each, about requests refused or partly rejected, and (once per distinct
   * message) about oddities that did not stop a request. Default: nothing is told.
   */
  readonly log?: (message: string) => void;
  /** How long `close` waits for requests in flight before it cuts them off. Default 10 s. */
  readonly closeGraceMs?: number;
}

export interface ReceiverStats {
  /** Requests acknowledged (200), partial successes included. */
  readonly requests: number;
  /** Spans accepted. */
  readonly spans: number;
  /** Spans rejected: of partial successes, and of requests refused because of their spans. */
  readonly rejectedSpans: number;
  /** Requests answered with an error status (4xx, 5xx). */
  readonly refusedRequests: number;
  /** Request body bytes received, as sent (compressed or not), of every request. */
  readonly bytes: number;
}

/** A running OTLP/HTTP trace receiver. */
export interface Receiver {
  /** The URL to give an exporter: `http://127.0.0.1:4318/v1/traces`. */
  readonly url: string;
  readonly host: string;
  /** The port it listens on (the one picked, when started with port 0). */
  readonly port: number;
  /** The output file, if any. */
  readonly out: string | undefined;
  /** A snapshot of the counters. */
  readonly stats: ReceiverStats;
  /** Calls `listener` with every acknowledged request; returns the function that stops it. */
  onSpans(listener: (batch: ReceivedBatch) => void): () => void;
  /** The acknowledged requests from now on, until the receiver closes. */
  batches(): AsyncIterableIterator<ReceivedBatch>;
  /** Every span received so far (empty unless `retain`). */
  spans(): readonly Span[];
  /** The spans of one trace received so far (empty unless `retain`). */
  spansOf(traceId: string): readonly Span[];
  /** The spans received so far as traces (empty unless `retain`). */
  traces(): Trace[];
  /** Waits until the spans of a trace stop arriving. Never rejects. */
  waitForTrace(traceId: string, options?: TraceWaitOptions): Promise<TraceWait>;
  /** Forgets the spans kept in memory (the counters stay). */
  clear(): void;
  /**
   * Stops accepting requests, lets those in flight finish (up to `closeGraceMs`), then
   * flushes and closes the output file. Every request answered 200 is in the file.
   */
  close(): Promise<void>;
}

/**
 * Starts an OTLP/HTTP trace receiver (`POST /v1/traces`, JSON or protobuf, gzip or not) that
 * any OpenTelemetry SDK or Collector can export to. Resolves once it is listening; rejects
 * with an `InputError` when the port is taken or the output file cannot be written.
 *
 * ```ts
 * const receiver = await startReceiver({ port: 0 });
 * // ... the system under test exports to receiver.url, a request carries trace `id` ...
 * const { spans, reason } = await receiver.waitForTrace(id, { quietMs: 500, timeoutMs: 10_000 });
 * await receiver.close();
 * ```
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError({}, `receiver port ${port} is not a port number (0-65535)`);
  }
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new InputError({}, `receiver body limit ${maxBodyBytes} is not a positive byte count`);
  }
  const receiver = new OtlpReceiver(options, maxBodyBytes);
  const server = receiver.server;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(listenError(error, host, port));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      receiver.bound();
      resolve();
    });
  });
  // The file only once the port is ours: a second receiver started by mistake on the same
  // port must not empty the file the first one is writing.
  if (options.out !== undefined) {
    try {
      receiver.writer = await JsonlWriter.create(options.out);
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      throw error;
    }
  }
  return receiver;
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `port ${port} on ${host}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new InputError(
        {},
        `${where} is in use (another receiver or a Collector?); choose another port`,
        { cause: error },
      );
    case 'EACCES':
      return new InputError(
        {},
        `not allowed to listen on ${where}; ports below 1024 need privileges, choose a higher one`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new InputError(
        {},
        `cannot listen on ${host}: not an address of this machine (${error.code})`,
        { cause: error },
      );
    default:
      return new InputError({}, `cannot listen on ${where}: ${error.message}`, { cause: error });
  }
}

/** An error answer: HTTP status, gRPC code, message, and whether the connection must close. */
class Refusal {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly close = false,
    readonly rejectedSpans = 0,
  ) {}
}

class OtlpReceiver implements Receiver {
  readonly server: Server;
  writer: JsonlWriter | undefined;
  readonly #options: ReceiverOptions;
  readonly #maxBodyBytes: number;
  readonly #reader = new RequestReader(createInterner());
  readonly #tokenDigest: Buffer | undefined;
  readonly #received: ReceivedSpans;
  readonly #log: (message: string) => void;
  readonly #logged = new Set<string>();
  readonly #active = new Set<Promise<void>>();
  #host = '';
  #port = 0;
  #closing = false;
  #closePromise: Promise<void> | undefined;
  #stats = { requests: 0, spans: 0, rejectedSpans: 0, refusedRequests: 0, bytes: 0 };

  constructor(options: ReceiverOptions, maxBodyBytes: number) {
    this.#options = options;
    this.#maxBodyBytes = maxBodyBytes;
    this.#log = options.log ?? (() => {});
    this.#received = new ReceivedSpans(options.retain ?? true, this.#log);
    const token = options.token;
    this.#tokenDigest = token === undefined || token === '' ? undefined : digest(token);
    this.server = createServer((req, res) => this.#track(req, res));
  }

  /** Where it listens: kept, since the server forgets its address once closed. */
  bound(): void {
    const address = this.server.address() as AddressInfo;
    this.#host = address.address;
    this.#port = address.port;
  }

  get host(): string {
    return this.#host;
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    const host = this.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}${TRACES_PATH}`;
  }

  get out(): string | undefined {
    return this.writer?.path;
  }

  get stats(): ReceiverStats {
    return { ...this.#stats };
  }

  onSpans(listener: (batch: ReceivedBatch) => void): () => void {
    return this.#received.onSpans(listener);
  }

  batches(): AsyncIterableIterator<ReceivedBatch> {
    return this.#received.batches();
  }

  spans(): readonly Span[] {
    return this.#received.spans();
  }

  spansOf(traceId: string): readonly Span[] {
    return this.#received.spansOf(traceId);
  }

  traces(): Trace[] {
    return this.#received.traces();
  }

  clear(): void {
    this.#received.clear();
  }

  waitForTrace(traceId: string, options?: TraceWaitOptions): Promise<TraceWait> {
    return this.#received.waitForTrace(traceId, options);
  }

  close(): Promise<void> {
    this.#closePromise ??= this.#shutdown();
    return this.#closePromise;
  }

  async #shutdown(): Promise<void> {
    this.#closing = true;
    const server = this.server;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const graceMs = this.#options.closeGraceMs ?? 10_000;
    let timer: ReturnType<typeof realClock.setTimeout> | undefined;
    await Promise.race([
      Promise.allSettled([...this.#active]),
      new Promise<void>((resolve) => {
        timer = realClock.setTimeout(resolve, graceMs);
      }),
    ]);
    if (timer !== undefined) realClock.clearTimeout(timer);
    // Whatever is left (a client still uploading, an idle keep-alive socket) was never
    // acknowledged: cutting it off loses nothing the client believes delivered.
    server.closeAllConnections();
    await Promise.allSettled([...this.#active]);
    await stopped;
    try {
      await this.writer?.close();
    } finally {
      this.#received.end();
    }
  }

  #track(req: IncomingMessage, res: ServerResponse): void {
    const work = this.#serve(req, res).catch((error: unknown) => {
      const message = `internal error in tracespec's receiver: ${error instanceof Error ? error.message : String(error)}`;
      this.#log(`${message} (a bug; the request was not acknowledged)`);
      this.#refuse(req, res, undefined, new Refusal(500, RPC.internal, message));
    });
    this.#active.add(work);
    void work.finally(() => this.#active.delete(work));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const media = mediaType(req.headers['content-type']);
    const encoding: Encoding | undefined =
      media === 'application/json'
        ? 'json'
        : media === 'application/x-protobuf' || media === 'application/protobuf'
          ? 'protobuf'
          : undefined;
    const count = (n: number): void => {
      this.#stats.bytes += n;
    };
    const refusal = this.#check(req, media, encoding);
    if (refusal !== undefined) {
      // The body is read and dropped before the answer: a client still sending when the
      // connection closes sees a reset instead of the reason.
      const dropped = this.#closing ? undefined : await readBody(req, 0, count);
      if (dropped?.kind === 'aborted') {
        res.destroy();
        return;
      }
      const unread = dropped === undefined || (dropped.kind === 'tooLarge' && !dropped.complete);
      this.#refuse(req, res, encoding, refusal, unread);
      return;
    }
    const answer = encoding as Encoding;

    const limit = this.#maxBodyBytes;
    const body = await readBody(req, limit, count);
    if (body.kind === 'aborted') {
      res.destroy();
      return;
    }
    if (body.kind === 'tooLarge') {
      this.#refuse(
        req,
        res,
        answer,
        new Refusal(
          413,
          RPC.resourceExhausted,
          `the request body is larger than the receiver's limit of ${bytes(limit)}; send smaller batches (BatchSpanProcessor maxExportBatchSize) or raise --max-body`,
          {},
          !body.complete,
        ),
      );
      return;
    }
    let data = body.bytes;
    if (isGzip(req)) {
      const unzipped = await gunzipBody(data, limit);
      if (unzipped.kind === 'tooLarge') {
        this.#refuse(
          req,
          res,
          answer,
          new Refusal(
            413,
            RPC.resourceExhausted,
            `the gzip body decompresses to more than the receiver's limit of ${bytes(limit)}; send smaller batches or raise --max-body`,
          ),
        );
        return;
      }
      if (unzipped.kind === 'corrupt') {
        this.#refuse(
          req,
          res,
          answer,
          new Refusal(
            400,
            RPC.invalidArgument,
            `the body says Content-Encoding: gzip but is not valid gzip (${unzipped.reason})`,
          ),
        );
        return;
      }
      data = unzipped.bytes;
    }

    let intake: Intake;
    try {
      intake = this.#reader.read(decode(data, answer), answer === 'protobuf');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.#refuse(req, res, answer, new Refusal(400, RPC.invalidArgument, error.message));
      return;
    }
    for (const warning of intake.warnings) this.#logOnce(warning);
    if (intake.spans.length === 0 && intake.rejected > 0) {
      const message = `every span of the request was rejected (${intake.rejected}): ${reasons(intake)}`;
      this.#refuse(
        req,
        res,
        answer,
        new Refusal(400, RPC.invalidArgument, message, {}, false, intake.rejected),
      );
      return;
    }

    const writer = this.writer;
    if (writer !== undefined && intake.request !== undefined) {
      // A client that went away gets no answer: do not keep what it will send again.
      if (req.socket.destroyed) return;
      try {
        await writer.append(
          intake.verbatim && answer === 'json' ? oneLine(data) : JSON.stringify(intake.request),
        );
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        this.#refuse(
          req,
          res,
          answer,
          new Refusal(
            503,
            RPC.unavailable,
            `the receiver cannot write ${writer.path} (${code}); the request was not kept, retry later`,
          ),
        );
        return;
      }
    }

    this.#accept(intake, answer);
    let partial: PartialSuccess | undefined;
    if (intake.rejected > 0) {
      const message = `${intake.rejected} of ${intake.rejected + intake.spans.length} spans rejected: ${reasons(intake)}`;
      partial = { rejectedSpans: intake.rejected, errorMessage: message };
      this.#log(`${message} (from ${remote(req)})`);
    } else if (intake.warnings.length > 0) {
      partial = { rejectedSpans: 0, errorMessage: intake.warnings.join('; ') };
    }
    this.#send(res, 200, answer, exportResponse(answer, partial), {});
  }

  /** What is wrong with a request before its body is read, if anything. */
  #check(
    req: IncomingMessage,
    media: string | undefined,
    encoding: Encoding | undefined,
  ): Refusal | undefined {
    if (this.#closing) {
      return new Refusal(503, RPC.unavailable, 'the receiver is shutting down', {}, true);
    }
    const path = (req.url ?? '').split('?')[0];
    if (path !== TRACES_PATH) {
      const signal = /^\/v1\/(metrics|logs|profiles)$/.exec(path ?? '')?.[1];
      return new Refusal(
        404,
        RPC.notFound,
        signal === undefined
          ? `no such endpoint ${req.method} ${path}; tracespec receives traces on POST ${TRACES_PATH}`
          : `tracespec receives traces only; send ${signal} elsewhere (POST ${TRACES_PATH} takes traces)`,
      );
    }
    if (req.method !== 'POST') {
      return new Refusal(
        405,
        RPC.unimplemented,
        `${req.method} is not allowed on ${TRACES_PATH}; OTLP/HTTP exports with POST`,
        { Allow: 'POST' },
      );
    }
    if (this.#tokenDigest !== undefined && !this.#authorized(req)) {
      return new Refusal(
        401,
        RPC.unauthenticated,
        req.headers.authorization === undefined
          ? 'this receiver needs a bearer token: send "Authorization: Bearer <token>" (OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20<token>)'
          : "the bearer token does not match the receiver's",
        { 'WWW-Authenticate': 'Bearer realm="tracespec"' },
      );
    }
    if (encoding === undefined) {
      return new Refusal(
        415,
        RPC.invalidArgument,
        media === undefined
          ? 'the request has no Content-Type; OTLP/HTTP sends application/x-protobuf or application/json'
          : `unsupported Content-Type ${media}; OTLP/HTTP sends application/x-protobuf or application/json`,
      );
    }
    const contentEncoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
    if (contentEncoding !== '' && contentEncoding !== 'identity' && contentEncoding !== 'gzip') {
      return new Refusal(
        415,
        RPC.invalidArgument,
        `unsupported Content-Encoding ${contentEncoding}; the receiver takes gzip or none`,
      );
    }
    const declared = Number(req.headers['content-length']);
    if (declared > this.#maxBodyBytes) {
      return new Refusal(
        413,
        RPC.resourceExhausted,
        `the request body (${bytes(declared)}) is larger than the receiver's limit of ${bytes(this.#maxBodyBytes)}; send smaller batches (BatchSpanProcessor maxExportBatchSize) or raise --max-body`,
      );
    }
    return undefined;
  }

  #authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    // Digests of equal length, so that the comparison takes the same time whatever was sent.
    const given = digest(match?.[1] ?? '');
    return timingSafeEqual(given, this.#tokenDigest as Buffer) && match !== null;
  }

  #accept(intake: Intake, encoding: Encoding): void {
    const stats = this.#stats;
    stats.requests++;
    stats.spans += intake.spans.length;
    stats.rejectedSpans += intake.rejected;
    this.#received.deliver({
      sequence: stats.requests,
      encoding,
      spans: intake.spans,
      rejectedSpans: intake.rejected,
    });
  }

  #refuse(
    req: IncomingMessage,
    res: ServerResponse,
    encoding: Encoding | undefined,
    refusal: Refusal,
    unread = false,
  ): void {
    this.#stats.refusedRequests++;
    this.#stats.rejectedSpans += refusal.rejectedSpans;
    if (refusal.status !== 503 || !this.#closing) {
      this.#log(`refused a request from ${remote(req)} (${refusal.status}): ${refusal.message}`);
    }
    const body =
      encoding === undefined
        ? Buffer.from(`${refusal.message}\n`)
        : statusBody(encoding, refusal.code, refusal.message);
    this.#send(res, refusal.status, encoding, body, refusal.headers, refusal.close || unread);
  }

  #send(
    res: ServerResponse,
    status: number,
    encoding: Encoding | undefined,
    body: Buffer,
    headers: Readonly<Record<string, string>>,
    close = false,
  ): void {
    if (res.headersSent || res.destroyed) return;
    res.statusCode = status;
    res.setHeader(
      'Content-Type',
      encoding === undefined ? 'text/plain; charset=utf-8' : contentTypeOf(encoding),
    );
    res.setHeader('Content-Length', body.length);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (close || this.#closing) res.setHeader('Connection', 'close');
    res.end(body);
  }

  #logOnce(message: string): void {
    if (this.#logged.has(message)) return;
    // A bounded memory of what was said: a stream of distinct messages must not grow it forever.
    if (this.#logged.size >= 1000) this.#logged.clear();
    this.#logged.add(message);
    this.#log(message);
  }
}

function decode(data: Buffer, encoding: Encoding): unknown {
  if (encoding === 'protobuf') return decodeTraceRequest(data);
  const text = stripBom(data.toString('utf8'));
  try {
    return JSON.parse(text);
  } catch (error) {
    throw jsonError(text, error, 'the JSON body', 1, true);
  }
}

/**
 * A JSON body as one line of its own: JSON has line breaks only between tokens (a string
 * holds them escaped), so they can become spaces. Cheaper than serialising the parsed
 * request again, and the sender's digits stay exactly as sent.
 */
function oneLine(json: Buffer): Buffer {
  let body = json;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  if (body.indexOf(10) === -1 && body.indexOf(13) === -1) return body;
  const copy = Buffer.from(body);
  for (let i = 0; i < copy.length; i++) {
    const c = copy[i];
    if (c === 10 || c === 13) copy[i] = 32;
  }
  return copy;
}

function contentTypeOf(encoding: Encoding): string {
  return encoding === 'json' ? 'application/json' : 'application/x-protobuf';
}

function reasons(intake: Intake): string {
  const more = intake.rejected - intake.rejections.length;
  return `${intake.rejections.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

function mediaType(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const type = (header.split(';')[0] ?? '').trim().toLowerCase();
  return type === '' ? undefined : type;
}

function isGzip(req: IncomingMessage): boolean {
  return (req.headers['content-encoding'] ?? '').trim().toLowerCase() === 'gzip';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function remote(req: IncomingMessage): string {
  const socket = req.socket;
  const address = socket.remoteAddress ?? 'unknown';
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`;
}

/** `20 MiB`, `512 KiB`, `300 B`. */
export function bytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

export type { ReceivedBatch, TraceWait, TraceWaitOptions } from './received';
