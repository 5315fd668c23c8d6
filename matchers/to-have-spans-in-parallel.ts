import type { MatcherContext } from 'expect';
import { checkParallel } from '../src/assert';
import { formatDuration, type Span } from '../src/model';
import { describeSelector, type SelectorInput } from '../src/query';
import {
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
  timeline,
  treesSection,
} from './utils';

/**
 * The spans ran at the same time: their time ranges share a moment (each selector stands
 * for its earliest-starting match not already taken, as in `toHaveSpansInOrder`).
 */
export function toHaveSpansInParallel(
  this: MatcherContext,
  received: unknown,
  selectors: readonly SelectorInput[],
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toHaveSpansInParallel', received, 'selectors', {
      comment: Array.isArray(selectors)
        ? selectors.map((s) => describeSelector(s)).join(' ∥ ')
        : '',
    });
  const target = targetOf(this, hintLine, received, { singleTrace: true });
  const result = run(this, hintLine, () =>
    checkParallel(target, selectors, { equals: equalsOf(this) }),
  );
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  return {
    pass: result.pass,
    message: () => {
      const endedFirst = result.endedFirst as Span;
      const startedLast = result.startedLast as Span;
      const received = this.isNot
        ? `all of them ran at once for ${formatDuration(result.overlapNs)}`
        : result.overlapNs === 0
          ? `${spanName(endedFirst)} ended just as ${spanName(startedLast)} started`
          : `${spanName(endedFirst)} ended ${formatDuration(-result.overlapNs)} before ${spanName(startedLast)} started`;
      return sections(
        hintLine(),
        expectedReceived(
          this,
          this.isNot ? 'the spans not to share a moment' : 'the spans to overlap in time',
          received,
        ),
        timeline(result.picked),
        treesSection(this, target.traces, isOneOf(result.picked)),
      );
    },
  };
}
