/**
 * Jaeger's JSON, in the three shapes people save it in:
 *
 * - the query API answer `{ "data": [ { traceID, spans, processes } ], total, errors }`
 *   (`/api/traces`, removed from Jaeger in 2026 but common in saved files);
 * - one trace object `{ traceID, spans, processes }` (the UI's "download JSON");
 * - an array of spans, each with an embedded `process` instead of a `processID`.
 *
 * Times are microseconds; tags are typed (`{ key, type, value }`). Spans that went through
 * the OpenTelemetry → Jaeger translation carry OTLP fields as tags (`span.kind`,
 * `otel.status_code`, `otel.scope.name`, ...); they are lifted back into the model so that
 * a trace read from Jaeger equals the same trace read from OTLP.
 */

import { InputError } from '../errors';
import {
  type AttributeValue,
  type InstrumentationScope,
  isZeroId,
  type Resource,
  Span,
  type SpanEvent,
  type SpanKind,
  type SpanLink,
  STATUS_OK,
  STATUS_UNSET,
  type Status,
} from '../model';
import type { FormatReader, ReadContext } from './format';
import {
  Cursor,
  internValue,
  type JaegerProcessTable,
  type MutableAttributes,
  resourceFromProcess,
  scopeFor,
  setAttribute,
  TranslationTags,
  tagValue,
} from './jaeger-values';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Jaeger's spellings: OTLP says `traceId`/`spanId`, Zipkin `traceId`/`id`. */
function looksLikeJaegerSpan(value: unknown): boolean {
  return (
    isObject(value) &&
    (typeof value.spanID === 'string' ||
      (typeof value.traceID === 'string' && typeof value.operationName === 'string'))
  );
}

function looksLikeJaegerTrace(value: unknown): boolean {
  return isObject(value) && Array.isArray(value.spans) && typeof value.traceID === 'string';
}

export const jaegerJson: FormatReader = {
  format: 'jaeger-json',

  detect(value: unknown): boolean {
    if (Array.isArray(value)) return looksLikeJaegerSpan(value[0]);
    if (!isObject(value)) return false;
    const data = value.data;
    if (Array.isArray(data)) {
      // An empty answer still has the query API's envelope; a bare `{ data: [] }` is
      // claimed by nobody rather than guessed.
      if (data.length === 0) return 'total' in value || 'errors' in value;
      const first = data[0];
      return looksLikeJaegerTrace(first) || (isObject(first) && Array.isArray(first.spans));
    }
    return looksLikeJaegerTrace(value);
  },

  read(value: unknown, ctx: ReadContext, emit: (span: Span) => void): void {
    const reader = new JaegerReader(ctx, emit);
    if (Array.isArray(value)) {
      reader.readSpans(value, '', undefined, undefined);
      return;
    }
    if (!isObject(value)) {
      throw new InputError(
        { file: ctx.file, line: ctx.line },
        `not Jaeger JSON: expected { "data": [...] }, a trace object { "traceID", "spans", "processes" } or an array of spans, got ${describe(value)}`,
      );
    }
    const data = value.data;
    if (data !== undefined) {
      if (!Array.isArray(data)) {
        throw new InputError(
          { file: ctx.file, line: ctx.line, path: 'data' },
          `"data" must be an array of traces, got ${describe(data)}`,
        );
      }
      for (let t = 0; t < data.length; t++) reader.readTrace(data[t], `data[${t}]`);
      return;
    }
    reader.readTrace(value, '');
  },
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

const KINDS: Readonly<Record<string, SpanKind>> = {
  client: 'client',
  server: 'server',
  producer: 'producer',
  consumer: 'consumer',
  internal: 'internal',
};

/**
 * The OTLP → Jaeger translation writes this service name when the resource had none;
 * reading it back as a real service name would invent a service.
 */
const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

class JaegerReader {
  readonly #ctx: ReadContext;
  readonly #emit: (span: Span) => void;
  readonly #cursor: Cursor;
  readonly #scopes = new Map<string, InstrumentationScope>();
  readonly #lifted = new TranslationTags<AttributeValue>();
  /** Embedded processes (the span-array form), shared by content. */
  readonly #embedded = new Map<string, Resource>();
  // The last reference read by #reference.
  #refTrace = '';
  #refSpan = '';
  #refChildOf = false;

  constructor(ctx: ReadContext, emit: (span: Span) => void) {
    this.#ctx = ctx;
    this.#emit = emit;
    this.#cursor = new Cursor(ctx);
  }

  readTrace(trace: unknown, path: string): void {
    const cur: Cursor = this.#cursor;
    if (!isObject(trace)) {
      cur.at(path, -1, undefined);
      cur.fail(
        `expected a trace object { "traceID", "spans", "processes" }, got ${describe(trace)}`,
      );
    }
    const spans = trace.spans;
    const spansPath = path ? `${path}.spans` : 'spans';
    if (!Array.isArray(spans)) {
      cur.at(spansPath, -1, undefined);
      cur.fail(`a Jaeger trace needs a "spans" array, got ${describe(spans)}`);
    }
    let processes: JaegerProcessTable | undefined;
    const raw = trace.processes;
    if (raw !== undefined && raw !== null) {
      if (!isObject(raw)) {
        cur.at(path ? `${path}.processes` : 'processes', -1, undefined);
        cur.fail(`"processes" must be an object of process id → process, got ${describe(raw)}`);
      }
      processes = {
        raw,
        path: path ? `${path}.processes` : 'processes',
        resolved: new Map(),
      };
    }
    const traceId = typeof trace.traceID === 'string' ? trace.traceID : undefined;
    this.readSpans(spans, spansPath, processes, traceId);
  }

  readSpans(
    spans: readonly unknown[],
    spansPath: string,
    processes: JaegerProcessTable | undefined,
    traceIdText: string | undefined,
  ): void {
    for (let i = 0; i < spans.length; i++) {
      this.#emit(this.#readSpan(spans[i], spansPath, i, processes, traceIdText));
    }
  }

  #readSpan(
    raw: unknown,
    spansPath: string,
    index: number,
    processes: JaegerProcessTable | undefined,
    traceIdOfTrace: string | undefined,
  ): Span {
    const ctx = this.#ctx;
    const cur: Cursor = this.#cursor;
    cur.at(spansPath, index, undefined);
    if (!isObject(raw)) cur.fail(`expected a span object, got ${describe(raw)}`);

    const spanIdText = raw.spanID;
    const spanId = cur.id(spanIdText, 8, 'spanID');
    cur.at(spansPath, index, spanId);
    const traceIdText = raw.traceID ?? traceIdOfTrace;
    const traceId = cur.id(traceIdText, 16, 'traceID');

    const nameValue = raw.operationName;
    let name = '';
    if (typeof nameValue === 'string') name = ctx.intern(nameValue);
    else if (nameValue !== undefined && nameValue !== null) {
      cur.fail(`"operationName" must be a string, got ${describe(nameValue)}`);
    }

    if (raw.startTime === undefined || raw.startTime === null) {
      cur.fail('the span has no "startTime" (microseconds since the epoch)');
    }
    const start = cur.micros(raw.startTime, 'startTime');
    if (raw.duration === undefined || raw.duration === null) {
      cur.fail('the span has no "duration" (microseconds)');
    }
    const end = start + cur.micros(raw.duration, 'duration');

    // References: Jaeger's own rule (model.Span.ParentSpanID) takes the first CHILD_OF in
    // the same trace, else the first FOLLOWS_FROM in the same trace. Every other reference,
    // including any into another trace, is a link. The usual span has one CHILD_OF and no
    // link, so the links are gathered in a second pass that the usual span skips.
    let parentSpanId: string | undefined;
    let links: SpanLink[] | undefined;
    const refs = raw.references;
    if (refs !== undefined && refs !== null) {
      if (!Array.isArray(refs)) {
        cur.fail(`"references" must be an array, got ${describe(refs)}`, '.references');
      }
      let parentRef = -1;
      let parentIsChildOf = false;
      let usable = 0;
      for (let r = 0; r < refs.length; r++) {
        if (!this.#reference(refs[r], r, traceId)) continue;
        usable++;
        if (this.#refTrace !== traceId) continue;
        if (this.#refChildOf ? !parentIsChildOf : parentRef < 0) {
          parentRef = r;
          parentIsChildOf = this.#refChildOf;
          parentSpanId = this.#refSpan;
        }
      }
      if (usable > (parentRef < 0 ? 0 : 1)) {
        links = [];
        for (let r = 0; r < refs.length; r++) {
          if (r === parentRef || !this.#reference(refs[r], r, traceId)) continue;
          links.push({
            traceId: this.#refTrace,
            spanId: this.#refSpan,
            attributes: this.#refChildOf ? CHILD_OF_LINK : FOLLOWS_FROM_LINK,
          });
        }
      }
      cur.item('');
    }
    // The legacy field, from before references: only when no reference named a parent.
    if (parentSpanId === undefined) {
      const legacy = raw.parentSpanID;
      if (legacy !== undefined && legacy !== null && legacy !== '') {
        const id = cur.id(legacy, 8, 'parentSpanID', true);
        if (!isZeroId(id)) parentSpanId = id;
      }
    }

    // Tags, with the OTLP fields the OpenTelemetry → Jaeger translation stores as tags
    // lifted back out of the attributes.
    const attributes: MutableAttributes = {};
    let kind: SpanKind = 'unspecified';
    const lifted = this.#lifted;
    lifted.reset();
    const tags = raw.tags;
    if (tags !== undefined && tags !== null) {
      if (!Array.isArray(tags)) cur.fail(`"tags" must be an array, got ${describe(tags)}`, '.tags');
      for (let t = 0; t < tags.length; t++) {
        const tag = tags[t];
        cur.item('.tags', t);
        if (!isObject(tag) || typeof tag.key !== 'string') {
          cur.fail(`expected a tag { "key", "type", "value" }, got ${describe(tag)}`);
        }
        const key = tag.key;
        const value = tagValue(tag, cur);
        switch (key) {
          case 'span.kind': {
            const k = typeof value === 'string' ? KINDS[value.toLowerCase()] : undefined;
            if (k !== undefined) {
              kind = k;
              continue;
            }
            break;
          }
          // Translation artifacts for OTLP fields the model has no place for (trace state,
          // dropped counts); an OTLP reader drops them too, so keeping them as attributes
          // would make the same trace differ by source.
          case 'w3c.tracestate':
          case 'otel.dropped_attributes_count':
          case 'otel.dropped_events_count':
          case 'otel.dropped_links_count':
            continue;
        }
        if (lifted.take(key, value)) continue;
        setAttribute(
          attributes,
          ctx.intern(key),
          typeof value === 'string' ? internValue(ctx, value) : value,
        );
      }
      cur.item('');
    }

    const { statusCode: statusCodeTag, statusDescription, error: errorTag } = lifted;
    let status: Status = STATUS_UNSET;
    const code = typeof statusCodeTag === 'string' ? statusCodeTag.toUpperCase() : undefined;
    const description = typeof statusDescription === 'string' ? statusDescription : '';
    if (code === 'ERROR') status = { code: 'error', message: description };
    else if (code === 'OK') status = description ? { code: 'ok', message: description } : STATUS_OK;
    else if (statusCodeTag === undefined && isTrue(errorTag)) {
      status = { code: 'error', message: description };
    } else if (statusCodeTag !== undefined && code !== 'UNSET') {
      // A value we do not understand stays visible rather than being guessed at.
      setAttribute(attributes, 'otel.status_code', statusCodeTag);
    }
    if (statusDescription !== undefined && status.code === 'unset') {
      setAttribute(attributes, 'otel.status_description', statusDescription);
    }
    // `error=true` is the translation's echo of an ERROR status (or the OpenTracing way of
    // saying it); any other `error` value, or one that disagrees with otel.status_code, is
    // the application's own tag and stays.
    if (errorTag !== undefined && !(status.code === 'error' && isTrue(errorTag))) {
      setAttribute(attributes, 'error', errorTag);
    }

    const sName = lifted.liftedScopeName;
    const sVersion = lifted.liftedScopeVersion;
    let scope: InstrumentationScope | undefined;
    if (typeof sName === 'string') {
      scope = scopeFor(
        this.#scopes,
        ctx,
        sName,
        typeof sVersion === 'string' ? sVersion : undefined,
      );
    } else {
      if (sName !== undefined) setAttribute(attributes, 'otel.scope.name', sName);
      if (sVersion !== undefined) setAttribute(attributes, 'otel.scope.version', sVersion);
    }

    let events: SpanEvent[] | undefined;
    const logs = raw.logs;
    if (logs !== undefined && logs !== null) {
      if (!Array.isArray(logs)) cur.fail(`"logs" must be an array, got ${describe(logs)}`, '.logs');
      for (let l = 0; l < logs.length; l++) {
        events ??= [];
        cur.item('.logs', l);
        events.push(this.#readLog(logs[l]));
      }
      cur.item('');
    }

    return new Span({
      traceId,
      spanId,
      parentSpanId,
      name,
      kind,
      resource: this.#resourceOf(raw, processes),
      scope,
      attributes,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      status,
      events,
      links,
    });
  }

  #readLog(log: unknown): SpanEvent {
    const cur: Cursor = this.#cursor;
    const ctx = this.#ctx;
    if (!isObject(log)) {
      cur.fail(`expected a log { "timestamp", "fields" }, got ${describe(log)}`);
    }
    if (log.timestamp === undefined || log.timestamp === null) {
      cur.fail('the log has no "timestamp" (microseconds since the epoch)');
    }
    const time = cur.micros(log.timestamp, 'timestamp', '.timestamp');
    const fields = log.fields;
    const attributes: MutableAttributes = {};
    // OpenTracing names a log by its `event` field, and the OTLP → Jaeger translation
    // writes an event's name there; a log without one is just a log.
    let name = 'log';
    if (fields !== undefined && fields !== null) {
      if (!Array.isArray(fields)) {
        cur.fail(`"fields" must be an array, got ${describe(fields)}`, '.fields');
      }
      for (let f = 0; f < fields.length; f++) {
        const field = fields[f];
        cur.sub('.fields', f);
        if (!isObject(field) || typeof field.key !== 'string') {
          cur.fail(`expected a field { "key", "type", "value" }, got ${describe(field)}`);
        }
        const value = tagValue(field, cur);
        if (field.key === 'event' && typeof value === 'string' && name === 'log') {
          name = ctx.intern(value);
          continue;
        }
        setAttribute(
          attributes,
          ctx.intern(field.key),
          typeof value === 'string' ? internValue(ctx, value) : value,
        );
      }
      cur.sub('');
    }
    return { name, timeUnixNano: time, attributes };
  }

  /**
   * Validates reference `r` and leaves its parts in the scratch fields below (no object per
   * reference). False for a zero span id: some tracers write a root's missing parent so.
   */
  #reference(ref: unknown, r: number, traceId: string): boolean {
    const cur: Cursor = this.#cursor;
    cur.item('.references', r);
    if (!isObject(ref)) cur.fail(`expected a reference object, got ${describe(ref)}`);
    const refType = ref.refType;
    if (refType === 'CHILD_OF' || refType === 'child_of') this.#refChildOf = true;
    else if (refType === 'FOLLOWS_FROM' || refType === 'follows_from') this.#refChildOf = false;
    else {
      cur.fail(`reference type ${JSON.stringify(refType)} is neither CHILD_OF nor FOLLOWS_FROM`);
    }
    this.#refTrace = ref.traceID === undefined ? traceId : cur.id(ref.traceID, 16, 'traceID');
    this.#refSpan = cur.id(ref.spanID, 8, 'spanID', true);
    return !isZeroId(this.#refSpan);
  }

  #resourceOf(span: Json, processes: JaegerProcessTable | undefined): Resource | undefined {
    const cur: Cursor = this.#cursor;
    const processId = span.processID;
    if (processes !== undefined && processId !== undefined && processId !== null) {
      if (typeof processId !== 'string') {
        cur.fail(`"processID" must be a string, got ${describe(processId)}`, '.processID');
      }
      let resource = processes.resolved.get(processId);
      if (resource === undefined) {
        if (!Object.hasOwn(processes.raw, processId)) {
          const known = Object.keys(processes.raw);
          cur.fail(
            `"processID" ${JSON.stringify(processId)} names no entry of ${processes.path} (it has ${known.length === 0 ? 'none' : known.slice(0, 10).join(', ')})`,
            '.processID',
          );
        }
        // A broken table entry is reported where it is, not at the span that used it.
        resource = resourceFromProcess(
          processes.raw[processId],
          cur.detachedAt(`${processes.path}.${processId}`),
          '',
          NO_SERVICE_NAME,
        );
        processes.resolved.set(processId, resource);
      }
      return resource;
    }
    const embedded = span.process;
    if (embedded !== undefined && embedded !== null) {
      if (!isObject(embedded)) {
        cur.fail(
          `"process" must be an object { "serviceName", "tags" }, got ${describe(embedded)}`,
          '.process',
        );
      }
      // Every span of the download form repeats its process; one Resource per distinct one.
      const key = JSON.stringify(embedded);
      let resource = this.#embedded.get(key);
      if (resource === undefined) {
        resource = resourceFromProcess(embedded, cur, '.process', NO_SERVICE_NAME);
        this.#embedded.set(key, resource);
      }
      return resource;
    }
    if (processId !== undefined && processId !== null) {
      cur.fail(
        `"processID" ${JSON.stringify(processId)} but the document has no "processes" table`,
        '.processID',
      );
    }
    return undefined;
  }
}

const CHILD_OF_LINK = Object.freeze({ 'opentracing.ref_type': 'child_of' });
const FOLLOWS_FROM_LINK = Object.freeze({ 'opentracing.ref_type': 'follows_from' });

function isTrue(value: AttributeValue | undefined): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}
