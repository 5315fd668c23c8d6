/**
 * OTLP/protobuf `ExportTraceServiceRequest` bytes to the same request in OTLP/JSON, in the
 * specification's JSON encoding (hex ids, 64-bit integers as decimal strings, enums as
 * integers), so that the OTLP/JSON reader is the one place that decides what a valid span is
 * and the receiver's output file holds what a JSON exporter would have sent.
 *
 * Field numbers are those of opentelemetry-proto 1.x (`collector/trace/v1/trace_service.proto`,
 * `trace/v1/trace.proto`, `common/v1/common.proto`, `resource/v1/resource.proto`). Unknown
 * fields are skipped, as protobuf requires, so newer exporters work. Fields present on the
 * wire are written, absent ones are left out (proto3 does not write defaults either). Where a
 * non-repeated field occurs twice the last one wins, and for the `AnyValue` oneof the last
 * member wins. Strings are decoded leniently: invalid UTF-8 becomes U+FFFD.
 */

import { InputError } from '../errors';
import { I32, I64, LEN, ProtobufError, VARINT, WireReader, wireName } from './wire';

/** The parts of OTLP/JSON the decoder writes; every object is a plain JSON value. */
type Json = Record<string, unknown>;

/** `[message name, field name, wire type]` by field number, for a wrong-wire-type message. */
type Fields = Readonly<Record<number, readonly [string, number]>>;

const REQUEST: Fields = { 1: ['resource_spans', LEN] };
const RESOURCE_SPANS: Fields = {
  1: ['resource', LEN],
  2: ['scope_spans', LEN],
  3: ['schema_url', LEN],
  1000: ['instrumentation_library_spans', LEN],
};
const RESOURCE: Fields = { 1: ['attributes', LEN], 2: ['dropped_attributes_count', VARINT] };
const SCOPE_SPANS: Fields = { 1: ['scope', LEN], 2: ['spans', LEN], 3: ['schema_url', LEN] };
const SCOPE: Fields = {
  1: ['name', LEN],
  2: ['version', LEN],
  3: ['attributes', LEN],
  4: ['dropped_attributes_count', VARINT],
};
const SPAN: Fields = {
  1: ['trace_id', LEN],
  2: ['span_id', LEN],
  3: ['trace_state', LEN],
  4: ['parent_span_id', LEN],
  5: ['name', LEN],
  6: ['kind', VARINT],
  7: ['start_time_unix_nano', I64],
  8: ['end_time_unix_nano', I64],
  9: ['attributes', LEN],
  10: ['dropped_attributes_count', VARINT],
  11: ['events', LEN],
  12: ['dropped_events_count', VARINT],
  13: ['links', LEN],
  14: ['dropped_links_count', VARINT],
  15: ['status', LEN],
  16: ['flags', I32],
};
const EVENT: Fields = {
  1: ['time_unix_nano', I64],
  2: ['name', LEN],
  3: ['attributes', LEN],
  4: ['dropped_attributes_count', VARINT],
};
const LINK: Fields = {
  1: ['trace_id', LEN],
  2: ['span_id', LEN],
  3: ['trace_state', LEN],
  4: ['attributes', LEN],
  5: ['dropped_attributes_count', VARINT],
  6: ['flags', I32],
};
// Field 1 is the reserved `deprecated_code` of old OTLP versions: skipped as unknown.
const STATUS: Fields = { 2: ['message', LEN], 3: ['code', VARINT] };
const KEY_VALUE: Fields = { 1: ['key', LEN], 2: ['value', LEN] };
const ANY_VALUE: Fields = {
  1: ['string_value', LEN],
  2: ['bool_value', VARINT],
  3: ['int_value', VARINT],
  4: ['double_value', I64],
  5: ['array_value', LEN],
  6: ['kvlist_value', LEN],
  7: ['bytes_value', LEN],
};
const VALUES: Fields = { 1: ['values', LEN] };

// Tags (field number << 3 | wire type) of the fields read, as the switches below match them.
const T1_LEN = (1 << 3) | LEN;
const T2_LEN = (2 << 3) | LEN;
const T3_LEN = (3 << 3) | LEN;
const T4_LEN = (4 << 3) | LEN;
const T5_LEN = (5 << 3) | LEN;
const T6_LEN = (6 << 3) | LEN;
const T7_LEN = (7 << 3) | LEN;
const T9_LEN = (9 << 3) | LEN;
const T11_LEN = (11 << 3) | LEN;
const T13_LEN = (13 << 3) | LEN;
const T15_LEN = (15 << 3) | LEN;
const T1000_LEN = (1000 << 3) | LEN;
const T1_I64 = (1 << 3) | I64;
const T4_I64 = (4 << 3) | I64;
const T7_I64 = (7 << 3) | I64;
const T8_I64 = (8 << 3) | I64;
const T2_VARINT = (2 << 3) | VARINT;
const T3_VARINT = (3 << 3) | VARINT;
const T4_VARINT = (4 << 3) | VARINT;
const T5_VARINT = (5 << 3) | VARINT;
const T6_VARINT = (6 << 3) | VARINT;
const T10_VARINT = (10 << 3) | VARINT;
const T12_VARINT = (12 << 3) | VARINT;
const T14_VARINT = (14 << 3) | VARINT;
const T6_I32 = (6 << 3) | I32;
const T16_I32 = (16 << 3) | I32;

/**
 * Decodes an OTLP/protobuf `ExportTraceServiceRequest`. Bad bytes are an `InputError` naming
 * the JSON path of the field (`resourceSpans[0].scopeSpans[1].spans[3].attributes[2].value`),
 * the byte offset in the body and what was wrong.
 */
export function decodeTraceRequest(body: Buffer): { resourceSpans: Json[] } {
  const decoder = new Decoder(body);
  try {
    return decoder.request();
  } catch (error) {
    if (error instanceof ProtobufError) {
      const path = decoder.path();
      throw new InputError(
        { path: path === '' ? undefined : path },
        `invalid protobuf at byte ${error.offset}: ${error.reason}`,
        { cause: error },
      );
    }
    throw error;
  }
}

class Decoder {
  readonly r: WireReader;
  // Where the decoder is, for an error message: a JSON path kept as two stacks so that the
  // happy path builds no strings. An index of -1 marks a field that is not repeated.
  readonly #names: string[] = [];
  readonly #indexes: number[] = [];
  #depth = 0;

  constructor(body: Buffer) {
    this.r = new WireReader(body);
  }

  path(): string {
    let out = '';
    for (let i = 0; i < this.#depth; i++) {
      const name = this.#names[i] as string;
      const index = this.#indexes[i] as number;
      out += `${out === '' ? '' : '.'}${name}${index >= 0 ? `[${index}]` : ''}`;
    }
    return out;
  }

  #enter(name: string, index: number): void {
    this.#names[this.#depth] = name;
    this.#indexes[this.#depth] = index;
    this.#depth++;
  }

  /** The end of the length-delimited field whose tag was just read. */
  #sub(end: number): number {
    const length = this.r.length(end);
    return this.r.pos + length;
  }

  /** A field the switch did not match: a known field with the wrong wire type, or unknown. */
  #other(tag: number, end: number, message: string, fields: Fields): void {
    const known = fields[tag >>> 3];
    if (known !== undefined) {
      throw new ProtobufError(
        this.r.fieldStart,
        `${message}.${known[0]} (field ${tag >>> 3}) has wire type ${wireName(tag & 7)}; expected ${wireName(known[1])}`,
      );
    }
    this.r.skip(tag, end);
  }

  request(): { resourceSpans: Json[] } {
    const r = this.r;
    const end = r.buf.length;
    const resourceSpans: Json[] = [];
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === T1_LEN) {
        this.#enter('resourceSpans', resourceSpans.length);
        resourceSpans.push(this.#resourceSpans(this.#sub(end)));
        this.#depth--;
      } else this.#other(tag, end, 'ExportTraceServiceRequest', REQUEST);
    }
    return { resourceSpans };
  }

  #resourceSpans(end: number): Json {
    const r = this.r;
    const out: Json = {};
    let scopeSpans: Json[] | undefined;
    while (r.pos < end) {
      const tag = r.tag(end);
      switch (tag) {
        case T1_LEN:
          this.#enter('resource', -1);
          out.resource = this.#resource(this.#sub(end), out.resource as Json | undefined);
          this.#depth--;
          break;
        // Pre-1.0 `instrumentation_library_spans` has the layout of `scope_spans`.
        case T2_LEN:
        case T1000_LEN:
          scopeSpans ??= [];
          out.scopeSpans = scopeSpans;
          this.#enter('scopeSpans', scopeSpans.length);
          scopeSpans.push(this.#scopeSpans(this.#sub(end)));
          this.#depth--;
          break;
        case T3_LEN:
          out.schemaUrl = r.string(end);
          break;
        default:
          this.#other(tag, end, 'ResourceSpans', RESOURCE_SPANS);
      }
    }
    return out;
  }

  #resource(end: number, into: Json | undefined): Json {
    const r = this.r;
    const out: Json = into ?? {};
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === T1_LEN) this.#attribute(out, end);
      else if (tag === T2_VARINT) out.droppedAttributesCount = r.uint32(end);
      else this.#other(tag, end, 'Resource', RESOURCE);
    }
    return out;
  }

  #scopeSpans(end: number): Json {
    const r = this.r;
    const out: Json = {};
    let spans: Json[] | undefined;
    while (r.pos < end) {
      const tag = r.tag(end);
      switch (tag) {
        case T1_LEN:
          this.#enter('scope', -1);
          out.scope = this.#scope(this.#sub(end), out.scope as Json | undefined);
          this.#depth--;
          break;
        case T2_LEN:
          spans ??= [];
          out.spans = spans;
          this.#enter('spans', spans.length);
          spans.push(this.#span(this.#sub(end)));
          this.#depth--;
          break;
        case T3_LEN:
          out.schemaUrl = r.string(end);
          break;
        default:
          this.#other(tag, end, 'ScopeSpans', SCOPE_SPANS);
      }
    }
    return out;
  }

  #scope(end: number, into: Json | undefined): Json {
    const r = this.r;
    const out: Json = into ?? {};
    while (r.pos < end) {
      const tag = r.tag(end);
      switch (tag) {
        case T1_LEN:
          out.name = r.string(end);
          break;
        case T2_LEN:
          out.version = r.string(end);
          break;
        case T3_LEN:
          this.#attribute(out, end);
          break;
        case T4_VARINT:
          out.droppedAttributesCount = r.uint32(end);
          break;
        default:
          this.#other(tag, end, 'InstrumentationScope', SCOPE);
      }
    }
    return out;
  }

  #span(end: number): Json {
    const r = this.r;
    const out: Json = {};
    while (r.pos < end) {
      const tag = r.tag(end);
      switch (tag) {
        case T1_LEN:
          out.traceId = r.hex(end);
          break;
        case T2_LEN:
          out.spanId = r.hex(end);
          break;
        case T3_LEN:
          out.traceState = r.string(end);
          break;
        case T4_LEN:
          out.parentSpanId = r.hex(end);
          break;
        case T5_LEN:
          out.name = r.string(end);
          break;
        case T6_VARINT:
          // An enum is an int32: a negative one arrives as a 10-byte varint.
          out.kind = r.uint32(end) | 0;
          break;
        case T7_I64:
          out.startTimeUnixNano = r.fixed64String(end);
          break;
        case T8_I64:
          out.endTimeUnixNano = r.fixed64String(end);
          break;
        case T9_LEN:
          this.#attribute(out, end);
          break;
        case T10_VARINT:
          out.droppedAttributesCount = r.uint32(end);
          break;
        case T11_LEN: {
          const events = this.#list(out, 'events');
          this.#enter('events', events.length);
          events.push(this.#event(this.#sub(end)));
          this.#depth--;
          break;
        }
        case T12_VARINT:
          out.droppedEventsCount = r.uint32(end);
          break;
        case T13_LEN: {
          const links = this.#list(out, 'links');
          this.#enter('links', links.length);
          links.push(this.#link(this.#sub(end)));
          this.#depth--;
          break;
        }
        case T14_VARINT:
          out.droppedLinksCount = r.uint32(end);
          break;
        case T15_LEN:
          this.#enter('status', -1);
          out.status = this.#status(this.#sub(end), out.status as Json | undefined);
          this.#depth--;
          break;
        case T16_I32:
          out.flags = r.fixed32(end);
          break;
        default:
          this.#other(tag, end, 'Span', SPAN);
      }
    }
    return out;
  }

  #event(end: number): Json {
    const r = this.r;
    const out: Json = {};
    while (r.pos < end) {
      const tag = r.tag(end);
      switch (tag) {
        case T1_I64:
          out.timeUnixNano = r.fixed64String(end);
          break;
        case T2_LEN:
          out.name = r.string(end);
          break;
        case T3_LEN:
          this.#attribute(out, end);
          break;
        case T4_VARINT:
          out.droppedAttributesCount = r.uint32(end);
          break;
        default:
          this.#other(tag, end, 'Span.Event', EVENT);
      }
    }
    return out;
  }

  #link(end: number): Json {
    const r = this.r;
    const out: Json = {};
    while (r.pos < end) {
      const tag = r.tag(end);
      switch (tag) {
        case T1_LEN:
          out.traceId = r.hex(end);
          break;
        case T2_LEN:
          out.spanId = r.hex(end);
          break;
        case T3_LEN:
          out.traceState = r.string(end);
          break;
        case T4_LEN:
          this.#attribute(out, end);
          break;
        case T5_VARINT:
          out.droppedAttributesCount = r.uint32(end);
          break;
        case T6_I32:
          out.flags = r.fixed32(end);
          break;
        default:
          this.#other(tag, end, 'Span.Link', LINK);
      }
    }
    return out;
  }

  #status(end: number, into: Json | undefined): Json {
    const r = this.r;
    const out: Json = into ?? {};
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === T2_LEN) out.message = r.string(end);
      else if (tag === T3_VARINT) out.code = r.uint32(end) | 0;
      else this.#other(tag, end, 'Status', STATUS);
    }
    return out;
  }

  /** The array of a repeated field, created on its first element. */
  #list(owner: Json, key: string): Json[] {
    let list = owner[key] as Json[] | undefined;
    if (list === undefined) {
      list = [];
      owner[key] = list;
    }
    return list;
  }

  /** One `KeyValue` of a repeated `attributes` field, appended to `owner.attributes`. */
  #attribute(owner: Json, end: number): void {
    const list = this.#list(owner, 'attributes');
    this.#enter('attributes', list.length);
    list.push(this.#keyValue(this.#sub(end)));
    this.#depth--;
  }

  #keyValue(end: number): Json {
    const r = this.r;
    // An absent key is proto3's empty string: written, so that the reader sees a key.
    const out: Json = { key: '', value: undefined };
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === T1_LEN) out.key = r.string(end);
      else if (tag === T2_LEN) {
        this.#enter('value', -1);
        out.value = this.#anyValue(this.#sub(end));
        this.#depth--;
      } else this.#other(tag, end, 'KeyValue', KEY_VALUE);
    }
    return out;
  }

  #anyValue(end: number): Json {
    const r = this.r;
    let out: Json = {};
    while (r.pos < end) {
      const tag = r.tag(end);
      switch (tag) {
        case T1_LEN:
          out = { stringValue: r.string(end) };
          break;
        case T2_VARINT:
          r.varint64(end);
          out = { boolValue: r.lo !== 0 || r.hi !== 0 };
          break;
        case T3_VARINT:
          out = { intValue: r.int64String(end) };
          break;
        case T4_I64:
          out = { doubleValue: jsonDouble(r.double(end)) };
          break;
        case T5_LEN:
          this.#enter('arrayValue', -1);
          out = { arrayValue: { values: this.#values(this.#sub(end), false) } };
          this.#depth--;
          break;
        case T6_LEN:
          this.#enter('kvlistValue', -1);
          out = { kvlistValue: { values: this.#values(this.#sub(end), true) } };
          this.#depth--;
          break;
        case T7_LEN:
          out = { bytesValue: r.base64(end) };
          break;
        default:
          this.#other(tag, end, 'AnyValue', ANY_VALUE);
      }
    }
    return out;
  }

  /** `ArrayValue.values` (AnyValues) or `KeyValueList.values` (KeyValues). */
  #values(end: number, keyed: boolean): Json[] {
    const r = this.r;
    const values: Json[] = [];
    while (r.pos < end) {
      const tag = r.tag(end);
      if (tag === T1_LEN) {
        this.#enter('values', values.length);
        const sub = this.#sub(end);
        values.push(keyed ? this.#keyValue(sub) : this.#anyValue(sub));
        this.#depth--;
      } else this.#other(tag, end, keyed ? 'KeyValueList' : 'ArrayValue', VALUES);
    }
    return values;
  }
}

/** Protobuf's JSON mapping writes the doubles JSON has no number for as strings. */
function jsonDouble(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
}
