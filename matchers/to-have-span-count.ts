import type { MatcherContext } from 'expect';
import { type CountExpectation, checkSpanCount, describeCountRange } from '../src/assert';
import { describeSelector, type SelectorInput } from '../src/query';
import {
  candidatesSection,
  count,
  equalsOf,
  expectedReceived,
  hint,
  isOneOf,
  type MatcherResult,
  run,
  sections,
  spanList,
  targetOf,
  treesSection,
} from './utils';

/**
 * The number of spans matching `selector` is `expected`, or within `{ min, max }`: the
 * check that catches N+1 queries. Over a list of traces the count is the total.
 */
export function toHaveSpanCount(
  this: MatcherContext,
  received: unknown,
  selector: SelectorInput,
  expected: CountExpectation,
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toHaveSpanCount', received, 'selector', {
      comment: describeSelector(selector),
      secondArgument: 'expected',
    });
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () =>
    checkSpanCount(target, selector, expected, { equals: equalsOf(this) }),
  );
  const spans = result.matched.map((m) => m.span);
  const perTrace =
    target.traces.length > 1 && result.count > 0 ? `Per trace: ${result.perTrace.join(', ')}` : '';
  return {
    pass: result.pass,
    message: () =>
      sections(
        hintLine(),
        expectedReceived(
          this,
          `${this.isNot ? 'not ' : ''}${describeCountRange(result.expected)}`,
          `${count(result.count, 'span')}${result.count > 0 ? ':' : ''}`,
          result.count > 0 ? spanList(this, spans) : '',
        ),
        perTrace,
        candidatesSection(this, result.candidates),
        treesSection(this, target.traces, isOneOf(spans)),
      ),
  };
}
