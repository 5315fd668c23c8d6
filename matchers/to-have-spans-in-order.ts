import type { MatcherContext } from 'expect';
import { checkOrder } from '../src/assert';
import { formatDuration } from '../src/model';
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
 * The spans ran one after another in the given order: each ended before the next one
 * started. Each selector stands for its earliest-starting match that an earlier selector
 * did not already take.
 */
export function toHaveSpansInOrder(
  this: MatcherContext,
  received: unknown,
  selectors: readonly SelectorInput[],
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toHaveSpansInOrder', received, 'selectors', {
      comment: Array.isArray(selectors)
        ? selectors.map((s) => describeSelector(s)).join(' then ')
        : '',
    });
  const target = targetOf(this, hintLine, received, { singleTrace: true });
  const result = run(this, hintLine, () =>
    checkOrder(target, selectors, { equals: equalsOf(this) }),
  );
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  return {
    pass: result.pass,
    message: () => {
      const first = result.violations[0];
      const received = this.isNot
        ? 'each ended before the next started'
        : first
          ? `${spanName(first.later)} started ${formatDuration(first.overlapNs)} before ${spanName(first.earlier)} ended`
          : '';
      return sections(
        hintLine(),
        expectedReceived(
          this,
          this.isNot
            ? 'some span to start before the previous one ended'
            : 'each span to end before the next one starts',
          received,
        ),
        timeline(
          result.picked,
          result.picked.map((_, i) =>
            result.violations.some((v) => v.index + 1 === i)
              ? '✗ started before the previous one ended'
              : '',
          ),
        ),
        treesSection(this, target.traces, isOneOf(result.picked)),
      );
    },
  };
}
