import type { FailureSignal } from '../analyze';
import { failureSignal } from '../analyze';
import type { SpanRef } from './selection';
import { type AssertTarget, CheckTarget } from './target';

/** A failed span, its trace, and how it was seen to fail. */
export interface FailedSpan extends SpanRef {
  readonly signal: FailureSignal;
}

export interface NoErrorsOptions {
  /**
   * Do not count spans that recorded an exception but left their status unset. By
   * default they count: `recordException()` does not set ERROR, and forgetting to is the
   * usual way a failure goes unlabelled. Set this when the code records handled ones.
   */
  readonly ignoreRecordedExceptions?: boolean;
}

export interface NoErrorsResult {
  /** No span failed. */
  readonly pass: boolean;
  /** Failed spans, in trace order. */
  readonly failures: readonly FailedSpan[];
  /** Spans searched, over every trace. */
  readonly searched: number;
}

/** No span has ERROR status or (unless told otherwise) an unlabelled recorded exception. */
export function checkNoErrors(target: AssertTarget, options: NoErrorsOptions = {}): NoErrorsResult {
  const t = CheckTarget.of(target, { spans: true });
  const failures: FailedSpan[] = [];
  for (const trace of t.traces) {
    for (const span of trace.spans) {
      const signal = failureSignal(span);
      if (!signal || (signal === 'exception' && options.ignoreRecordedExceptions)) continue;
      failures.push({ span, trace, signal });
    }
  }
  return { pass: failures.length === 0, failures, searched: t.spanCount };
}
