import type { MatcherContext } from 'expect';
import { describeFailure, findErrorOrigin } from '../src/analyze';
import { checkNoErrors, type NoErrorsOptions } from '../src/assert';
import {
  count,
  expectedReceived,
  hint,
  isOneOf,
  label,
  type MatcherResult,
  run,
  searchedText,
  sections,
  spanName,
  targetOf,
  treesSection,
} from './utils';

/** Failed spans listed one per line before the rest are counted. */
const MAX_LISTED_FAILURES = 10;

/**
 * No span failed: none has ERROR status, and none recorded an exception while leaving its
 * status unset (unless `{ ignoreRecordedExceptions: true }`).
 */
export function toHaveNoErrors(
  this: MatcherContext,
  received: unknown,
  options: NoErrorsOptions = {},
): MatcherResult {
  const hintLine = () => hint(this, 'toHaveNoErrors', received, '');
  const target = targetOf(this, hintLine, received, { spans: true });
  const result = run(this, hintLine, () => checkNoErrors(target, options));
  return {
    pass: result.pass,
    message: () => {
      if (this.isNot) {
        return sections(
          hintLine(),
          expectedReceived(
            this,
            'some span to fail',
            `none of ${searchedText(result.searched, target.traces.length)} failed`,
          ),
        );
      }
      const listed = result.failures
        .slice(0, MAX_LISTED_FAILURES)
        .map((f) => `  ${spanName(f.span)}: ${describeFailure(f.span, f.signal)}`);
      if (result.failures.length > MAX_LISTED_FAILURES) {
        listed.push(
          `  … ${count(result.failures.length - MAX_LISTED_FAILURES, 'more failed span')}`,
        );
      }
      const first = result.failures[0];
      const origin = first && target.kind !== 'span' ? findErrorOrigin(first.trace) : undefined;
      return sections(
        hintLine(),
        expectedReceived(
          this,
          'no failed span',
          `${count(result.failures.length, 'failed span')}:`,
          listed.join('\n'),
        ),
        origin && `${label('Origin')}${spanName(origin.origin)}: where the failure started`,
        target.kind !== 'span' &&
          treesSection(
            this,
            target.traces.filter((t) => result.failures.some((f) => f.trace === t)),
            isOneOf(result.failures),
          ),
      );
    },
  };
}
