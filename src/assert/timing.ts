import { InputError } from '../errors';
import type { Span } from '../model';
import { describeSelector, type SelectorInput } from '../query';
import { type CheckOptions, type NoMatch, noMatch, type SpanRef, selectIn } from './selection';
import { type AssertTarget, CheckTarget } from './target';

/** Two consecutive picks of {@link checkOrder} that are not in sequence. */
export interface OrderViolation {
  /** Position of `earlier` in the selectors; `later` is the next one. */
  readonly index: number;
  readonly earlier: Span;
  readonly later: Span;
  /** How long `later` started before `earlier` ended. */
  readonly overlapNs: number;
}

export interface OrderResult {
  /** Each picked span ended before (or as) the next one started. */
  readonly pass: boolean;
  readonly selectors: readonly string[];
  /** One span per selector: its earliest-starting match not picked for an earlier selector. */
  readonly picked: readonly SpanRef[];
  readonly violations: readonly OrderViolation[];
  readonly noMatch?: NoMatch;
}

/**
 * The spans run one after another, in the order of `selectors`: each ends before the next
 * starts. Each selector stands for its earliest-starting match (not already taken by an
 * earlier selector, so `['{ name = "retry" }', '{ name = "retry" }']` means two retries).
 */
export function checkOrder(
  target: AssertTarget,
  selectors: readonly SelectorInput[],
  options: CheckOptions = {},
): OrderResult {
  const picks = pick(target, selectors, options, 'toHaveSpansInOrder');
  if (picks.noMatch) return { ...picks, pass: false, violations: [], noMatch: picks.noMatch };
  const violations: OrderViolation[] = [];
  for (let i = 0; i + 1 < picks.picked.length; i++) {
    const earlier = (picks.picked[i] as SpanRef).span;
    const later = (picks.picked[i + 1] as SpanRef).span;
    if (later.startTimeUnixNano < earlier.endTimeUnixNano) {
      violations.push({
        index: i,
        earlier,
        later,
        overlapNs: Number(earlier.endTimeUnixNano - later.startTimeUnixNano),
      });
    }
  }
  return { ...picks, pass: violations.length === 0, violations };
}

export interface ParallelResult {
  /** The picked spans' time ranges share a moment. */
  readonly pass: boolean;
  readonly selectors: readonly string[];
  /** One span per selector, picked as {@link checkOrder} picks. */
  readonly picked: readonly SpanRef[];
  /** The span that ended first and the one that started last: they overlap iff all do. */
  readonly endedFirst: Span | undefined;
  readonly startedLast: Span | undefined;
  /** How long all of them ran at once; negative: the gap between endedFirst and startedLast. */
  readonly overlapNs: number;
  readonly noMatch?: NoMatch;
}

/**
 * The spans ran at the same time: their time ranges share a moment. For intervals on a
 * line, overlapping pairwise is the same as all sharing one moment, so one comparison of
 * the latest start with the earliest end decides.
 */
export function checkParallel(
  target: AssertTarget,
  selectors: readonly SelectorInput[],
  options: CheckOptions = {},
): ParallelResult {
  const picks = pick(target, selectors, options, 'toHaveSpansInParallel');
  if (picks.noMatch) {
    return {
      ...picks,
      pass: false,
      endedFirst: undefined,
      startedLast: undefined,
      overlapNs: 0,
      noMatch: picks.noMatch,
    };
  }
  let endedFirst = (picks.picked[0] as SpanRef).span;
  let startedLast = endedFirst;
  for (const { span } of picks.picked) {
    if (span.endTimeUnixNano < endedFirst.endTimeUnixNano) endedFirst = span;
    if (span.startTimeUnixNano > startedLast.startTimeUnixNano) startedLast = span;
  }
  const overlapNs = Number(endedFirst.endTimeUnixNano - startedLast.startTimeUnixNano);
  return { ...picks, pass: overlapNs > 0, endedFirst, startedLast, overlapNs };
}

interface Picks {
  readonly selectors: readonly string[];
  readonly picked: readonly SpanRef[];
  readonly noMatch?: NoMatch;
}

function pick(
  target: AssertTarget,
  selectors: readonly SelectorInput[],
  options: CheckOptions,
  what: string,
): Picks {
  if (!Array.isArray(selectors) || selectors.length < 2) {
    throw new InputError(
      {},
      `${what} needs an array of at least two selectors, e.g. ['{ name = "validate" }', '{ name = "charge" }']`,
    );
  }
  const t = CheckTarget.of(target, { singleTrace: true });
  const descriptions = selectors.map((s) => describeSelector(s));
  const taken = new Set<Span>();
  const picked: SpanRef[] = [];
  for (let i = 0; i < selectors.length; i++) {
    const selector = selectors[i] as SelectorInput;
    const matches = selectIn(t, selector, options);
    let first: SpanRef | undefined;
    for (const m of matches) {
      if (taken.has(m.span)) continue;
      if (!first || m.span.startTimeUnixNano < first.span.startTimeUnixNano) first = m;
    }
    if (!first) {
      const description = descriptions[i] as string;
      return {
        selectors: descriptions,
        picked,
        noMatch: noMatch(t, selector, description, `selectors[${i}]`, matches.length),
      };
    }
    taken.add(first.span);
    picked.push(first);
  }
  return { selectors: descriptions, picked };
}
