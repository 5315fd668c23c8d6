import type { MatcherContext } from 'expect';
import { type CriticalPath, timeOnPath } from '../src/analyze';
import { type CriticalPathResult, checkOnCriticalPath } from '../src/assert';
import { formatDuration, type Span } from '../src/model';
import { describeSelector, type SelectorInput } from '../src/query';
import { shortTraceId } from '../src/report';
import {
  count,
  equalsOf,
  expectedReceived,
  hint,
  isOneOf,
  label,
  type MatcherResult,
  noMatchError,
  run,
  sections,
  spanName,
  targetOf,
  treesSection,
} from './utils';

/**
 * A span matching `selector` is on the critical path of the trace (of every trace of a
 * list): part of what the request waited for, so that making it faster makes the request
 * faster (see `findCriticalPath`). A selector that matches nothing is an error.
 */
export function toHaveOnCriticalPath(
  this: MatcherContext,
  received: unknown,
  selector: SelectorInput,
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toHaveOnCriticalPath', received, 'selector', {
      comment: describeSelector(selector),
    });
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () =>
    checkOnCriticalPath(target, selector, { equals: equalsOf(this) }),
  );
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  const several = target.traces.length > 1;
  return {
    pass: result.pass,
    message: () => {
      const without = new Set(result.without);
      const shown = this.isNot ? result.paths.filter((p) => !without.has(p)) : result.without;
      return sections(
        hintLine(),
        expectedReceived(
          this,
          `${this.isNot ? 'no' : 'a'} span matching the selector on the critical path${several ? ` of ${this.isNot ? 'some' : 'every'} trace` : ''}`,
          receivedText(result, this.isNot === true, several),
        ),
        ...shown.slice(0, 2).map((p) =>
          pathSummary(
            p,
            several,
            result.matched.some((m) => m.trace === p.trace),
          ),
        ),
        treesSection(
          this,
          shown.map((p) => p.trace),
          isOneOf(result.matched),
          undefined,
          {
            mark: pathMarks(shown),
            keepOrder: true,
          },
        ),
      );
    },
  };
}

function receivedText(result: CriticalPathResult, isNot: boolean, several: boolean): string {
  if (several) {
    const traces = result.paths.length;
    return isNot
      ? `in all ${count(traces, 'trace')} a matching span is on it`
      : `in ${result.without.length} of ${count(traces, 'trace')} no matching span is on it`;
  }
  if (isNot) {
    const { span } = result.onPath[0] as (typeof result.onPath)[number];
    const path = result.paths[0] as CriticalPath;
    const ns = timeOnPath(path).get(span) ?? 0;
    return `${spanName(span)} is on it for ${formatDuration(ns)} of ${formatDuration(path.durationNs)}`;
  }
  const off = result.matched.length;
  return off === 1
    ? `${spanName((result.matched[0] as (typeof result.matched)[number]).span)} is not on it`
    : `none of the ${off} matching spans is on it`;
}

/** What the path runs through: the root, its length, and the spans with the most time on it. */
function pathSummary(path: CriticalPath, several: boolean, anyMatch: boolean): string {
  const times = [...timeOnPath(path)].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const share = (ns: number) =>
    path.durationNs > 0 ? ` (${Math.round((ns / path.durationNs) * 100)}%)` : '';
  const lines = [
    several
      ? `In trace ${shortTraceId(path.trace.traceId)}:${anyMatch ? '' : ' no span matches the selector'}`
      : '',
    `${label('Path')}${formatDuration(path.durationNs)} of ${spanName(path.root)}${path.rootChoice === 'last-to-end' ? ', the root that ended last (the trace has several)' : ''}, through ${count(path.spans.length, 'span')}`,
    `${label('Longest')}${times.map(([span, ns]) => `${spanName(span)} ${formatDuration(ns)}${share(ns)}`).join(', ')}`,
  ];
  return lines.filter((l) => l !== '').join('\n');
}

/**
 * `◀ critical path 280ms` after each span on a shown path: its own time on it. A span whose
 * children cover it (on the path only through them) is marked without a time.
 */
function pathMarks(paths: readonly CriticalPath[]): (span: Span) => string | undefined {
  const on = new Map<Span, number>();
  for (const path of paths) for (const [span, ns] of timeOnPath(path)) on.set(span, ns);
  for (const path of paths) for (const span of path.spans) if (!on.has(span)) on.set(span, 0);
  return (span) => {
    const ns = on.get(span);
    if (ns === undefined) return undefined;
    return ns > 0 ? `critical path ${formatDuration(ns)}` : 'critical path';
  };
}
