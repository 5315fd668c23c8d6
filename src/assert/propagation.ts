import { type ErrorOrigin, findErrorOrigin } from '../analyze';
import { InputError } from '../errors';
import type { Span, Trace } from '../model';
import { compileSelector, describeSelector, type SelectorInput } from '../query';
import { type CheckOptions, type NoMatch, noMatch } from './selection';
import { type AssertTarget, CheckTarget } from './target';

/** Where an error starts and how far up it must travel; `to` defaults to the root. */
export interface PropagationExpectation {
  readonly from: SelectorInput;
  readonly to?: SelectorInput;
}

export interface PropagationResult {
  /** `from` and every span up to and including `to` have ERROR status. */
  readonly pass: boolean;
  readonly from: string;
  /** The `to` selector, or undefined for "up to the root". */
  readonly to: string | undefined;
  readonly trace: Trace;
  /** The spans from `from` up to `to`, both included; empty when no `from` span has such an ancestor. */
  readonly path: readonly Span[];
  /** Spans on the path whose status is not ERROR, from the bottom: the first is where the error stopped. */
  readonly handledAt: readonly Span[];
  /** Where the trace's failure started (see `findErrorOrigin`), for the message; undefined when nothing failed. */
  readonly origin: ErrorOrigin | undefined;
  /** Set when `from` or `to` matched nothing. */
  readonly noMatch?: NoMatch;
}

/**
 * An error that started at a span `from` matches reached a span `to` matches: ERROR status
 * on `from`, on `to`, and on every span between, so that nothing on the way handled it.
 *
 * When `from` matches several spans, the one checked is, among those with an ancestor
 * matching `to`: the deepest on the error origin's chain (`findErrorOrigin`: where the
 * trace's failure started, and the spans it went up through), else the first (trace
 * order) with ERROR status, else the first. `to` is its nearest such ancestor. So
 * `{ from: '{ status = error }' }` checks the path of the failure that matters, not a
 * root that happens to come first. Only the status counts on the path: a span that
 * recorded an exception without setting ERROR reports the error as handled, which is
 * what a dashboard shows.
 */
export function checkErrorPropagation(
  target: AssertTarget,
  expectation: PropagationExpectation,
  options: CheckOptions = {},
): PropagationResult {
  if (typeof expectation !== 'object' || expectation === null || expectation.from === undefined) {
    throw new InputError(
      {},
      'toPropagateError needs { from, to? }: `from` selects where the error starts, `to` how far up it must reach (the root when left out)',
    );
  }
  const t = CheckTarget.of(target, { singleTrace: true });
  const trace = t.trace;
  const from = compileSelector(expectation.from, { equals: options.equals });
  const to =
    expectation.to === undefined
      ? undefined
      : compileSelector(expectation.to, { equals: options.equals });
  const base = {
    from: describeSelector(expectation.from),
    to: expectation.to === undefined ? undefined : describeSelector(expectation.to),
    trace,
  };
  const froms = from.select(trace);
  if (froms.length === 0) {
    return fail(base, noMatch(t, expectation.from, base.from, 'from'));
  }
  if (to && expectation.to !== undefined && to.select(trace).length === 0) {
    return fail(base, noMatch(t, expectation.to, base.to as string, 'to'));
  }

  const origin = findErrorOrigin(trace);
  // Position on the origin's chain, 0 for the origin itself: lower is deeper.
  const chainRank = new Map(origin?.chain.map((s, i) => [s, i]));
  let path: Span[] = [];
  let pathRank = Number.POSITIVE_INFINITY;
  let pathFailed = false;
  for (const span of froms) {
    const rank = chainRank.get(span) ?? Number.POSITIVE_INFINITY;
    const better =
      path.length === 0 || rank < pathRank || (rank === pathRank && span.isError && !pathFailed);
    if (!better) continue;
    const candidate = pathUp(trace, span, to ? (s) => to.matches(s, trace) : undefined);
    if (candidate.length === 0) continue;
    path = candidate;
    pathRank = rank;
    pathFailed = span.isError;
  }
  const handledAt = path.filter((s) => !s.isError);
  return {
    ...base,
    pass: path.length > 0 && handledAt.length === 0,
    path,
    handledAt,
    origin,
  };
}

/** `span` and its ancestors up to the nearest one `isTop` accepts (the root without one); empty when none does. */
function pathUp(trace: Trace, span: Span, isTop: ((s: Span) => boolean) | undefined): Span[] {
  const path = [span];
  for (const ancestor of trace.ancestorsOf(span)) {
    path.push(ancestor);
    if (isTop?.(ancestor)) return path;
  }
  return isTop ? [] : path;
}

function fail(
  base: { from: string; to: string | undefined; trace: Trace },
  missing: NoMatch,
): PropagationResult {
  return { ...base, pass: false, path: [], handledAt: [], origin: undefined, noMatch: missing };
}
