/**
 * OTLP/JSON (`ExportTraceServiceRequest`), and the variants of it found in the wild:
 * pre-1.0 `instrumentationLibrarySpans`, Grafana Tempo's `batches` with base64 ids and enum
 * names, Jaeger /api/v3's `{ "result": ... }`, and arrays of requests.
 *
 * This is the hot path of every load: it runs once per span, a million times for a big
 * file. It allocates only what the model keeps, has no closures or try/catch per span, and
 * keeps where it is in a mutable cursor so that an error can name the JSON path without
 * the happy path building one.
 */

import { InputError } from '../errors';
import { isZeroId } from '../model/ids';
// From the module itself, not the `../model` index: CommonJS re-exports are getters, and
// this file reads `Span` and the statuses once per span.
import {
  type Attributes,
  type InstrumentationScope,
  type Resource,
  Span,
  type SpanEvent,
  type SpanInit,
  type SpanKind,
  type SpanLink,
  STATUS_OK,
  STATUS_UNSET,
  type Status,
  type StatusCode,
  splitUnixNano,
} from '../model/span';
import { readAttributes, typeName } from './any-value';
import type { LoadContext } from './context';
import type { FormatReader, ReadContext } from './format';
import { parseUnixNano, readSpanTimes, type SpanTimes } from './int64';
import { describeBadId, otlpId } from './otlp-ids';
import { Problem } from './problem';

interface OtlpRequest {
  readonly resourceSpans?: unknown;
  readonly batches?: unknown;
  readonly result?: { readonly resourceSpans?: unknown } | null;
}
interface OtlpResourceSpans {
  readonly resource?: { readonly attributes?: unknown } | null;
  readonly scopeSpans?: unknown;
  readonly instrumentationLibrarySpans?: unknown;
}
interface OtlpScopeSpans {
  readonly scope?: OtlpScope | null;
  readonly instrumentationLibrary?: OtlpScope | null;
  readonly spans?: unknown;
}
interface OtlpScope {
  readonly name?: unknown;
  readonly version?: unknown;
}
interface OtlpSpan {
  readonly traceId?: unknown;
  readonly spanId?: unknown;
  readonly parentSpanId?: unknown;
  readonly name?: unknown;
  readonly kind?: unknown;
  readonly startTimeUnixNano?: unknown;
  readonly endTimeUnixNano?: unknown;
  readonly attributes?: unknown;
  readonly events?: unknown;
  readonly links?: unknown;
  readonly status?: { readonly code?: unknown; readonly message?: unknown } | null;
}
interface OtlpEvent {
  readonly timeUnixNano?: unknown;
  readonly name?: unknown;
  readonly attributes?: unknown;
}
interface OtlpLink {
  readonly traceId?: unknown;
  readonly spanId?: unknown;
  readonly attributes?: unknown;
}

const KINDS: readonly SpanKind[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const KIND_NAMES: ReadonlyMap<string, SpanKind> = new Map(
  KINDS.flatMap((k) => [
    [`SPAN_KIND_${k.toUpperCase()}`, k],
    [k, k],
  ]),
);
const STATUS_NAMES: ReadonlyMap<string, StatusCode> = new Map([
  ['STATUS_CODE_UNSET', 'unset'],
  ['STATUS_CODE_OK', 'ok'],
  ['STATUS_CODE_ERROR', 'error'],
  ['unset', 'unset'],
  ['ok', 'ok'],
  ['error', 'error'],
]);
const STATUS_ERROR: Status = Object.freeze({ code: 'error', message: '' });
const NO_ATTRIBUTES: Attributes = Object.freeze({});
// Sentinel for "no trace id seen yet"; JSON can produce any other value, this object never.
const NONE: unknown = Object.freeze({});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const INIT: Mutable<SpanInit> = {
  traceId: '',
  spanId: '',
  parentSpanId: undefined,
  name: '',
  kind: 'unspecified',
  resource: undefined,
  scope: undefined,
  attributes: undefined,
  // Unread: the reader hands the constructor the start and the duration instead.
  startTimeUnixNano: 0n,
  endTimeUnixNano: 0n,
  status: undefined,
  events: undefined,
  links: undefined,
};

// The times of the span being read; like INIT, one object for every span.
const TIMES: SpanTimes = { startSeconds: 0, startNanos: 0, durationNs: 0 };

/** Where the reader is, kept up to date by plain field writes; read only to explain an error. */
class Cursor {
  readonly ctx: ReadContext;
  /** `[2].` inside an array of requests. */
  prefix = '';
  wrapped = false;
  rsKey = 'resourceSpans';
  rs = -1;
  ssKey = 'scopeSpans';
  ss = -1;
  span = -1;
  spanId: string | undefined = undefined;
  // Spans of one trace come together: their trace id is normalised once and shared.
  lastRawTraceId: unknown = NONE;
  lastTraceId = '';
  lastRawParentId: unknown = NONE;
  lastParentId: string | undefined = undefined;

  constructor(ctx: ReadContext) {
    this.ctx = ctx;
  }

  path(at: string | undefined): string {
    let out = this.prefix;
    if (this.rs >= 0) {
      out += `${this.wrapped ? 'result.' : ''}${this.rsKey}[${this.rs}]`;
      if (this.ss >= 0) {
        out += `.${this.ssKey}[${this.ss}]`;
        if (this.span >= 0) out += `.spans[${this.span}]`;
      }
    }
    if (at !== undefined) out += out === '' || out.endsWith('.') ? at : `.${at}`;
    if (out.endsWith('.')) out = out.slice(0, -1);
    return out === '' ? '(top level)' : out;
  }

  error(reason: string, at?: string): InputError {
    return new InputError(
      { file: this.ctx.file, line: this.ctx.line, path: this.path(at), spanId: this.spanId },
      reason,
    );
  }

  /** Warn once per distinct message per file: a million spans can share one oddity. */
  warnOnce(message: string): void {
    const ctx = this.ctx as Partial<LoadContext>;
    if (typeof ctx.warn !== 'function') return;
    const file = this.ctx.file;
    const where =
      file === undefined
        ? ''
        : `${file}${this.ctx.line === undefined ? '' : `:${this.ctx.line}`}: `;
    const full = `${where}${message} (first at ${this.path(undefined)})`;
    if (typeof ctx.warnOnce === 'function') ctx.warnOnce(`${file ?? ''}\0${message}`, full);
    else ctx.warn(full);
  }
}

export const otlpJson: FormatReader = {
  format: 'otlp-json',

  detect(value: unknown): boolean {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === null || typeof first !== 'object' || Array.isArray(first)) return false;
    const r = first as OtlpRequest;
    if (Array.isArray(r.resourceSpans) || Array.isArray(r.batches)) return true;
    const result = r.result;
    return result !== null && typeof result === 'object' && Array.isArray(result.resourceSpans);
  },

  read(value: unknown, ctx: ReadContext, emit: (span: Span) => void): void {
    const cur = new Cursor(ctx);
    try {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          cur.prefix = `[${i}].`;
          readRequest(value[i], cur, emit);
        }
      } else readRequest(value, cur, emit);
    } catch (error) {
      if (error instanceof Problem) throw cur.error(error.message, error.at);
      throw error;
    } finally {
      releaseInit();
    }
  },
};

function readRequest(value: unknown, cur: Cursor, emit: (span: Span) => void): void {
  cur.rs = -1;
  cur.wrapped = false;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Problem(
      `expected an OTLP ExportTraceServiceRequest object, found ${typeName(value)}`,
    );
  }
  let req = value as OtlpRequest;
  if (req.resourceSpans === undefined && req.batches === undefined && isObject(req.result)) {
    req = req.result as OtlpRequest;
    cur.wrapped = true;
  }
  let list = req.resourceSpans;
  cur.rsKey = 'resourceSpans';
  if (list === undefined) {
    list = req.batches;
    cur.rsKey = 'batches';
  }
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    throw new Problem(`"${cur.rsKey}" must be an array, not ${typeName(list)}`, cur.rsKey);
  }
  for (let i = 0; i < list.length; i++) {
    cur.rs = i;
    cur.ss = -1;
    readResourceSpans(list[i], cur, emit);
  }
}

function readResourceSpans(value: unknown, cur: Cursor, emit: (span: Span) => void): void {
  if (!isObject(value))
    throw new Problem(`expected a ResourceSpans object, found ${typeName(value)}`);
  const rs = value as OtlpResourceSpans;
  const attributes = isObject(rs.resource)
    ? readAttributes(
        (rs.resource as { attributes?: unknown }).attributes,
        'resource.attributes',
        cur.ctx.intern,
      )
    : undefined;
  // One Resource object for all the spans it covers: the model shares it, never copies it.
  const resource: Resource | undefined = attributes === undefined ? undefined : { attributes };
  let list = rs.scopeSpans;
  cur.ssKey = 'scopeSpans';
  if (list === undefined) {
    list = rs.instrumentationLibrarySpans;
    cur.ssKey = 'instrumentationLibrarySpans';
  }
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) {
    throw new Problem(`"${cur.ssKey}" must be an array, not ${typeName(list)}`, cur.ssKey);
  }
  for (let i = 0; i < list.length; i++) {
    cur.ss = i;
    cur.span = -1;
    readScopeSpans(list[i], resource, cur, emit);
  }
}

function readScopeSpans(
  value: unknown,
  resource: Resource | undefined,
  cur: Cursor,
  emit: (span: Span) => void,
): void {
  if (!isObject(value)) throw new Problem(`expected a ScopeSpans object, found ${typeName(value)}`);
  const ss = value as OtlpScopeSpans;
  const scope = readScope(ss.scope ?? ss.instrumentationLibrary, cur.ctx);
  const spans = ss.spans;
  if (spans === undefined || spans === null) return;
  if (!Array.isArray(spans))
    throw new Problem(`"spans" must be an array, not ${typeName(spans)}`, 'spans');
  for (let i = 0; i < spans.length; i++) {
    cur.span = i;
    cur.spanId = undefined;
    emit(readSpan(spans[i], resource, scope, cur));
  }
  cur.spanId = undefined;
}

function readScope(
  scope: OtlpScope | null | undefined,
  ctx: ReadContext,
): InstrumentationScope | undefined {
  if (!isObject(scope)) return undefined;
  const name = typeof scope?.name === 'string' ? scope.name : '';
  const version =
    typeof scope?.version === 'string' && scope.version !== '' ? scope.version : undefined;
  if (name === '' && version === undefined) return undefined;
  return { name: ctx.intern(name), version };
}

function readSpan(
  value: unknown,
  resource: Resource | undefined,
  scope: InstrumentationScope | undefined,
  cur: Cursor,
): Span {
  if (!isObject(value)) throw new Problem(`expected a Span object, found ${typeName(value)}`);
  const s = value as OtlpSpan;

  // The span id first, so that every later complaint can name the span.
  const rawSpanId = s.spanId;
  if (typeof rawSpanId !== 'string' || rawSpanId === '') throw missing('spanId', rawSpanId);
  const spanId = otlpId(rawSpanId, 16);
  if (spanId === undefined) throw new Problem(`spanId ${describeBadId(rawSpanId, 16)}`, 'spanId');
  cur.spanId = spanId;

  const rawTraceId = s.traceId;
  let traceId: string;
  if (rawTraceId === cur.lastRawTraceId) traceId = cur.lastTraceId;
  else {
    if (typeof rawTraceId !== 'string' || rawTraceId === '') throw missing('traceId', rawTraceId);
    const id = otlpId(rawTraceId, 32);
    if (id === undefined) throw new Problem(`traceId ${describeBadId(rawTraceId, 32)}`, 'traceId');
    // Spans of many traces interleave in a batch, so the shortcut above often misses;
    // without interning every span would hold its own 48-byte copy of its trace id.
    traceId = cur.ctx.intern(id);
    cur.lastRawTraceId = rawTraceId;
    cur.lastTraceId = traceId;
  }

  const rawParent = s.parentSpanId;
  let parentSpanId: string | undefined;
  // Siblings tend to sit next to each other in a batch: they share one parent id string.
  if (rawParent === cur.lastRawParentId) parentSpanId = cur.lastParentId;
  else if (rawParent !== undefined && rawParent !== null && rawParent !== '') {
    if (typeof rawParent !== 'string') throw missing('parentSpanId', rawParent);
    const id = otlpId(rawParent, 16);
    if (id === undefined) {
      throw new Problem(`parentSpanId ${describeBadId(rawParent, 16)}`, 'parentSpanId');
    }
    // All zeros is how some exporters write "no parent".
    parentSpanId = isZeroId(id) ? undefined : id;
    cur.lastRawParentId = rawParent;
    cur.lastParentId = parentSpanId;
  }

  const rawName = s.name;
  let name = '';
  if (typeof rawName === 'string') name = cur.ctx.intern(rawName);
  else if (rawName !== undefined && rawName !== null) {
    throw new Problem(`"name" must be a string, not ${typeName(rawName)}`, 'name');
  }

  const times = TIMES;
  if (!readSpanTimes(s.startTimeUnixNano, s.endTimeUnixNano, times)) readTimesSlowly(s, cur, times);

  // One init object for every span the reader builds: the constructor copies what it
  // needs, and a million spans do not each leave a 14-field object behind as garbage.
  const init = INIT;
  init.traceId = traceId;
  init.spanId = spanId;
  init.parentSpanId = parentSpanId;
  init.name = name;
  init.kind = readKind(s.kind, cur);
  init.resource = resource;
  init.scope = scope;
  init.attributes = readAttributes(s.attributes, 'attributes', cur.ctx.intern);
  init.status = readStatus(s.status, cur);
  init.events = s.events === undefined ? undefined : readEvents(s.events, cur.ctx);
  init.links = s.links === undefined ? undefined : readLinks(s.links, cur.ctx);
  return new Span(init, times.durationNs, times);
}

/** Lets go of the last span's parts once a document is read. */
function releaseInit(): void {
  INIT.traceId = '';
  INIT.spanId = '';
  INIT.parentSpanId = undefined;
  INIT.name = '';
  INIT.resource = undefined;
  INIT.scope = undefined;
  INIT.attributes = undefined;
  INIT.status = undefined;
  INIT.events = undefined;
  INIT.links = undefined;
}

function missing(field: string, value: unknown): Problem {
  return new Problem(
    value === undefined || value === ''
      ? `the span has no ${field}`
      : `${field} must be a hex string, not ${typeName(value)}`,
    field,
  );
}

/**
 * The times `readSpanTimes` could not read: JSON numbers, absent times, durations beyond
 * 104 days, or something wrong, which this explains.
 */
function readTimesSlowly(s: OtlpSpan, cur: Cursor, times: SpanTimes): void {
  let start = parseUnixNano(s.startTimeUnixNano);
  let end = parseUnixNano(s.endTimeUnixNano);
  if (start === undefined || end === undefined) {
    if (s.startTimeUnixNano === undefined && s.endTimeUnixNano === undefined) {
      // Protobuf's JSON mapping omits zero values, so a span with neither time is one
      // whose times were 0 (Jaeger's /api/v3 writes such spans); keep it, but say so.
      cur.warnOnce(
        'span has no startTimeUnixNano or endTimeUnixNano; both taken as 0 (1970-01-01)',
      );
      start = 0n;
      end = 0n;
    } else throw timeProblem(s, start);
  }
  if (end < start) {
    throw new Problem(
      `the span ends before it starts: endTimeUnixNano ${end} < startTimeUnixNano ${start}`,
      'endTimeUnixNano',
    );
  }
  splitUnixNano(start, times);
  times.durationNs = Number(end - start);
}

function timeProblem(s: OtlpSpan, start: bigint | undefined): Problem {
  const field = start === undefined ? 'startTimeUnixNano' : 'endTimeUnixNano';
  const value = s[field];
  if (value === undefined) {
    return new Problem(`the span has no ${field} (nanoseconds since the Unix epoch)`, field);
  }
  return new Problem(
    `${field} ${JSON.stringify(value)} is not a non-negative integer of nanoseconds since the Unix epoch`,
    field,
  );
}

function readKind(k: unknown, cur: Cursor): SpanKind {
  if (typeof k === 'number') {
    const kind = KINDS[k];
    if (kind !== undefined) return kind;
  } else if (k === undefined || k === null) return 'unspecified';
  else {
    const kind = KIND_NAMES.get(String(k));
    if (kind !== undefined) return kind;
  }
  cur.warnOnce(`unknown span kind ${JSON.stringify(k)}; read as unspecified`);
  return 'unspecified';
}

function readStatus(
  st: { readonly code?: unknown; readonly message?: unknown } | null | undefined,
  cur: Cursor,
): Status {
  if (st === undefined || st === null) return STATUS_UNSET;
  const c = st.code;
  let code: StatusCode;
  if (c === undefined || c === null || c === 0) code = 'unset';
  else if (c === 2) code = 'error';
  else if (c === 1) code = 'ok';
  else {
    const named = STATUS_NAMES.get(String(c));
    if (named === undefined)
      cur.warnOnce(`unknown status code ${JSON.stringify(c)}; read as unset`);
    code = named ?? 'unset';
  }
  const m = st.message;
  const message = typeof m === 'string' ? cur.ctx.intern(m) : '';
  if (message === '')
    return code === 'unset' ? STATUS_UNSET : code === 'error' ? STATUS_ERROR : STATUS_OK;
  return { code, message };
}

function readEvents(list: unknown, ctx: ReadContext): SpanEvent[] | undefined {
  if (list === null) return undefined;
  if (!Array.isArray(list))
    throw new Problem(`"events" must be an array, not ${typeName(list)}`, 'events');
  const n = list.length;
  if (n === 0) return undefined;
  const out: SpanEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = list[i] as OtlpEvent | null;
    if (!isObject(e))
      throw new Problem(`expected an Event object, found ${typeName(e)}`, `events[${i}]`);
    const time = parseUnixNano(e?.timeUnixNano);
    if (time === undefined) {
      throw new Problem(
        e?.timeUnixNano === undefined
          ? 'the event has no timeUnixNano'
          : `event timeUnixNano ${JSON.stringify(e?.timeUnixNano)} is not a non-negative integer of nanoseconds`,
        `events[${i}]`,
      );
    }
    const name = e?.name;
    out[i] = {
      name: typeof name === 'string' ? ctx.intern(name) : '',
      timeUnixNano: time,
      attributes:
        readAttributes(e?.attributes, `events[${i}].attributes`, ctx.intern) ?? NO_ATTRIBUTES,
    };
  }
  return out;
}

function readLinks(list: unknown, ctx: ReadContext): SpanLink[] | undefined {
  if (list === null) return undefined;
  if (!Array.isArray(list))
    throw new Problem(`"links" must be an array, not ${typeName(list)}`, 'links');
  const n = list.length;
  if (n === 0) return undefined;
  const out: SpanLink[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const l = list[i] as OtlpLink | null;
    const at = `links[${i}]`;
    if (!isObject(l)) throw new Problem(`expected a Link object, found ${typeName(l)}`, at);
    out[i] = {
      traceId: linkId(l?.traceId, 32, at),
      spanId: linkId(l?.spanId, 16, at),
      attributes: readAttributes(l?.attributes, `${at}.attributes`, ctx.intern) ?? NO_ATTRIBUTES,
    };
  }
  return out;
}

function linkId(value: unknown, width: 32 | 16, at: string): string {
  const field = width === 32 ? 'traceId' : 'spanId';
  if (typeof value !== 'string' || value === '') {
    throw new Problem(`the link has no ${field}`, `${at}.${field}`);
  }
  const id = otlpId(value, width);
  if (id === undefined)
    throw new Problem(`link ${field} ${describeBadId(value, width)}`, `${at}.${field}`);
  return id;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
