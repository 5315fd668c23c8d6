import {
  type Attributes,
  Span,
  type SpanEvent,
  type SpanKind,
  type Status,
  type StatusCode,
  Trace,
} from '../../src/model';

/** Small traces written by hand: times in milliseconds from a fixed epoch. */
export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const EPOCH_NS = 1_767_225_600_000_000_000n;

export interface SpanSpec {
  /** Short id, padded to 16 hex digits; also the default name (`op-<id>`). */
  readonly id: string;
  readonly parent?: string;
  readonly name?: string;
  /** Defaults to `svc`. */
  readonly service?: string;
  readonly kind?: SpanKind;
  /** Milliseconds from the epoch. */
  readonly start: number;
  readonly end: number;
  readonly status?: StatusCode;
  readonly message?: string;
  /** Shorthand for error status: `true` without a message, a string for its message. */
  readonly error?: true | string;
  readonly attributes?: Attributes;
  readonly resource?: Attributes;
  /** `exception` events to record, as `recordException()` does. */
  readonly exceptions?: readonly { type?: string; message?: string }[];
}

/** What a suite's spans are unless a spec says otherwise. */
export interface SpanDefaults {
  readonly kind?: SpanKind;
}

export function spanOf(spec: SpanSpec, traceId = TRACE_ID, defaults: SpanDefaults = {}): Span {
  const at = (ms: number) => EPOCH_NS + BigInt(Math.round(ms * 1e6));
  const events: SpanEvent[] = (spec.exceptions ?? []).map((e) => ({
    name: 'exception',
    timeUnixNano: at(spec.end),
    attributes: {
      ...(e.type !== undefined ? { 'exception.type': e.type } : {}),
      ...(e.message !== undefined ? { 'exception.message': e.message } : {}),
    },
  }));
  let status: Status | undefined;
  if (spec.error !== undefined) {
    status = { code: 'error', message: spec.error === true ? '' : spec.error };
  } else if (spec.status) status = { code: spec.status, message: spec.message ?? '' };
  return new Span({
    traceId,
    spanId: spec.id.padStart(16, '0'),
    parentSpanId: spec.parent?.padStart(16, '0'),
    name: spec.name ?? `op-${spec.id}`,
    kind: spec.kind ?? defaults.kind,
    resource: { attributes: { 'service.name': spec.service ?? 'svc', ...spec.resource } },
    attributes: spec.attributes,
    startTimeUnixNano: at(spec.start),
    endTimeUnixNano: at(spec.end),
    status,
    events,
  });
}

export function traceOf(
  specs: readonly SpanSpec[],
  traceId = TRACE_ID,
  defaults: SpanDefaults = {},
): Trace {
  return Trace.from(specs.map((s) => spanOf(s, traceId, defaults)));
}
