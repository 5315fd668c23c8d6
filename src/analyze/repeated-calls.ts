import { InputError } from '../errors';
import { type AttributeValue, type Span, startOffsetNs, type Trace } from '../model';

/** Calls of one operation under one parent that make a group worth reporting. */
export const DEFAULT_MIN_REPEATED_CALLS = 5;

/**
 * The serial rule: a group is serial when its average concurrency, the summed durations
 * over the busy time (the time at least one call was in flight), is below this. Calls that
 * each wait for the previous one have 1, whatever the gaps between them (work done in the
 * loop); calls made two at a time have 2, a fan-out of k calls about k. 1.5 is the
 * midpoint: closer to one at a time than to two. A loop where one call overlaps its
 * neighbour stays serial (at most 1.25 for five calls of equal length, less in longer
 * loops); a pool of two or more workers, or a fan-out, does not.
 *
 * Time, not a count of overlapping pairs, because an N+1 is a latency problem: what
 * matters is whether the calls' durations add up. A pair count weighs a call that ends
 * 10µs after the next one starts (instrumentation that ends spans late, on every call) as
 * much as a full overlap, and would call such a loop concurrent. Wall time against the sum
 * would count the gaps between calls as if calls ran in them. Busy time has neither flaw.
 */
export const MAX_SERIAL_CONCURRENCY = 1.5;

export interface RepeatedCallsOptions {
  /** The fewest calls that make a group (default {@link DEFAULT_MIN_REPEATED_CALLS}); at least 2. */
  readonly minCount?: number;
  /** Which spans may be calls; the others are left out (their parents are not). Default: all. */
  readonly include?: (span: Span) => boolean;
  /** What makes two calls "the same operation". Default: {@link operationOf}. */
  readonly operation?: (span: Span) => string;
}

/** Sibling calls of one operation, by one service, under one parent. */
export interface RepeatedCallGroup {
  readonly trace: Trace;
  /** The span the calls were made under. */
  readonly parent: Span;
  /** The service that made the calls (the calls' own `service.name`). */
  readonly service: string;
  /**
   * The span name the calls share; when their names differ (statements with literals in
   * the name), the {@link operation} that grouped them (`SELECT users`).
   */
  readonly name: string;
  /** What grouped them: the operation, e.g. `HTTP GET → 0.0.0.0:8083` (see {@link operationOf}). */
  readonly operation: string;
  readonly count: number;
  /** Pairs of calls whose time ranges overlap. A call that starts as another ends does not. */
  readonly overlappingPairs: number;
  /** From the first call's start to the last call's end. */
  readonly wallNs: number;
  /** The durations added up: what the calls cost the parent when made one at a time. */
  readonly sumNs: number;
  /** How long at least one call was in flight: the wall time without the gaps between calls. */
  readonly busyNs: number;
  /** `sumNs / busyNs`: calls in flight on average while any was; 1 when nothing took time. */
  readonly concurrency: number;
  /** `concurrency` is below {@link MAX_SERIAL_CONCURRENCY}: the calls waited for each other. */
  readonly serial: boolean;
  /** The calls, by start time. */
  readonly spans: readonly Span[];
}

/** A group as `tracespec analyze --json` prints it: ids and milliseconds, no objects. */
export interface RepeatedCallsSummary {
  readonly parentSpanId: string;
  readonly service: string;
  readonly name: string;
  readonly operation: string;
  readonly count: number;
  readonly overlappingPairs: number;
  readonly wallMs: number;
  readonly sumMs: number;
}

/**
 * The N+1 pattern: `minCount` or more sibling spans of the same operation and service
 * under one parent, made one after another instead of concurrently. A fan-out of the same
 * calls is not reported (see {@link findRepeatedCalls} for every repeated group).
 */
export function findRepeatedSerialCalls(
  trace: Trace,
  options: RepeatedCallsOptions = {},
): RepeatedCallGroup[] {
  return findRepeatedCalls(trace, options).filter((group) => group.serial);
}

/**
 * Every group of `minCount` or more sibling spans with the same service and operation
 * (see {@link operationOf}) under one parent, serial or not (see
 * {@link MAX_SERIAL_CONCURRENCY}), in the trace order of their first calls. Roots have no
 * parent and are never grouped.
 *
 * Linear in the number of spans, plus O(k log k) per group of k calls.
 */
export function findRepeatedCalls(
  trace: Trace,
  options: RepeatedCallsOptions = {},
): RepeatedCallGroup[] {
  const minCount = checkMinCount(options.minCount);
  const include = options.include;
  const operation = options.operation ?? operationOf;
  const { parent } = trace.structure;
  const spans = trace.spans;
  // Pre-order lists siblings by start time, so each group fills in start order, and the
  // groups are created in the trace order of their first calls.
  const buckets = new Map<string, Bucket>();
  for (let i = 0; i < spans.length; i++) {
    const p = parent[i] as number;
    if (p < 0) continue;
    const span = spans[i] as Span;
    if (include && !include(span)) continue;
    const op = operation(span);
    const key = `${p}\u0000${span.service}\u0000${op}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.calls.push(span);
    else buckets.set(key, { parent: spans[p] as Span, operation: op, calls: [span] });
  }
  const groups: RepeatedCallGroup[] = [];
  for (const bucket of buckets.values()) {
    if (bucket.calls.length >= minCount) groups.push(measure(trace, bucket));
  }
  return groups;
}

interface Bucket {
  readonly parent: Span;
  readonly operation: string;
  readonly calls: Span[];
}

function measure(trace: Trace, { parent, operation, calls }: Bucket): RepeatedCallGroup {
  // Offsets from the trace's start are exact numbers, as durations are.
  const intervals: Interval[] = calls.map((span) => {
    const start = startOffsetNs(span, trace);
    return { start, end: start + Math.max(0, span.durationNs) };
  });
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  let sumNs = 0;
  for (const { start, end } of intervals) {
    if (start < first) first = start;
    if (end > last) last = end;
    sumNs += end - start;
  }
  const busyNs = unionLength(intervals);
  const concurrency = busyNs > 0 ? sumNs / busyNs : 1;
  const name = (calls[0] as Span).name;
  return {
    trace,
    parent,
    service: (calls[0] as Span).service,
    name: calls.every((span) => span.name === name) ? name : operation,
    operation,
    count: calls.length,
    overlappingPairs: countOverlappingPairs(intervals),
    wallNs: last - first,
    sumNs,
    busyNs,
    concurrency,
    serial: concurrency < MAX_SERIAL_CONCURRENCY,
    spans: calls,
  };
}

/** The numbers of a group, for JSON output. */
export function summarizeRepeatedCalls(group: RepeatedCallGroup): RepeatedCallsSummary {
  return {
    parentSpanId: group.parent.spanId,
    service: group.service,
    name: group.name,
    operation: group.operation,
    count: group.count,
    overlappingPairs: group.overlappingPairs,
    wallMs: group.wallNs / 1e6,
    sumMs: group.sumNs / 1e6,
  };
}

/**
 * What makes two sibling calls "the same operation", as text:
 *
 * 1. For database spans, `db.query.summary` when present (semantic conventions define it
 *    as low-cardinality: `SELECT users`), else `db.operation.name` and
 *    `db.collection.name` (or the older `db.operation`, `db.sql.table`) when both are
 *    present: instrumentations that name a span after the full statement
 *    (`SELECT * FROM users WHERE id = 7`) give each call a different name, but the same
 *    operation on the same table.
 * 2. Otherwise the span name: conventions keep names low-cardinality, and code that names
 *    its own spans names them after what they do.
 * 3. For HTTP calls (not server spans), the server they go to is added, from
 *    `url.template`, else `server.address`/`server.port` (or `net.peer.*`, the host of
 *    `url.full`/`http.url`, `peer.service`): HTTP client spans are named after the method
 *    only (`GET`, `HTTP GET`), and five GETs to five different services are a sequence of
 *    steps, not one call repeated. The path is left out: `/users/1` and `/users/2` are the
 *    same call, and without a template the two cannot be told from different endpoints.
 */
export function operationOf(span: Span): string {
  const base = baseOperation(span);
  const target = httpTarget(span);
  return target === undefined ? base : `${base} → ${target}`;
}

function baseOperation(span: Span): string {
  const a = span.attributes;
  if (a['db.system.name'] !== undefined || a['db.system'] !== undefined) {
    const summary = text(a['db.query.summary']);
    if (summary) return summary;
    const op = text(a['db.operation.name']) ?? text(a['db.operation']);
    const collection = text(a['db.collection.name']) ?? text(a['db.sql.table']);
    if (op && collection) return `${op} ${collection}`;
  }
  return span.name;
}

function httpTarget(span: Span): string | undefined {
  const a = span.attributes;
  if (span.kind === 'server') return undefined;
  if (a['http.request.method'] === undefined && a['http.method'] === undefined) return undefined;
  const template = text(a['url.template']);
  if (template) return template;
  const host = text(a['server.address']) ?? text(a['net.peer.name']);
  if (host) {
    const port = a['server.port'] ?? a['net.peer.port'];
    return typeof port === 'number' || typeof port === 'string' ? `${host}:${port}` : host;
  }
  const url = text(a['url.full']) ?? text(a['http.url']);
  if (url) {
    try {
      return new URL(url).host;
    } catch {
      // A relative or malformed URL names no server; fall through to peer.service.
    }
  }
  return text(a['peer.service']);
}

function text(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function checkMinCount(minCount: unknown): number {
  if (minCount === undefined) return DEFAULT_MIN_REPEATED_CALLS;
  if (typeof minCount !== 'number' || !Number.isInteger(minCount) || minCount < 2) {
    throw new InputError(
      {},
      `minCount must be a whole number of calls, 2 or more, not ${typeof minCount === 'number' ? minCount : typeof minCount}`,
    );
  }
  return minCount;
}

/** A time range, half-open: `[start, end)`. */
export interface Interval {
  readonly start: number;
  readonly end: number;
}

/**
 * How many pairs of intervals overlap, in O(k log k): a sweep over the starts that keeps
 * the ends of the intervals still open in a min-heap. Every interval still open when one
 * starts overlaps it, and one that closed cannot overlap any later start. Ranges are
 * half-open, so touching ends do not overlap and an empty range overlaps nothing.
 */
export function countOverlappingPairs(intervals: readonly Interval[]): number {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const open: number[] = [];
  let pairs = 0;
  for (const { start, end } of sorted) {
    while (open.length > 0 && (open[0] as number) <= start) popMin(open);
    pairs += open.length;
    pushHeap(open, end);
  }
  return pairs;
}

/** The length of the union of the intervals: time covered by at least one. */
export function unionLength(intervals: readonly Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const { start, end } of sorted) {
    if (start > to) {
      if (to > from) total += to - from;
      from = start;
      to = end;
    } else if (end > to) to = end;
  }
  if (to > from) total += to - from;
  return total;
}

function pushHeap(heap: number[], value: number): void {
  let i = heap.length;
  heap.push(value);
  while (i > 0) {
    const up = (i - 1) >> 1;
    if ((heap[up] as number) <= value) break;
    heap[i] = heap[up] as number;
    i = up;
  }
  heap[i] = value;
}

function popMin(heap: number[]): void {
  const last = heap.pop() as number;
  const n = heap.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && (heap[child + 1] as number) < (heap[child] as number)) child++;
    if ((heap[child] as number) >= last) break;
    heap[i] = heap[child] as number;
    i = child;
  }
  heap[i] = last;
}
