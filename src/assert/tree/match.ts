import type { Trace } from '../../model';
import { type Found, firstDifference } from './diagnose';
import { TreeMatcher } from './matcher';
import { parseTreeExpectation } from './parse';
import type { TreeExpectation, TreeMatchOptions, TreeMatchResult } from './types';

/**
 * Whether a trace (or any one of several) has the shape an expectation tree draws.
 *
 * - Partial by default: each span line matches its own span, a direct child of the span its
 *   parent line matched (any descendant under `...`); other spans are allowed. Top-level
 *   lines match roots of the trace (any span under a top-level `...`).
 * - `strict`: at every matched span, the actual children and the listed lines correspond one
 *   to one (so counts are exact and a leaf line means a span without children), except
 *   where a `...` line lets other spans in.
 * - `ordered`: sibling lines match spans that start in the listed order (equal start times
 *   pass either way, so spans started in the same microsecond do not flake). Lines under a
 *   `...` count as siblings of the lines beside that `...`.
 * - Sibling lines match separate branches: a span is never matched by two lines.
 *
 * With several traces, the first that matches passes; when none does, the result reports
 * the closest one (the first difference furthest into the expectation; the earlier trace
 * on a tie). Cost: see {@link TreeMatcher}.
 */
export function matchTraceTree(
  expectation: TreeExpectation | string,
  target: Trace | readonly Trace[],
  options: TreeMatchOptions = {},
): TreeMatchResult {
  const expected =
    typeof expectation === 'string' ? parseTreeExpectation(expectation) : expectation;
  const traces: readonly Trace[] = Array.isArray(target) ? target : [target as Trace];

  for (const trace of traces) {
    const matcher = new TreeMatcher(trace, options);
    const assigned = matcher.assign(expected.roots, undefined);
    if (assigned) {
      return {
        pass: true,
        trace,
        tried: traces.length,
        matches: matcher.collect(expected.roots, assigned),
        mismatch: undefined,
      };
    }
  }

  // Explaining is dearer than matching, so it runs only once every trace has failed.
  let closest: Found | undefined;
  for (const trace of traces) {
    const found = firstDifference(new TreeMatcher(trace, options), expected);
    if (!closest || found.progress > closest.progress) closest = found;
  }
  return {
    pass: false,
    trace: closest?.mismatch.trace,
    tried: traces.length,
    matches: [],
    mismatch: closest?.mismatch,
  };
}
