/**
 * What the receiver keeps of one request: the spans the OTLP/JSON reader accepts, the
 * request rewritten in the specification's JSON encoding for the output file, and the
 * spans it rejects, with the reason for each.
 *
 * A span is rejected on its own (a partial success, the others are kept) when the reader
 * refuses it (no or malformed trace or span id, a time that is not a non-negative integer,
 * an end before the start, a malformed attribute, event or link), or when its trace id or
 * span id is all zeros, which OTLP defines as invalid. A broken resource or scope rejects
 * the spans under it. A request whose structure is broken above the spans (`resourceSpans`
 * not an array, a `ScopeSpans` that is not an object, ...) is refused as a whole: there is
 * no telling how many spans it meant to send.
 */

import { InputError } from '../errors';
import type { LoadContext } from '../ingest/context';
import { otlpJson } from '../ingest/otlp-json';
import { isZeroId, type Span, type SpanKind, type StatusCode } from '../model';

type Json = Record<string, unknown>;

export interface Intake {
  /** The accepted spans, in the order of the request. */
  readonly spans: Span[];
  /** The accepted part of the request in the specification's JSON encoding; undefined for none. */
  readonly request: Json | undefined;
  /**
   * The request was already in the specification's JSON encoding and nothing was taken
   * out: its text can be written as it came, without serialising `request` again.
   */
  readonly verbatim: boolean;
  readonly rejected: number;
  /** Why spans were rejected: the first few, each naming the span's place in the request. */
  readonly rejections: string[];
  /** Things worth saying that did not reject anything (an unknown span kind, ...). */
  readonly warnings: string[];
}

/** How many rejection reasons a response or a log line lists before "and N more". */
export const MAX_REASONS = 3;

const KIND_NUMBERS: Readonly<Record<SpanKind, number>> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};
const STATUS_NUMBERS: Readonly<Record<StatusCode, number>> = { unset: 0, ok: 1, error: 2 };

interface Place {
  readonly rs: number;
  readonly ss: number;
  readonly span: number;
}

/**
 * Reads requests for one receiver. `intern` is shared by every request it reads, as the
 * names and attribute values of one system repeat across its export batches.
 */
export class RequestReader {
  readonly #intern: (text: string) => string;

  constructor(intern: (text: string) => string) {
    this.#intern = intern;
  }

  /**
   * `value` is a parsed JSON body or a decoded protobuf one (`specEncoded`: ids, times and
   * enums are already as the specification writes them). It is rewritten in place. Throws
   * an `InputError` for a request to refuse as a whole.
   */
  read(value: unknown, specEncoded: boolean): Intake {
    const warnings: string[] = [];
    const edits = { made: false };
    const request = shape(value, warnings, edits);
    const ctx = this.#context(warnings);

    // Nearly every request is fine: one read of the whole request, as a file is read.
    const spans: Span[] = [];
    let clean = true;
    try {
      otlpJson.read(request, ctx, (span) => {
        if (isZeroId(span.traceId) || isZeroId(span.spanId)) clean = false;
        spans.push(span);
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      clean = false;
    }
    if (clean) {
      if (!specEncoded) respell(request, spans, edits);
      return {
        spans,
        request: spans.length > 0 ? request : undefined,
        verbatim: !edits.made,
        rejected: 0,
        rejections: [],
        warnings,
      };
    }
    return this.#spanBySpan(request, specEncoded, ctx, warnings);
  }

  #context(warnings: string[]): LoadContext {
    const warn = (message: string): void => {
      if (!warnings.includes(message)) warnings.push(message);
    };
    return {
      file: undefined,
      line: undefined,
      intern: this.#intern,
      warn,
      warnOnce: (_key, message) => warn(message),
    };
  }

  /** Reads each span on its own, with its resource and scope, to keep the good ones. */
  #spanBySpan(request: Json, specEncoded: boolean, ctx: LoadContext, warnings: string[]): Intake {
    const kept: Span[] = [];
    const rejections: string[] = [];
    let rejected = 0;
    const resourceSpans: Json[] = [];
    // One single-span request, refilled for every span.
    const oneSpan: unknown[] = [];
    const oneScope: Json = { scope: undefined, spans: oneSpan };
    const oneResource: Json = { resource: undefined, scopeSpans: [oneScope] };
    const one = { resourceSpans: [oneResource] };
    let span: Span | undefined;
    const emit = (s: Span): void => {
      span = s;
    };

    const rsList = request.resourceSpans as Json[];
    for (let i = 0; i < rsList.length; i++) {
      const rs = rsList[i] as Json;
      oneResource.resource = rs.resource;
      const scopeSpans: Json[] = [];
      const ssList = (rs.scopeSpans ?? []) as Json[];
      for (let j = 0; j < ssList.length; j++) {
        const ss = ssList[j] as Json;
        oneScope.scope = ss.scope;
        const keptJson: unknown[] = [];
        const spanList = (ss.spans ?? []) as unknown[];
        for (let k = 0; k < spanList.length; k++) {
          oneSpan[0] = spanList[k];
          span = undefined;
          let reason: string | undefined;
          try {
            otlpJson.read(one, ctx, emit);
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            reason = relocate(error, { rs: i, ss: j, span: k });
          }
          if (span !== undefined && reason === undefined) {
            const s: Span = span;
            if (isZeroId(s.traceId)) reason = zeroId({ rs: i, ss: j, span: k }, 'traceId');
            else if (isZeroId(s.spanId)) reason = zeroId({ rs: i, ss: j, span: k }, 'spanId');
            else {
              kept.push(s);
              keptJson.push(spanList[k]);
            }
          }
          if (reason !== undefined) {
            rejected++;
            if (rejections.length < MAX_REASONS) rejections.push(reason);
          }
        }
        if (keptJson.length > 0) scopeSpans.push({ ...ss, spans: keptJson });
      }
      if (scopeSpans.length > 0) resourceSpans.push({ ...rs, scopeSpans });
    }
    const out: Json = { resourceSpans };
    if (!specEncoded) respell(out, kept, { made: true });
    return {
      spans: kept,
      request: kept.length > 0 ? out : undefined,
      verbatim: false,
      rejected,
      rejections,
      warnings,
    };
  }
}

/** A reader's error about the single-span request, placed in the real request. */
function relocate(error: InputError, at: Place): string {
  const path = (error.location.path ?? '').replace(
    /^resourceSpans\[0\](\.scopeSpans\[0\](\.spans\[0\])?)?/,
    (_all, scope: string | undefined, span: string | undefined) =>
      `resourceSpans[${at.rs}]${scope === undefined ? '' : `.scopeSpans[${at.ss}]`}${span === undefined ? '' : `.spans[${at.span}]`}`,
  );
  const spanId = error.location.spanId;
  return `${path}${spanId === undefined ? '' : ` (span ${spanId})`}: ${error.reason}`;
}

function zeroId(at: Place, field: 'traceId' | 'spanId'): string {
  return `resourceSpans[${at.rs}].scopeSpans[${at.ss}].spans[${at.span}]: ${field} is all zeros, which OTLP defines as invalid`;
}

/**
 * Checks the request's structure above the spans and renames what older exporters and
 * other tools call differently (`batches`, `instrumentationLibrarySpans`,
 * `instrumentationLibrary`, Jaeger's `{ "result": ... }`) to the specification's names.
 */
function shape(value: unknown, warnings: string[], edits: Edits): Json {
  if (!isObject(value)) {
    throw new InputError(
      {},
      `the body is not an OTLP ExportTraceServiceRequest: expected a JSON object with "resourceSpans", found ${describe(value)}`,
    );
  }
  let request = value as Json;
  if (
    request.resourceSpans === undefined &&
    request.batches === undefined &&
    isObject(request.result)
  ) {
    request = request.result as Json;
    edits.made = true;
  }
  let list = request.resourceSpans;
  let key = 'resourceSpans';
  if (list === undefined && request.batches !== undefined) {
    list = request.batches;
    key = 'batches';
    delete request.batches;
    edits.made = true;
  }
  if (list === undefined || list === null) {
    const keys = Object.keys(request);
    if (keys.length > 0) {
      warnings.push(
        `the request has no "resourceSpans" (its keys: ${keys.slice(0, 5).join(', ')}), so it carries no spans; is the exporter sending OTLP?`,
      );
    }
    return { resourceSpans: [] };
  }
  if (!Array.isArray(list))
    throw structure(key, `"${key}" must be an array, not ${describe(list)}`);
  request.resourceSpans = list;
  for (let i = 0; i < list.length; i++) {
    const rs = list[i];
    const at = `resourceSpans[${i}]`;
    if (!isObject(rs))
      throw structure(at, `expected a ResourceSpans object, found ${describe(rs)}`);
    renameList(rs as Json, 'scopeSpans', 'instrumentationLibrarySpans', at, edits);
    const ssList = (rs as Json).scopeSpans as unknown[] | undefined;
    if (ssList === undefined) continue;
    for (let j = 0; j < ssList.length; j++) {
      const ss = ssList[j];
      const ssAt = `${at}.scopeSpans[${j}]`;
      if (!isObject(ss)) {
        throw structure(ssAt, `expected a ScopeSpans object, found ${describe(ss)}`);
      }
      const s = ss as Json;
      if (s.scope === undefined && s.instrumentationLibrary !== undefined) {
        s.scope = s.instrumentationLibrary;
        delete s.instrumentationLibrary;
        edits.made = true;
      }
      const spans = s.spans;
      if (spans === null) {
        delete s.spans;
        edits.made = true;
      } else if (spans !== undefined && !Array.isArray(spans)) {
        throw structure(`${ssAt}.spans`, `"spans" must be an array, not ${describe(spans)}`);
      }
    }
  }
  return request;
}

function renameList(owner: Json, key: string, legacy: string, at: string, edits: Edits): void {
  let list = owner[key];
  let name = key;
  if (list === undefined && owner[legacy] !== undefined) {
    list = owner[legacy];
    name = legacy;
    delete owner[legacy];
    edits.made = true;
  }
  if (list === undefined || list === null) {
    if (list === null) edits.made = true;
    delete owner[key];
    return;
  }
  if (!Array.isArray(list)) {
    throw structure(`${at}.${name}`, `"${name}" must be an array, not ${describe(list)}`);
  }
  owner[key] = list;
}

function structure(path: string, reason: string): InputError {
  return new InputError({ path }, reason);
}

interface Edits {
  made: boolean;
}

/**
 * Rewrites what the readers tolerate but the specification's JSON encoding does not allow
 * (base64 or upper-case ids, enum names, numbers for timestamps) from the spans the reader
 * made of it; `spans` are in the order of the request's spans. Attribute values stay as
 * sent: an `intValue` may be a JSON number, as the OpenTelemetry JS exporter writes it and
 * as protobuf's JSON mapping accepts it, and its digits are kept exactly that way.
 */
function respell(request: Json, spans: readonly Span[], edits: Edits): void {
  let n = 0;
  let made = false;
  for (const rs of request.resourceSpans as Json[]) {
    for (const ss of (rs.scopeSpans ?? []) as Json[]) {
      for (const json of (ss.spans ?? []) as Json[]) {
        const span = spans[n++] as Span;
        if (json.traceId !== span.traceId) {
          json.traceId = span.traceId;
          made = true;
        }
        if (json.spanId !== span.spanId) {
          json.spanId = span.spanId;
          made = true;
        }
        if (json.parentSpanId !== span.parentSpanId) {
          if (span.parentSpanId === undefined) delete json.parentSpanId;
          else json.parentSpanId = span.parentSpanId;
          made = true;
        }
        if (json.kind !== undefined && typeof json.kind !== 'number') {
          json.kind = KIND_NUMBERS[span.kind];
          made = true;
        }
        const status = json.status as Json | null | undefined;
        if (isObject(status) && (status as Json).code !== undefined) {
          if (typeof (status as Json).code !== 'number') {
            (status as Json).code = STATUS_NUMBERS[span.status.code];
            made = true;
          }
        }
        if (json.startTimeUnixNano !== undefined && typeof json.startTimeUnixNano !== 'string') {
          json.startTimeUnixNano = String(span.startTimeUnixNano);
          made = true;
        }
        if (json.endTimeUnixNano !== undefined && typeof json.endTimeUnixNano !== 'string') {
          json.endTimeUnixNano = String(span.endTimeUnixNano);
          made = true;
        }
        if (json.events !== undefined && respellEvents(json.events, span)) made = true;
        if (json.links !== undefined && respellLinks(json.links, span)) made = true;
      }
    }
  }
  if (made) edits.made = true;
}

function respellEvents(events: unknown, span: Span): boolean {
  if (!Array.isArray(events)) return false;
  let made = false;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Json;
    if (typeof event.timeUnixNano !== 'string') {
      event.timeUnixNano = String(span.events[i]?.timeUnixNano);
      made = true;
    }
  }
  return made;
}

function respellLinks(links: unknown, span: Span): boolean {
  if (!Array.isArray(links)) return false;
  let made = false;
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as Json;
    const model = span.links[i];
    if (model === undefined) continue;
    if (link.traceId !== model.traceId || link.spanId !== model.spanId) {
      link.traceId = model.traceId;
      link.spanId = model.spanId;
      made = true;
    }
  }
  return made;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
