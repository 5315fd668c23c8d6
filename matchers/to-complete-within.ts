import type { MatcherContext } from 'expect';
import { type Budget, type CompletionResult, checkCompletion, type Measured } from '../src/assert';
import { formatDuration } from '../src/model';
import { shortTraceId } from '../src/report';
import {
  count,
  expectedReceived,
  hint,
  label,
  type MatcherResult,
  run,
  sections,
  spanName,
  targetOf,
  treesSection,
} from './utils';

/** Slow traces listed one per line before the rest are counted. */
const MAX_LISTED_TRACES = 10;

/**
 * A trace took at most `budget` from its first span's start to its last span's end (every
 * trace of a list did), or a span did. `budget`: `'300ms'`, `'1.5s'` or milliseconds.
 */
export function toCompleteWithin(
  this: MatcherContext,
  received: unknown,
  budget: Budget,
): MatcherResult {
  const hintLine = () => hint(this, 'toCompleteWithin', received, 'budget');
  const target = targetOf(this, hintLine, received, { spans: true });
  const result = run(this, hintLine, () => checkCompletion(target, budget));
  return {
    pass: result.pass,
    message: () =>
      this.isNot ? notMessage(this, hintLine(), result) : failMessage(this, hintLine(), result),
  };
}

function failMessage(ctx: MatcherContext, hintLine: string, result: CompletionResult): string {
  const limit = formatDuration(result.budgetNs);
  const slowest = result.over[0] as Measured;
  const over = (m: Measured) =>
    `${formatDuration(m.durationNs)} (${formatDuration(m.durationNs - result.budgetNs)} over)`;
  if (result.measured.length === 1) {
    return sections(
      hintLine,
      `${label('Subject')}${subject(slowest)}`,
      expectedReceived(ctx, `at most ${limit}`, over(slowest)),
      // A span's own tree is the span alone: nothing to add.
      !slowest.span && treesSection(ctx, [slowest.trace], () => false),
    );
  }
  const listed = result.over.slice(0, MAX_LISTED_TRACES).map((m) => `  ${over(m)}  ${subject(m)}`);
  if (result.over.length > MAX_LISTED_TRACES) {
    listed.push(`  … ${count(result.over.length - MAX_LISTED_TRACES, 'more trace')}`);
  }
  return sections(
    hintLine,
    expectedReceived(
      ctx,
      `every trace within ${limit}`,
      `${count(result.over.length, 'trace')} of ${result.measured.length} took longer:`,
      listed.join('\n'),
    ),
    treesSection(ctx, [slowest.trace], () => false, 'The slowest trace:'),
  );
}

function notMessage(ctx: MatcherContext, hintLine: string, result: CompletionResult): string {
  const limit = formatDuration(result.budgetNs);
  let longest = result.measured[0] as Measured;
  for (const m of result.measured) if (m.durationNs > longest.durationNs) longest = m;
  if (result.measured.length === 1) {
    return sections(
      hintLine,
      `${label('Subject')}${subject(longest)}`,
      expectedReceived(ctx, `longer than ${limit}`, formatDuration(longest.durationNs)),
    );
  }
  return sections(
    hintLine,
    expectedReceived(
      ctx,
      `some trace to take longer than ${limit}`,
      `all ${result.measured.length} took at most ${limit}; the longest took ${formatDuration(longest.durationNs)}`,
    ),
    `${label('Longest')}${subject(longest)}`,
  );
}

/** `trace 0af76519 "POST /api/checkout" [api-gateway]` or `span "charge" [payments]`. */
function subject(m: Measured): string {
  if (m.span) return `span ${spanName(m.span)}`;
  const root = m.trace.root;
  return `trace ${shortTraceId(m.trace.traceId)}${root ? ` ${spanName(root)}` : ''}`;
}
