import type { MatcherContext } from 'expect';
import type { RepeatedCallGroup } from '../src/analyze';
import { checkNoRepeatedSerialCalls, type NoRepeatedCallsOptions } from '../src/assert';
import { formatDuration, type Span, type Trace } from '../src/model';
import { describeSelector } from '../src/query';
import { formatTraceHeader, formatTraceTree, printable, shortTraceId } from '../src/report';
import {
  count,
  equalsOf,
  expectedReceived,
  hint,
  MAX_TREE_SPANS,
  MAX_TREES,
  type MatcherResult,
  noMatchError,
  run,
  searchedText,
  sections,
  spanName,
  targetOf,
  useColor,
} from './utils';

/** Groups listed before the rest are counted. */
const MAX_LISTED_GROUPS = 10;

/**
 * No operation is called `minCount` (default 5) or more times under one parent, each call
 * waiting for the one before: the N+1 pattern. A concurrent fan-out of the same calls passes.
 */
export function toHaveNoRepeatedSerialCalls(
  this: MatcherContext,
  received: unknown,
  options: NoRepeatedCallsOptions = {},
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toHaveNoRepeatedSerialCalls', received, optionsGiven(options) ? 'options' : '', {
      comment: describeOptions(options),
    });
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () =>
    checkNoRepeatedSerialCalls(target, { ...options, equals: equalsOf(this) }),
  );
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  const several = target.traces.length > 1;
  return {
    pass: result.pass,
    message: () => {
      const what = `operation called ${result.minCount} or more times in a row under one parent`;
      if (this.isNot) {
        return sections(
          hintLine(),
          expectedReceived(
            this,
            `some ${what}`,
            result.concurrent.length > 0
              ? `only concurrent ones (${count(result.concurrent.length, 'group')}):`
              : `none among ${searchedText(result.searched, target.traces.length)}`,
            groupList(result.concurrent, several, concurrentFacts),
          ),
          result.concurrent.length > 0 && treesOf(this, target.traces, result.concurrent),
        );
      }
      return sections(
        hintLine(),
        expectedReceived(
          this,
          `no ${what}`,
          `${count(result.groups.length, 'group')} of serial calls:`,
          groupList(result.groups, several, serialFacts),
        ),
        'Batch the calls or run them concurrently; if a loop is serial on purpose, leave it out with { ignore: selector }.',
        treesOf(this, target.traces, result.groups),
      );
    },
  };
}

/** `in 194ms wall, 192ms summed, 0 overlapping`: sum ≈ wall is what makes them serial. */
function serialFacts(group: RepeatedCallGroup): string {
  return `in ${formatDuration(group.wallNs)} wall, ${formatDuration(group.sumNs)} summed, ${group.overlappingPairs} overlapping`;
}

function concurrentFacts(group: RepeatedCallGroup): string {
  return `ran ${+group.concurrency.toFixed(1)} at a time: ${formatDuration(group.sumNs)} summed in ${formatDuration(group.busyNs)} busy, ${group.overlappingPairs} overlapping`;
}

/** One line per group: `under "parent" [svc]: 13 × "GetDriver" [redis] in ...`, by trace. */
function groupList(
  groups: readonly RepeatedCallGroup[],
  several: boolean,
  facts: (group: RepeatedCallGroup) => string,
): string {
  const lines: string[] = [];
  let trace: Trace | undefined;
  for (const group of groups.slice(0, MAX_LISTED_GROUPS)) {
    if (several && group.trace !== trace)
      lines.push(`  In trace ${shortTraceId(group.trace.traceId)}:`);
    trace = group.trace;
    lines.push(`  under ${spanName(group.parent)}: ${calls(group)} ${facts(group)}`);
  }
  if (groups.length > MAX_LISTED_GROUPS) {
    lines.push(`  … and ${count(groups.length - MAX_LISTED_GROUPS, 'more group')}`);
  }
  return lines.join('\n');
}

/** `13 × "GetDriver" [redis-manual]`, with the server when that is part of the operation. */
function calls(group: RepeatedCallGroup): string {
  const named = `${group.count} × "${printable(group.name)}" [${printable(group.service)}]`;
  if (group.operation === group.name) return named;
  const rest = group.operation.startsWith(group.name)
    ? group.operation.slice(group.name.length)
    : ` (${group.operation})`;
  return `${named}${printable(rest)}`;
}

/** The traces with groups, each group's calls marked `◀ serial 3/13`. */
function treesOf(
  ctx: MatcherContext,
  traces: readonly Trace[],
  groups: readonly RepeatedCallGroup[],
): string {
  const marks = new Map<Span, string>();
  for (const group of groups) {
    const word = group.serial ? 'serial' : 'concurrent';
    group.spans.forEach((span, i) => {
      marks.set(span, `${word} ${i + 1}/${group.count}`);
    });
  }
  const withGroups = traces.filter((trace) => groups.some((g) => g.trace === trace));
  const color = useColor(ctx);
  const shown = withGroups.slice(0, MAX_TREES).map((trace) => {
    const tree = formatTraceTree(trace, {
      color,
      mark: (span) => marks.get(span),
      maxSpans: MAX_TREE_SPANS,
    });
    return traces.length > 1 ? `${formatTraceHeader(trace, { color })}\n${tree}` : tree;
  });
  const rest = withGroups.length - shown.length;
  if (rest > 0) shown.push(`… and ${count(rest, 'more trace')}`);
  return `${shown.length > 1 ? 'Traces' : 'Trace'}:\n${shown.join('\n\n')}`;
}

function optionsGiven(options: unknown): boolean {
  return typeof options === 'object' && options !== null && Object.keys(options).length > 0;
}

/** The hint's comment: `minCount 3, select { type = database }`. */
function describeOptions(options: NoRepeatedCallsOptions): string {
  if (typeof options !== 'object' || options === null) return '';
  const parts: string[] = [];
  if (options.minCount !== undefined) parts.push(`minCount ${String(options.minCount)}`);
  if (options.select !== undefined) parts.push(`select ${describeSelector(options.select)}`);
  if (options.ignore !== undefined) parts.push(`ignore ${describeSelector(options.ignore)}`);
  return parts.join(', ');
}
