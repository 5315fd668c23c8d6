import type { Span, Trace } from '../model';
import { describeSelector, type SelectorInput } from '../query';
import { type Budget, parseBudget } from './budget';
import { type CheckOptions, type NoMatch, noMatch, type SpanRef, selectIn } from './selection';
import { type AssertTarget, CheckTarget } from './target';

export interface SpanDurationsResult {
  /** Every matching span took at most the budget, and at least one span matched. */
  readonly pass: boolean;
  readonly selector: string;
  readonly budgetNs: number;
  readonly matched: readonly SpanRef[];
  /** Matching spans over budget, slowest first. */
  readonly over: readonly SpanRef[];
  /** The slowest matching span. */
  readonly slowest: SpanRef | undefined;
  /** Set when the selector matched nothing: there was nothing to time. */
  readonly noMatch?: NoMatch;
}

/**
 * Every span `selector` matches took at most `budget`. A selector that matches nothing
 * fails (with `noMatch`): "all of none were fast" is how a renamed span hides a regression.
 */
export function checkSpanDurations(
  target: AssertTarget,
  selector: SelectorInput,
  budget: Budget,
  options: CheckOptions = {},
): SpanDurationsResult {
  const budgetNs = parseBudget(budget);
  const t = CheckTarget.of(target);
  const description = describeSelector(selector);
  const matched = selectIn(t, selector, options);
  const over = matched.filter((m) => m.span.durationNs > budgetNs).sort(slowestFirst);
  let slowest: SpanRef | undefined;
  for (const m of matched) if (!slowest || m.span.durationNs > slowest.span.durationNs) slowest = m;
  return {
    pass: matched.length > 0 && over.length === 0,
    selector: description,
    budgetNs,
    matched,
    over,
    slowest,
    ...(matched.length === 0 ? { noMatch: noMatch(t, selector, description) } : {}),
  };
}

/** One measured subject of {@link checkCompletion}: a whole trace, or the span received. */
export interface Measured {
  readonly trace: Trace;
  /** The span, when a span was received; otherwise the trace was measured. */
  readonly span: Span | undefined;
  readonly durationNs: number;
}

export interface CompletionResult {
  /** Every trace (or the span) took at most the budget. */
  readonly pass: boolean;
  readonly subject: 'trace' | 'span';
  readonly budgetNs: number;
  /** One entry per trace, or one for the span. */
  readonly measured: readonly Measured[];
  /** Entries over budget, slowest first. */
  readonly over: readonly Measured[];
}

/**
 * A trace took at most `budget` from its first span's start to its last span's end (every
 * trace of a list did), or a span did.
 */
export function checkCompletion(target: AssertTarget, budget: Budget): CompletionResult {
  const budgetNs = parseBudget(budget);
  const t = CheckTarget.of(target, { spans: true });
  const span = t.span;
  const measured: Measured[] = span
    ? [{ trace: t.trace, span, durationNs: span.durationNs }]
    : t.traces.map((trace) => ({ trace, span: undefined, durationNs: trace.durationNs }));
  return {
    pass: measured.every((m) => m.durationNs <= budgetNs),
    subject: span ? 'span' : 'trace',
    budgetNs,
    measured,
    over: measured
      .filter((m) => m.durationNs > budgetNs)
      .sort((a, b) => b.durationNs - a.durationNs),
  };
}

function slowestFirst(a: SpanRef, b: SpanRef): number {
  return b.span.durationNs - a.span.durationNs;
}
