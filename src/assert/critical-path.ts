import { type CriticalPath, findCriticalPath } from '../analyze';
import { compileSelector, describeSelector, type SelectorInput } from '../query';
import { type CheckOptions, type NoMatch, noMatch, type SpanRef } from './selection';
import { type AssertTarget, CheckTarget } from './target';

export interface CriticalPathResult {
  /** Something matched, and in every trace a matching span is on the critical path. */
  readonly pass: boolean;
  readonly selector: string;
  /** Each trace's critical path, in the order the traces were given. */
  readonly paths: readonly CriticalPath[];
  /** The paths with no matching span on them: the traces that fail. */
  readonly without: readonly CriticalPath[];
  /** The matching spans, each with its trace. */
  readonly matched: readonly SpanRef[];
  /** The matching spans that are on their trace's critical path. */
  readonly onPath: readonly SpanRef[];
  /** Set when the selector matched nothing. */
  readonly noMatch?: NoMatch;
}

/**
 * A span `selector` matches is on the critical path of every trace (see
 * {@link findCriticalPath}): it is part of what the request waited for, so making it
 * faster makes the request faster. A trace in which no span matches fails, and so does a
 * selector that matches nothing anywhere.
 */
export function checkOnCriticalPath(
  target: AssertTarget,
  selector: SelectorInput,
  options: CheckOptions = {},
): CriticalPathResult {
  const t = CheckTarget.of(target);
  const description = describeSelector(selector);
  const compiled = compileSelector(selector, { equals: options.equals });
  const paths: CriticalPath[] = [];
  const without: CriticalPath[] = [];
  const matched: SpanRef[] = [];
  const onPath: SpanRef[] = [];
  for (const trace of t.traces) {
    const path = findCriticalPath(trace);
    paths.push(path);
    const on = new Set(path.spans);
    let found = false;
    for (const span of compiled.select(trace)) {
      matched.push({ span, trace });
      if (!on.has(span)) continue;
      onPath.push({ span, trace });
      found = true;
    }
    if (!found) without.push(path);
  }
  return {
    pass: matched.length > 0 && without.length === 0,
    selector: description,
    paths,
    without,
    matched,
    onPath,
    ...(matched.length === 0 ? { noMatch: noMatch(t, selector, description) } : {}),
  };
}
