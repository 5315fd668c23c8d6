import type { Span, SpanKind, StatusCode, Trace } from '../model';
import type { EnumType } from './ast';
import { SPAN_TYPES, spanType } from './span-type';

/** The static type of a value in a selector; `dynamic` is an attribute, known only per span. */
export type ValueType =
  | 'string'
  | 'number'
  | 'duration'
  | 'bool'
  | 'nil'
  | 'status'
  | 'kind'
  | 'spanType'
  | 'dynamic';

export type Getter = (span: Span, trace: Trace) => unknown;

export interface Intrinsic {
  /** The canonical (old-style) name, used in messages. */
  readonly name: string;
  readonly type: ValueType;
  readonly get: Getter;
}

const NAME: Intrinsic = { name: 'name', type: 'string', get: (s) => s.name };
const STATUS: Intrinsic = { name: 'status', type: 'status', get: (s) => s.status.code };
const STATUS_MESSAGE: Intrinsic = {
  name: 'statusMessage',
  type: 'string',
  get: (s) => s.status.message,
};
const KIND: Intrinsic = { name: 'kind', type: 'kind', get: (s) => s.kind };
const DURATION: Intrinsic = { name: 'duration', type: 'duration', get: (s) => s.durationNs };
const TRACE_DURATION: Intrinsic = {
  name: 'traceDuration',
  type: 'duration',
  get: (_, t) => t.durationNs,
};
const ROOT_NAME: Intrinsic = { name: 'rootName', type: 'string', get: (_, t) => t.root?.name };
const ROOT_SERVICE: Intrinsic = {
  name: 'rootServiceName',
  type: 'string',
  get: (_, t) => t.root?.service,
};
const CHILD_COUNT: Intrinsic = {
  name: 'childCount',
  type: 'number',
  get: (s, t) => t.childrenOf(s).length,
};

/**
 * Every intrinsic a selector may name, in the old form (`name`) and Tempo's newer scoped
 * form (`span:name`). Insertion order is the order suggestions prefer.
 */
export const INTRINSICS: ReadonlyMap<string, Intrinsic> = new Map<string, Intrinsic>([
  ['name', NAME],
  ['duration', DURATION],
  ['status', STATUS],
  ['statusMessage', STATUS_MESSAGE],
  ['kind', KIND],
  ['type', { name: 'type', type: 'spanType', get: (s) => spanType(s) }],
  ['traceDuration', TRACE_DURATION],
  ['rootName', ROOT_NAME],
  ['rootServiceName', ROOT_SERVICE],
  ['childCount', CHILD_COUNT],
  ['span:name', NAME],
  ['span:duration', DURATION],
  ['span:status', STATUS],
  ['span:statusMessage', STATUS_MESSAGE],
  ['span:kind', KIND],
  ['span:childCount', CHILD_COUNT],
  ['span:id', { name: 'span:id', type: 'string', get: (s) => s.spanId }],
  ['span:parentID', { name: 'span:parentID', type: 'string', get: (s) => s.parentSpanId }],
  ['trace:duration', TRACE_DURATION],
  ['trace:rootName', ROOT_NAME],
  ['trace:rootService', ROOT_SERVICE],
  ['trace:id', { name: 'trace:id', type: 'string', get: (s) => s.traceId }],
  [
    'instrumentation:name',
    { name: 'instrumentation:name', type: 'string', get: (s) => s.scope.name },
  ],
  [
    'instrumentation:version',
    { name: 'instrumentation:version', type: 'string', get: (s) => s.scope.version },
  ],
]);

/** Tempo intrinsics tracespec knows of but does not evaluate; named so the error can say so. */
export const UNSUPPORTED_INTRINSICS: ReadonlySet<string> = new Set([
  'parent',
  'nestedSetLeft',
  'nestedSetRight',
  'nestedSetParent',
  'event:name',
  'event:timeSinceStart',
  'link:traceID',
  'link:spanID',
  'span:nestedSetLeft',
  'span:nestedSetRight',
  'span:nestedSetParent',
]);

export const STATUS_VALUES: readonly StatusCode[] = ['error', 'ok', 'unset'];
export const KIND_VALUES: readonly SpanKind[] = [
  'server',
  'client',
  'producer',
  'consumer',
  'internal',
  'unspecified',
];

export const ENUM_VALUES: Readonly<Record<EnumType, readonly string[]>> = {
  status: STATUS_VALUES,
  kind: KIND_VALUES,
  spanType: SPAN_TYPES,
};

/** What a bare word names, when it is an enum value. The three sets do not overlap. */
export function enumTypeOf(word: string): EnumType | undefined {
  if ((STATUS_VALUES as readonly string[]).includes(word)) return 'status';
  if ((KIND_VALUES as readonly string[]).includes(word)) return 'kind';
  if ((SPAN_TYPES as readonly string[]).includes(word)) return 'spanType';
  return undefined;
}

/** How a type reads in a message: `a string`, `a duration`, `a span kind`. */
export function describeType(type: ValueType): string {
  switch (type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'duration':
      return 'a duration';
    case 'bool':
      return 'a boolean';
    case 'nil':
      return 'nil';
    case 'status':
      return 'a status';
    case 'kind':
      return 'a span kind';
    case 'spanType':
      return 'a span type';
    case 'dynamic':
      return 'an attribute';
  }
}
