import type { MatcherContext } from 'expect';
import { checkSpanExists } from '../src/assert';
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
  searchedText,
  sections,
  spanList,
  targetOf,
  treesSection,
} from './utils';

/** Some span of the trace(s) matches `selector`. */
export function toHaveSpan(
  this: MatcherContext,
  received: unknown,
  selector: SelectorInput,
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toHaveSpan', received, 'selector', { comment: describeSelector(selector) });
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () =>
    checkSpanExists(target, selector, { equals: equalsOf(this) }),
  );
  const spans = result.matched.map((m) => m.span);
  return {
    pass: result.pass,
    message: () =>
      this.isNot
        ? sections(
            hintLine(),
            expectedReceived(
              this,
              'no span to match the selector',
              `${count(spans.length, 'span')} matched:`,
              spanList(this, spans),
            ),
            treesSection(this, target.traces, isOneOf(spans)),
          )
        : sections(
            hintLine(),
            expectedReceived(
              this,
              'a span to match the selector',
              `none of ${searchedText(result.searched, target.traces.length)} matched`,
            ),
            candidatesSection(this, result.candidates),
            treesSection(this, target.traces, () => false),
          ),
  };
}
