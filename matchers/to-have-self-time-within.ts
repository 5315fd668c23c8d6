import type { MatcherContext } from 'expect';
import { selfTimes } from '../src/analyze';
import {
  type Budget,
  checkSelfTime,
  type SelfTimeEntry,
  type SelfTimeOptions,
} from '../src/assert';
import { formatDuration, type Span, type Trace } from '../src/model';
import { describeSelector } from '../src/query';
import { printable, shortTraceId } from '../src/report';
import {
  count,
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
  treesSection,
} from './utils';

/** Entries over budget listed one per line before the rest are counted. */
const MAX_LISTED = 10;

/**
 * No service spends more than `budget` of its own time in a trace (`{ by: 'service' }`, the
 * default), or no span does (`{ by: 'span' }`); `select` limits which spans count. Self
 * time is a span's duration minus what its children cover, so waiting on a slow
 * dependency is charged to the dependency, not the caller.
 */
export function toHaveSelfTimeWithin(
  this: MatcherContext,
  received: unknown,
  budget: Budget,
  options: Omit<SelfTimeOptions, 'equals'> = {},
): MatcherResult {
  const by = options.by ?? 'service';
  const comment = `by ${by}${options.select === undefined ? '' : `, ${describeSelector(options.select)}`}`;
  const hintLine = () =>
    hint(this, 'toHaveSelfTimeWithin', received, 'budget', {
      comment,
      ...(options.by !== undefined || options.select !== undefined
        ? { secondArgument: 'options' }
        : {}),
    });
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () =>
    checkSelfTime(target, budget, { ...options, equals: equalsOf(this) }),
  );
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  const subject = result.by === 'service' ? 'service' : 'span';
  const limit = formatDuration(result.budgetNs);
  return {
    pass: result.pass,
    message: () => {
      if (this.isNot) {
        const largest = result.largest as SelfTimeEntry;
        return sections(
          hintLine(),
          expectedReceived(
            this,
            `some ${subject} to spend more than ${limit} of its own time${result.by === 'service' ? ' in a trace' : ''}`,
            `the most was ${formatDuration(largest.selfNs)}, by ${entryName(largest, target.traces.length > 1)}`,
          ),
          trees(this, [largest]),
        );
      }
      const shown = result.over.slice(0, MAX_LISTED);
      const times = shown.map((e) => formatDuration(e.selfNs));
      const width = Math.max(...times.map((t) => t.length));
      const listed = shown.map(
        (e, i) =>
          `  ${(times[i] as string).padStart(width)}  ${entryName(e, target.traces.length > 1)}`,
      );
      if (result.over.length > MAX_LISTED) {
        listed.push(`  … and ${result.over.length - MAX_LISTED} more`);
      }
      return sections(
        hintLine(),
        expectedReceived(
          this,
          `no ${subject} to spend more than ${limit} of its own time${result.by === 'service' ? ' in a trace' : ''}`,
          `${count(result.over.length, subject)} of ${result.measured} did (own time: duration minus what children cover):`,
          listed.join('\n'),
        ),
        trees(this, result.over),
      );
    },
  };
}

/** `[payment] in trace 0af76519 (3 spans)` or `"charge" [payment]`. */
function entryName(entry: SelfTimeEntry, several: boolean): string {
  const where = several ? ` in trace ${shortTraceId(entry.trace.traceId)}` : '';
  if (entry.span) return `${spanName(entry.span)}${where}`;
  return `[${printable(entry.service)}]${where} (${count(entry.spans.length, 'span')})`;
}

/** The traces of `entries`, their spans marked with their self time. */
function trees(ctx: MatcherContext, entries: readonly SelfTimeEntry[]): string {
  const traceOf = new Map<Span, Trace>();
  const traces = new Set<Trace>();
  for (const e of entries) {
    traces.add(e.trace);
    for (const span of e.spans) traceOf.set(span, e.trace);
  }
  // Only the traces the section prints are ever asked about: compute their self times then.
  const self = new Map<Trace, Float64Array>();
  const mark = (span: Span): string | undefined => {
    const trace = traceOf.get(span);
    if (!trace) return undefined;
    let times = self.get(trace);
    if (!times) {
      times = selfTimes(trace);
      self.set(trace, times);
    }
    return `self ${formatDuration(times[span.index] as number)}`;
  };
  return treesSection(ctx, [...traces], isOneOf([]), undefined, { mark, keepOrder: true });
}
