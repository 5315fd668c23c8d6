import type { Span, SpanKind, StatusCode } from '../model';
import { compareNumbers, isNumeric } from './compare';
import type { SpanPredicate } from './compile';
import { didYouMean, listOr, nearest, SelectorError } from './errors';
import { KIND_VALUES, STATUS_VALUES } from './intrinsics';
import { SPAN_TYPES, type SpanType, spanType } from './span-type';

/**
 * A selector for people who would rather not write a query: every given field must hold.
 *
 * ```ts
 * { name: 'Payment Gateway API', kind: 'client', attributes: { 'http.route': /^\/pay/ } }
 * ```
 *
 * Strings compare exactly; a RegExp is used as JavaScript uses it (unanchored, unlike
 * `=~` in a query, which is anchored as in Tempo). Attributes are looked up on the span,
 * then on its resource, and compared with `equals` (deep equality unless the caller gives
 * its own, e.g. Jest's `this.equals` so that `expect.any(Number)` works).
 */
export interface SpanFilter {
  readonly name?: string | RegExp;
  /** The resource's `service.name`. */
  readonly service?: string | RegExp;
  readonly kind?: SpanKind;
  readonly status?: StatusCode;
  readonly type?: SpanType;
  readonly attributes?: Readonly<Record<string, unknown>>;
}

/** Compares an actual attribute value with an expected one (which may be a RegExp). */
export type EqualityTester = (actual: unknown, expected: unknown) => boolean;

const KEYS = ['name', 'service', 'kind', 'status', 'type', 'attributes'] as const;

export function compileSpanFilter(
  filter: SpanFilter,
  equals: EqualityTester = deepEqual,
): SpanPredicate {
  for (const key of Object.keys(filter)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new SelectorError(
        `unknown key "${key}" in a span filter${didYouMean(nearest(key, KEYS))}; the keys are ${listOr([...KEYS])}`,
      );
    }
  }
  const tests: SpanPredicate[] = [];
  const text = (key: 'name' | 'service', read: (span: Span) => string) => {
    const expected = filter[key];
    if (expected === undefined) return;
    const test = textTest(key, expected, equals);
    tests.push((span) => test(read(span)));
  };
  text('name', (s) => s.name);
  text('service', (s) => s.service);
  const kind = checkedEnum('kind', filter.kind, KIND_VALUES);
  if (kind !== undefined) tests.push((s) => s.kind === kind);
  const status = checkedEnum('status', filter.status, STATUS_VALUES);
  if (status !== undefined) tests.push((s) => s.status.code === status);
  const type = checkedEnum('type', filter.type, SPAN_TYPES);
  if (type !== undefined) tests.push((s) => spanType(s) === type);
  if (filter.attributes !== undefined) {
    if (typeof filter.attributes !== 'object' || filter.attributes === null) {
      throw new SelectorError(
        'attributes in a span filter must be an object of attribute names to values',
      );
    }
    for (const [key, expected] of Object.entries(filter.attributes)) {
      const test = valueTest(expected, equals);
      tests.push((span) => test(span.attribute(key)));
    }
  }
  return (span, trace) => {
    for (const test of tests) if (!test(span, trace)) return false;
    return true;
  };
}

function textTest(
  key: string,
  expected: unknown,
  equals: EqualityTester,
): (actual: string) => boolean {
  if (typeof expected === 'string') return (actual) => actual === expected;
  if (expected instanceof RegExp) {
    const regex = statelessCopy(expected);
    return (actual) => regex.test(actual);
  }
  if (isAsymmetricMatcher(expected)) return (actual) => equals(actual, expected);
  throw new SelectorError(
    `${key} in a span filter must be a string or a RegExp, not ${typeof expected}`,
  );
}

function valueTest(expected: unknown, equals: EqualityTester): (actual: unknown) => boolean {
  if (expected instanceof RegExp) {
    const regex = statelessCopy(expected);
    return (actual) => typeof actual === 'string' && regex.test(actual);
  }
  return (actual) => equals(actual, expected);
}

function checkedEnum<T extends string>(
  key: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  const hint = typeof value === 'string' ? didYouMean(nearest(value, allowed)) : '';
  throw new SelectorError(
    `${key} ${JSON.stringify(value)} in a span filter is not valid${hint}; ${key} is one of ${listOr([...allowed])}`,
  );
}

/** `g` and `y` make `test` remember where it stopped: one span would affect the next. */
function statelessCopy(regex: RegExp): RegExp {
  return regex.global || regex.sticky
    ? new RegExp(regex.source, regex.flags.replace(/[gy]/g, ''))
    : regex;
}

/** Jest's asymmetric matchers (`expect.any(Number)`) carry an `asymmetricMatch` method. */
function isAsymmetricMatcher(
  value: unknown,
): value is { asymmetricMatch(other: unknown): boolean } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function'
  );
}

/**
 * Equality of attribute values: ints, doubles and int64 bigints compare by value, arrays
 * and maps element by element, byte arrays byte by byte; an asymmetric matcher decides
 * for itself.
 */
export function deepEqual(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  if (isAsymmetricMatcher(expected)) return expected.asymmetricMatch(actual);
  if (isNumeric(actual) && isNumeric(expected)) return compareNumbers(actual, expected) === 0;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((v, i) => deepEqual(v, expected[i]));
  }
  if (actual instanceof Uint8Array && expected instanceof Uint8Array) {
    return actual.length === expected.length && actual.every((b, i) => b === expected[i]);
  }
  if (isPlainObject(actual) && isPlainObject(expected)) {
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((k) => Object.hasOwn(actual, k) && deepEqual(actual[k], expected[k]))
    );
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `{ name: "checkout", kind: "server", attributes: { "http.route": /^\/pay/ } }` */
export function describeSpanFilter(filter: SpanFilter): string {
  const parts: string[] = [];
  for (const key of KEYS) {
    const value = filter[key];
    if (value === undefined) continue;
    if (key === 'attributes') {
      const entries = Object.entries(value as Record<string, unknown>).map(
        ([k, v]) => `${JSON.stringify(k)}: ${describeValue(v)}`,
      );
      parts.push(`attributes: { ${entries.join(', ')} }`);
    } else parts.push(`${key}: ${describeValue(value)}`);
  }
  return parts.length === 0 ? '{ }' : `{ ${parts.join(', ')} }`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof RegExp) return String(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (isAsymmetricMatcher(value)) {
    const m = value as { toAsymmetricMatcher?: () => string; toString(): string };
    return typeof m.toAsymmetricMatcher === 'function' ? m.toAsymmetricMatcher() : m.toString();
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(
      ([k, v]) => `${JSON.stringify(k)}: ${describeValue(v)}`,
    );
    return `{ ${entries.join(', ')} }`;
  }
  return String(value);
}
