import { describeSelector, type SelectorInput } from '../query';
import type { Candidate } from './candidates';
import { nearestByName } from './candidates';
import { type CheckOptions, type SpanRef, selectIn } from './selection';
import { type AssertTarget, CheckTarget } from './target';

export interface SpanExistsResult {
  /** Some span matched. */
  readonly pass: boolean;
  readonly selector: string;
  readonly matched: readonly SpanRef[];
  /** Spans searched, over every trace. */
  readonly searched: number;
  /** Spans named like the ones the selector asks for; computed only when nothing matched. */
  readonly candidates: readonly Candidate[];
}

/** Whether any span of the trace(s) matches `selector`. */
export function checkSpanExists(
  target: AssertTarget,
  selector: SelectorInput,
  options: CheckOptions = {},
): SpanExistsResult {
  const t = CheckTarget.of(target);
  const matched = selectIn(t, selector, options);
  return {
    pass: matched.length > 0,
    selector: describeSelector(selector),
    matched,
    searched: t.spanCount,
    candidates: matched.length === 0 ? nearestByName(t.traces, selector) : [],
  };
}
