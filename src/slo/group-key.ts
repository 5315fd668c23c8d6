import { InputError, type InputLocation } from '../errors';
import type { AttributeValue, Span, Trace } from '../model';
import { didYouMean, nearest } from '../query/errors';
import { INTRINSICS, UNSUPPORTED_INTRINSICS } from '../query/intrinsics';

/** How a span's value for one `group_by` key reads; every span of a group has the same. */
export type GroupKeyFn = (span: Span, trace: Trace) => string;

/** The key of spans that have no value for it. */
export const NO_VALUE = '(none)';

const FORMS =
  'A group_by key is an intrinsic (name, kind, status, rootName, rootServiceName, ...), service, resource.<attribute>, span.<attribute> or .<attribute>';

/**
 * Compile one `group_by` key: an intrinsic (`name`, `kind`, `status`, `rootName`, and the
 * scoped forms `span:name` ... that selectors accept), `service` (the resource's
 * `service.name`), `resource.<attr>`, `span.<attr>`, or `.<attr>` (the span's attribute,
 * else the resource's, as an unscoped attribute in TraceQL).
 *
 * Values read as strings (arrays and maps as JSON); a span without a value groups under
 * `(none)`. Throws an {@link InputError} at `location` for a key that names nothing.
 */
export function compileGroupKey(text: string, location: InputLocation = {}): GroupKeyFn {
  const key = text.trim();
  if (key === 'service') return (span) => show(span.resource.attributes['service.name']);
  const attribute = /^(resource|span|)\.(.*)$/.exec(key);
  if (attribute) {
    const [, scope, name = ''] = attribute;
    if (name === '') {
      throw new InputError(location, `group_by "${text}" names no attribute. ${FORMS}`);
    }
    if (scope === 'resource') return (span) => show(span.resource.attributes[name]);
    if (scope === 'span') return (span) => show(span.attributes[name]);
    return (span) => show(span.attribute(name));
  }
  const intrinsic = INTRINSICS.get(key);
  if (intrinsic) {
    const get = intrinsic.get;
    // Durations stay exact nanoseconds: a rounded `300ms` would merge distinct values.
    return (span, trace) => show(get(span, trace) as AttributeValue | undefined);
  }
  throw new InputError(location, unknownKey(key));
}

function unknownKey(key: string): string {
  if (UNSUPPORTED_INTRINSICS.has(key)) {
    return `group_by "${key}": tracespec does not support the intrinsic "${key}". ${FORMS}`;
  }
  // `service.name` or `http.route` without a scope is the usual slip: an attribute, not an intrinsic.
  if (key.includes('.')) {
    return `unknown group_by key "${key}"; did you mean the attribute ".${key}" (or "resource.${key}", "span.${key}")? ${FORMS}`;
  }
  const suggestion = nearest(key, ['service', ...INTRINSICS.keys()]);
  return `unknown group_by key "${key}"${suggestion === undefined ? '.' : didYouMean(suggestion)} ${FORMS}`;
}

function show(value: AttributeValue | undefined): string {
  if (value === undefined || value === null) return NO_VALUE;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return JSON.stringify(toJson(value));
}

// Bytes and int64s beyond 2^53 have no JSON form of their own; write them as the OTLP JSON
// mapping does (base64, decimal strings) so that the key is stable.
function toJson(value: AttributeValue): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item: AttributeValue) => toJson(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v);
    return out;
  }
  return value;
}
