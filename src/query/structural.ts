import type { StructuralOp } from './ast';

/**
 * Tempo's structural operators over one trace, each linear in the number of spans.
 *
 * Spansets are masks over `trace.spans` (1 = in the set). `parent` is
 * `trace.structure.parent`: the spans are in pre-order, so a parent's index is always
 * below its children's. One pass forward sees every parent before its children (enough
 * for "has an ancestor in A"); one pass backward sees every child before its parent
 * (enough for "has a descendant in A"). No operator walks a parent chain, so a deep or
 * wide trace costs the same per span as a small one.
 *
 * Every operator returns spans of the right-hand side `b`, as Tempo does.
 */
export type StructuralFn = (parent: Int32Array, a: Uint8Array, b: Uint8Array) => Uint8Array;

/** `A > B`: spans of B whose parent is in A. */
export function childOf(parent: Int32Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  const n = b.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i] as number;
    if (b[i] && p >= 0 && a[p]) out[i] = 1;
  }
  return out;
}

/** `A >> B`: spans of B with an ancestor in A. */
export function descendantOf(parent: Int32Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  const n = b.length;
  // below[i]: some proper ancestor of i is in A. Parents come first in pre-order.
  const below = new Uint8Array(n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i] as number;
    if (p >= 0 && (a[p] || below[p])) {
      below[i] = 1;
      if (b[i]) out[i] = 1;
    }
  }
  return out;
}

/** `A < B`: spans of B that are the parent of some span of A. */
export function parentOf(parent: Int32Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  const n = b.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i] as number;
    if (a[i] && p >= 0 && b[p]) out[p] = 1;
  }
  return out;
}

/** `A << B`: spans of B that are an ancestor of some span of A. */
export function ancestorOf(parent: Int32Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  const n = b.length;
  // above[i]: some proper descendant of i is in A. Children come after their parent, so
  // walking backwards finishes every child before its parent.
  const above = new Uint8Array(n);
  const out = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    if (above[i] && b[i]) out[i] = 1;
    const p = parent[i] as number;
    if (p >= 0 && (a[i] || above[i])) above[p] = 1;
  }
  return out;
}

/**
 * `A ~ B`: spans of B with a sibling (another child of the same parent) in A. Spans
 * without a parent in the trace (the root, orphans) have no siblings: two orphans lost
 * their parents independently, nothing says they shared one.
 */
export function siblingOf(parent: Int32Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  const n = b.length;
  const inA = new Int32Array(n); // per parent: how many of its children are in A
  for (let i = 0; i < n; i++) {
    const p = parent[i] as number;
    if (p >= 0 && a[i]) inA[p] = (inA[p] as number) + 1;
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i] as number;
    // A span is not its own sibling: discount itself when it is in A too.
    if (b[i] && p >= 0 && (inA[p] as number) - (a[i] as number) > 0) out[i] = 1;
  }
  return out;
}

export const STRUCTURAL: Readonly<Record<StructuralOp, StructuralFn>> = {
  '>': childOf,
  '>>': descendantOf,
  '<': parentOf,
  '<<': ancestorOf,
  '~': siblingOf,
};
