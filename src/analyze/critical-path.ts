import type { Span, Trace } from '../model';
import { spanOffsets } from './offsets';

/** A stretch of time during which `span` is what the request is waiting for. */
export interface PathSegment {
  readonly span: Span;
  /** Nanoseconds from the trace's start. */
  readonly startNs: number;
  /** Nanoseconds from the trace's start; after `startNs`. */
  readonly endNs: number;
}

/**
 * Which span the path explains:
 * - `only-root`: the trace has one root.
 * - `last-to-end`: it has several (orphans whose parent was lost, or a cut parent loop);
 *   the path is that of the root that ended last, and the other roots are not on it.
 */
export type RootChoice = 'only-root' | 'last-to-end';

/** The chain of spans that determines a trace's end-to-end latency. */
export interface CriticalPath {
  readonly trace: Trace;
  /** The span whose duration the path explains. */
  readonly root: Span;
  readonly rootChoice: RootChoice;
  /**
   * In time order, disjoint, within the root, and adding up to the root's duration: each
   * instant of the root's life is attributed to exactly one span. Empty only for a root
   * of zero duration.
   */
  readonly segments: readonly PathSegment[];
  /**
   * The spans the path runs through, in trace order (pre-order: a parent before its
   * children): the root, and each child chosen as what its parent waited for. A span whose
   * children cover it entirely is on the path without a segment of its own.
   */
  readonly spans: readonly Span[];
  /** The root's duration: what the segments add up to. */
  readonly durationNs: number;
  /**
   * Spans under the root that end after their parent does (asynchronous work, or the
   * server half of a call whose host's clock runs ahead): only their time up to the
   * parent's end can be on the path. In trace order.
   */
  readonly overflow: readonly Span[];
}

/** A span being walked: its window on the path, its children latest end first, and progress. */
interface Frame {
  readonly span: Span;
  readonly from: number;
  /** The span's own time on the path is `[from, cursor]` minus the children chosen so far. */
  cursor: number;
  /**
   * How far past the cursor a child may end and still count as ended before it: 1ms when
   * the cursor is a start time stamped to the whole millisecond (as JS SDKs stamp starts), so
   * the true start may lie up to 1ms later; else 0.
   */
  slack: number;
  readonly children: readonly Clipped[];
  next: number;
}

interface Clipped {
  readonly span: Span;
  readonly from: number;
  readonly to: number;
  /** `from` is the span's own start, not its parent's window's. */
  readonly ownStart: boolean;
}

/**
 * The critical path of `trace`, by the algorithm Jaeger's UI and Uber's CRISP use: from the
 * root's end, walk back; the child that finished last before the cursor is what the parent
 * was waiting for, so it is on the path (and so, recursively, is what it waited for); the
 * cursor then moves to that child's start, and children that ended after that point ran
 * alongside it without holding anything up. Gaps between chosen children are the parent's
 * own time. A start stamped to the whole millisecond (JS SDKs do that) may be up to 1ms
 * early, so a sibling that ends less than 1ms after it still counts as ended before it:
 * otherwise sequential calls seem to overlap and a whole call is charged to its parent.
 *
 * Children are first clipped to their parent's window on the path, as Jaeger does. A child
 * that ends after its parent (see {@link CriticalPath.overflow}) cannot have delayed the
 * parent past its end; clipping rather than dropping it is what keeps a synchronous call
 * right when hosts' clocks differ: the server half of an RPC often ends a fraction of a
 * millisecond after its client half, and dropping it would charge the whole call to the
 * client. A child that starts before its parent (clock skew) is clipped at the start too;
 * one wholly outside its parent's window has no time on the path.
 *
 * With several roots (orphans, or a span where a parent loop was cut), the path explains the root that ended last, and says so.
 * O(n log n) in the spans of that root's subtree (children are sorted by end), and
 * iterative, so that a very deep trace cannot overflow the stack.
 */
export function findCriticalPath(trace: Trace): CriticalPath {
  const root = lastToEnd(trace.roots);
  const offsets = spanOffsets(trace);
  const start = offsets[root.index] as number;
  const end = start + root.durationNs;
  // Collected backwards (latest first), reversed once at the end.
  const backwards: PathSegment[] = [];
  const emit = (span: Span, from: number, to: number) => {
    if (to > from) backwards.push({ span, startNs: from, endNs: to });
  };

  const onPath = new Set<Span>([root]);
  const stack: Frame[] = [frame(trace, offsets, root, start, end)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    let chosen: Clipped | undefined;
    while (top.next < top.children.length) {
      const child = top.children[top.next++] as Clipped;
      // One ending after the cursor overlaps a child already chosen, which the parent waited
      // for instead. The cursor only moves back, so a child skipped once stays skipped.
      if (child.to <= top.cursor + top.slack) {
        chosen = child.to <= top.cursor ? child : { ...child, to: top.cursor };
        break;
      }
    }
    if (!chosen) {
      emit(top.span, top.from, top.cursor);
      stack.pop();
      continue;
    }
    emit(top.span, chosen.to, top.cursor);
    top.cursor = chosen.from;
    top.slack = wholeMillisecond(chosen) ? MS : 0;
    onPath.add(chosen.span);
    stack.push(frame(trace, offsets, chosen.span, chosen.from, chosen.to));
  }

  const segments = backwards.reverse();
  const spans = [root];
  for (const span of trace.descendantsOf(root)) if (onPath.has(span)) spans.push(span);
  return {
    trace,
    root,
    rootChoice: trace.roots.length === 1 ? 'only-root' : 'last-to-end',
    segments,
    spans,
    durationNs: root.durationNs,
    overflow: overflowing(trace, root, offsets),
  };
}

/** The time each span spends on the path (a span may have several segments). */
export function timeOnPath(path: CriticalPath): Map<Span, number> {
  const out = new Map<Span, number>();
  for (const s of path.segments) out.set(s.span, (out.get(s.span) ?? 0) + s.endNs - s.startNs);
  return out;
}

/** The root that ended last; on a tie the one that started first (it covers more). */
function lastToEnd(roots: readonly Span[]): Span {
  let best = roots[0] as Span;
  for (const root of roots) {
    if (root.endTimeUnixNano > best.endTimeUnixNano) best = root;
  }
  return best;
}

function frame(trace: Trace, offsets: Float64Array, span: Span, from: number, to: number): Frame {
  const children: Clipped[] = [];
  for (const child of trace.childrenOf(span)) {
    const start = offsets[child.index] as number;
    const clippedFrom = Math.max(start, from);
    const clippedTo = Math.min(start + child.durationNs, to);
    // Nothing left inside the window (wholly outside it, or zero length): it held nothing up.
    if (clippedTo > clippedFrom) {
      children.push({
        span: child,
        from: clippedFrom,
        to: clippedTo,
        ownStart: clippedFrom === start,
      });
    }
  }
  // Latest end first; on equal ends the earlier start, the child that explains more of the
  // wait. `sort` is stable, so remaining ties keep trace order.
  children.sort((a, b) => b.to - a.to || a.from - b.from);
  return { span, from, cursor: to, slack: 0, children, next: 0 };
}

const MS = 1e6;

/** Whether the child's (unclipped) start is a whole millisecond: likely rounded, not measured. */
function wholeMillisecond(child: Clipped): boolean {
  return child.ownStart && child.span.startNanos % 1_000_000 === 0;
}

function overflowing(trace: Trace, root: Span, offsets: Float64Array): Span[] {
  const out: Span[] = [];
  for (const span of trace.descendantsOf(root)) {
    const parent = trace.parentOf(span) as Span;
    const parentEnd = (offsets[parent.index] as number) + parent.durationNs;
    if ((offsets[span.index] as number) + span.durationNs > parentEnd) out.push(span);
  }
  return out;
}
