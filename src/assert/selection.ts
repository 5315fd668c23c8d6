import type { Span, Trace } from '../model';
import { compileSelector, type EqualityTester, type SelectorInput } from '../query';
import { type Candidate, nearestByName } from './candidates';
import type { CheckTarget } from './target';

/** A span and the trace it belongs to: messages and structural checks need both. */
export interface SpanRef {
  readonly span: Span;
  readonly trace: Trace;
}

/** Options every check that takes a selector understands. */
export interface CheckOptions {
  /**
   * How attribute values are compared (plain-object selectors, expected attributes and
   * exceptions). Jest matchers pass `this.equals`, so asymmetric matchers work inside.
   */
  readonly equals?: EqualityTester;
}

/**
 * A selector that had to select something and selected nothing. Checks over "every
 * matching span" report this instead of passing on an empty set, and so do checks whose
 * selector names the spans to compare: a typo must not pass as "no such span, fine".
 */
export interface NoMatch {
  /** The selector as a message shows it. */
  readonly selector: string;
  /** Which argument it was, when a check takes several (`from`, `to`, `selectors[1]`). */
  readonly argument: string;
  /** Spans searched, over every trace. */
  readonly searched: number;
  /**
   * Matches left out because an earlier selector of the same check took them (two
   * selectors for one span in an order check); 0 when the selector matched nothing at all.
   */
  readonly taken: number;
  readonly candidates: readonly Candidate[];
}

/** The spans `selector` selects in every trace of `target`, each with its trace. */
export function selectIn(
  target: CheckTarget,
  selector: SelectorInput,
  options: CheckOptions = {},
): SpanRef[] {
  const compiled = compileSelector(selector, { equals: options.equals });
  const out: SpanRef[] = [];
  for (const trace of target.traces) {
    for (const span of compiled.select(trace)) out.push({ span, trace });
  }
  return out;
}

export function noMatch(
  target: CheckTarget,
  selector: SelectorInput,
  description: string,
  argument = 'selector',
  taken = 0,
): NoMatch {
  return {
    selector: description,
    argument,
    searched: target.spanCount,
    taken,
    candidates: nearestByName(target.traces, selector),
  };
}
