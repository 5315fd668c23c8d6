import { formatDuration } from './duration';
import { compareStartTime, type Span, startOffsetNs } from './span';

/**
 * Something about a trace's shape that a reader of it should know. Real traces are
 * messy; the model keeps every span and says what it had to repair instead of failing.
 */
export type TraceIssue =
  | {
      readonly kind: 'orphan';
      readonly spanId: string;
      readonly parentSpanId: string;
      readonly message: string;
    }
  | { readonly kind: 'cycle'; readonly spanIds: readonly string[]; readonly message: string }
  | {
      readonly kind: 'duplicate-span-id';
      readonly spanId: string;
      readonly count: number;
      readonly message: string;
    }
  | {
      readonly kind: 'clock-skew';
      readonly spanId: string;
      readonly parentSpanId: string;
      /** How long before its parent the span started. */
      readonly skewNs: number;
      readonly message: string;
    };

const ORPHAN = 1;
const CYCLE_BROKEN = 2;
const NO_CHILDREN: readonly Span[] = Object.freeze([]);

/**
 * The spans of one trace id, arranged as a tree.
 *
 * `spans` is in pre-order: roots by start time, each followed by its subtree, siblings
 * by start time. Every structural question (parent, children, depth, ancestor) is O(1),
 * because each span knows its position and the subtree of a span is the contiguous range
 * after it.
 */
export class Trace {
  readonly traceId: string;
  readonly spans: readonly Span[];
  /** Spans with no parent in this trace: true roots, orphans and spans whose cycle was cut. */
  readonly roots: readonly Span[];
  readonly issues: readonly TraceIssue[];
  readonly startTimeUnixNano: bigint;
  /** @internal The start split as spans store theirs (see {@link Span.startSeconds}). */
  readonly startSeconds: number;
  /** @internal */
  readonly startNanos: number;
  readonly endTimeUnixNano: bigint;
  readonly durationNs: number;

  readonly #parent: Int32Array;
  readonly #depth: Int32Array;
  /** Index of the last span of each span's subtree. */
  readonly #subtreeEnd: Int32Array;
  /** Built on first use: most traces are never asked for children lists. */
  #children: (readonly Span[])[] | undefined;
  readonly #flags: Uint8Array;
  #byId: Map<string, Span> | undefined;

  /** Build a trace from spans of one trace id, in any order. Use {@link groupTraces} for many. */
  static from(spans: readonly Span[]): Trace {
    return buildTrace(spans);
  }

  /** @internal Use {@link Trace.from}. */
  constructor(parts: TraceParts) {
    this.traceId = parts.traceId;
    this.spans = parts.spans;
    this.roots = parts.roots;
    this.issues = parts.issues;
    this.#parent = parts.parent;
    this.#depth = parts.depth;
    this.#subtreeEnd = parts.subtreeEnd;
    this.#flags = parts.flags;
    let first = parts.spans[0] as Span;
    for (const span of parts.spans) if (compareStartTime(span, first) < 0) first = span;
    this.startSeconds = first.startSeconds;
    this.startNanos = first.startNanos;
    // Ends as offsets from the start: exact (like durations), and no BigInt per span.
    // This runs on every load.
    let duration = 0;
    for (const span of parts.spans) {
      const end = startOffsetNs(span, first) + span.durationNs;
      if (end > duration) duration = end;
    }
    const start = first.startTimeUnixNano;
    this.startTimeUnixNano = start;
    this.durationNs = duration;
    this.endTimeUnixNano = start + BigInt(duration);
  }

  /** The earliest root: the span a reader thinks of as "the request". */
  get root(): Span | undefined {
    return this.roots[0];
  }

  get durationMs(): number {
    return this.durationNs / 1e6;
  }

  /** Whether `span` is one of this trace's spans (the same object). */
  has(span: Span): boolean {
    return this.spans[span.index] === span;
  }

  parentOf(span: Span): Span | undefined {
    const p = this.#parent[this.#indexOf(span)] as number;
    return p < 0 ? undefined : this.spans[p];
  }

  childrenOf(span: Span): readonly Span[] {
    const i = this.#indexOf(span);
    this.#children ??= childLists(this.spans, this.#parent);
    return this.#children[i] ?? NO_CHILDREN;
  }

  /** 0 for a root. */
  depthOf(span: Span): number {
    return this.#depth[this.#indexOf(span)] as number;
  }

  /** True when `ancestor` is a proper ancestor of `descendant`. */
  isAncestor(ancestor: Span, descendant: Span): boolean {
    const a = this.#indexOf(ancestor);
    const d = this.#indexOf(descendant);
    return d > a && d <= (this.#subtreeEnd[a] as number);
  }

  /** All proper descendants of `span`, in pre-order. */
  descendantsOf(span: Span): readonly Span[] {
    const i = this.#indexOf(span);
    return this.spans.slice(i + 1, (this.#subtreeEnd[i] as number) + 1);
  }

  /** Ancestors from the parent up to the root. */
  ancestorsOf(span: Span): Span[] {
    const out: Span[] = [];
    for (
      let p = this.#parent[this.#indexOf(span)] as number;
      p >= 0;
      p = this.#parent[p] as number
    ) {
      out.push(this.spans[p] as Span);
    }
    return out;
  }

  /** Its parent id names no span of this trace (a lost or not yet received span). */
  isOrphan(span: Span): boolean {
    return ((this.#flags[this.#indexOf(span)] as number) & ORPHAN) !== 0;
  }

  /** The first span with this id (the client half when a Zipkin RPC shares one id). */
  spanById(spanId: string): Span | undefined {
    if (!this.#byId) {
      // Built on first use: most traces are never looked up by id, and the map costs memory.
      this.#byId = new Map();
      for (const span of this.spans)
        if (!this.#byId.has(span.spanId)) this.#byId.set(span.spanId, span);
    }
    return this.#byId.get(spanId.toLowerCase());
  }

  /**
   * Index arrays for code that walks every span (selectors, analyses) and wants to avoid
   * a call per span. Positions are those of `spans`; the parent of a root is -1.
   * @internal
   */
  get structure(): { parent: Int32Array; depth: Int32Array; subtreeEnd: Int32Array } {
    return { parent: this.#parent, depth: this.#depth, subtreeEnd: this.#subtreeEnd };
  }

  #indexOf(span: Span): number {
    const i = span.index;
    if (this.spans[i] !== span) {
      throw new Error(
        `span "${span.name}" (${span.spanId}) does not belong to trace ${this.traceId}`,
      );
    }
    return i;
  }
}

interface TraceParts {
  traceId: string;
  spans: Span[];
  roots: Span[];
  issues: TraceIssue[];
  parent: Int32Array;
  depth: Int32Array;
  subtreeEnd: Int32Array;
  flags: Uint8Array;
}

/** Each span's children, in order (pre-order lists siblings in order); holes for leaves. */
function childLists(spans: readonly Span[], parent: Int32Array): (readonly Span[])[] {
  const n = spans.length;
  const lists: Span[][] = new Array(n);
  for (let at = 1; at < n; at++) {
    const p = parent[at] as number;
    if (p < 0) continue;
    const list = lists[p];
    if (list) list.push(spans[at] as Span);
    else lists[p] = [spans[at] as Span];
  }
  return lists;
}

/** Group spans by trace id into traces, in the order each trace id first appears. */
export function groupTraces(spans: Iterable<Span>): Trace[] {
  const groups = new Map<string, Span[]>();
  for (const span of spans) {
    const group = groups.get(span.traceId);
    if (group) group.push(span);
    else groups.set(span.traceId, [span]);
  }
  const traces: Trace[] = [];
  for (const group of groups.values()) traces.push(buildTrace(group));
  return traces;
}

/**
 * Working memory of `buildTrace`, kept between calls: a load builds ten thousand traces
 * one after the other, and fresh typed arrays for each (seven of them, off the JS heap
 * once they pass 64 bytes) cost more than the work done in them. `buildTrace` runs no
 * user code, so one set serves every call.
 */
interface Scratch {
  /** Open-addressing table of span ids: input position + 1, 0 for an empty slot. */
  readonly table: Int32Array;
  readonly parentIn: Int32Array;
  readonly kidStart: Int32Array;
  readonly kids: Int32Array;
  readonly position: Int32Array;
  readonly stack: Int32Array;
  readonly flags: Uint8Array;
}

/** Traces up to this many spans share the kept scratch; bigger ones get their own. */
const MAX_KEPT = 1 << 14;
let kept: Scratch | undefined;

function scratchFor(n: number): Scratch {
  if (n > MAX_KEPT) return newScratch(n);
  kept ??= newScratch(MAX_KEPT);
  return kept;
}

function newScratch(n: number): Scratch {
  return {
    table: new Int32Array(tableSize(n)),
    parentIn: new Int32Array(n),
    kidStart: new Int32Array(n + 2),
    kids: new Int32Array(n),
    position: new Int32Array(n),
    stack: new Int32Array(n),
    flags: new Uint8Array(n),
  };
}

/** A power of two at least twice `n`: the id table stays at most half full. */
function tableSize(n: number): number {
  let size = 2;
  while (size < n * 2) size *= 2;
  return size;
}

// Seeded per process, so that ids crafted to collide (and make building a trace
// quadratic) cannot be written in advance.
const SEED = (Math.random() * 0x100000000) >>> 0;

/** FNV-1a over every character of the id. */
function hashId(id: string): number {
  let h = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h;
}

/** Input position of the first span with this id, or -1. */
function findId(
  table: Int32Array,
  mask: number,
  spans: readonly Span[],
  id: string,
  hash: number,
): number {
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    const entry = table[slot] as number;
    if (entry === 0) return -1;
    if ((spans[entry - 1] as Span).spanId === id) return entry - 1;
  }
}

function buildTrace(input: readonly Span[]): Trace {
  const n = input.length;
  if (n === 0) throw new Error('a trace needs at least one span');
  const traceId = (input[0] as Span).traceId;
  // A span object already placed in another trace is copied, so that each trace owns its
  // spans. Readers hand over fresh spans, so the common case copies nothing.
  let spans = input;
  for (let i = 0; i < n; i++) {
    const s = input[i] as Span;
    if (s.traceId !== traceId) {
      throw new Error(`span ${s.spanId} has trace id ${s.traceId}, not ${traceId}`);
    }
    if (s.index !== -1) {
      if (spans === input) spans = input.slice();
      (spans as Span[])[i] = s.detached();
    }
  }
  const { table, parentIn, kidStart, kids, position, stack, flags } = scratchFor(n);
  const issues: TraceIssue[] = [];

  // Resolve parent ids to input positions. Spans that share an id (Zipkin's client and
  // server halves of one RPC) are chained: the shared (server) half becomes the child of
  // the other, and children naming that id hang under the last of the chain.
  const size = tableSize(n);
  const mask = size - 1;
  table.fill(0, 0, size);
  let duplicates: Map<string, number[]> | undefined;
  for (let i = 0; i < n; i++) {
    const id = (spans[i] as Span).spanId;
    let slot = hashId(id) & mask;
    for (;;) {
      const entry = table[slot] as number;
      if (entry === 0) {
        table[slot] = i + 1;
        break;
      }
      if ((spans[entry - 1] as Span).spanId === id) {
        duplicates ??= new Map();
        const group = duplicates.get(id) ?? [entry - 1];
        group.push(i);
        duplicates.set(id, group);
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  // Only traces with duplicate ids need these; most have none.
  let parentOverride: Map<number, number> | undefined;
  let targetById: Map<string, number> | undefined;
  if (duplicates) {
    parentOverride = new Map();
    targetById = new Map();
    for (const [id, group] of duplicates) {
      group.sort((a, b) => chainRank(spans[a] as Span) - chainRank(spans[b] as Span) || a - b);
      for (let k = 1; k < group.length; k++) {
        parentOverride.set(group[k] as number, group[k - 1] as number);
      }
      targetById.set(id, group[group.length - 1] as number);
      if (!group.some((i) => (spans[i] as Span).shared)) {
        issues.push({
          kind: 'duplicate-span-id',
          spanId: id,
          count: group.length,
          message: `${group.length} spans share span id ${id}; they are kept as separate spans, nested in the order they started`,
        });
      }
    }
  }

  flags.fill(0, 0, n);
  // Siblings share their parent's id string: hash it once per run of them.
  let lastPid: string | undefined;
  let lastP = -1;
  for (let i = 0; i < n; i++) {
    parentIn[i] = -1;
    const span = spans[i] as Span;
    if (parentOverride !== undefined) {
      const override = parentOverride.get(i);
      if (override !== undefined) {
        parentIn[i] = override;
        continue;
      }
    }
    const pid = span.parentSpanId;
    if (pid === undefined) continue;
    let p: number;
    if (pid === lastPid) p = lastP;
    else {
      p = targetById?.get(pid) ?? findId(table, mask, spans, pid, hashId(pid));
      lastPid = pid;
      lastP = p;
    }
    if (p < 0) {
      flags[i] = ORPHAN;
      issues.push({
        kind: 'orphan',
        spanId: span.spanId,
        parentSpanId: pid,
        message: `span "${span.name}" (${span.spanId}) names parent ${pid}, which is not in the trace; it is shown as a root`,
      });
    } else {
      parentIn[i] = p;
      // The parent's own id string serves as this span's parent id: one copy of each id
      // instead of two saves ~32 bytes per span on large loads.
      (span as { parentSpanId: string }).parentSpanId = (spans[p] as Span).spanId;
    }
  }

  breakCycles(spans, parentIn, flags, issues, position, stack);

  // Children of each span as ranges of one array (input positions, in input order):
  // `kids[kidStart[p] .. kidStart[p + 1])` are the children of `p`. Roots are `p = n`.
  kidStart.fill(0, 0, n + 2);
  for (let i = 0; i < n; i++) {
    const p = parentIn[i] as number;
    const g = (p < 0 ? n : p) + 2;
    kidStart[g] = (kidStart[g] as number) + 1;
  }
  for (let p = 2; p <= n + 1; p++)
    kidStart[p] = (kidStart[p] as number) + (kidStart[p - 1] as number);
  for (let i = 0; i < n; i++) {
    const p = parentIn[i] as number;
    const g = (p < 0 ? n : p) + 1;
    const at = kidStart[g] as number;
    kids[at] = i;
    kidStart[g] = at + 1;
  }
  // Siblings by start time, stable for equal starts. They usually arrive in order, so a
  // range is sorted only when it is not already.
  for (let p = 0; p <= n; p++) {
    const from = kidStart[p] as number;
    const to = kidStart[p + 1] as number;
    if (to - from > 1) sortRange(spans, kids, from, to);
  }
  const rootFrom = kidStart[n] as number;
  const roots: Span[] = new Array(n - rootFrom);
  for (let k = rootFrom; k < n; k++) roots[k - rootFrom] = spans[kids[k] as number] as Span;

  // Pre-order walk; iterative so that a 100k-deep chain cannot overflow the stack. A
  // parent is placed before its children, so its position is final when they are reached.
  const order: Span[] = new Array(n);
  const parent = new Int32Array(n);
  const depth = new Int32Array(n);
  const subtreeEnd = new Int32Array(n);
  const outFlags = new Uint8Array(n);
  let top = 0;
  for (let k = n - 1; k >= rootFrom; k--) stack[top++] = kids[k] as number;
  let next = 0;
  while (top > 0) {
    const i = stack[--top] as number;
    const at = next++;
    position[i] = at;
    const span = spans[i] as Span;
    span.index = at;
    order[at] = span;
    outFlags[at] = flags[i] as number;
    const p = parentIn[i] as number;
    const pAt = p < 0 ? -1 : (position[p] as number);
    parent[at] = pAt;
    depth[at] = pAt < 0 ? 0 : (depth[pAt] as number) + 1;
    const from = kidStart[i] as number;
    for (let k = (kidStart[i + 1] as number) - 1; k >= from; k--) stack[top++] = kids[k] as number;
  }
  // Subtree ends: a span's subtree ends where its last descendant does; walking backwards,
  // every child has been finished before its parent.
  for (let at = n - 1; at >= 0; at--) {
    if ((subtreeEnd[at] as number) < at) subtreeEnd[at] = at;
    const p = parent[at] as number;
    if (p >= 0 && (subtreeEnd[p] as number) < (subtreeEnd[at] as number)) {
      subtreeEnd[p] = subtreeEnd[at] as number;
    }
  }

  for (let at = 0; at < n; at++) {
    const p = parent[at] as number;
    if (p < 0) continue;
    const span = order[at] as Span;
    const par = order[p] as Span;
    if (compareStartTime(span, par) < 0) {
      const skewNs = startOffsetNs(par, span);
      issues.push({
        kind: 'clock-skew',
        spanId: span.spanId,
        parentSpanId: par.spanId,
        skewNs,
        message: `span "${span.name}" (${span.service}) starts ${formatDuration(skewNs)} before its parent "${par.name}" (${par.service}); clocks of the two hosts probably differ`,
      });
    }
  }

  return new Trace({
    traceId,
    spans: order,
    roots,
    issues,
    parent,
    depth,
    subtreeEnd,
    flags: outFlags,
  });
}

/** Sorts `kids[from..to)` (input positions) by start time, ties by input position. */
function sortRange(spans: readonly Span[], kids: Int32Array, from: number, to: number): void {
  let sorted = true;
  for (let k = from + 1; k < to; k++) {
    if (
      compareStartTime(spans[kids[k] as number] as Span, spans[kids[k - 1] as number] as Span) < 0
    ) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (to - from <= 32) {
    // Insertion sort in place: stable, and no allocation for the small ranges most are.
    for (let k = from + 1; k < to; k++) {
      const kid = kids[k] as number;
      const span = spans[kid] as Span;
      let j = k - 1;
      while (j >= from && compareStartTime(spans[kids[j] as number] as Span, span) > 0) {
        kids[j + 1] = kids[j] as number;
        j--;
      }
      kids[j + 1] = kid;
    }
    return;
  }
  // Input positions ascend within a range, so a stable sort keeps ties in input order.
  const list = Array.from(kids.subarray(from, to));
  list.sort((a, b) => compareStartTime(spans[a] as Span, spans[b] as Span) || a - b);
  kids.set(list, from);
}

/** Within a group of spans sharing an id: the caller's half first, the shared half last. */
function chainRank(span: Span): number {
  if (span.shared) return 2;
  if (span.kind === 'server' || span.kind === 'consumer') return 1;
  return 0;
}

/**
 * Parent links that loop (a → b → a) would make the tree infinite. Each loop is cut at
 * its earliest-starting span, which becomes a root; the loop is reported. Linear: every
 * span is walked up from at most once.
 */
function breakCycles(
  spans: readonly Span[],
  parentIn: Int32Array,
  flags: Uint8Array,
  issues: TraceIssue[],
  state: Int32Array,
  path: Int32Array,
): void {
  const n = spans.length;
  const UNVISITED = 0;
  const ON_PATH = 1;
  const DONE = 2;
  state.fill(UNVISITED, 0, n);
  for (let start = 0; start < n; start++) {
    if (state[start] !== UNVISITED) continue;
    let length = 0;
    let i = start;
    while (i >= 0 && state[i] === UNVISITED) {
      state[i] = ON_PATH;
      path[length++] = i;
      i = parentIn[i] as number;
    }
    if (i >= 0 && state[i] === ON_PATH) {
      const loop = Array.from(path.subarray(path.lastIndexOf(i, length - 1), length));
      let cut = loop[0] as number;
      for (const j of loop) {
        if (compareStartTime(spans[j] as Span, spans[cut] as Span) < 0) cut = j;
      }
      parentIn[cut] = -1;
      flags[cut] = (flags[cut] as number) | CYCLE_BROKEN;
      const ids = loop.map((j) => (spans[j] as Span).spanId);
      issues.push({
        kind: 'cycle',
        spanIds: ids,
        message: `parent links loop through spans ${ids.join(' → ')}; cut at "${(spans[cut] as Span).name}" (${(spans[cut] as Span).spanId}), shown as a root`,
      });
    }
    for (let k = 0; k < length; k++) state[path[k] as number] = DONE;
  }
}
