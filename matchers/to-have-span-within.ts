import type { MatcherContext } from 'expect';
import { type Budget, checkSpanDurations } from '../src/assert';
import { formatDuration } from '../src/model';
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
  spanList,
  targetOf,
  treesSection,
} from './utils';

/**
 * Every span matching `selector` took at most `budget` (`'300ms'`, `'1.5s'` or a number
 * of milliseconds). A selector that matches nothing is an error, with or without `.not`.
 */
export function toHaveSpanWithin(
  this: MatcherContext,
  received: unknown,
  selector: SelectorInput,
  budget: Budget,
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toHaveSpanWithin', received, 'selector', {
      comment: describeSelector(selector),
      secondArgument: 'budget',
    });
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () =>
    checkSpanDurations(target, selector, budget, { equals: equalsOf(this) }),
  );
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  const limit = formatDuration(result.budgetNs);
  const total = result.matched.length;
  return {
    pass: result.pass,
    message: () =>
      this.isNot
        ? sections(
            hintLine(),
            expectedReceived(
              this,
              `some matching span to take longer than ${limit}`,
              `${total === 1 ? 'the matching span' : `all ${total} matching spans`} took at most ${limit}; the slowest ${formatDuration(result.slowest?.span.durationNs ?? 0)}`,
            ),
            treesSection(this, target.traces, isOneOf(result.matched)),
          )
        : sections(
            hintLine(),
            expectedReceived(
              this,
              `every matching span within ${limit}`,
              `${count(result.over.length, 'span')} of ${total} took longer:`,
              spanList(
                this,
                result.over.map((o) => o.span),
              ),
            ),
            treesSection(this, target.traces, isOneOf(result.over)),
          ),
  };
}
