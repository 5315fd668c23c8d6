import { compareStartTime, formatDuration, type Span, startOffsetNs } from '../../model';
import { nearest } from '../../query/errors';
import { printable } from '../../report';
import { maximumMatching } from './assign';
import { describeLine, labelMatches, ownProblem, spanName } from './checks';
import { levelOf, type Slot, type TreeMatcher } from './matcher';
import type { ExpectedNode, SpanExpectation, TreeExpectation, TreeMismatch } from './types';

/** A mismatch, and how far into the expectation it is (to pick the closest of several). */
export interface Found {
  readonly mismatch: TreeMismatch;
  /** Expectation lines known to match before this one; higher is closer. */
  readonly progress: number;
}

/**
 * The first difference between an expectation and a trace it does not match.
 *
 * Top-down: at each level, the first line (in line order) that cannot be given a span of
 * its own; if spans with its name are there but fail, the one whose own difference comes
 * latest is followed down, so the report names the deepest line that could not be matched
 * along the closest branch. Only when every line of a level has a span do order (`ordered`),
 * separate branches (`...`) and unlisted spans (`strict`) come into it.
 */
export function firstDifference(matcher: TreeMatcher, expectation: TreeExpectation): Found {
  return new Diagnosis(matcher, expectation).run();
}

class Diagnosis {
  readonly #m: TreeMatcher;
  readonly #expectation: TreeExpectation;
  readonly #index = new Map<number, number>();
  readonly #memo = new Map<readonly ExpectedNode[], Map<Span | undefined, Found | undefined>>();

  constructor(matcher: TreeMatcher, expectation: TreeExpectation) {
    this.#m = matcher;
    this.#expectation = expectation;
    expectation.lines.forEach((l, i) => {
      this.#index.set(l.line, i);
    });
  }

  run(): Found {
    const roots = this.#expectation.roots;
    return this.#level(roots, undefined, undefined) ?? this.#unexplained(undefined);
  }

  #level(
    children: readonly ExpectedNode[],
    parent: Span | undefined,
    owner: SpanExpectation | undefined,
  ): Found | undefined {
    let memo = this.#memo.get(children);
    if (!memo) {
      memo = new Map();
      this.#memo.set(children, memo);
    }
    if (memo.has(parent)) return memo.get(parent);
    const found = this.#explainLevel(children, parent, owner);
    memo.set(parent, found);
    return found;
  }

  #explainLevel(
    children: readonly ExpectedNode[],
    parent: Span | undefined,
    owner: SpanExpectation | undefined,
  ): Found | undefined {
    const m = this.#m;
    const { slots, open } = levelOf(children);
    const candidates = m.candidates(slots, parent);
    const taken = maximumMatching(candidates);
    const first = taken.indexOf(undefined);
    if (first >= 0) {
      return this.#slot(slots[first] as Slot, parent, taken, slots);
    }
    if (m.strict && !open) {
      const extra = m.pool(parent, false).find((span) => !taken.includes(span));
      if (extra) return this.#extra(extra, parent, owner ?? (children[0] as SpanExpectation));
    }
    if (m.ordered || slots.some((slot) => slot.deep)) {
      return this.#arrangement(slots, candidates) ?? this.#unexplained(owner);
    }
    return undefined;
  }

  /** Why `slot` gets no span when the lines before it have theirs. */
  #slot(
    slot: Slot,
    parent: Span | undefined,
    taken: readonly (Span | undefined)[],
    slots: readonly Slot[],
  ): Found {
    const trace = this.#m.trace;
    const node = slot.node;
    const labelled = this.#m
      .pool(parent, slot.deep)
      .filter((span) => labelMatches(node, span, trace));
    if (labelled.length === 0) return this.#missing(slot, parent);
    // Every span with the right name went to other lines: a count problem.
    const free = labelled.filter((span) => !taken.includes(span));
    if (free.length === 0) return this.#count(slot, parent, labelled, taken, slots);

    // Spans with the right name are left and each fails, on its own or below: follow the
    // one that gets furthest.
    let best: Found | undefined;
    for (const span of free) {
      const own = ownProblem(node, span);
      const found = own
        ? this.#found({ ...own, expectedLine: node.line, actualSpan: span })
        : this.#level(node.children, span, node);
      if (found && (!best || found.progress > best.progress)) best = found;
    }
    return best ?? this.#unexplained(node);
  }

  #missing(slot: Slot, parent: Span | undefined): Found {
    const node = slot.node;
    const where = parent
      ? `${slot.deep ? 'below' : 'under'} ${spanName(parent)}`
      : slot.deep
        ? 'in the trace'
        : 'at the root of the trace';
    const what =
      node.label.kind === 'name'
        ? `named "${node.label.name}"`
        : `matching ${node.label.selector.text.trim()}`;
    const service = node.service === undefined ? '' : ` in service "${node.service}"`;
    return this.#found({
      kind: 'missing',
      expectedLine: node.line,
      reason: `no span ${what}${service} ${where}${this.#hint(slot, parent)}`,
      label: 'missing',
      actualSpan: parent,
    });
  }

  /** One hint, the most specific that applies, for a line that found no span at all. */
  #hint(slot: Slot, parent: Span | undefined): string {
    const m = this.#m;
    const trace = m.trace;
    const node = slot.node;
    const pool = m.pool(parent, slot.deep);
    const name = node.label.kind === 'name' ? node.label.name : undefined;

    if (name !== undefined && node.service !== undefined) {
      const whole = `${name} [${node.service}]`;
      if (pool.some((span) => printable(span.name) === whole)) {
        return `; a trailing [...] after a space is read as the service: to match the name "${whole}", write { name = "${whole}" }`;
      }
    }
    if (node.service !== undefined) {
      const anyService = { ...node, service: undefined };
      const other = pool.find((span) => labelMatches(anyService, span, trace));
      if (other) return `; ${spanName(other)} there is in service "${printable(other.service)}"`;
    }
    const elsewhere = trace.spans.find((span) => labelMatches(node, span, trace));
    if (elsewhere) {
      const itsParent = trace.parentOf(elsewhere);
      if (parent && !slot.deep && trace.isAncestor(parent, elsewhere) && itsParent) {
        return `; there is one deeper, under ${spanName(itsParent)}: put a ... line above it to allow spans in between`;
      }
      if (!itsParent) return '; there is one at the root of the trace';
      const another = parent && parent.name === itsParent.name ? 'another ' : '';
      return `; there is one under ${another}${spanName(itsParent)}`;
    }
    if (name !== undefined) {
      const names = new Set(pool.map((span) => printable(span.name)));
      const suggestion = nearest(name, names);
      if (suggestion !== undefined) return `; did you mean "${suggestion}"?`;
    }
    if (slot.deep) return '';
    if (parent) {
      const kids = trace.childrenOf(parent);
      return kids.length === 0
        ? `; ${spanName(parent)} has no children`
        : `; its children are ${listNames(kids)}`;
    }
    return trace.roots.length === 1
      ? `; the root is ${spanName(trace.roots[0] as Span)}`
      : `; the roots are ${listNames(trace.roots)}`;
  }

  /** Spans with the line's name are there, but other lines took them all. */
  #count(
    slot: Slot,
    parent: Span | undefined,
    labelled: readonly Span[],
    taken: readonly (Span | undefined)[],
    slots: readonly Slot[],
  ): Found {
    const holders = slots
      .filter((_, i) => taken[i] !== undefined && labelled.includes(taken[i] as Span))
      .map((s) => String(s.node.line));
    if (holders.length > 6) holders.splice(5, holders.length, `${holders.length - 5} others`);
    const where = parent
      ? `${slot.deep ? 'below' : 'under'} ${spanName(parent)}`
      : slot.deep
        ? 'in the trace'
        : 'at the root of the trace';
    const n = labelled.length;
    return this.#found({
      kind: 'count',
      expectedLine: slot.node.line,
      reason: `expected one more ${describeLine(slot.node)} ${where}, but ${n === 1 ? 'the only one there is' : `all ${n} there are`} taken by line${holders.length === 1 ? '' : 's'} ${listOf(holders)}`,
      label: `only ${n} there`,
      actualSpan: parent,
    });
  }

  #extra(extra: Span, parent: Span | undefined, owner: SpanExpectation): Found {
    const reason = parent
      ? `${spanName(parent)} has a child ${spanName(extra)} that the tree does not list`
      : `the trace has another root ${spanName(extra)} that the tree does not list`;
    return {
      mismatch: {
        kind: 'extra',
        expectedLine: owner.line,
        reason: `${reason} (strict: every child of a listed span must be listed too; list it, or add a ... line to allow others)`,
        label: `${parent ? 'unlisted child' : 'unlisted root'} ${spanName(extra)}`,
        actualSpan: extra,
        trace: this.#m.trace,
      },
      // Every line matched: as close as a failing trace gets.
      progress: this.#expectation.lines.length,
    };
  }

  /**
   * Each line has spans, but not in the listed order, or (under `...`) only inside each
   * other's subtrees. Replays the assignment greedily in line order to find the first
   * line that breaks it.
   */
  #arrangement(
    slots: readonly Slot[],
    candidates: readonly (readonly Span[])[],
  ): Found | undefined {
    const trace = this.#m.trace;
    const ordered = this.#m.ordered;
    const deep = slots.some((slot) => slot.deep);
    const used: Span[] = [];
    const related = (a: Span, b: Span) => trace.isAncestor(a, b) || trace.isAncestor(b, a);
    let last: { span: Span; line: number } | undefined;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as Slot;
      const free = [...(candidates[i] as Span[])]
        .filter((span) => !used.includes(span))
        .sort((a, b) => compareStartTime(a, b) || a.index - b.index);
      const options = free.filter(
        (span) =>
          (!ordered || !last || compareStartTime(span, last.span) >= 0) &&
          (!deep || used.every((u) => !related(u, span))),
      );
      const pick = options[0];
      if (pick) {
        used.push(pick);
        last = { span: pick, line: slot.node.line };
        continue;
      }
      const previous = last;
      const early =
        previous && ordered ? free.find((s) => compareStartTime(s, previous.span) < 0) : undefined;
      if (early && previous) {
        return this.#found({
          kind: 'order',
          expectedLine: slot.node.line,
          reason: `${spanName(early)} started at ${this.#offset(early)}, before ${spanName(previous.span)} (line ${previous.line}) at ${this.#offset(previous.span)}; ordered: true wants siblings to start in the order they are listed`,
          label: 'out of order',
          actualSpan: early,
        });
      }
      const inside = free[0];
      const container = inside && used.find((u) => related(u, inside));
      if (inside && container) {
        const holder = slots[used.indexOf(container)] as Slot;
        return this.#found({
          kind: 'overlap',
          expectedLine: slot.node.line,
          reason: `the only spans for this line are inside ${spanName(container)}, which line ${holder.node.line} matched; sibling lines match separate branches (indent this line under that one if it belongs there)`,
          label: `only inside line ${holder.node.line}`,
          actualSpan: inside,
        });
      }
    }
    return undefined;
  }

  /** Should not happen: every failure above has a reason. Kept so a bug reads as one. */
  #unexplained(owner: SpanExpectation | undefined): Found {
    const line = owner?.line ?? this.#expectation.lines[0]?.line ?? 1;
    return this.#found({
      kind: 'missing',
      expectedLine: line,
      reason:
        'the lines below this one have no valid assignment of spans (tracespec could not say why; please report this)',
      label: 'no match',
      actualSpan: undefined,
    });
  }

  #offset(span: Span): string {
    return `+${formatDuration(startOffsetNs(span, this.#m.trace))}`;
  }

  #found(mismatch: Omit<TreeMismatch, 'trace'>): Found {
    return {
      mismatch: { ...mismatch, trace: this.#m.trace },
      progress: this.#index.get(mismatch.expectedLine) ?? 0,
    };
  }
}

/** `"A", "B" and "C"`, at most six names. */
function listNames(spans: readonly Span[]): string {
  const names = spans.slice(0, 6).map(spanName);
  if (spans.length > 6) names.push(`${spans.length - 6} more`);
  return listOf(names);
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
