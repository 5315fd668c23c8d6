import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, test } from '@jest/globals';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InputError } from '../../src/errors';
import { loadTraces } from '../../src/ingest';
import { type ReceivedBatch, type ReceiverOptions, startReceiver } from '../../src/receiver';
import { WireReader } from '../../src/receiver/wire';
import {
  closeReceivers,
  JSON_TYPE,
  jsonRequest,
  jsonSpan,
  PROTOBUF_TYPE,
  receiver,
  sdkSpans,
  send,
  TRACE_A,
  TRACE_B,
  tempDir,
  withFields,
} from './helpers';

const dirs: { remove(): void }[] = [];
function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d.dir;
}

afterEach(async () => {
  await closeReceivers();
  for (const d of dirs.splice(0)) d.remove();
});

const body = (spans: unknown[]) => JSON.stringify(jsonRequest(spans));
const good = () =>
  body([jsonSpan(TRACE_A, '0000000000000001'), jsonSpan(TRACE_A, '0000000000000002')]);

/** The error of a start expected to fail; a receiver that started anyway is closed. */
async function startFails(options: ReceiverOptions): Promise<Error> {
  const result = await startReceiver(options).then(
    async (r) => {
      await r.close();
      return new Error(`the receiver started on ${r.url}`);
    },
    (error: unknown) => error as Error,
  );
  return result;
}

/** `google.rpc.Status` from protobuf bytes: { code, message }. */
function readStatus(bytes: Buffer): { code: number; message: string } {
  const r = new WireReader(bytes);
  const out = { code: 0, message: '' };
  while (r.pos < bytes.length) {
    const tag = r.tag(bytes.length);
    if (tag === 0x08) out.code = r.uint32(bytes.length);
    else if (tag === 0x12) out.message = r.string(bytes.length);
    else r.skip(tag, bytes.length);
  }
  return out;
}

/** A POST through node:http, chunked (no Content-Length), written in the given pieces. */
function chunked(
  url: string,
  pieces: Buffer[],
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

describe('OTLP/HTTP answers', () => {
  test('JSON: 200 with an empty ExportTraceServiceResponse, in JSON', async () => {
    const r = await receiver();
    const answer = await send(r.url, good(), { 'Content-Type': 'application/json; charset=utf-8' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.json()).toEqual({});
    expect(r.stats).toMatchObject({ requests: 1, spans: 2, rejectedSpans: 0, refusedRequests: 0 });
  });

  test('protobuf from the real serializer, gzipped: 200 with an empty body in protobuf', async () => {
    const r = await receiver();
    const spans = await sdkSpans((tracer) => {
      for (let i = 0; i < 3; i++) tracer.startSpan(`op ${i}`).end();
    });
    const bytes = gzipSync(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);
    const answer = await send(r.url, bytes, { ...PROTOBUF_TYPE, 'Content-Encoding': 'gzip' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/x-protobuf');
    expect(answer.body).toHaveLength(0);
    expect(r.stats).toMatchObject({ requests: 1, spans: 3, bytes: bytes.length });
    expect(
      r
        .spans()
        .map((s) => s.spanId)
        .sort(),
    ).toEqual(spans.map((s) => s.spanContext().spanId).sort());
  });

  test('partial success: bad spans rejected with reasons, the others kept (JSON)', async () => {
    const lines: string[] = [];
    const r = await receiver({ log: (m) => lines.push(m) });
    const answer = await send(
      r.url,
      body([jsonSpan(TRACE_A, '0000000000000001'), jsonSpan(TRACE_A, 'nothex')]),
      JSON_TYPE,
    );
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage:
          '1 of 2 spans rejected: resourceSpans[0].scopeSpans[0].spans[1].spanId: spanId "nothex" is neither 16 hex digits nor base64 of 8 bytes',
      },
    });
    expect(r.stats).toMatchObject({ requests: 1, spans: 1, rejectedSpans: 1 });
    expect(lines).toEqual([
      expect.stringMatching(/^1 of 2 spans rejected: .* \(from 127\.0\.0\.1:\d+\)$/),
    ]);
  });

  test('partial success in protobuf, read by the SDK deserializer', async () => {
    const r = await receiver();
    const [span] = await sdkSpans((tracer) => tracer.startSpan('ok').end());
    const ok = span as ReadableSpan;
    const zeroId = withFields(ok, {
      spanContext: () => ({ ...ok.spanContext(), spanId: '0000000000000000' }),
    });
    const bytes = ProtobufTraceSerializer.serializeRequest([ok, zeroId]) as Uint8Array;
    const answer = await send(r.url, bytes, PROTOBUF_TYPE);
    expect(answer.status).toBe(200);
    const read = ProtobufTraceSerializer.deserializeResponse(answer.body) as {
      partialSuccess?: { rejectedSpans?: unknown; errorMessage?: string };
    };
    expect(Number(read.partialSuccess?.rejectedSpans)).toBe(1);
    expect(read.partialSuccess?.errorMessage).toBe(
      '1 of 2 spans rejected: resourceSpans[0].scopeSpans[0].spans[1]: spanId is all zeros, which OTLP defines as invalid',
    );
    expect(r.spans().map((s) => s.spanId)).toEqual([ok.spanContext().spanId]);
  });

  test('a request whose every span is rejected: 400 with a google.rpc.Status', async () => {
    const r = await receiver();
    const answer = await send(r.url, body([jsonSpan('abc', '0000000000000001')]), JSON_TYPE);
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({
      code: 3,
      message:
        'every span of the request was rejected (1): resourceSpans[0].scopeSpans[0].spans[0].traceId (span 0000000000000001): traceId "abc" has 3 hex digits; a trace id has exactly 32 (16 bytes)',
    });
    expect(r.stats).toMatchObject({ requests: 0, refusedRequests: 1, rejectedSpans: 1 });
  });

  test('undecodable bodies: 400 saying what is wrong, in the encoding of the request', async () => {
    const r = await receiver();
    const badJson = await send(r.url, '{"resourceSpans": [', JSON_TYPE);
    expect(badJson.status).toBe(400);
    expect((badJson.json() as { message: string }).message).toMatch(
      /^the JSON body:1:\d+: the file ends in the middle of a JSON value/,
    );

    const badProto = await send(r.url, Buffer.from([0x0a, 0x05, 0x01]), PROTOBUF_TYPE);
    expect(badProto.status).toBe(400);
    expect(badProto.headers.get('content-type')).toBe('application/x-protobuf');
    expect(readStatus(badProto.body)).toEqual({
      code: 3,
      message:
        'at resourceSpans[0]: invalid protobuf at byte 0: a length-delimited field says it has 5 bytes, but only 1 are left in its message (truncated body?)',
    });

    const badGzip = await send(r.url, Buffer.from('not gzip'), {
      ...JSON_TYPE,
      'Content-Encoding': 'gzip',
    });
    expect(badGzip.status).toBe(400);
    expect((badGzip.json() as { message: string }).message).toMatch(
      /^the body says Content-Encoding: gzip but is not valid gzip/,
    );

    const notOtlp = await send(r.url, '[1, 2]', JSON_TYPE);
    expect(notOtlp.status).toBe(400);
    expect(r.stats).toMatchObject({ requests: 0, refusedRequests: 4 });
  });

  test('it keeps serving after every kind of bad request, on the same connection too', async () => {
    const r = await receiver({ maxBodyBytes: 1024, token: 'secret' });
    const auth = { Authorization: 'Bearer secret' };
    const bad: [string, RequestInit][] = [
      [r.url, { method: 'POST', body: '{', headers: { ...JSON_TYPE, ...auth } }],
      [r.url, { method: 'POST', body: 'x'.repeat(5000), headers: { ...JSON_TYPE, ...auth } }],
      [r.url, { method: 'POST', body: good(), headers: { 'Content-Type': 'text/plain', ...auth } }],
      [r.url, { method: 'POST', body: good(), headers: JSON_TYPE }],
      [r.url, { method: 'GET', headers: auth }],
      [r.url.replace('/v1/traces', '/v1/logs'), { method: 'POST', body: '{}', headers: JSON_TYPE }],
    ];
    for (const [url, init] of bad) {
      const answer = await fetch(url, init);
      await answer.arrayBuffer();
      expect(answer.status).toBeGreaterThanOrEqual(400);
      const after = await send(r.url, good(), { ...JSON_TYPE, ...auth });
      expect(after.status).toBe(200);
    }
    expect(r.stats).toMatchObject({ requests: bad.length, refusedRequests: bad.length });
  });

  test('404 for other paths, 405 with Allow for other methods', async () => {
    const r = await receiver();
    const root = await send(r.url.replace('/v1/traces', '/'), undefined, {}, 'GET');
    expect(root.status).toBe(404);
    expect(root.body.toString()).toBe(
      'no such endpoint GET /; tracespec receives traces on POST /v1/traces\n',
    );
    const metrics = await send(r.url.replace('/v1/traces', '/v1/metrics'), '{}', JSON_TYPE);
    expect(metrics.status).toBe(404);
    expect(metrics.json()).toEqual({
      code: 5,
      message:
        'tracespec receives traces only; send metrics elsewhere (POST /v1/traces takes traces)',
    });
    const get = await send(r.url, undefined, {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const withQuery = await send(`${r.url}?x=1`, good(), JSON_TYPE);
    expect(withQuery.status).toBe(200);
  });

  test('415 for other content types and encodings', async () => {
    const r = await receiver();
    const plain = await send(r.url, good(), { 'Content-Type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect(plain.body.toString()).toBe(
      'unsupported Content-Type text/plain; OTLP/HTTP sends application/x-protobuf or application/json\n',
    );
    const none = await send(r.url, new Uint8Array(Buffer.from(good())));
    expect(none.status).toBe(415);
    expect(none.body.toString()).toMatch(/^the request has no Content-Type/);
    const br = await send(r.url, good(), { ...JSON_TYPE, 'Content-Encoding': 'br' });
    expect(br.status).toBe(415);
    expect(br.json()).toEqual({
      code: 3,
      message: 'unsupported Content-Encoding br; the receiver takes gzip or none',
    });
  });

  test('413 when the body is over the limit: declared, counted on the wire, or once gunzipped', async () => {
    const r = await receiver({ maxBodyBytes: 64 * 1024 });
    const big = Buffer.from(
      body([jsonSpan(TRACE_A, '0000000000000001', { name: 'x'.repeat(100_000) })]),
    );
    const declared = await send(r.url, big, JSON_TYPE);
    expect(declared.status).toBe(413);
    expect(declared.json()).toEqual({
      code: 8,
      message: expect.stringMatching(
        /^the request body \(\d+\.\d KiB\) is larger than the receiver's limit of 64 KiB; send smaller batches/,
      ),
    });

    // Chunked: no length to go by, so the bytes are counted as they come.
    const onTheWire = await chunked(
      r.url,
      [big.subarray(0, 50_000), big.subarray(50_000)],
      JSON_TYPE,
    );
    expect(onTheWire.status).toBe(413);
    expect(JSON.parse(onTheWire.text).message).toMatch(
      /^the request body is larger than the receiver's limit of 64 KiB/,
    );

    // 10 MiB of JSON whitespace is about 10 KiB of gzip: small on the wire, large inside.
    const bomb = gzipSync(
      Buffer.concat([
        Buffer.from('{"resourceSpans":[]'),
        Buffer.alloc(10 * 1024 * 1024, 32),
        Buffer.from('}'),
      ]),
    );
    expect(bomb.length).toBeLessThan(64 * 1024);
    const zipped = await send(r.url, bomb, { ...JSON_TYPE, 'Content-Encoding': 'gzip' });
    expect(zipped.status).toBe(413);
    expect((zipped.json() as { message: string }).message).toMatch(
      /^the gzip body decompresses to more than the receiver's limit of 64 KiB/,
    );

    expect((await send(r.url, good(), JSON_TYPE)).status).toBe(200);
    expect(r.stats).toMatchObject({ requests: 1, refusedRequests: 3 });
  });

  test('a bearer token: 401 with WWW-Authenticate without it or with a wrong one', async () => {
    const r = await receiver({ token: 's3cret-token' });
    const missing = await send(r.url, good(), JSON_TYPE);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="tracespec"');
    expect((missing.json() as { message: string }).message).toMatch(
      /^this receiver needs a bearer token/,
    );
    for (const header of [
      'Bearer wrong',
      'Bearer s3cret-token-and-more',
      'Basic czNjcmV0LXRva2Vu',
      'Bearer',
    ]) {
      const wrong = await send(r.url, good(), { ...JSON_TYPE, Authorization: header });
      expect(wrong.status).toBe(401);
    }
    const right = await send(r.url, good(), { ...JSON_TYPE, Authorization: 'bearer s3cret-token' });
    expect(right.status).toBe(200);
    expect(r.stats).toMatchObject({ requests: 1, spans: 2, refusedRequests: 5 });
  });

  test('an empty request and a JSON body that is not OTLP: 200; the latter with a warning', async () => {
    const r = await receiver();
    const empty = await send(r.url, '{}', JSON_TYPE);
    expect(empty.status).toBe(200);
    expect(empty.json()).toEqual({});
    const emptyProto = await send(r.url, new Uint8Array(0), PROTOBUF_TYPE);
    expect(emptyProto.status).toBe(200);
    const zipkin = await send(r.url, '{"data": []}', JSON_TYPE);
    expect(zipkin.status).toBe(200);
    expect(zipkin.json()).toEqual({
      partialSuccess: {
        rejectedSpans: '0',
        errorMessage:
          'the request has no "resourceSpans" (its keys: data), so it carries no spans; is the exporter sending OTLP?',
      },
    });
  });
});

describe('the output file', () => {
  test('one line per acknowledged request, readable by loadTraces', async () => {
    const out = join(dir(), 'traces.jsonl');
    const r = await receiver({ out });
    expect(r.out).toBe(out);
    await send(r.url, body([jsonSpan(TRACE_A, '0000000000000001')]), JSON_TYPE);
    await send(r.url, '{', JSON_TYPE);
    await send(r.url, '{}', JSON_TYPE);
    const spans = await sdkSpans((tracer) => tracer.startSpan('from proto').end());
    await send(r.url, ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array, PROTOBUF_TYPE);
    await send(
      r.url,
      body([jsonSpan(TRACE_B, '0000000000000003'), jsonSpan(TRACE_B, 'bad')]),
      JSON_TYPE,
    );
    // Written before the answer: the lines are there before close.
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    for (const line of lines.slice(0, 3)) expect(JSON.parse(line)).toHaveProperty('resourceSpans');
    await r.close();
    const traces = await loadTraces(out);
    expect(traces.flatMap((t) => t.spans.map((s) => s.spanId)).sort()).toEqual(
      ['0000000000000001', '0000000000000003', spans[0]?.spanContext().spanId].sort(),
    );
  });

  test('a JSON body already in the specification encoding is written as sent, on one line', async () => {
    const out = join(dir(), 'traces.jsonl');
    const r = await receiver({ out });
    // Pretty-printed, with an int64 beyond 2^53 as a JSON number: JSON.parse would round it.
    const text = JSON.stringify(
      jsonRequest([
        jsonSpan(TRACE_A, '0000000000000001', {
          attributes: [{ key: 'big', value: { intValue: 'BIG' } }],
        }),
      ]),
      null,
      2,
    ).replace('"BIG"', '1234567890123456789');
    expect((await send(r.url, `\ufeff${text}\r\n`, JSON_TYPE)).status).toBe(200);
    const file = readFileSync(out, 'utf8');
    expect(file).toBe(`${text.replace(/\n/g, ' ')}  \n`);
    await r.close();
    expect((await loadTraces(out)).flatMap((t) => t.spans)).toHaveLength(1);
  });

  test('the file is emptied at start, and only once the port is ours', async () => {
    const out = join(dir(), 'traces.jsonl');
    writeFileSync(out, 'earlier run\n');
    const first = await receiver();
    expect((await startFails({ port: first.port, out })).message).toBe(
      `port ${first.port} on 127.0.0.1 is in use (another receiver or a Collector?); choose another port`,
    );
    expect(readFileSync(out, 'utf8')).toBe('earlier run\n');
    const second = await receiver({ out });
    await second.close();
    expect(readFileSync(out, 'utf8')).toBe('');
  });

  test('an output file that cannot be created fails the start and frees the port', async () => {
    const out = join(dir(), 'missing', 'traces.jsonl');
    const probe = await receiver();
    const port = probe.port;
    await probe.close();
    const error = await startFails({ port, out });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `${out}: cannot write the output file (ENOENT); does its directory exist, and may this user write there?`,
    );
    const again = await receiver({ port });
    expect(again.port).toBe(port);
  });

  // /dev/full accepts the open and fails every write with ENOSPC: a full disk on demand.
  (existsSync('/dev/full') ? test : test.skip)(
    'a line that cannot be written is not acknowledged: 503, so the client retries',
    async () => {
      const r = await startReceiver({ port: 0, out: '/dev/full' });
      try {
        const answer = await send(r.url, good(), JSON_TYPE);
        expect(answer.status).toBe(503);
        expect(answer.json()).toEqual({
          code: 14,
          message:
            'the receiver cannot write /dev/full (ENOSPC); the request was not kept, retry later',
        });
        expect(r.stats).toMatchObject({ requests: 0, spans: 0, refusedRequests: 1 });
        expect(r.spans()).toHaveLength(0);
      } finally {
        await r.close().catch(() => {});
      }
    },
  );
});

describe('what it received, in memory', () => {
  test('onSpans: one batch per acknowledged request; the returned function stops it', async () => {
    const r = await receiver();
    const batches: ReceivedBatch[] = [];
    const stop = r.onSpans((b) => batches.push(b));
    await send(r.url, good(), JSON_TYPE);
    const spans = await sdkSpans((tracer) => tracer.startSpan('p').end());
    await send(r.url, ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array, PROTOBUF_TYPE);
    stop();
    await send(r.url, good(), JSON_TYPE);
    expect(batches.map((b) => [b.sequence, b.encoding, b.spans.length, b.rejectedSpans])).toEqual([
      [1, 'json', 2, 0],
      [2, 'protobuf', 1, 0],
    ]);
    expect(r.spans()).toHaveLength(5);
    expect(r.spansOf(TRACE_A.toUpperCase())).toHaveLength(4);
    expect(
      r
        .traces()
        .map((t) => t.spans.length)
        .sort(),
    ).toEqual([1, 4]);
    r.clear();
    expect(r.spans()).toHaveLength(0);
    expect(r.stats.spans).toBe(5);
  });

  test('a listener that throws costs nobody their acknowledgement', async () => {
    const lines: string[] = [];
    const r = await receiver({ log: (m) => lines.push(m) });
    r.onSpans(() => {
      throw new Error('listener bug');
    });
    expect((await send(r.url, good(), JSON_TYPE)).status).toBe(200);
    expect(lines).toEqual(['an onSpans listener threw: listener bug']);
  });

  test('batches(): an async iterator of requests that ends when the receiver closes', async () => {
    const r = await receiver();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const batch of r.batches()) seen.push(batch.spans.length);
    })();
    await send(r.url, good(), JSON_TYPE);
    await send(r.url, body([jsonSpan(TRACE_B, '0000000000000009')]), JSON_TYPE);
    await r.close();
    await reading;
    expect(seen).toEqual([2, 1]);
  });

  test('waitForTrace: resolves when the spans of a trace stop arriving', async () => {
    const r = await receiver();
    await send(r.url, body([jsonSpan(TRACE_A, '0000000000000001')]), JSON_TYPE);
    const waiting = r.waitForTrace(TRACE_A, { quietMs: 300, timeoutMs: 5000 });
    await send(r.url, body([jsonSpan(TRACE_B, '0000000000000002')]), JSON_TYPE);
    await send(r.url, body([jsonSpan(TRACE_A, '0000000000000003')]), JSON_TYPE);
    const result = await waiting;
    expect(result.reason).toBe('quiet');
    expect(result.spans.map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000003']);
  });

  test('waitForTrace: timeout with nothing, abort, close; and without retain, spans from the call on', async () => {
    const r = await receiver({ retain: false });
    await send(r.url, body([jsonSpan(TRACE_A, '0000000000000001')]), JSON_TYPE);
    expect(r.spans()).toEqual([]);
    const nothing = await r.waitForTrace(TRACE_B, { quietMs: 10, timeoutMs: 100 });
    expect(nothing).toEqual({ traceId: TRACE_B, spans: [], reason: 'timeout' });

    const controller = new AbortController();
    const aborted = r.waitForTrace(TRACE_A, { signal: controller.signal });
    controller.abort();
    expect((await aborted).reason).toBe('aborted');

    const later = r.waitForTrace(TRACE_A, { quietMs: 60_000, timeoutMs: 60_000 });
    await send(r.url, body([jsonSpan(TRACE_A, '0000000000000002')]), JSON_TYPE);
    await r.close();
    const closed = await later;
    expect(closed.reason).toBe('closed');
    expect(closed.spans.map((s) => s.spanId)).toEqual(['0000000000000002']);
  });
});

describe('close', () => {
  test('finishes a request in flight, then stops listening', async () => {
    const out = join(dir(), 'traces.jsonl');
    const r = await receiver({ out });
    const text = Buffer.from(good());
    let closed = false;
    const answer = new Promise<number>((resolve, reject) => {
      const req = httpRequest(r.url, { method: 'POST', headers: JSON_TYPE }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write(text.subarray(0, 10));
      // The rest comes after close has begun.
      setTimeout(() => {
        expect(closed).toBe(false);
        req.end(text.subarray(10));
      }, 100);
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const closing = r.close().then(() => {
      closed = true;
    });
    expect(await answer).toBe(200);
    await closing;
    expect((await loadTraces(out)).flatMap((t) => t.spans)).toHaveLength(2);
    await expect(fetch(r.url, { method: 'POST' })).rejects.toThrow();
  });

  test('a client that never finishes is cut off after the grace period, and nothing of it kept', async () => {
    const out = join(dir(), 'traces.jsonl');
    const r = await receiver({ out, closeGraceMs: 150 });
    const stuck = httpRequest(r.url, { method: 'POST', headers: JSON_TYPE });
    const failed = new Promise((resolve) => stuck.on('error', resolve));
    stuck.write('{"resourceSpans":');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();
    await r.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await failed;
    expect(readFileSync(out, 'utf8')).toBe('');
  });
});
