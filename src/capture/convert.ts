/**
 * An SDK span (`ReadableSpan`) as a model {@link Span}. Total: any span the SDK hands to
 * a processor converts, whatever its attributes hold, so that capture never throws into
 * the code under test.
 */

import type {
  Attributes,
  AttributeValue,
  InstrumentationScope,
  Resource,
  SpanEvent,
  SpanKind,
  SpanLink,
  Status,
  StatusCode,
} from '../model';
import { Span } from '../model';
import type {
  AttributesLike,
  HrTimeLike,
  InstrumentationScopeLike,
  ReadableSpanLike,
} from './otel-types';

// The API's SpanKind and SpanStatusCode enums (not OTLP's, which are shifted by one).
const KINDS: readonly SpanKind[] = ['internal', 'server', 'client', 'producer', 'consumer'];
const STATUS_CODES: readonly StatusCode[] = ['unset', 'ok', 'error'];

const NS_PER_SECOND = 1_000_000_000n;

/**
 * `[seconds, nanoseconds]` to nanoseconds since the epoch, exactly: the sum does not fit
 * a double (2^53 ns is only 104 days). A bare number, which hand-built spans sometimes
 * carry, is read as milliseconds like the API's `TimeInput`.
 */
export function hrTimeToNanos(time: HrTimeLike | number | undefined): bigint {
  if (typeof time === 'number') return Number.isFinite(time) ? BigInt(Math.round(time * 1e6)) : 0n;
  if (!Array.isArray(time)) return 0n;
  const [seconds, nanos] = time;
  return BigInt(Math.trunc(seconds || 0)) * NS_PER_SECOND + BigInt(Math.trunc(nanos || 0));
}

export function spanKindOf(kind: number): SpanKind {
  return KINDS[kind] ?? 'unspecified';
}

export function statusOf(status: ReadableSpanLike['status'] | undefined): Status {
  const code = STATUS_CODES[status?.code ?? 0] ?? 'unset';
  return { code, message: typeof status?.message === 'string' ? status.message : '' };
}

/** One attribute value; undefined when the value is not representable (a function, a symbol). */
export function attributeValueOf(value: unknown, depth = 0): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return value;
    case 'object': {
      if (value === null) return null;
      // Deeply nested values cannot come from the SDK; the bound keeps a cyclic
      // hand-built value from recursing without end.
      if (depth > 16) return String(value);
      if (value instanceof Uint8Array) return value;
      if (Array.isArray(value)) {
        // Arrays keep their length: the SDK stores null/undefined holes as null.
        return value.map((item) => attributeValueOf(item, depth + 1) ?? null);
      }
      if (value instanceof Date) return value.toISOString();
      const map: Record<string, AttributeValue> = {};
      for (const [key, item] of Object.entries(value)) {
        const converted = attributeValueOf(item, depth + 1);
        if (converted !== undefined) map[key] = converted;
      }
      return map;
    }
    default:
      return undefined;
  }
}

export function attributesOf(attributes: AttributesLike | undefined): Attributes {
  const out: Record<string, AttributeValue> = {};
  if (!attributes) return out;
  for (const key of Object.keys(attributes)) {
    const value = attributeValueOf(attributes[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/**
 * Turns SDK spans into model spans. Resources and scopes are converted once per SDK
 * object and shared, as the model shares them: a test run has one resource and a few
 * scopes, and thousands of spans.
 */
export class SpanConverter {
  readonly #resources = new WeakMap<object, Resource>();
  readonly #scopes = new Map<string, InstrumentationScope>();

  /** `shiftNs` moves every time of the span (see start-clock.ts); durations are unchanged. */
  convert(span: ReadableSpanLike, shiftNs = 0n): Span {
    const context = span.spanContext();
    const parentSpanId = span.parentSpanContext?.spanId ?? span.parentSpanId;
    return new Span({
      traceId: context.traceId.toLowerCase(),
      spanId: context.spanId.toLowerCase(),
      parentSpanId: parentSpanId ? parentSpanId.toLowerCase() : undefined,
      name: span.name,
      kind: spanKindOf(span.kind),
      resource: this.resourceOf(span),
      scope: this.#scopeOf(span.instrumentationScope ?? span.instrumentationLibrary),
      attributes: attributesOf(span.attributes),
      startTimeUnixNano: hrTimeToNanos(span.startTime) + shiftNs,
      endTimeUnixNano: hrTimeToNanos(span.endTime) + shiftNs,
      status: statusOf(span.status),
      events: (span.events ?? []).map(
        (event): SpanEvent => ({
          name: event.name,
          timeUnixNano: hrTimeToNanos(event.time) + shiftNs,
          attributes: attributesOf(event.attributes),
        }),
      ),
      links: (span.links ?? []).map(
        (link): SpanLink => ({
          traceId: link.context.traceId.toLowerCase(),
          spanId: link.context.spanId.toLowerCase(),
          attributes: attributesOf(link.attributes),
        }),
      ),
    });
  }

  /** The span's resource as the model has it (shared per SDK resource object). */
  resourceOf(span: Pick<ReadableSpanLike, 'resource'>): Resource {
    const sdkResource = span.resource;
    if (!sdkResource) return { attributes: {} };
    let resource = this.#resources.get(sdkResource);
    if (!resource) {
      resource = Object.freeze({ attributes: Object.freeze(attributesOf(sdkResource.attributes)) });
      this.#resources.set(sdkResource, resource);
    }
    return resource;
  }

  #scopeOf(scope: InstrumentationScopeLike | undefined): InstrumentationScope {
    const name = scope?.name ?? '';
    const version = scope?.version || undefined;
    const key = `${name}\u0000${version ?? ''}`;
    let shared = this.#scopes.get(key);
    if (!shared) {
      shared = Object.freeze({ name, version });
      this.#scopes.set(key, shared);
    }
    return shared;
  }
}
