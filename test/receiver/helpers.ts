import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type Receiver, type ReceiverOptions, startReceiver } from '../../src/receiver';

/** Spans made by the real SDK: `build` starts and ends them with a tracer of scope `test`. */
export async function sdkSpans(
  build: (tracer: Tracer) => void,
  service = 'receiver-test',
): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  build(provider.getTracer('test', '1.2.3'));
  await provider.forceFlush();
  const spans = [...exporter.getFinishedSpans()];
  await provider.shutdown();
  return spans;
}

/** A copy of an SDK span with some fields replaced: values the SDK's API would not let through. */
export function withFields(span: ReadableSpan, fields: Partial<ReadableSpan>): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    status: span.status,
    attributes: span.attributes,
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: true,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    ...fields,
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** The body as JSON, for JSON answers. */
  json(): unknown;
}

/** POSTs (or sends `method`) to the receiver and reads the whole answer. */
export async function send(
  url: string,
  body: Uint8Array | string | undefined,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<Answer> {
  const response = await fetch(url, { method, body, headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    body: bytes,
    json: () => JSON.parse(bytes.toString('utf8')),
  };
}

export const JSON_TYPE = { 'Content-Type': 'application/json' };
export const PROTOBUF_TYPE = { 'Content-Type': 'application/x-protobuf' };

/**
 * Receivers started by a test file, closed by `closeReceivers` in its afterEach, whatever
 * the test did.
 */
const running = new Set<Receiver>();

export async function receiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const r = await startReceiver({ port: 0, ...options });
  running.add(r);
  return r;
}

export async function closeReceivers(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.all(all.map((r) => r.close()));
}

/** A fresh temporary directory and the function that removes it. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tracespec-receiver-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A minimal valid OTLP/JSON span (ids as given). */
export function jsonSpan(traceId: string, spanId: string, extra: Record<string, unknown> = {}) {
  return {
    traceId,
    spanId,
    name: `span ${spanId}`,
    kind: 2,
    startTimeUnixNano: '1767225600000000000',
    endTimeUnixNano: '1767225600005000000',
    ...extra,
  };
}

/** An OTLP/JSON request with one resource and one scope holding `spans`. */
export function jsonRequest(spans: unknown[], service = 'checkout') {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'manual' }, spans }],
      },
    ],
  };
}

export const TRACE_A = '5b8efff798038103d269b633813fc60c';
export const TRACE_B = '7e3a1c9f2b4d4e8a9c6f0d1e2a3b4c5d';

export interface ExporterSpec {
  readonly protocol: 'json' | 'proto';
  readonly compression?: 'gzip' | 'none';
  readonly token?: string;
}

export interface ExportRun {
  /** Every span id made, across exporters. */
  readonly sent: string[];
  readonly results: { success: number; failed: number; errors: string[] }[];
}

/**
 * Sends `spans` spans through each of the real OTLP exporters, all at once, from a child
 * node process (fixtures/export-spans.js): the exporters load `http` with a dynamic import()
 * that Jest's module runtime refuses. Asynchronous, so that a receiver in this process
 * keeps serving meanwhile.
 */
export function exportSpans(config: {
  url: string;
  spans: number;
  exporters: readonly ExporterSpec[];
  batch?: number;
}): Promise<ExportRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(__dirname, 'fixtures', 'export-spans.js'), JSON.stringify(config)],
      { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`export-spans.js failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as ExportRun);
      },
    );
  });
}
