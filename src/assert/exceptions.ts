import { InputError } from '../errors';
import type { RecordedException } from '../model';
import { deepEqual, describeSelector, type EqualityTester, type SelectorInput } from '../query';
import { type CheckOptions, type NoMatch, noMatch, type SpanRef, selectIn } from './selection';
import { type AssertTarget, CheckTarget } from './target';

/**
 * What the exception must look like. `type` compares exactly (`'TypeError'`), `message`
 * as Jest's `toThrow('...')` does: the text must occur in the message. Either may be a
 * RegExp or an asymmetric matcher (`expect.stringMatching(...)`).
 */
export interface ExceptionExpectation {
  readonly type?: unknown;
  readonly message?: unknown;
}

/** A matching span and the exceptions it recorded. */
export interface SpanExceptions extends SpanRef {
  readonly exceptions: readonly RecordedException[];
}

export interface RecordedExceptionResult {
  /** Some matching span recorded an exception that fits the expectation. */
  readonly pass: boolean;
  /** The selector, or undefined when a span was received and checked itself. */
  readonly selector: string | undefined;
  readonly expected: ExceptionExpectation;
  /** Every matching span with the exceptions it recorded (possibly none). */
  readonly matched: readonly SpanExceptions[];
  /** The matching spans' exceptions that fit, with their spans. */
  readonly fitting: readonly SpanExceptions[];
  readonly noMatch?: NoMatch;
}

/**
 * A span `selector` matches recorded an `exception` event that fits `expected`. Without a
 * selector every span counts: on a Span target, the span itself.
 */
export function checkRecordedException(
  target: AssertTarget,
  selector: SelectorInput | undefined,
  expected: ExceptionExpectation = {},
  options: CheckOptions = {},
): RecordedExceptionResult {
  const t = CheckTarget.of(target, { spans: selector === undefined });
  const fits = exceptionTest(expected, options.equals ?? deepEqual);
  const description = selector === undefined ? undefined : describeSelector(selector);
  // A received span is held as a one-span trace, so "every span" is the span itself.
  const refs: SpanRef[] =
    selector === undefined
      ? t.traces.flatMap((trace) => trace.spans.map((span) => ({ span, trace })))
      : selectIn(t, selector, options);
  const matched: SpanExceptions[] = [];
  const fitting: SpanExceptions[] = [];
  for (const ref of refs) {
    const exceptions = ref.span.exceptions;
    matched.push({ ...ref, exceptions });
    const good = exceptions.filter(fits);
    if (good.length > 0) fitting.push({ ...ref, exceptions: good });
  }
  return {
    pass: fitting.length > 0,
    selector: description,
    expected,
    matched,
    fitting,
    ...(selector !== undefined && matched.length === 0
      ? { noMatch: noMatch(t, selector, description as string) }
      : {}),
  };
}

function exceptionTest(
  expected: ExceptionExpectation,
  equals: EqualityTester,
): (exception: RecordedException) => boolean {
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) {
    throw new InputError({}, 'the expected exception must be an object { type?, message? }');
  }
  const unknown = Object.keys(expected).find((k) => k !== 'type' && k !== 'message');
  if (unknown !== undefined) {
    throw new InputError(
      {},
      `unknown key ${JSON.stringify(unknown)} in the expected exception; the keys are type (exception.type) and message (exception.message)`,
    );
  }
  const { type, message } = expected;
  return (exception) =>
    (type === undefined || fitsValue(exception.type, type, equals, false)) &&
    (message === undefined || fitsValue(exception.message, message, equals, true));
}

function fitsValue(
  actual: string | undefined,
  expected: unknown,
  equals: EqualityTester,
  substring: boolean,
): boolean {
  if (typeof expected === 'string') {
    return actual !== undefined && (substring ? actual.includes(expected) : actual === expected);
  }
  if (expected instanceof RegExp) {
    // Without g and y, test() keeps no state from one exception to the next.
    const regex = new RegExp(expected.source, expected.flags.replace(/[gy]/g, ''));
    return actual !== undefined && regex.test(actual);
  }
  return equals(actual, expected);
}
