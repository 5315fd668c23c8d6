/**
 * Zipkin v2 JSON: an array of spans (what `/api/v2/spans` accepts and `/api/v2/trace/{id}`
 * returns), or an array of such arrays (`/api/v2/traces`). Times are microseconds.
 *
 * Where Zipkin's fields go in the model:
 * - `localEndpoint` is the service instance: one shared Resource per distinct endpoint, with
 *   `service.name`, `network.local.address` (ipv4, else ipv6) and `network.local.port`.
 *   No `localEndpoint` (or no `serviceName`) leaves the service `unknown_service`.
 * - `remoteEndpoint` describes the peer of this one span: span attributes `peer.service`,
 *   `network.peer.address` (ipv4, else ipv6) and `network.peer.port`, unless a tag of the
 *   same name already says it.
 * - `tags` are attributes (strings, as Zipkin has them). `error` (any value, even empty)
 *   is an error status with the value as message; the tags the OpenTelemetry → Zipkin
 *   mapping adds (`otel.status_code`, `otel.status_description`, `otel.scope.*`,
 *   `otel.library.*`) are lifted into status and scope.
 * - `annotations` are events named by their value; `shared` marks the server half of an
 *   RPC that reuses its client's span id; `kind` absent means a local span ('internal').
 *
 * Pieces. A tracer may report one span in several pieces; Zipkin merges pieces that share
 * an id and a local endpoint. The pieces real data has (SmartThings' traces) carry no time
 * at all: only a name, an id and the endpoint of a span reported in full elsewhere in the
 * same trace. Such a piece (no `timestamp`, `duration` or annotations) is merged into the
 * span of the same trace and id whose local endpoint does not contradict it and whose kind
 * is the same or unset: its tags, remote endpoint, name and parent fill what that span
 * lacks. Kept apart, it would be a phantom zero-length span that counts twice in
 * `count()` and drags percentiles down.
 *
 * Missing times. What is left without `timestamp` or `duration` (a half reported late, a
 * span whose end was never recorded) gets derived times, and says how in the attribute
 * `tracespec.time_derived`:
 * - `unfinished`: no duration and a `brave.flush` annotation: the tracer reported the span
 *   without finishing it, so its end is unknown; zero length at its start. (The flush time
 *   is when the reporter gave up, often seconds later: no end at all.)
 * - `end-from-annotations`: no duration; the span ends at its last annotation, the least
 *   it can have lasted.
 * - `zero-duration`: no duration and no later annotation; zero length.
 * - `start-from-annotations`: no timestamp; starts at its first annotation.
 * - `parent-start`: no time at all; placed (zero length, or its duration if known) at the
 *   start of its nearest timed ancestor.
 * - `trace-start`: no time and no timed ancestor; at the earliest time known in its trace.
 * - `unknown`: nothing in its trace has a time; at the epoch, the only honest choice left.
 */

import { formatLocation, InputError } from '../errors';
import {
  type AttributeValue,
  type InstrumentationScope,
  isZeroId,
  type Resource,
  Span,
  type SpanEvent,
  type SpanKind,
  STATUS_OK,
  STATUS_UNSET,
  type Status,
} from '../model';
import { warnerOf } from './context';
import type { FormatReader, ReadContext } from './format';
import {
  Cursor,
  internValue,
  type MutableAttributes,
  scopeFor,
  setAttribute,
  TranslationTags,
} from './jaeger-values';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeZipkinSpan(value: unknown): boolean {
  return isObject(value) && typeof value.traceId === 'string' && typeof value.id === 'string';
}

/** The attribute that says a span's times were not all in the data (see the module doc). */
export const TIME_DERIVED_ATTRIBUTE = 'tracespec.time_derived';

export const zipkinJson: FormatReader = {
  format: 'zipkin-json',

  detect(value: unknown): boolean {
    if (!Array.isArray(value)) return false;
    // Zipkin answers `[]` when nothing matched; no other format writes a bare empty array.
    if (value.length === 0) return true;
    const first = value[0];
    if (Array.isArray(first)) return first.length === 0 || looksLikeZipkinSpan(first[0]);
    return looksLikeZipkinSpan(first);
  },

  read(value: unknown, ctx: ReadContext, emit: (span: Span) => void): void {
    if (!Array.isArray(value)) {
      throw new InputError(
        { file: ctx.file, line: ctx.line },
        `not Zipkin v2 JSON: expected an array of spans, got ${describe(value)}`,
      );
    }
    const reader = new ZipkinReader(ctx);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (Array.isArray(item)) {
        // `/api/v2/traces`: one array per trace.
        const path = `[${i}]`;
        for (let j = 0; j < item.length; j++) reader.readSpan(item[j], path, j);
      } else reader.readSpan(item, '', i);
    }
    reader.settle();
    reader.warnAboutTimes();
    for (const draft of reader.drafts) if (!draft.merged) emit(new Span(draft));
  },
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

const KINDS: Readonly<Record<string, SpanKind>> = {
  CLIENT: 'client',
  SERVER: 'server',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
};

/** A span before its times are settled; handed to `new Span` as its init. */
interface Draft {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  kind: SpanKind;
  resource: Resource | undefined;
  scope: InstrumentationScope | undefined;
  attributes: MutableAttributes;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  status: Status;
  events: SpanEvent[] | undefined;
  shared: boolean;
  /** False until the start is known: from `timestamp`, annotations, or derivation. */
  timed: boolean;
  /** Microseconds as nanoseconds, or -1n when absent (applied once the start is derived). */
  durationNs: bigint;
  /** As written, to decide whether an untimed piece belongs to this span. */
  local: LocalEndpoint | undefined;
  kindGiven: boolean;
  /** An untimed piece folded into another span; not emitted. */
  merged: boolean;
}

class ZipkinReader {
  readonly drafts: Draft[] = [];
  readonly #ctx: ReadContext;
  readonly #cur: Cursor;
  readonly #locals = new Map<string, LocalEndpoint>();
  #lastLocal: LocalEndpoint | undefined;
  // The endpoint #endpoint read last: fields, not an object per span.
  #epService = '';
  #epIpv4 = '';
  #epIpv6 = '';
  #epPort = 0;
  readonly #scopes = new Map<string, InstrumentationScope>();
  readonly #lifted = new TranslationTags<string>();
  /** Earliest known start per trace id: the anchor of last resort for an untimed span. */
  readonly #traceStart = new Map<string, bigint>();
  #untimed = 0;
  /** Span ids seen, to know whether any repeats (a client/server pair, or pieces). */
  readonly #ids = new Set<string>();
  #repeatedIds = false;
  #merged = 0;
  /** How many spans got which derived time, for one warning per document. */
  readonly #derived = new Map<string, number>();

  constructor(ctx: ReadContext) {
    this.#ctx = ctx;
    this.#cur = new Cursor(ctx);
  }

  readSpan(raw: unknown, prefix: string, index: number): void {
    const ctx = this.#ctx;
    const cur: Cursor = this.#cur;
    cur.at(prefix, index, undefined);
    if (!isObject(raw)) cur.fail(`expected a Zipkin span object, got ${describe(raw)}`);
    if (raw.binaryAnnotations !== undefined) {
      cur.fail(
        'this is Zipkin v1 JSON (it has "binaryAnnotations"); tracespec reads Zipkin v2: fetch from /api/v2/ or convert the file',
      );
    }
    const spanId = cur.id(raw.id, 8, 'id');
    cur.at(prefix, index, spanId);
    if (this.#ids.has(spanId)) this.#repeatedIds = true;
    else this.#ids.add(spanId);
    const traceId = cur.id(raw.traceId, 16, 'traceId');
    let parentSpanId: string | undefined;
    const parent = raw.parentId;
    if (parent !== undefined && parent !== null && parent !== '') {
      const id = cur.id(parent, 8, 'parentId', true);
      if (!isZeroId(id)) parentSpanId = id;
    }

    let name = '';
    const rawName = raw.name;
    if (typeof rawName === 'string') name = ctx.intern(rawName);
    else if (rawName !== undefined && rawName !== null) {
      cur.fail(`"name" must be a string, got ${describe(rawName)}`, '.name');
    }

    let kind: SpanKind = 'internal';
    const rawKind = raw.kind;
    if (rawKind !== undefined && rawKind !== null) {
      const k =
        typeof rawKind === 'string' ? (KINDS[rawKind] ?? KINDS[rawKind.toUpperCase()]) : undefined;
      if (k === undefined) {
        cur.fail(
          `"kind" is ${JSON.stringify(rawKind)}; Zipkin's kinds are CLIENT, SERVER, PRODUCER and CONSUMER (absent for a local span)`,
          '.kind',
        );
      }
      kind = k;
    }

    // Zipkin treats 0 as "not recorded" for both.
    let start = -1n;
    if (raw.timestamp !== undefined && raw.timestamp !== null) {
      const t = cur.micros(raw.timestamp, 'timestamp', '.timestamp');
      if (t > 0n) start = t;
    }
    let durationNs = -1n;
    if (raw.duration !== undefined && raw.duration !== null) {
      const d = raw.duration;
      if (typeof d === 'number' && d < 0) {
        cur.fail(`"duration" is ${d}: a span cannot end before it starts`, '.duration');
      }
      const ns = cur.micros(d, 'duration', '.duration');
      if (ns > 0n) durationNs = ns;
    }

    const attributes: MutableAttributes = {};
    const lifted = this.#lifted;
    lifted.reset();
    const tags = raw.tags;
    if (tags !== undefined && tags !== null) {
      if (!isObject(tags)) {
        cur.fail(
          `"tags" must be an object of string values ({ "http.method": "GET" }), got ${describe(tags)}`,
          '.tags',
        );
      }
      for (const key in tags) {
        const rawValue = tags[key];
        let value: string;
        if (typeof rawValue === 'string') value = rawValue;
        // Zipkin's tags are strings; a writer that left numbers or booleans unquoted
        // meant the same thing.
        else if (typeof rawValue === 'number' || typeof rawValue === 'boolean') {
          value = String(rawValue);
        } else {
          cur.fail(
            `tag "${key}" must be a string, got ${describe(rawValue)}`,
            `.tags[${JSON.stringify(key)}]`,
          );
        }
        if (lifted.take(key, value)) continue;
        setAttribute(attributes, ctx.intern(key), internValue(ctx, value));
      }
    }

    const { statusCode: statusCodeTag, statusDescription, error: errorTag } = lifted;
    let status: Status = STATUS_UNSET;
    const code = statusCodeTag?.toUpperCase();
    if (errorTag !== undefined || code === 'ERROR') {
      status = { code: 'error', message: errorTag || statusDescription || '' };
    } else if (code === 'OK') status = STATUS_OK;
    else if (statusCodeTag !== undefined && code !== 'UNSET') {
      attributes['otel.status_code'] = statusCodeTag;
    }
    if (statusDescription !== undefined && status.code !== 'error') {
      attributes['otel.status_description'] = statusDescription;
    }
    const sName = lifted.liftedScopeName;
    const sVersion = lifted.liftedScopeVersion;
    const scope = sName === undefined ? undefined : scopeFor(this.#scopes, ctx, sName, sVersion);

    const remote = raw.remoteEndpoint;
    if (remote !== undefined && remote !== null) this.#remoteEndpoint(remote, attributes);
    const rawLocal = raw.localEndpoint;
    const local = rawLocal === undefined || rawLocal === null ? undefined : this.#local(rawLocal);

    let events: SpanEvent[] | undefined;
    let firstAnnotation = -1n;
    let lastAnnotation = -1n;
    let unfinished = false;
    const annotations = raw.annotations;
    if (annotations !== undefined && annotations !== null) {
      if (!Array.isArray(annotations)) {
        cur.fail(`"annotations" must be an array, got ${describe(annotations)}`, '.annotations');
      }
      for (let a = 0; a < annotations.length; a++) {
        const annotation = annotations[a];
        cur.item('.annotations', a);
        if (!isObject(annotation)) {
          cur.fail(`expected an annotation { "timestamp", "value" }, got ${describe(annotation)}`);
        }
        if (typeof annotation.value !== 'string') {
          cur.fail(`an annotation's "value" must be a string, got ${describe(annotation.value)}`);
        }
        if (annotation.timestamp === undefined || annotation.timestamp === null) {
          cur.fail('the annotation has no "timestamp" (microseconds since the epoch)');
        }
        const time = cur.micros(annotation.timestamp, 'timestamp', '.timestamp');
        if (annotation.value === BRAVE_FLUSH) unfinished = true;
        else {
          if (firstAnnotation < 0n || time < firstAnnotation) firstAnnotation = time;
          if (time > lastAnnotation) lastAnnotation = time;
        }
        events ??= [];
        events.push({
          name: ctx.intern(annotation.value),
          timeUnixNano: time,
          attributes: NO_ATTRIBUTES,
        });
      }
      cur.item('');
    }

    let end = -1n;
    let timed = true;
    if (start >= 0n) {
      if (durationNs >= 0n) end = start + durationNs;
      else if (unfinished) {
        end = start;
        this.#derive(attributes, 'unfinished');
      } else if (lastAnnotation > start) {
        end = lastAnnotation;
        this.#derive(attributes, 'end-from-annotations');
      } else {
        end = start;
        this.#derive(attributes, 'zero-duration');
      }
    } else if (firstAnnotation >= 0n) {
      start = firstAnnotation;
      end = durationNs >= 0n ? start + durationNs : lastAnnotation;
      this.#derive(attributes, 'start-from-annotations');
    } else {
      timed = false;
      this.#untimed++;
    }
    if (timed) {
      const known = this.#traceStart.get(traceId);
      if (known === undefined || start < known) this.#traceStart.set(traceId, start);
    }

    this.drafts.push({
      traceId,
      spanId,
      parentSpanId,
      name,
      kind,
      resource: local?.resource,
      scope,
      attributes,
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      status,
      events,
      // Zipkin's UI ignores `shared` on a client span: it marks the server half only.
      shared: raw.shared === true && kind !== 'client',
      timed,
      durationNs,
      local,
      kindGiven: rawKind !== undefined && rawKind !== null,
      merged: false,
    });
  }

  /**
   * What needs the whole document: folds untimed pieces into the span they belong to,
   * marks unflagged shared server halves, then places every span still without a time
   * (see the module doc). Skipped entirely when no span id repeats and every span is timed.
   */
  settle(): void {
    if (this.#untimed === 0 && !this.#repeatedIds) return;
    // Spans by id; an array only for the few ids that repeat. Ids rarely collide across
    // traces, so the trace id is compared inside a group rather than made part of the key.
    const byId = new Map<string, Draft | Draft[]>();
    for (const draft of this.drafts) {
      const seen = byId.get(draft.spanId);
      if (seen === undefined) byId.set(draft.spanId, draft);
      else if (Array.isArray(seen)) seen.push(draft);
      else byId.set(draft.spanId, [seen, draft]);
    }
    if (this.#untimed > 0) {
      for (const draft of this.drafts) {
        if (draft.timed || draft.events !== undefined || draft.durationNs >= 0n) continue;
        const group = byId.get(draft.spanId);
        if (!Array.isArray(group)) continue;
        for (const whole of group) {
          if (
            whole.timed &&
            !whole.merged &&
            whole.traceId === draft.traceId &&
            belongsTo(draft, whole)
          ) {
            mergePiece(draft, whole);
            this.#untimed--;
            this.#merged++;
            break;
          }
        }
      }
    }
    // B3 originally shared one id between client and server, and some instrumentation
    // never sets `shared` on the server half; Zipkin's UI backfills it, and so does this,
    // so that the pair nests as an RPC instead of being reported as a duplicate id.
    for (const group of byId.values()) {
      if (!Array.isArray(group)) continue;
      for (const client of group) {
        if (client.merged || client.kind !== 'client') continue;
        if (hasSharedHalf(group, client.traceId)) continue;
        for (const d of group) {
          if (!d.merged && d.kind === 'server' && d.traceId === client.traceId) d.shared = true;
        }
      }
    }
    if (this.#untimed > 0) this.#placeUntimed(byId);
  }

  /**
   * At its nearest timed ancestor's start, else at the earliest time of its trace. A parent
   * id shared by a client and its shared server half resolves to the server half, as the
   * trace builder nests it.
   */
  #placeUntimed(byId: Map<string, Draft | Draft[]>): void {
    const parentOf = (draft: Draft): Draft | undefined => {
      if (draft.parentSpanId === undefined) return undefined;
      const group = byId.get(draft.parentSpanId);
      if (group === undefined) return undefined;
      if (!Array.isArray(group)) return group.traceId === draft.traceId ? group : undefined;
      let best: Draft | undefined;
      for (const d of group) {
        if (d.merged || d.traceId !== draft.traceId) continue;
        if (best === undefined || chainRank(d) >= chainRank(best)) best = d;
      }
      return best;
    };
    const chain: Draft[] = [];
    const onChain = new Set<Draft>();
    for (const draft of this.drafts) {
      if (draft.timed || draft.merged) continue;
      // Walk up through untimed ancestors; a loop of untimed spans ends the walk.
      let at: Draft | undefined = draft;
      while (at !== undefined && !at.timed && !onChain.has(at)) {
        chain.push(at);
        onChain.add(at);
        at = parentOf(at);
      }
      let anchor: bigint;
      let how: string;
      if (at?.timed) {
        anchor = at.startTimeUnixNano;
        how = 'parent-start';
      } else {
        const traceStart = this.#traceStart.get(draft.traceId);
        anchor = traceStart ?? 0n;
        how = traceStart === undefined ? 'unknown' : 'trace-start';
      }
      for (const d of chain) {
        d.startTimeUnixNano = anchor;
        d.endTimeUnixNano = d.durationNs >= 0n ? anchor + d.durationNs : anchor;
        this.#derive(d.attributes, how);
        d.timed = true;
      }
      chain.length = 0;
      onChain.clear();
    }
  }

  #derive(attributes: MutableAttributes, how: string): void {
    attributes[TIME_DERIVED_ATTRIBUTE] = how;
    this.#derived.set(how, (this.#derived.get(how) ?? 0) + 1);
  }

  /** One line per document: a big file can have thousands of such spans. */
  warnAboutTimes(): void {
    const warn = warnerOf(this.#ctx);
    if (warn === undefined) return;
    const file = formatLocation({ file: this.#ctx.file, line: this.#ctx.line });
    if (this.#merged > 0) {
      warn(
        `${file}${this.#merged} Zipkin span piece(s) without times were merged into the span of the same id and endpoint`,
      );
    }
    if (this.#derived.size > 0) {
      let total = 0;
      const parts: string[] = [];
      for (const [how, n] of this.#derived) {
        total += n;
        parts.push(`${n} ${how}`);
      }
      warn(
        `${file}${total} Zipkin span(s) lacked a timestamp or duration; their times are derived and marked with the attribute ${TIME_DERIVED_ATTRIBUTE} (${parts.join(', ')}); durations of these spans are not measurements`,
      );
    }
  }

  /** The local endpoint as a shared Resource; consecutive spans mostly repeat the last one. */
  #local(raw: unknown): LocalEndpoint {
    this.#endpoint(raw, '.localEndpoint');
    const last = this.#lastLocal;
    if (
      last !== undefined &&
      last.serviceName === this.#epService &&
      last.ipv4 === this.#epIpv4 &&
      last.ipv6 === this.#epIpv6 &&
      last.port === this.#epPort
    ) {
      return last;
    }
    const key = `${this.#epService}\u0000${this.#epIpv4}\u0000${this.#epIpv6}\u0000${this.#epPort}`;
    let local = this.#locals.get(key);
    if (local === undefined) {
      const ctx = this.#ctx;
      const attributes: MutableAttributes = {};
      const address = this.#epIpv4 || this.#epIpv6;
      if (this.#epService !== '') attributes['service.name'] = ctx.intern(this.#epService);
      if (address !== '') attributes['network.local.address'] = ctx.intern(address);
      if (this.#epPort > 0) attributes['network.local.port'] = this.#epPort;
      local = {
        serviceName: this.#epService,
        ipv4: this.#epIpv4,
        ipv6: this.#epIpv6,
        port: this.#epPort,
        resource: Object.freeze({ attributes: Object.freeze(attributes) }),
      };
      this.#locals.set(key, local);
    }
    this.#lastLocal = local;
    return local;
  }

  #remoteEndpoint(raw: unknown, attributes: MutableAttributes): void {
    this.#endpoint(raw, '.remoteEndpoint');
    const ctx = this.#ctx;
    // One address per endpoint: ipv4 when there is one (what Zipkin's UI shows).
    const address = this.#epIpv4 || this.#epIpv6;
    if (this.#epService !== '' && attributes['peer.service'] === undefined) {
      attributes['peer.service'] = ctx.intern(this.#epService);
    }
    if (address !== '' && attributes['network.peer.address'] === undefined) {
      attributes['network.peer.address'] = ctx.intern(address);
    }
    if (this.#epPort > 0 && attributes['network.peer.port'] === undefined) {
      attributes['network.peer.port'] = this.#epPort;
    }
  }

  #endpoint(raw: unknown, where: string): void {
    const cur: Cursor = this.#cur;
    cur.item(where);
    if (!isObject(raw)) {
      cur.fail(
        `expected an endpoint { "serviceName", "ipv4", "ipv6", "port" }, got ${describe(raw)}`,
      );
    }
    this.#epService = optionalString(cur, raw.serviceName, '.serviceName');
    this.#epIpv4 = optionalString(cur, raw.ipv4, '.ipv4');
    this.#epIpv6 = optionalString(cur, raw.ipv6, '.ipv6');
    let port = 0;
    const rawPort = raw.port;
    if (rawPort !== undefined && rawPort !== null) {
      if (
        typeof rawPort !== 'number' ||
        !Number.isInteger(rawPort) ||
        rawPort < 0 ||
        rawPort > 65535
      ) {
        cur.fail(
          `"port" must be a port number (0 to 65535), got ${JSON.stringify(rawPort)}`,
          '.port',
        );
      }
      port = rawPort;
    }
    this.#epPort = port;
    cur.item('');
  }
}

/** A distinct local endpoint as written, and its Resource. */
interface LocalEndpoint {
  readonly serviceName: string;
  readonly ipv4: string;
  readonly ipv6: string;
  readonly port: number;
  readonly resource: Resource;
}

/** Zipkin's rule for pieces of one span: nothing the two endpoints say contradicts. */
function belongsTo(piece: Draft, whole: Draft): boolean {
  if (piece.kindGiven && piece.kind !== whole.kind) return false;
  const a = piece.local;
  const b = whole.local;
  if (a === undefined || b === undefined) return true;
  return (
    (a.serviceName === '' || b.serviceName === '' || a.serviceName === b.serviceName) &&
    (a.ipv4 === '' || b.ipv4 === '' || a.ipv4 === b.ipv4) &&
    (a.ipv6 === '' || b.ipv6 === '' || a.ipv6 === b.ipv6) &&
    (a.port === 0 || b.port === 0 || a.port === b.port)
  );
}

/** What the piece knows and the whole span does not; the whole span's own values win. */
function mergePiece(piece: Draft, whole: Draft): void {
  piece.merged = true;
  for (const key in piece.attributes) {
    if (whole.attributes[key] === undefined)
      setAttribute(whole.attributes, key, piece.attributes[key] as AttributeValue);
  }
  if (whole.name === '') whole.name = piece.name;
  if (whole.parentSpanId === undefined) whole.parentSpanId = piece.parentSpanId;
  if (whole.status.code === 'unset') whole.status = piece.status;
  if (whole.scope === undefined) whole.scope = piece.scope;
  if (whole.resource === undefined) whole.resource = piece.resource;
}

const NO_ATTRIBUTES = Object.freeze({});
/** Brave's mark on a span reported before it finished; its time is the report's, not the span's. */
const BRAVE_FLUSH = 'brave.flush';

function optionalString(cur: Cursor, value: unknown, where: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') cur.fail(`expected a string, got ${describe(value)}`, where);
  return value;
}

function hasSharedHalf(group: readonly Draft[], traceId: string): boolean {
  for (const d of group) if (d.shared && !d.merged && d.traceId === traceId) return true;
  return false;
}

/** Mirrors the trace builder: the shared half of an id is the one children hang under. */
function chainRank(draft: Draft): number {
  if (draft.shared) return 2;
  if (draft.kind === 'server' || draft.kind === 'consumer') return 1;
  return 0;
}
