import { selfTimes } from '../analyze';
import { InputError } from '../errors';
import type { Span, Trace } from '../model';
import { compileSelector, describeSelector, type SelectorInput } from '../query';
import { type Budget, parseBudget } from './budget';
import { type CheckOptions, type NoMatch, noMatch } from './selection';
import { type AssertTarget, CheckTarget } from './target';

/** What a self-time budget applies to. */
export type SelfTimeSubject = 'service' | 'span';

export interface SelfTimeOptions extends CheckOptions {
  /**
   * `service` (the default): the self time of each service in each trace, its spans' self
   * times added up. `span`: the self time of each span.
   */
  readonly by?: SelfTimeSubject;
  /** Only the spans this selects count; a selector that selects nothing fails the check. */
  readonly select?: SelectorInput;
}

/** A service's self time in one trace, or one span's. */
export interface SelfTimeEntry {
  readonly trace: Trace;
  readonly service: string;
  /** The span, when measured by span; undefined for a service's total. */
  readonly span: Span | undefined;
  readonly selfNs: number;
  /** The spans whose self times were added up, in trace order: the span itself, or the service's. */
  readonly spans: readonly Span[];
}

export interface SelfTimeResult {
  /** Something was measured, and nothing measured exceeds the budget. */
  readonly pass: boolean;
  readonly by: SelfTimeSubject;
  readonly budgetNs: number;
  /** The `select` option as a message shows it; undefined when every span counts. */
  readonly selector: string | undefined;
  /** How many services-in-a-trace, or spans, were measured. */
  readonly measured: number;
  /** Entries over the budget, largest self time first. */
  readonly over: readonly SelfTimeEntry[];
  /** The entry with the largest self time. */
  readonly largest: SelfTimeEntry | undefined;
  /** Set when `select` matched nothing. */
  readonly noMatch?: NoMatch;
}

/**
 * No service spends more than `budget` in its own code in any trace (`by: 'service'`), or
 * no single span does (`by: 'span'`). Self time is a span's duration minus what its
 * children cover (see `selfTimes`), so a gateway waiting on slow downstream calls is not
 * blamed for them: the budget finds where the time is actually spent.
 */
export function checkSelfTime(
  target: AssertTarget,
  budget: Budget,
  options: SelfTimeOptions = {},
): SelfTimeResult {
  const budgetNs = parseBudget(budget);
  const by = options.by ?? 'service';
  if (by !== 'service' && by !== 'span') {
    throw new InputError(
      {},
      `self time is measured by 'service' or by 'span', not ${JSON.stringify(by)}`,
    );
  }
  const t = CheckTarget.of(target);
  const select = options.select;
  const compiled =
    select === undefined ? undefined : compileSelector(select, { equals: options.equals });
  const entries: SelfTimeEntry[] = [];
  for (const trace of t.traces) {
    const self = selfTimes(trace);
    const counted = compiled ? compiled.select(trace) : trace.spans;
    if (by === 'span') {
      for (const span of counted) {
        const selfNs = self[span.index] as number;
        entries.push({ trace, service: span.service, span, selfNs, spans: [span] });
      }
      continue;
    }
    const services = new Map<string, { selfNs: number; spans: Span[] }>();
    for (const span of counted) {
      const entry = services.get(span.service);
      const selfNs = self[span.index] as number;
      if (entry) {
        entry.selfNs += selfNs;
        entry.spans.push(span);
      } else services.set(span.service, { selfNs, spans: [span] });
    }
    for (const [service, { selfNs, spans }] of services) {
      entries.push({ trace, service, span: undefined, selfNs, spans });
    }
  }
  const over = entries.filter((e) => e.selfNs > budgetNs).sort((a, b) => b.selfNs - a.selfNs);
  let largest: SelfTimeEntry | undefined;
  for (const e of entries) if (!largest || e.selfNs > largest.selfNs) largest = e;
  const description = select === undefined ? undefined : describeSelector(select);
  return {
    pass: entries.length > 0 && over.length === 0,
    by,
    budgetNs,
    selector: description,
    measured: entries.length,
    over,
    largest,
    ...(select !== undefined && entries.length === 0
      ? { noMatch: noMatch(t, select, description as string) }
      : {}),
  };
}
