import { InputError } from '../errors';
import { describeSelector, type SelectorInput } from '../query';
import { type Candidate, nearestByName } from './candidates';
import { type CheckOptions, type SpanRef, selectIn } from './selection';
import { type AssertTarget, CheckTarget } from './target';

/** An exact number of spans, or a range (either bound may be left out). */
export type CountExpectation = number | { readonly min?: number; readonly max?: number };

/** Inclusive bounds; `max` is Infinity when there is none. */
export interface CountRange {
  readonly min: number;
  readonly max: number;
}

export interface SpanCountResult {
  /** The count is within the range. */
  readonly pass: boolean;
  readonly selector: string;
  readonly expected: CountRange;
  /** Matching spans over every trace. */
  readonly count: number;
  readonly matched: readonly SpanRef[];
  /** Matches per trace, in the order the traces were given. */
  readonly perTrace: readonly number[];
  /** Spans named like the ones the selector asks for; computed only when nothing matched. */
  readonly candidates: readonly Candidate[];
}

/**
 * How many spans match `selector`, against an exact count or a range: the check that
 * catches N+1 queries (`{ type = database }` expected once, found 12 times). Over several
 * traces the count is the total.
 */
export function checkSpanCount(
  target: AssertTarget,
  selector: SelectorInput,
  expected: CountExpectation,
  options: CheckOptions = {},
): SpanCountResult {
  const range = parseCountExpectation(expected);
  const t = CheckTarget.of(target);
  const matched = selectIn(t, selector, options);
  const byTrace = new Map<unknown, number>();
  for (const m of matched) byTrace.set(m.trace, (byTrace.get(m.trace) ?? 0) + 1);
  const perTrace = t.traces.map((trace) => byTrace.get(trace) ?? 0);
  const count = matched.length;
  return {
    pass: count >= range.min && count <= range.max,
    selector: describeSelector(selector),
    expected: range,
    count,
    matched,
    perTrace,
    candidates: count === 0 ? nearestByName(t.traces, selector) : [],
  };
}

/** Check and normalise a count expectation; throws an InputError that says what is wrong. */
export function parseCountExpectation(expected: CountExpectation): CountRange {
  if (typeof expected === 'number') {
    requireCount(expected, 'the expected count');
    return { min: expected, max: expected };
  }
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
    throw new InputError(
      {},
      `the expected count must be a number or { min, max }, not ${expected === null ? 'null' : Array.isArray(expected) ? 'an array' : typeof expected}`,
    );
  }
  const unknown = Object.keys(expected).filter((k) => k !== 'min' && k !== 'max');
  if (unknown.length > 0) {
    throw new InputError(
      {},
      `unknown key ${JSON.stringify(unknown[0])} in the expected count; use { min, max }`,
    );
  }
  const { min, max } = expected;
  if (min === undefined && max === undefined) {
    throw new InputError({}, 'the expected count { min, max } needs min, max or both');
  }
  if (min !== undefined) requireCount(min, 'min');
  if (max !== undefined) requireCount(max, 'max');
  const range = { min: min ?? 0, max: max ?? Number.POSITIVE_INFINITY };
  if (range.min > range.max) {
    throw new InputError({}, `the expected count has min ${range.min} above max ${range.max}`);
  }
  return range;
}

/** `exactly 1 span`, `between 1 and 3 spans`, `at least 2 spans`, `at most 3 spans`. */
export function describeCountRange(range: CountRange): string {
  const spans = (n: number) => (n === 1 ? 'span' : 'spans');
  if (range.min === range.max) return `exactly ${range.min} ${spans(range.min)}`;
  if (range.max === Number.POSITIVE_INFINITY) return `at least ${range.min} ${spans(range.min)}`;
  if (range.min === 0) return `at most ${range.max} ${spans(range.max)}`;
  return `between ${range.min} and ${range.max} spans`;
}

function requireCount(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InputError(
      {},
      `${what} must be a whole number of spans (0 or more), not ${typeof value === 'number' ? value : typeof value}`,
    );
  }
}
