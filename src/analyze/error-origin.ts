import { compareStartTime, formatDuration, type Span, startOffsetNs, type Trace } from '../model';
import { plural, spanName } from '../report/text';
import { describeFailure, type FailureSignal, failureSignal } from './failure';
import { DOMINANT_SHARE, overlapNs, timeoutEvidence, whereTimeWent } from './timeout';

/** A failed span and how it was seen to fail. */
export interface Failure {
  readonly span: Span;
  readonly signal: FailureSignal;
}

/**
 * The rule that picked the origin, so that a report can say why ({@link ErrorOrigin.because}
 * says it in words). Consumers should switch over it: later rules add members.
 * - `only-failure`: one failed span has no failed descendant.
 * - `earliest-failure`: several do; the one that ended first is the cause, the later ones
 *   are fallout.
 * - `earliest-unhandled-failure`: several do, and one that ended earlier was handled by an
 *   ancestor that did not fail; the earliest of those whose failure reached the root is
 *   the cause.
 * - `timeout-masked`: the failure above says it timed out, and the time it waited went to
 *   a span below it that the failure rules would not pick (it did not fail, or a quicker
 *   failure elsewhere came first). The origin is where the time went; `timeout` names the
 *   span that gave up. See {@link findErrorOrigin}.
 */
export type OriginRule =
  | 'only-failure'
  | 'earliest-failure'
  | 'earliest-unhandled-failure'
  | 'timeout-masked';

/** The span that gave up waiting, when a timeout hid where a failure started. */
export interface TimeoutMask {
  /** The failed span whose failure says it timed out: the highest one on the failure's chain. */
  readonly span: Span;
  /** What on it says timeout: `HTTP 504`, `Envoy response flag UT (upstream request timeout)`, ... */
  readonly evidence: string;
  /** The share (0–1) of the timed-out span's duration that the origin's interval covers. */
  readonly share: number;
}

/** Where a trace's failure started, and where it went from there. */
export interface ErrorOrigin {
  readonly trace: Trace;
  /** The span where the failure started. */
  readonly origin: Span;
  /**
   * How the origin was seen to fail; undefined when it did not fail at all, which only
   * `timeout-masked` allows (a slow call that finished OK after its caller gave up).
   */
  readonly signal: FailureSignal | undefined;
  readonly rule: OriginRule;
  /**
   * Why this span, in one sentence a report can print as is: which rule, which spans
   * competed and when they failed, where the error stopped. Names are quoted and
   * printable (`"charge card" [payments]`); times are offsets from the trace's start.
   */
  readonly because: string;
  /** The origin, then each ancestor up to its root, failed or not. */
  readonly chain: readonly Span[];
  /**
   * Failed spans that are not on the chain, in trace order: later failures the first one
   * caused (a confirmation e-mail for an order that was never placed), handled ones, and
   * for `timeout-masked` quicker failures that the wait outlasted.
   */
  readonly fallout: readonly Span[];
  /** Every failed span of the trace, in trace order. */
  readonly failures: readonly Failure[];
  /** Set when `rule` is `timeout-masked`. */
  readonly timeout?: TimeoutMask;
}

/**
 * The span where a trace's failure started. Undefined when no span failed (see
 * `failureSignal`: ERROR status, an exception event or an `error=true` tag).
 *
 * First by failures alone: a failed span with no failed descendant (the ancestors it
 * propagated to are not origins). When several such spans exist, the cause is the one that
 * ended first, preferring spans whose failure reached the root through failed ancestors
 * only: a failure that a parent handled (its status is not ERROR) did not make the request
 * fail.
 *
 * Then timeouts: a span that failed because it stopped waiting says nothing about why the
 * wait was long. Let T be the highest failed span on that origin's chain whose failure says
 * timeout (`timeoutEvidence`), and S the span its time went to (`whereTimeWent`: down
 * through the child covering at least {@link DOMINANT_SHARE} of each span's duration). S is
 * the origin, by the rule `timeout-masked`, unless
 * - S is T: T spent the time itself, or spread it over many children (a loop, retries),
 *   so nothing below it is to blame more than the failures are;
 * - S is the failure-rule origin, or a failed ancestor of it that its error reached
 *   unbroken: the failure rules already explain S (retries that each failed, then a
 *   caller that gave up), and keep the origin.
 * S may have status OK: the call that finished after its caller gave up is the one to
 * look at. The highest T, rather than the lowest, because deadlines propagate: when a
 * caller's deadline runs out, every call below it fails with `deadline exceeded` too, and
 * the one that fails last may be a quick call that merely got no time left.
 *
 * Linear in the number of spans: two passes over the pre-order `spans`, plus walks along
 * one chain and one path down.
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
  const leaves: Span[] = [];
  for (const { span } of failures) {
    if (failedBelow[span.index]) continue;
    leaves.push(span);
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
  const failed = best as Span;
  const failedChain = [failed, ...trace.ancestorsOf(failed)];
  const isFailed = (s: Span) => signals[s.index] !== undefined;

  const mask = timeoutMask(trace, failed, failedChain, isFailed);
  if (mask) {
    const { origin, timeout } = mask;
    const chain = [origin, ...trace.ancestorsOf(origin)];
    return {
      trace,
      origin,
      signal: signals[origin.index],
      rule: 'timeout-masked',
      because: maskedBecause(trace, origin, timeout, signals[origin.index]),
      chain,
      fallout: falloutOf(failures, chain),
      failures,
      timeout,
    };
  }

  const rule: OriginRule =
    leaves.length === 1
      ? 'only-failure'
      : earliest === failed
        ? 'earliest-failure'
        : 'earliest-unhandled-failure';
  return {
    trace,
    origin: failed,
    signal: signals[failed.index],
    rule,
    because: failureBecause(trace, rule, failedChain, leaves, earliest as Span, {
      isFailed,
      reachedRoot: bestReachesRoot,
    }),
    chain: failedChain,
    fallout: falloutOf(failures, failedChain),
    failures,
  };
}

/** The `timeout-masked` origin and the span that timed out, when the rule applies. */
function timeoutMask(
  trace: Trace,
  failed: Span,
  failedChain: readonly Span[],
  isFailed: (s: Span) => boolean,
): { origin: Span; timeout: TimeoutMask } | undefined {
  // The chain runs from the failure up: search it from the root end for the highest.
  let top: Span | undefined;
  let evidence: string | undefined;
  for (let i = failedChain.length - 1; i >= 0 && evidence === undefined; i--) {
    const span = failedChain[i] as Span;
    if (!isFailed(span)) continue;
    evidence = timeoutEvidence(span);
    top = span;
  }
  if (!top || evidence === undefined) return undefined;
  const slow = whereTimeWent(trace, top);
  if (slow === top || slow === failed) return undefined;
  if (trace.isAncestor(slow, failed) && reachedUnbroken(trace, failed, slow, isFailed)) {
    return undefined;
  }
  const share = top.durationNs > 0 ? overlapNs(slow, top) / top.durationNs : 0;
  return { origin: slow, timeout: { span: top, evidence, share } };
}

/** Every span from `from` up to its ancestor `to`, both included, failed. */
function reachedUnbroken(
  trace: Trace,
  from: Span,
  to: Span,
  isFailed: (s: Span) => boolean,
): boolean {
  if (!isFailed(from)) return false;
  for (const ancestor of trace.ancestorsOf(from)) {
    if (!isFailed(ancestor)) return false;
    if (ancestor === to) return true;
  }
  return false;
}

function falloutOf(failures: readonly Failure[], chain: readonly Span[]): Span[] {
  const onChain = new Set(chain);
  return failures.filter((f) => !onChain.has(f.span)).map((f) => f.span);
}

/** Earlier end first; for equal ends the earlier start, then trace order (already given). */
function endsBefore(a: Span, b: Span): boolean {
  const endGap = startOffsetNs(b, a) + b.durationNs - a.durationNs;
  if (endGap !== 0) return endGap > 0;
  return compareStartTime(a, b) < 0;
}

// --- The `because` sentences. Written for someone reading a CI log cold: every span by
// --- name and service, every time as an offset they can find in the printed tree.

function failureBecause(
  trace: Trace,
  rule: Exclude<OriginRule, 'timeout-masked'>,
  chain: readonly Span[],
  leaves: readonly Span[],
  earliest: Span,
  facts: { isFailed: (s: Span) => boolean; reachedRoot: boolean },
): string {
  const { isFailed } = facts;
  const origin = chain[0] as Span;
  if (rule === 'only-failure') {
    // The root with no failed descendant: nothing else can have failed.
    if (chain.length === 1) return `${spanName(origin)} is the only span that failed`;
    return `${spanName(origin)} failed and nothing below it did, so the failure started there; ${propagation(chain, isFailed)}`;
  }
  const competing = `${leaves.length} spans failed with nothing failed below them`;
  const rest = leaves.filter((s) => s !== origin && s !== earliest);
  if (rule === 'earliest-failure') {
    // The chosen span prefers failures that reached the root: if it did not, none did.
    const noneReached = facts.reachedRoot ? '' : ' (none of their errors reached the root)';
    return `${competing}${noneReached}; the first to fail, ${spanName(origin)} at ${at(trace, origin)}, is the cause; ${falloutText(trace, rest, 'other')}`;
  }
  const handler = trace.ancestorsOf(earliest).find((s) => !isFailed(s));
  const handled = handler
    ? ` but ${spanName(handler)} handled it (status ${statusWord(handler)})`
    : '';
  const sentence = `${competing}; ${spanName(origin)}, failed at ${at(trace, origin)}, is the first whose error reached the root, so it is the cause; ${spanName(earliest)} failed earlier, at ${at(trace, earliest)},${handled}`;
  return rest.length > 0 ? `${sentence}; ${falloutText(trace, rest, 'remaining')}` : sentence;
}

function maskedBecause(
  trace: Trace,
  origin: Span,
  timeout: TimeoutMask,
  signal: FailureSignal | undefined,
): string {
  const t = timeout.span;
  const share = Math.round(timeout.share * 100);
  const itself = signal
    ? `it failed as well (${describeFailure(origin, signal)})`
    : `even though it did not fail itself (status ${statusWord(origin)})`;
  return `${spanName(t)} gave up waiting at ${at(trace, t)}, after ${formatDuration(t.durationNs)}: ${timeout.evidence}; the time went to ${spanName(origin)} (${formatDuration(origin.durationNs)}, ${share}% of the wait), so the failure started there, ${itself}`;
}

/**
 * `the other, "B" [s] at +90ms, is fallout` (or `the remaining one, ...`): at most three
 * named, in the order they failed.
 */
function falloutText(trace: Trace, spans: readonly Span[], word: 'other' | 'remaining'): string {
  const byEnd = [...spans].sort((a, b) => (endsBefore(a, b) ? -1 : endsBefore(b, a) ? 1 : 0));
  const named = byEnd.slice(0, MAX_NAMED).map((s) => `${spanName(s)} at ${at(trace, s)}`);
  if (spans.length > MAX_NAMED) named.push(`${spans.length - MAX_NAMED} more`);
  const list = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0];
  if (spans.length === 1)
    return `the ${word === 'other' ? 'other' : 'remaining one'}, ${list}, is fallout`;
  return `the ${word === 'other' ? 'others' : 'rest'}, ${list}, are fallout`;
}

const MAX_NAMED = 3;

/** How far the origin's error went up its chain, in words. */
function propagation(chain: readonly Span[], isFailed: (s: Span) => boolean): string {
  let failedAbove = 0;
  for (let i = 1; i < chain.length; i++) {
    const span = chain[i] as Span;
    if (!isFailed(span)) {
      const through = failedAbove > 0 ? ` through ${plural(failedAbove, 'failed ancestor')}` : '';
      return `its error went up${through} and stopped at ${spanName(span)} (status ${statusWord(span)})`;
    }
    failedAbove++;
  }
  return `its error went up through ${plural(failedAbove, 'failed ancestor')} to the root`;
}

/** When `span` ended, from the trace's start: `+58ms`. */
function at(trace: Trace, span: Span): string {
  return `+${formatDuration(Number(span.endTimeUnixNano - trace.startTimeUnixNano))}`;
}

function statusWord(span: Span): string {
  return span.status.code.toUpperCase();
}
