import { compareStartTime, type Span, type Trace } from '../../model';

/**
 * Giving sibling lines distinct spans. Two lines may want the same spans (two `SELECT`
 * lines, a selector that overlaps a name), so a line cannot just take the first span that
 * fits: these functions find an assignment whenever one exists.
 */

/**
 * Kuhn's augmenting paths: slot `i` may take any span of `candidates[i]`; the result says
 * which span each slot took (undefined: none left for it). A maximum matching.
 *
 * Slots are placed in order and an augmenting path never unplaces a slot, so an unplaced
 * slot is the first one that cannot be placed given those before it: the line a failure
 * message should point at. O(slots × candidate pairs).
 */
export function maximumMatching(candidates: readonly (readonly Span[])[]): (Span | undefined)[] {
  const owner = new Map<Span, number>();
  const taken: (Span | undefined)[] = candidates.map(() => undefined);
  const augment = (slot: number, visited: Set<Span>): boolean => {
    // A free span first: with many look-alike lines (N identical queries) this keeps the
    // common case linear instead of walking a long augmenting path for every slot.
    for (const span of candidates[slot] as readonly Span[]) {
      if (!owner.has(span)) {
        owner.set(span, slot);
        taken[slot] = span;
        return true;
      }
    }
    for (const span of candidates[slot] as readonly Span[]) {
      if (visited.has(span)) continue;
      visited.add(span);
      const other = owner.get(span);
      if (other === undefined || augment(other, visited)) {
        owner.set(span, slot);
        taken[slot] = span;
        return true;
      }
    }
    return false;
  };
  for (let slot = 0; slot < candidates.length; slot++) augment(slot, new Set());
  return taken;
}

export interface SearchConstraints {
  readonly trace: Trace;
  /** Slot `i + 1` must not start before slot `i` (ties pass either way). */
  readonly ordered: boolean;
  /**
   * No span may be an ancestor of another: lines under `...` may match at any depth, and
   * sibling lines must still match separate branches, as the tree draws them.
   */
  readonly disjoint: boolean;
}

/**
 * An assignment under ordering and separate-branch constraints, by backtracking: slots in
 * line order when ordered (fewest candidates first otherwise), candidates by start time,
 * a look-ahead that gives up as soon as a later slot has nothing left, and a memo of the
 * states already known to fail.
 *
 * Separate branches make the general problem NP-hard (it is unordered tree inclusion,
 * Kilpeläinen and Mannila 1995), and with `ordered` alone, spans that start in the same
 * instant are what defeat a greedy pick; so the worst case is exponential in the number of
 * sibling lines competing for the same spans. In practice: the caller first checks with
 * {@link maximumMatching} that every slot can be placed at all, which settles most
 * failures in polynomial time, an ordered search without ties never backtracks, and the
 * look-ahead cuts a branch as soon as it leaves a later line nothing (the tests run 300
 * ordered look-alike lines, and 40 look-alike lines under `...`, in well under a second).
 */
export function searchAssignment(
  candidates: readonly (readonly Span[])[],
  constraints: SearchConstraints,
): Span[] | undefined {
  const { trace, ordered, disjoint } = constraints;
  const k = candidates.length;
  const byStart = candidates.map((list) =>
    [...list].sort((a, b) => compareStartTime(a, b) || a.index - b.index),
  );
  const order = [...byStart.keys()];
  if (!ordered) order.sort((a, b) => (byStart[a] as Span[]).length - (byStart[b] as Span[]).length);

  const chosen: (Span | undefined)[] = new Array(k).fill(undefined);
  const used = new Set<Span>();
  const failed = new Set<string>();

  const fits = (span: Span, after: Span | undefined): boolean => {
    if (used.has(span)) return false;
    if (ordered && after && span.startTimeUnixNano < after.startTimeUnixNano) return false;
    if (disjoint) {
      for (const other of used) {
        if (trace.isAncestor(other, span) || trace.isAncestor(span, other)) return false;
      }
    }
    return true;
  };

  const place = (position: number): boolean => {
    if (position === k) return true;
    const slot = order[position] as number;
    const previous = ordered && position > 0 ? chosen[order[position - 1] as number] : undefined;
    const key = `${position}|${previous?.index ?? ''}|${[...used]
      .map((s) => s.index)
      .sort((a, b) => a - b)
      .join(',')}`;
    if (failed.has(key)) return false;
    for (const span of byStart[slot] as Span[]) {
      if (!fits(span, previous)) continue;
      chosen[slot] = span;
      used.add(span);
      if (lookAhead(position + 1, span) && place(position + 1)) return true;
      used.delete(span);
      chosen[slot] = undefined;
    }
    failed.add(key);
    return false;
  };

  // Every slot still to place has at least one span left for it.
  const lookAhead = (from: number, last: Span): boolean => {
    for (let p = from; p < k; p++) {
      const list = byStart[order[p] as number] as Span[];
      if (ordered && !disjoint) {
        // Every span taken so far starts no later than `last`, so a candidate that starts
        // after it is free: only the latest candidates need a look, not the whole list.
        const latest = list[list.length - 1];
        if (latest && latest.startTimeUnixNano > last.startTimeUnixNano) continue;
      }
      if (!list.some((span) => fits(span, ordered ? last : undefined))) return false;
    }
    return true;
  };

  return place(0) ? (chosen as Span[]) : undefined;
}
