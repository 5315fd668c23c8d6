import type { Attributes, AttributeValue } from '../model';
import { parseInt64 } from './int64';
import { Problem } from './problem';

/** OTLP/JSON's `KeyValue` and `AnyValue`, as far as tracespec reads them. */
interface KeyValue {
  readonly key?: unknown;
  readonly value?: AnyValue | null;
}
interface AnyValue {
  readonly stringValue?: unknown;
  readonly boolValue?: unknown;
  readonly intValue?: unknown;
  readonly doubleValue?: unknown;
  readonly bytesValue?: unknown;
  readonly arrayValue?: { readonly values?: unknown } | null;
  readonly kvlistValue?: { readonly values?: unknown } | null;
}

/**
 * A `KeyValue` list to an attributes object; undefined for none, so that the model can
 * share its one empty object. Later duplicates of a key win, as in the OTel SDKs.
 */
export function readAttributes(
  list: unknown,
  at: string,
  intern: (text: string) => string,
): Attributes | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) {
    throw new Problem(`"${at}" must be an array of { key, value }, not ${typeName(list)}`, at);
  }
  const n = list.length;
  if (n === 0) return undefined;
  return keyValues(list, at, intern);
}

/**
 * Constructors of plain objects (their prototype is `Object.prototype`, as a `{}`'s), one
 * per number of keys. An object made by `{}` has room for 4 properties and moves the
 * rest into a second, separately allocated array; V8 sizes the objects of a constructor
 * to the properties its first few instances got, so with one constructor per key count an
 * attributes object is one allocation of exactly its size: less memory, and less for the
 * garbage collector to copy while a million spans are loaded.
 */
const PLAIN_OBJECTS: (new () => Record<string, AttributeValue>)[] = [];
for (let n = 0; n <= 16; n++) PLAIN_OBJECTS.push(plainObjectConstructor());

function plainObjectConstructor(): new () => Record<string, AttributeValue> {
  // A fresh function per call: each has its own instance layout.
  const PlainObject = function PlainObject() {} as unknown as new () => Record<
    string,
    AttributeValue
  >;
  PlainObject.prototype = Object.prototype;
  return PlainObject;
}

function keyValues(
  list: readonly unknown[],
  at: string,
  intern: (text: string) => string,
): Record<string, AttributeValue> {
  const n = list.length;
  const out: Record<string, AttributeValue> =
    n < PLAIN_OBJECTS.length
      ? new (PLAIN_OBJECTS[n] as new () => Record<string, AttributeValue>)()
      : {};
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as KeyValue | null;
    const rawKey = kv === null || typeof kv !== 'object' ? undefined : kv.key;
    if (typeof rawKey !== 'string') {
      throw new Problem(`${at}[${i}] has no string "key"`, `${at}[${i}]`);
    }
    // A key fresh from JSON.parse must be looked up in V8's string table on every store;
    // the interned copy has been used as a key before, so the store skips that.
    const key = intern(rawKey);
    const value = anyValue(kv?.value, key, intern, at, i);
    // Assigning "__proto__" would replace the object's prototype instead of adding a key.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[key] = value;
  }
  return out;
}

/**
 * One `AnyValue`; an empty or absent value is null. `at` and `index` place the attribute
 * for an error message (`attributes[2].value`); nested values report their outermost one.
 */
export function anyValue(
  v: AnyValue | null | undefined,
  key: string,
  intern: (text: string) => string,
  at: string,
  index: number,
): AttributeValue {
  if (v === undefined || v === null) return null;
  // Most common first: string attributes outnumber the rest in real traces.
  const s = v.stringValue;
  if (s !== undefined) return intern(typeof s === 'string' ? s : String(s));
  const i = v.intValue;
  if (i !== undefined) {
    const parsed = parseInt64(i);
    if (parsed === undefined) {
      throw new Problem(
        `attribute "${key}": intValue ${JSON.stringify(i)} is not an integer`,
        `${at}[${index}].value`,
      );
    }
    return parsed;
  }
  const b = v.boolValue;
  if (b !== undefined) return b === true || b === 'true';
  const d = v.doubleValue;
  if (d !== undefined) return doubleValue(d, key, at, index);
  const arr = v.arrayValue;
  if (arr !== undefined) return arrayValue(arr, key, intern, at, index);
  const kvl = v.kvlistValue;
  if (kvl !== undefined) {
    const values = kvl?.values;
    if (values === undefined || values === null) return {};
    if (!Array.isArray(values)) {
      throw new Problem(
        `attribute "${key}": kvlistValue.values must be an array`,
        `${at}[${index}].value`,
      );
    }
    return keyValues(values, `${at}[${index}].value.kvlistValue.values`, intern);
  }
  const bytes = v.bytesValue;
  if (bytes !== undefined) return bytesValue(bytes, key, at, index);
  return null;
}

function doubleValue(d: unknown, key: string, at: string, index: number): number {
  if (typeof d === 'number') return d;
  // Protobuf's JSON mapping writes NaN and the infinities as strings; some writers quote all.
  if (typeof d === 'string' && d.trim() !== '') {
    const n = Number(d);
    if (!Number.isNaN(n) || d === 'NaN') return n;
  }
  throw new Problem(
    `attribute "${key}": doubleValue ${JSON.stringify(d)} is not a number`,
    `${at}[${index}].value`,
  );
}

function arrayValue(
  arr: { readonly values?: unknown } | null,
  key: string,
  intern: (text: string) => string,
  at: string,
  index: number,
): AttributeValue[] {
  const values = arr?.values;
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values)) {
    throw new Problem(
      `attribute "${key}": arrayValue.values must be an array`,
      `${at}[${index}].value`,
    );
  }
  const out: AttributeValue[] = new Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = anyValue(values[i] as AnyValue | null, key, intern, at, index);
  return out;
}

function bytesValue(bytes: unknown, key: string, at: string, index: number): Uint8Array {
  if (typeof bytes !== 'string') {
    throw new Problem(
      `attribute "${key}": bytesValue must be a base64 string`,
      `${at}[${index}].value`,
    );
  }
  // A copy, not the Buffer: small Buffers are views into a shared 8 KiB pool, which one
  // retained attribute would keep alive.
  const decoded = Buffer.from(bytes, 'base64');
  const out = new Uint8Array(decoded.length);
  out.set(decoded);
  return out;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
