import type { Span, Trace } from '../model';
import { type FailureSignal, failureSignal } from './failure';

/** A failed span and how it was seen to fail. */
export interface Failure {
  readonly span: Span;
  readonly signal: FailureSignal;
}

/**
 * The rule that picked the origin, so that a report can say why. Later rules (a timeout
 * that masks the real locus) add members here; consumers should switch over it.
 * - `only-failure`: one failed span has no failed descendant.
 * - `earliest-failure`: several do; the one that ended first is the cause.
 * - `earliest-unhandled-failure`: several do, and one that ended earlier was handled by an
 *   ancestor that did not fail; the earliest of those whose failure reached the root is
 *   the cause.
 */
export type OriginRule = 'only-failure' | 'earliest-failure' | 'earliest-unhandled-failure';

/** Where a trace's failure started, and where it went from there. */
export interface ErrorOrigin {
  readonly trace: Trace;
  /** The span where the failure started. */
  readonly origin: Span;
  /** How the origin was seen to fail. */
  readonly signal: FailureSignal;
  readonly rule: OriginRule;
  /** The origin, then each ancestor up to its root, failed or not. */
  readonly chain: readonly Span[];
  /**
   * Failed spans that are not on the chain, in trace order: later failures the first one
   * caused (a confirmation e-mail for an order that was never placed), or handled ones.
   */
  readonly fallout: readonly Span[];
  /** Every failed span of the trace, in trace order. */
  readonly failures: readonly Failure[];
}

/**
 * The span where a trace's failure started: a failed span with no failed descendant (the
 * ancestors it propagated to are not origins). When several such spans exist, the cause
 * is the one that ended first, preferring spans whose failure reached the root through
 * failed ancestors only: a failure that a parent handled (its status is not ERROR) did
 * not make the request fail. Undefined when no span failed.
 *
 * Linear in the number of spans: two passes over the pre-order `spans`.
 */
export function findErrorOrigin(trace: Trace): ErrorOrigin | undefined {
  const spans = trace.spans;
  const n = spans.length;
  const signals: (FailureSignal | undefined)[] = new Array(n);
  const failures: Failure[] = [];
  // unbroken[i]: span i failed and so did every ancestor up to its root. Pre-order visits
  // a parent before its children, so the parent's entry is ready.
  const unbroken = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const span = spans[i] as Span;
    const signal = failureSignal(span);
    signals[i] = signal;
    if (!signal) continue;
    failures.push({ span, signal });
    const parent = trace.parentOf(span);
    unbroken[i] = !parent || unbroken[parent.index] ? 1 : 0;
  }
  if (failures.length === 0) return undefined;

  // failedBelow[i]: some proper descendant of span i failed. Walking backwards, every
  // child is finished before its parent.
  const failedBelow = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    if (!signals[i] && !failedBelow[i]) continue;
    const parent = trace.parentOf(spans[i] as Span);
    if (parent) failedBelow[parent.index] = 1;
  }

  // Failed spans with no failed descendant: at least one exists, the deepest failure of any
  // path. The cause is the earliest to end, among those that reached the root if any did.
  let best: Span | undefined;
  let bestReachesRoot = false;
  let earliest: Span | undefined;
  let leaves = 0;
  for (const { span } of failures) {
    if (failedBelow[span.index]) continue;
    leaves++;
    if (!earliest || endsBefore(span, earliest)) earliest = span;
    const reachesRoot = unbroken[span.index] === 1;
    const better =
      !best ||
      (reachesRoot && !bestReachesRoot) ||
      (reachesRoot === bestReachesRoot && endsBefore(span, best));
    if (better) {
      best = span;
      bestReachesRoot = reachesRoot;
    }
  }
  const origin = best as Span;
  const chain = [origin, ...trace.ancestorsOf(origin)];
  const onChain = new Set(chain);
  return {
    trace,
    origin,
    signal: signals[origin.index] as FailureSignal,
    rule:
      leaves === 1
        ? 'only-failure'
        : earliest === origin
          ? 'earliest-failure'
          : 'earliest-unhandled-failure',
    chain,
    fallout: failures.filter((f) => !onChain.has(f.span)).map((f) => f.span),
    failures,
  };
}

/** Earlier end first; for equal ends the earlier start, then trace order (already given). */
function endsBefore(a: Span, b: Span): boolean {
  if (a.endTimeUnixNano !== b.endTimeUnixNano) return a.endTimeUnixNano < b.endTimeUnixNano;
  return a.startTimeUnixNano < b.startTimeUnixNano;
}
