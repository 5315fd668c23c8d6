/**
 * Jaeger's typed values, and what the Jaeger and Zipkin readers share: ids and
 * microsecond times as both write them, and error locations.
 */

import { InputError } from '../errors';
import {
  type Attributes,
  type AttributeValue,
  type InstrumentationScope,
  isZeroId,
  normalizeId,
  type Resource,
} from '../model';
import type { ReadContext } from './format';

type Json = Record<string, unknown>;
export type MutableAttributes = { [key: string]: AttributeValue };

/** The `processes` table of one trace object, resolved to Resources on first use. */
export interface JaegerProcessTable {
  readonly raw: Json;
  readonly path: string;
  readonly resolved: Map<string, Resource>;
}

const HEX = /^[0-9a-fA-F]+$/;
const INTEGER = /^-?\d+$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/**
 * Where the reader is, kept as parts so that the JSON path string is built only when an
 * error is thrown, never on the way through a span. `item` is an element inside the span
 * (`.tags[3]`), `sub` one inside that (`.fields[1]` of a log); both are '' outside their
 * loops.
 */
export class Cursor {
  readonly #ctx: ReadContext;
  #spansPath = '';
  #index = -1;
  #spanId: string | undefined;
  #item = '';
  #itemIndex = -1;
  #sub = '';
  #subIndex = -1;

  constructor(ctx: ReadContext) {
    this.#ctx = ctx;
  }

  /** A cursor at a fixed path outside any span (a shared table entry). */
  detachedAt(path: string): Cursor {
    const cursor = new Cursor(this.#ctx);
    cursor.at(path, -1, undefined);
    return cursor;
  }

  /** `index` -1: the location is `spansPath` itself (a trace object, a table). */
  at(spansPath: string, index: number, spanId: string | undefined): void {
    this.#spansPath = spansPath;
    this.#index = index;
    this.#spanId = spanId;
    this.#item = '';
    this.#itemIndex = -1;
    this.#sub = '';
    this.#subIndex = -1;
  }

  /** Enter (or, with '', leave) an element of the current span: `.tags`, 3 → `.tags[3]`. */
  item(where: string, index = -1): void {
    this.#item = where;
    this.#itemIndex = index;
    this.#sub = '';
    this.#subIndex = -1;
  }

  /** Enter (or leave) an element of the current item. */
  sub(where: string, index = -1): void {
    this.#sub = where;
    this.#subIndex = index;
  }

  /** Throw an InputError at the current position, `tail` appended to its path. */
  fail(reason: string, tail = ''): never {
    let path = this.#index < 0 ? this.#spansPath : `${this.#spansPath}[${this.#index}]`;
    path += this.#item;
    if (this.#itemIndex >= 0) path += `[${this.#itemIndex}]`;
    path += this.#sub;
    if (this.#subIndex >= 0) path += `[${this.#subIndex}]`;
    path = `${path}${tail}`.replace(/^\./, '');
    throw new InputError(
      {
        file: this.#ctx.file,
        line: this.#ctx.line,
        path: path === '' ? undefined : path,
        spanId: this.#spanId,
      },
      reason,
    );
  }

  /** A hex id of at most `bytes` bytes, left-padded (Jaeger writes 64-bit trace ids too). */
  id(value: unknown, bytes: 8 | 16, field: string, allowZero = false): string {
    if (typeof value !== 'string' || value === '') {
      this.fail(
        value === undefined
          ? `the ${field} is missing`
          : `the ${field} must be a hex string, got ${JSON.stringify(value)}`,
      );
    }
    let id = normalizeId(value, bytes);
    // normalizeId also takes base64 of exactly the id's width, which Jaeger and Zipkin never
    // write: at that length, the text must be hex (checked only there, the rare case).
    if (id !== undefined && value.length === (bytes === 8 ? 12 : 24) && !HEX.test(value)) {
      id = undefined;
    }
    if (id === undefined) {
      this.fail(
        `${field} ${JSON.stringify(value)} is not an id: expected up to ${bytes * 2} hex digits`,
      );
    }
    if (!allowZero && isZeroId(id)) {
      this.fail(`${field} ${value} is all zeros, which names no span`);
    }
    return id;
  }

  /** Microseconds (a number, possibly fractional, or a decimal string) → nanoseconds. */
  micros(value: unknown, field: string, tail = ''): bigint {
    if (typeof value === 'number') {
      if (Number.isFinite(value) && value >= 0) return microsToNanos(value);
    } else if (typeof value === 'string' && /^\d+$/.test(value)) {
      return BigInt(value) * 1000n;
    }
    return this.fail(
      `"${field}" must be a non-negative number of microseconds, got ${JSON.stringify(value)}`,
      tail,
    );
  }
}

export function microsToNanos(micros: number): bigint {
  if (Number.isInteger(micros)) return BigInt(micros) * 1000n;
  // Fractional microseconds carry nanoseconds (the OTel → Zipkin mapping asks for them).
  const whole = Math.floor(micros);
  return BigInt(whole) * 1000n + BigInt(Math.round((micros - whole) * 1000));
}

/**
 * Short values repeat across spans (methods, status codes, hosts) and are shared; long
 * ones (SQL, URLs with ids, stack traces) rarely repeat exactly and would only grow the
 * intern table.
 */
export function internValue(ctx: ReadContext, value: string): string {
  return value.length <= 128 ? ctx.intern(value) : value;
}

/** Assign without letting a tag named `__proto__` replace the object's prototype. */
export function setAttribute(target: MutableAttributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key] = value;
}

/** One typed Jaeger value: `{ key, type, value }` with type string/bool/int64/float64/binary. */
export function tagValue(tag: Json, cur: Cursor): AttributeValue {
  const value = tag.value;
  const type = tag.type;
  switch (type) {
    case 'string':
    case 'STRING':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      break;
    case 'bool':
    case 'BOOL':
      if (typeof value === 'boolean') return value;
      if (value === 'true') return true;
      if (value === 'false') return false;
      break;
    case 'int64':
    case 'INT64':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      // Jaeger writes int64 values beyond 2^53 as strings so that JavaScript keeps them exact.
      if (typeof value === 'string' && INTEGER.test(value)) {
        const big = BigInt(value);
        return big > MAX_SAFE || big < MIN_SAFE ? big : Number(big);
      }
      break;
    case 'float64':
    case 'FLOAT64':
      if (typeof value === 'number') return value;
      // Go's encoder cannot write NaN or ±Inf as JSON numbers; some writers quote them.
      if (typeof value === 'string' && value.trim() !== '') {
        const n = Number(value);
        if (!Number.isNaN(n) || value === 'NaN') return n;
      }
      break;
    case 'binary':
    case 'BINARY':
      if (typeof value === 'string') return Uint8Array.from(Buffer.from(value, 'base64'));
      break;
    case undefined:
    case null:
      // Untyped tags (hand-written files, some exporters): the JSON type says it.
      if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') {
        return value;
      }
      break;
    default:
      return cur.fail(
        `tag "${tag.key as string}" has type ${JSON.stringify(type)}; Jaeger's types are string, bool, int64, float64 and binary`,
      );
  }
  return cur.fail(
    `tag "${tag.key as string}" of type ${String(type)} has the value ${JSON.stringify(value)}, which is not a ${String(type)}`,
  );
}

/**
 * A Jaeger process as a Resource: its tags, and `service.name` from `serviceName`.
 * `noServiceName` is the placeholder a translator writes when it had no service name.
 * Errors are located at `cur`'s position plus `where`.
 */
export function resourceFromProcess(
  raw: unknown,
  cur: Cursor,
  where: string,
  noServiceName: string,
): Resource {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return cur.fail(
      `expected a process { "serviceName", "tags" }, got ${JSON.stringify(raw)}`,
      where,
    );
  }
  const process = raw as Json;
  const attributes: MutableAttributes = {};
  const tags = process.tags;
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags)) {
      cur.fail(`process "tags" must be an array, got ${JSON.stringify(tags)}`, `${where}.tags`);
    }
    const tagsWhere = `${where}.tags`;
    for (let t = 0; t < tags.length; t++) {
      const tag = tags[t];
      cur.item(tagsWhere, t);
      if (typeof tag !== 'object' || tag === null || typeof (tag as Json).key !== 'string') {
        cur.fail(`expected a tag { "key", "type", "value" }, got ${JSON.stringify(tag)}`);
      }
      setAttribute(attributes, (tag as Json).key as string, tagValue(tag as Json, cur));
    }
    cur.item('');
  }
  const serviceName = process.serviceName;
  if (typeof serviceName === 'string') {
    if (serviceName !== '' && serviceName !== noServiceName) {
      attributes['service.name'] = serviceName;
    }
  } else if (serviceName !== undefined && serviceName !== null) {
    cur.fail(
      `process "serviceName" must be a string, got ${JSON.stringify(serviceName)}`,
      `${where}.serviceName`,
    );
  }
  return Object.freeze({ attributes: Object.freeze(attributes) as Attributes });
}

export function scopeFor(
  cache: Map<string, InstrumentationScope>,
  ctx: ReadContext,
  name: string,
  version: string | undefined,
): InstrumentationScope {
  const key = version === undefined ? name : `${name}\u0000${version}`;
  let scope = cache.get(key);
  if (scope === undefined) {
    scope = Object.freeze({ name: ctx.intern(name), version });
    cache.set(key, scope);
  }
  return scope;
}

/**
 * The tags OpenTelemetry's Jaeger and Zipkin exporters add to carry OTLP fields those
 * formats lack (status, instrumentation scope), plus the `error` tag. Both readers lift
 * them back out of the attributes; one instance per reader is reset for every span, so
 * collecting them allocates nothing.
 */
export class TranslationTags<V> {
  statusCode: V | undefined;
  statusDescription: V | undefined;
  error: V | undefined;
  scopeName: V | undefined;
  scopeVersion: V | undefined;
  libraryName: V | undefined;
  libraryVersion: V | undefined;

  reset(): void {
    this.statusCode = undefined;
    this.statusDescription = undefined;
    this.error = undefined;
    this.scopeName = undefined;
    this.scopeVersion = undefined;
    this.libraryName = undefined;
    this.libraryVersion = undefined;
  }

  /** Keeps `value` when `key` is one of these tags; false for an ordinary attribute. */
  take(key: string, value: V): boolean {
    switch (key) {
      case 'otel.status_code':
        this.statusCode = value;
        return true;
      case 'otel.status_description':
        this.statusDescription = value;
        return true;
      case 'error':
        this.error = value;
        return true;
      case 'otel.scope.name':
        this.scopeName = value;
        return true;
      case 'otel.scope.version':
        this.scopeVersion = value;
        return true;
      case 'otel.library.name':
        this.libraryName = value;
        return true;
      case 'otel.library.version':
        this.libraryVersion = value;
        return true;
      default:
        return false;
    }
  }

  /** The scope's name: `otel.scope.name`, else the older `otel.library.name`. */
  get liftedScopeName(): V | undefined {
    return this.scopeName !== undefined ? this.scopeName : this.libraryName;
  }

  /** The version that goes with {@link liftedScopeName}. */
  get liftedScopeVersion(): V | undefined {
    return this.scopeName !== undefined ? this.scopeVersion : this.libraryVersion;
  }
}
