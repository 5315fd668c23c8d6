import type { MatcherContext } from 'expect';
import type * as JestSnapshot from 'jest-snapshot';
import { stableTreeText } from '../src/assert/tree';
import { hint, type MatcherResult, targetOf } from './utils';

/**
 * The trace's tree (names, services where they change, `✗ error`; no ids, no timings)
 * matches the snapshot Jest stores for this test, written on the first run and updated
 * with `jest -u`, like `toMatchSnapshot`. Several traces are stored one after another.
 */
export function toMatchTraceSnapshot(
  this: MatcherContext,
  received: unknown,
  hint_?: string,
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toMatchTraceSnapshot', received, hint_ === undefined ? '' : 'hint');
  if (hint_ !== undefined && typeof hint_ !== 'string') {
    throw new Error(
      this.utils.matcherErrorMessage(
        hintLine(),
        `${this.utils.EXPECTED_COLOR('hint')} must be a string`,
        this.utils.printWithType('Hint', hint_, this.utils.printExpected),
      ),
    );
  }
  const target = targetOf(this, hintLine, received);
  const text = stableTreeText(target.kind === 'trace' ? target.trace : target.traces);
  const { toMatchSnapshot } = jestSnapshot();
  // Jest's documented way to build a snapshot matcher: its own matcher, called with this
  // context (which carries the test's snapshot state). It counts its arguments, so a hint
  // is passed only when there is one.
  const context = this as unknown as JestSnapshot.Context;
  return (
    hint_ === undefined
      ? toMatchSnapshot.call(context, text)
      : toMatchSnapshot.call(context, text, hint_)
  ) as MatcherResult;
}

/**
 * `jest-snapshot` comes with Jest; it is loaded on first use so that importing the matchers
 * never fails, and a package manager that hides Jest's dependencies (pnpm) gets a message.
 */
function jestSnapshot(): typeof JestSnapshot {
  try {
    return require('jest-snapshot') as typeof JestSnapshot;
  } catch (cause) {
    throw new Error(
      'toMatchTraceSnapshot needs the jest-snapshot package, which comes with Jest but cannot be found from tracespec; add it to your devDependencies (same version as jest)',
      { cause },
    );
  }
}
