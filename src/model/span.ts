/**
 * One span, as every reader produces it and every check reads it.
 *
 * The shape follows OTLP (the superset of what Jaeger and Zipkin carry) with the
 * encodings normalised: ids are lowercase hex, times are `bigint` nanoseconds since
 * the Unix epoch, enums are lowercase words. Instances are never mutated after their
 * trace is built.
 */

/** A typed attribute value. `bigint` appears only for int64 values beyond 2^53. */
export type AttributeValue =
  | string
  | number
  | boolean
  | bigint
  | Uint8Array
  | null
  | readonly AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export type Attributes = { readonly [key: string]: AttributeValue };

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

export type StatusCode = 'unset' | 'ok' | 'error';

export interface Status {
  readonly code: StatusCode;
  /** Empty when the source gave none. */
  readonly message: string;
}

export interface SpanEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: Attributes;
}

/** An `exception` event, with the semantic-convention attributes lifted out. */
export interface RecordedException {
  readonly type: string | undefined;
  readonly message: string | undefined;
  readonly stacktrace: string | undefined;
  readonly timeUnixNano: bigint;
}

export interface SpanLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Attributes;
}

/** Shared by every span of one resource (one service instance). */
export interface Resource {
  readonly attributes: Attributes;
}

/** Shared by every span that one instrumentation library emitted. */
export interface InstrumentationScope {
  readonly name: string;
  readonly version: string | undefined;
}

/** What a reader hands to {@link Span}'s constructor. */
export interface SpanInit {
  readonly traceId: string;
  readonly spanId: string;
  /** Absent for a root span. */
  readonly parentSpanId?: string | undefined;
  readonly name: string;
  readonly kind?: SpanKind;
  readonly resource?: Resource;
  readonly scope?: InstrumentationScope;
  readonly attributes?: Attributes;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly status?: Status;
  readonly events?: readonly SpanEvent[];
  readonly links?: readonly SpanLink[];
  /**
   * Zipkin's `shared: true`: the server half of an RPC whose client half has the same
   * span id. Lets the trace builder nest the server half under the client half.
   */
  readonly shared?: boolean;
}

// Leaves of the model are shared across spans: most spans have no events, no links,
// an unset status, and one of a handful of resources. Sharing keeps memory per span low.
const NO_ATTRIBUTES: Attributes = Object.freeze({});
const NO_EVENTS: readonly SpanEvent[] = Object.freeze([]);
const NO_LINKS: readonly SpanLink[] = Object.freeze([]);
const EMPTY_RESOURCE: Resource = Object.freeze({ attributes: NO_ATTRIBUTES });
const EMPTY_SCOPE: InstrumentationScope = Object.freeze({ name: '', version: undefined });
export const STATUS_UNSET: Status = Object.freeze({ code: 'unset', message: '' });
export const STATUS_OK: Status = Object.freeze({ code: 'ok', message: '' });

/** The service name a span has when its resource names none (as the OTel SDKs default). */
export const UNKNOWN_SERVICE = 'unknown_service';

export class Span {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  /**
   * The start as whole seconds since the epoch and the nanoseconds within that second
   * (0 to 999,999,999): two small integers that V8 stores in the object itself, where a
   * BigInt would be one more object per span to allocate and garbage-collect. Read
   * {@link startTimeUnixNano}; these are for code that compares a million starts.
   * @internal
   */
  readonly startSeconds: number;
  /** @internal See {@link startSeconds}. */
  readonly startNanos: number;
  /** Exact duration in nanoseconds (exact as a number up to 104 days). */
  readonly durationNs: number;
  readonly status: Status;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly shared: boolean;
  /**
   * Position of this span in its trace's `spans` (pre-order). Set once by the trace
   * builder; -1 until then. Lets a trace answer parent/children/ancestor questions in O(1).
   * @internal
   */
  index = -1;

  /**
   * `durationNs` is for readers that already know the exact duration (`end - start`):
   * it spares a bigint subtraction per span. `init.endTimeUnixNano` is then not read.
   * Likewise `start`, already split into seconds and nanoseconds, replaces
   * `init.startTimeUnixNano`.
   * @internal
   */
  constructor(init: SpanInit, durationNs?: number, start?: StartParts) {
    this.traceId = init.traceId;
    this.spanId = init.spanId;
    this.parentSpanId = init.parentSpanId || undefined;
    this.name = init.name;
    this.kind = init.kind ?? 'unspecified';
    this.resource = init.resource ?? EMPTY_RESOURCE;
    this.attributes = init.attributes ?? NO_ATTRIBUTES;
    this.scope = init.scope ?? EMPTY_SCOPE;
    if (start === undefined) {
      if (typeof init.startTimeUnixNano !== 'bigint' || typeof init.endTimeUnixNano !== 'bigint') {
        throw new TypeError(
          `span ${init.spanId}: startTimeUnixNano and endTimeUnixNano must be bigints (nanoseconds since the Unix epoch, e.g. 1767225600000000000n), not ${typeof init.startTimeUnixNano} and ${typeof init.endTimeUnixNano}`,
        );
      }
      start = splitUnixNano(init.startTimeUnixNano, SPLIT);
    }
    this.startSeconds = start.startSeconds;
    this.startNanos = start.startNanos;
    this.durationNs =
      durationNs === undefined ? Number(init.endTimeUnixNano - init.startTimeUnixNano) : durationNs;
    this.status = init.status ?? STATUS_UNSET;
    this.events = init.events && init.events.length > 0 ? init.events : NO_EVENTS;
    this.links = init.links && init.links.length > 0 ? init.links : NO_LINKS;
    this.shared = init.shared === true;
  }

  // The times and the service are derived rather than stored: a span object with fewer
  // fields and no BigInt keeps loading a million spans within memory and
  // garbage-collection budgets (see bench/).

  /** Nanoseconds since the Unix epoch. */
  get startTimeUnixNano(): bigint {
    return BigInt(this.startSeconds) * NANOS_PER_SECOND + BigInt(this.startNanos);
  }

  get endTimeUnixNano(): bigint {
    return this.startTimeUnixNano + BigInt(this.durationNs);
  }

  /** The resource's `service.name`, or `unknown_service`. */
  get service(): string {
    const name = this.resource.attributes['service.name'];
    return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
  }

  get durationMs(): number {
    return this.durationNs / 1e6;
  }

  get isError(): boolean {
    return this.status.code === 'error';
  }

  /** `exception` events, with `exception.type`, `.message` and `.stacktrace` lifted out. */
  get exceptions(): RecordedException[] {
    const out: RecordedException[] = [];
    for (const event of this.events) {
      if (event.name !== 'exception') continue;
      const a = event.attributes;
      out.push({
        type: stringOrUndefined(a['exception.type']),
        message: stringOrUndefined(a['exception.message']),
        stacktrace: stringOrUndefined(a['exception.stacktrace']),
        timeUnixNano: event.timeUnixNano,
      });
    }
    return out;
  }

  /** A span attribute, falling back to the resource's (TraceQL's unscoped `.attr`). */
  attribute(key: string): AttributeValue | undefined {
    const own = this.attributes[key];
    return own !== undefined ? own : this.resource.attributes[key];
  }

  /** A copy not yet placed in any trace (used when one span object is put in two traces). */
  detached(): Span {
    return new Span(this, this.durationNs, this);
  }
}

function stringOrUndefined(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A start time split as {@link Span} stores it; traces store theirs the same way. */
export interface StartParts {
  readonly startSeconds: number;
  readonly startNanos: number;
}

const NANOS_PER_SECOND = 1_000_000_000n;
// Where the constructor splits a start: one object for every span, not one per span.
const SPLIT = { startSeconds: 0, startNanos: 0 };

/**
 * Splits nanoseconds since the epoch into `out`, as {@link Span} stores its start:
 * floored, so that a negative time (hand-made spans) still has nanos in [0, 1e9).
 * @internal
 */
export function splitUnixNano<T extends { startSeconds: number; startNanos: number }>(
  ns: bigint,
  out: T,
): T {
  const nanos = ns % NANOS_PER_SECOND;
  const below = nanos < 0n;
  out.startSeconds = Number(ns / NANOS_PER_SECOND) - (below ? 1 : 0);
  out.startNanos = Number(nanos) + (below ? 1e9 : 0);
  return out;
}

/** Orders spans (or traces) by start time, for `sort`: exact, without BigInt arithmetic. */
export function compareStartTime(a: StartParts, b: StartParts): number {
  return a.startSeconds - b.startSeconds || a.startNanos - b.startNanos;
}

/**
 * Nanoseconds from `origin` to the start of `span` (negative when the span starts first).
 * Exact while the two are less than 104 days apart, like durations.
 */
export function startOffsetNs(span: StartParts, origin: StartParts): number {
  return (span.startSeconds - origin.startSeconds) * 1e9 + (span.startNanos - origin.startNanos);
}
