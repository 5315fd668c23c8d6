import { InputError } from '../errors';
import type { AttributeValue } from '../model';
import { deepEqual, describeSelector, type SelectorInput } from '../query';
import { type CheckOptions, type NoMatch, noMatch, type SpanRef, selectIn } from './selection';
import { type AssertTarget, CheckTarget } from './target';

/** Attribute names to expected values; an expected `undefined` asks for the attribute's absence. */
export type ExpectedAttributes = Readonly<Record<string, unknown>>;

/** One expected attribute that a span does not carry as expected. */
export interface AttributeMismatch {
  readonly key: string;
  readonly expected: unknown;
  /** The span's value (its resource's when the span has none); undefined when it has neither. */
  readonly actual: AttributeValue | undefined;
}

/** A matching span, the values it has for the expected keys, and those that differ. */
export interface SpanAttributes extends SpanRef {
  /** The span's values for the expected keys only (absent keys left out), for a diff. */
  readonly actual: Readonly<Record<string, AttributeValue>>;
  readonly mismatches: readonly AttributeMismatch[];
}

export interface AttributesResult {
  /** Some matching span carries every expected attribute. */
  readonly pass: boolean;
  /** The selector, or undefined when a span was received and checked itself. */
  readonly selector: string | undefined;
  readonly expected: ExpectedAttributes;
  /** Every matching span, compared. */
  readonly compared: readonly SpanAttributes[];
  /** The matching spans that carry every expected attribute. */
  readonly having: readonly SpanAttributes[];
  readonly noMatch?: NoMatch;
}

/**
 * A span `selector` matches carries `expected` attributes (looked up on the span, then on
 * its resource, as `.attr` in a selector is). Values compare with `options.equals` (deep
 * equality by default; Jest's `this.equals` in the matchers, so `expect.any(Number)`
 * works), a RegExp tests a string value. Without a selector every span counts: on a Span
 * target, the span itself.
 */
export function checkAttributes(
  target: AssertTarget,
  selector: SelectorInput | undefined,
  expected: ExpectedAttributes,
  options: CheckOptions = {},
): AttributesResult {
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
    throw new InputError(
      {},
      `the expected attributes must be an object of attribute names to values, not ${expected === null ? 'null' : Array.isArray(expected) ? 'an array' : typeof expected}`,
    );
  }
  const t = CheckTarget.of(target, { spans: selector === undefined });
  const equals = options.equals ?? deepEqual;
  const description = selector === undefined ? undefined : describeSelector(selector);
  const refs: SpanRef[] =
    selector === undefined
      ? t.traces.flatMap((trace) => trace.spans.map((span) => ({ span, trace })))
      : selectIn(t, selector, options);
  const keys = Object.keys(expected);
  const compared = refs.map((ref): SpanAttributes => {
    const actual: Record<string, AttributeValue> = {};
    const mismatches: AttributeMismatch[] = [];
    for (const key of keys) {
      const value = ref.span.attribute(key);
      if (value !== undefined) actual[key] = value;
      if (!fits(value, expected[key], equals))
        mismatches.push({ key, expected: expected[key], actual: value });
    }
    return { ...ref, actual, mismatches };
  });
  const having = compared.filter((c) => c.mismatches.length === 0);
  return {
    pass: having.length > 0,
    selector: description,
    expected,
    compared,
    having,
    ...(selector !== undefined && refs.length === 0
      ? { noMatch: noMatch(t, selector, description as string) }
      : {}),
  };
}

function fits(
  actual: unknown,
  expected: unknown,
  equals: (a: unknown, b: unknown) => boolean,
): boolean {
  if (expected instanceof RegExp) {
    const regex = new RegExp(expected.source, expected.flags.replace(/[gy]/g, ''));
    return typeof actual === 'string' && regex.test(actual);
  }
  return equals(actual, expected);
}
