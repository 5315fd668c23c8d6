import type { MatcherContext } from 'expect';
import {
  checkAttributes,
  type ExpectedAttributes,
  isSpan,
  type SpanAttributes,
} from '../src/assert';
import { InputError } from '../src/errors';
import { describeSelector, type SelectorInput } from '../src/query';
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

/** Matching spans diffed one by one before the rest are counted. */
const MAX_DIFFS = 3;

/**
 * A span matching `selector` carries `expected` attributes (on the span, else on its
 * resource); values compare with Jest's equality, so `expect.any(Number)` and
 * `expect.stringMatching(...)` work, and `undefined` asks for an absent attribute.
 * `.not`: no matching span carries them all. On a Span, leave the selector out.
 */
export function toHaveAttributes(
  this: MatcherContext,
  received: unknown,
  selectorOrExpected: SelectorInput | ExpectedAttributes,
  expectedArg?: ExpectedAttributes,
): MatcherResult {
  // A span is checked itself: one argument. On a trace the first selects the spans.
  const onSpan = isSpan(received) && expectedArg === undefined;
  const selector = onSpan ? undefined : (selectorOrExpected as SelectorInput);
  const expected = (onSpan ? selectorOrExpected : expectedArg) as ExpectedAttributes;
  const hintLine = () =>
    hint(this, 'toHaveAttributes', received, onSpan ? 'expected' : 'selector', {
      ...(selector !== undefined && expectedArg !== undefined
        ? { comment: describeSelector(selector), secondArgument: 'expected' }
        : {}),
    });
  const target = targetOf(this, hintLine, received, { spans: onSpan });
  const result = run(this, hintLine, () => {
    if (!onSpan && expectedArg === undefined) {
      throw new InputError(
        {},
        `on a trace, toHaveAttributes takes a selector, then the attributes: toHaveAttributes('{ name = "GET /users/:id" }', { 'http.route': '/users/:id' }); the attributes alone are for a Span`,
      );
    }
    return checkAttributes(target, selector, expected, { equals: equalsOf(this) });
  });
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  const where = onSpan ? 'the span' : 'a span matching the selector';
  return {
    pass: result.pass,
    message: () => {
      const shown = this.isNot ? result.having : result.compared;
      const received = this.isNot
        ? `${count(result.having.length, 'matching span')} ${result.having.length === 1 ? 'does' : 'do'}:`
        : onSpan
          ? 'the span differs:'
          : result.compared.length === 1
            ? 'the one matching span differs:'
            : `none of the ${result.compared.length} matching spans does:`;
      return sections(
        hintLine(),
        expectedReceived(
          this,
          `${where} ${this.isNot ? 'not ' : ''}to have these attributes`,
          received,
        ),
        ...shown.slice(0, MAX_DIFFS).map((s) => diffFor(this, s, result.expected, !onSpan)),
        shown.length > MAX_DIFFS && `… ${count(shown.length - MAX_DIFFS, 'more span')}`,
        !onSpan && treesSection(this, target.traces, isOneOf(result.compared)),
      );
    },
  };
}

/** The expected attributes against the span's values for the same keys, as Jest diffs objects. */
function diffFor(
  ctx: MatcherContext,
  s: SpanAttributes,
  expected: ExpectedAttributes,
  named: boolean,
): string {
  const body = ctx.isNot
    ? `${ctx.utils.printReceived(s.actual)}`
    : ctx.utils.printDiffOrStringify(
        expected,
        s.actual,
        'Expected',
        'Received',
        ctx.expand !== false,
      );
  return named ? `${spanName(s.span)}:\n${body}` : body;
}
