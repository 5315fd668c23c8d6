import type { MatcherContext } from 'expect';
import { checkRecordedException, type ExceptionExpectation, isSpan } from '../src/assert';
import { InputError } from '../src/errors';
import type { RecordedException } from '../src/model';
import { describeSelector, type SelectorInput, SPAN_TYPES } from '../src/query';
import { printable } from '../src/report';
import {
  count,
  equalsOf,
  expectedReceived,
  hint,
  isOneOf,
  type MatcherResult,
  noMatchError,
  run,
  sections,
  spanName,
  targetOf,
  treesSection,
} from './utils';

/** Spans whose exceptions are listed before the rest are counted. */
const MAX_LISTED_SPANS = 5;

/**
 * A span matching `selector` recorded an `exception` event that fits `expected`
 * (`type` exactly, `message` as a substring; a RegExp or an asymmetric matcher for
 * either). On a Span, leave the selector out: `expect(span).toHaveRecordedException({ type })`;
 * on a trace with no arguments at all, any span will do.
 */
export function toHaveRecordedException(
  this: MatcherContext,
  received: unknown,
  selectorOrExpected?: SelectorInput | ExceptionExpectation,
  expectedArg?: ExceptionExpectation,
): MatcherResult {
  // The received value decides how the arguments read: a span has no selector argument,
  // because `{ type: 'TypeError' }` would read as a span filter on a trace.
  const onSpan = isSpan(received);
  const selector = onSpan ? undefined : (selectorOrExpected as SelectorInput);
  const expected = (onSpan ? selectorOrExpected : expectedArg) as ExceptionExpectation | undefined;
  const hintLine = () =>
    hint(this, 'toHaveRecordedException', received, onSpan ? 'expected' : 'selector', {
      ...(selector !== undefined ? { comment: describeSelector(selector) } : {}),
      ...(!onSpan && expected !== undefined ? { secondArgument: 'expected' } : {}),
    });
  const target = targetOf(this, hintLine, received, { spans: true });
  const result = run(this, hintLine, () => {
    if (!onSpan && looksLikeExpectation(selector)) {
      throw new InputError(
        {},
        `on a trace the first argument selects the spans; ${describeSelector(selector as SelectorInput)} reads like the expected exception. Write toHaveRecordedException('{ }', expected) for any span, or name the span first`,
      );
    }
    return checkRecordedException(target, selector, expected, { equals: equalsOf(this) });
  });
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  const wanted = describeExpected(this, expected);
  const where = onSpan ? 'the span' : 'a span matching the selector';
  return {
    pass: result.pass,
    message: () => {
      const shown = this.isNot ? result.fitting : result.matched;
      const received = this.isNot
        ? `${count(result.fitting.length, 'matching span')} did:`
        : result.matched.every((m) => m.exceptions.length === 0)
          ? onSpan
            ? 'the span recorded no exception'
            : result.matched.length === 1
              ? 'the one matching span recorded no exception'
              : `none of the ${result.matched.length} matching spans recorded an exception`
          : 'none of the recorded exceptions fits:';
      const listed = shown
        .filter((m) => m.exceptions.length > 0)
        .slice(0, MAX_LISTED_SPANS)
        .map(
          (m) =>
            `  ${spanName(m.span)}\n${m.exceptions.map((e) => `    ${exceptionLine(e)}`).join('\n')}`,
        );
      return sections(
        hintLine(),
        expectedReceived(
          this,
          `${where} ${this.isNot ? 'not ' : ''}to have recorded ${wanted}`,
          received,
          listed.join('\n'),
        ),
        !onSpan && treesSection(this, target.traces, isOneOf(result.matched)),
      );
    },
  };
}

/** `an exception { type: "CardError", message: "declined" }`, or `an exception`. */
function describeExpected(ctx: MatcherContext, expected: ExceptionExpectation | undefined): string {
  if (!expected || Object.keys(expected).length === 0) return 'an exception';
  return `an exception ${ctx.utils.stringify(expected)}`;
}

/** `CardError: card declined`, as a stack trace's first line reads. */
function exceptionLine(e: RecordedException): string {
  const type = e.type ? printable(e.type) : '(no exception.type)';
  return e.message ? `${type}: ${printable(e.message)}` : type;
}

/** `{ type: 'TypeError' }` or `{ message: ... }` given as a selector: a likely mix-up. */
function looksLikeExpectation(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length === 0 || !keys.every((k) => k === 'type' || k === 'message')) return false;
  const type = (value as { type?: unknown }).type;
  return keys.includes('message') || !(SPAN_TYPES as readonly unknown[]).includes(type);
}
