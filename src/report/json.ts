import type { Attributes, AttributeValue, Span, SpanKind, StatusCode } from '../model';

/** A JSON value: what {@link jsonAttributeValue} produces for any attribute value. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** One span as `tracespec query --json` prints it. Every field is always present. */
export interface SpanJson {
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  name: string;
  service: string;
  kind: SpanKind;
  durationMs: number;
  status: { code: StatusCode; message: string };
  attributes: { [key: string]: JsonValue };
}

export function spanToJson(span: Span): SpanJson {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId ?? null,
    name: span.name,
    service: span.service,
    kind: span.kind,
    durationMs: span.durationMs,
    status: { code: span.status.code, message: span.status.message },
    attributes: jsonAttributes(span.attributes),
  };
}

function jsonAttributes(attributes: Attributes): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(attributes)) {
    out[key] = jsonAttributeValue(attributes[key] as AttributeValue);
  }
  return out;
}

/**
 * An attribute value that survives `JSON.stringify` without loss or a throw: int64 values
 * beyond 2^53 (bigint, which JSON.stringify rejects) become decimal strings, bytes become
 * base64, and non-finite doubles (which JSON would turn into null) become `"NaN"`,
 * `"Infinity"`, `"-Infinity"`, as the protobuf JSON mapping writes them.
 */
export function jsonAttributeValue(value: AttributeValue): JsonValue {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item: AttributeValue) => jsonAttributeValue(item));
  return jsonAttributes(value as Attributes);
}
