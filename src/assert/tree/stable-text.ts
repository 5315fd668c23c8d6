import type { Span, Trace } from '../../model';
import { GUIDE, printable } from '../../report';

/**
 * The tree of a trace as text that does not change between runs of the same code: span
 * names, the service where it changes (on roots, and where a child's differs from its
 * parent's, as the reporter prints it), and `✗ error` on failed spans. No ids, no
 * durations, no timestamps, and no error messages either (they often carry ids, hosts or
 * timings). Span kinds are left out so that the text stays in the notation
 * `toMatchTraceTree` reads: a snapshot pasted into a `strict` expectation matches its trace
 * (not necessarily with `ordered`, for the reason below).
 *
 * ```
 * POST /api/checkout [api-gateway]
 * └── Order Service [order-service]
 *     ├── Inventory Service [inventory-service]
 *     ├── Payment Gateway API  ✗ error
 *     └── Notification Service
 * ```
 *
 * Sibling order: siblings that ran one after another (one ends before the next starts)
 * keep their start order, which is stable. Siblings whose time ranges overlap ran
 * concurrently, and which of them starts first can change from run to run, so within a
 * group of overlapping siblings the order is by name, then service, then status, then
 * their own subtrees: equal start times and racing starts cannot make the snapshot flake.
 * What can still flake is a pair that only sometimes overlaps (one call racing another's
 * end); the text is then right both ways, and `toMatchTraceTree` without `ordered` is the
 * better assertion for such code.
 *
 * Several traces (an array) are ordered the same way and separated by a blank line.
 */
export function stableTreeText(target: Trace | readonly Trace[]): string {
  if (!Array.isArray(target)) return new StableTree(target as Trace).text();
  const texts = new Map<Trace, string>();
  const textOf = (trace: Trace) => {
    let text = texts.get(trace);
    if (text === undefined) {
      text = new StableTree(trace).text();
      texts.set(trace, text);
    }
    return text;
  };
  return stableOrder(target as readonly Trace[], (trace) => trace, textOf)
    .map(textOf)
    .join('\n\n');
}

interface Timed {
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
}

/**
 * Start order between groups of items whose time ranges overlap, `keyOf` order inside a
 * group (asked only for items that share a group). Equal keys keep start order, then
 * input order: they print alike anyway.
 */
function stableOrder<T>(
  items: readonly T[],
  timeOf: (item: T) => Timed,
  keyOf: (item: T) => string,
): T[] {
  const byStart = items
    .map((item, i) => ({ item, i, time: timeOf(item) }))
    .sort((a, b) => compare(a.time.startTimeUnixNano, b.time.startTimeUnixNano) || a.i - b.i);
  const out: T[] = [];
  let group: typeof byStart = [];
  let groupEnd = 0n;
  const flush = () => {
    if (group.length > 1) {
      group.sort((a, b) => compareText(keyOf(a.item), keyOf(b.item)) || a.i - b.i);
    }
    for (const { item } of group) out.push(item);
    group = [];
  };
  for (const entry of byStart) {
    if (group.length > 0 && entry.time.startTimeUnixNano >= groupEnd) flush();
    if (group.length === 0 || entry.time.endTimeUnixNano > groupEnd) {
      groupEnd = entry.time.endTimeUnixNano;
    }
    group.push(entry);
  }
  flush();
  return out;
}

class StableTree {
  readonly #trace: Trace;
  readonly #keys = new Map<Span, string>();

  constructor(trace: Trace) {
    this.#trace = trace;
  }

  text(): string {
    const trace = this.#trace;
    const lines: string[] = [];
    // Depth-first with an explicit stack, so a very deep chain cannot overflow the call stack.
    const stack: { span: Span; guides: string; branch: string; parent: Span | undefined }[] = [];
    const push = (spans: readonly Span[], guides: string, parent: Span | undefined) => {
      const ordered = this.#order(spans);
      for (let i = ordered.length - 1; i >= 0; i--) {
        const last = i === ordered.length - 1;
        stack.push({
          span: ordered[i] as Span,
          guides: parent ? guides + (last ? GUIDE.blank : GUIDE.pipe) : '',
          branch: parent ? guides + (last ? GUIDE.last : GUIDE.tee) : '',
          parent,
        });
      }
    };
    push(trace.roots, '', undefined);
    while (stack.length > 0) {
      const { span, guides, branch, parent } = stack.pop() as (typeof stack)[number];
      lines.push(branch + this.#line(span, parent));
      push(trace.childrenOf(span), guides, span);
    }
    return lines.join('\n');
  }

  #line(span: Span, parent: Span | undefined): string {
    let line = printable(span.name);
    if (!parent || parent.service !== span.service || span.name.endsWith(']')) {
      line += ` [${printable(stableService(span.service))}]`;
    }
    if (span.isError) line += '  ✗ error';
    return line;
  }

  #order(spans: readonly Span[]): Span[] {
    if (spans.length < 2) return [...spans];
    return stableOrder(
      spans,
      (span) => span,
      (span) => this.#key(span),
    );
  }

  /** Name, service, status, then the subtree: what tells two concurrent siblings apart. */
  #key(span: Span): string {
    let key = this.#keys.get(span);
    if (key === undefined) {
      const kids = this.#order(this.#trace.childrenOf(span)).map((kid) => this.#key(kid));
      key = `${span.name}\u0000${span.service}\u0000${span.isError ? 1 : 0}\u0001${kids.join('\u0002')}\u0003`;
      this.#keys.set(span, key);
    }
    return key;
  }
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The SDK names a service that set none `unknown_service:<argv0>`, which differs between
 * Jest in-band (`node`) and in a worker (`/usr/bin/node`): a snapshot must not.
 */
function stableService(service: string): string {
  return service.startsWith('unknown_service:') ? 'unknown_service' : service;
}
