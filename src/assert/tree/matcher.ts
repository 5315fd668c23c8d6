import type { Span, Trace } from '../../model';
import { maximumMatching, searchAssignment } from './assign';
import { labelMatches, ownProblem } from './checks';
import type { ExpectedNode, LineMatch, SpanExpectation, TreeMatchOptions } from './types';

/** A span line among its siblings; `deep` when it sits under a `...`. */
export interface Slot {
  readonly node: SpanExpectation;
  readonly deep: boolean;
}

/** The span lines of one level, and whether a `...` there lets other spans in. */
export interface Level {
  readonly slots: readonly Slot[];
  readonly open: boolean;
}

const levels = new WeakMap<readonly ExpectedNode[], Level>();
const signatures = new WeakMap<ExpectedNode, string>();

/**
 * What a line and its subtree ask for, without line numbers: two lines with the same
 * signature fit exactly the same spans, with the same assignment below.
 */
function signature(node: ExpectedNode): string {
  let text = signatures.get(node);
  if (text === undefined) {
    const own =
      node.kind === 'gap'
        ? '...'
        : JSON.stringify([
            node.label.kind === 'name' ? node.label.name : `{${node.label.selector.text}`,
            node.service ?? null,
            node.budget.map((b) => `${b.op}${b.ns}`),
            node.error ? (node.error.reason ?? true) : null,
          ]);
    text = `${own}(${node.children.map(signature).join(',')})`;
    signatures.set(node, text);
  }
  return text;
}

/** Sibling lines as slots: the children of a `...` join their parent's level as deep slots. */
export function levelOf(children: readonly ExpectedNode[]): Level {
  let level = levels.get(children);
  if (level) return level;
  const slots: Slot[] = [];
  let open = false;
  const add = (nodes: readonly ExpectedNode[], deep: boolean) => {
    for (const node of nodes) {
      if (node.kind === 'span') slots.push({ node, deep });
      else {
        open = true;
        add(node.children, true);
      }
    }
  };
  add(children, false);
  level = { slots, open };
  levels.set(children, level);
  return level;
}

/**
 * Matches one expectation against one trace.
 *
 * `fits(line, span)`: the span satisfies the line (label, service, budget, error mark) and
 * the line's children can be given distinct spans below it.
 *
 * Cost: answers are memoised per (line subtree, span), so an expectation of E lines over a
 * trace of S spans needs at most E × S checks, fewer when lines repeat (identical subtrees
 * share answers). Each check filters the span's children (its descendants, under `...`)
 * and gives the sibling lines spans: Kuhn's augmenting paths, O(k × c) for k lines and c
 * candidate pairs, or, with `ordered` or lines under `...`, the search of
 * `searchAssignment`. 300 look-alike lines over 600 spans take about 0.2 s (see the test
 * "realistic sizes stay fast").
 */
export class TreeMatcher {
  readonly trace: Trace;
  readonly strict: boolean;
  readonly ordered: boolean;
  /** By subtree signature: look-alike lines (N identical queries) share their answers. */
  readonly #fits = new Map<string, Map<Span, Span[] | null>>();
  readonly #descendants = new Map<Span, readonly Span[]>();

  constructor(trace: Trace, options: TreeMatchOptions = {}) {
    this.trace = trace;
    this.strict = options.strict === true;
    this.ordered = options.ordered === true;
  }

  /** Where a slot may find its span: children (or descendants) of `parent`; roots (or all) at the top. */
  pool(parent: Span | undefined, deep: boolean): readonly Span[] {
    if (!parent) return deep ? this.trace.spans : this.trace.roots;
    if (!deep) return this.trace.childrenOf(parent);
    let list = this.#descendants.get(parent);
    if (!list) {
      list = this.trace.descendantsOf(parent);
      this.#descendants.set(parent, list);
    }
    return list;
  }

  fits(node: SpanExpectation, span: Span): boolean {
    return this.#assignmentBelow(node, span) !== null;
  }

  /**
   * Spans for the slots of `children` below `parent` (the trace's top when undefined), in
   * slot order, or undefined when there is no valid assignment.
   */
  assign(children: readonly ExpectedNode[], parent: Span | undefined): Span[] | undefined {
    const { slots, open } = levelOf(children);
    const direct = this.pool(parent, false);
    // Strict without `...`: the listed lines and the actual children correspond one to one.
    if (this.strict && !open && slots.length !== direct.length) return undefined;
    if (slots.length === 0) return [];
    const candidates = this.candidates(slots, parent);
    if (candidates.some((list) => list.length === 0)) return undefined;
    const deep = slots.some((slot) => slot.deep);
    if (!this.ordered && !deep) {
      const taken = maximumMatching(candidates);
      return taken.every((span) => span !== undefined) ? (taken as Span[]) : undefined;
    }
    // A cheap necessary condition first: most failures end here, without a search.
    if (maximumMatching(candidates).some((span) => span === undefined)) return undefined;
    return searchAssignment(candidates, {
      trace: this.trace,
      ordered: this.ordered,
      disjoint: deep,
    });
  }

  /** For each slot, the spans of its pool that fit it. */
  candidates(slots: readonly Slot[], parent: Span | undefined): Span[][] {
    return slots.map((slot) =>
      this.pool(parent, slot.deep).filter((span) => this.fits(slot.node, span)),
    );
  }

  /** After a successful top-level assignment: the span of every span line, in line order. */
  collect(roots: readonly ExpectedNode[], assigned: readonly Span[]): LineMatch[] {
    const out: LineMatch[] = [];
    const walk = (children: readonly ExpectedNode[], spans: readonly Span[]) => {
      levelOf(children).slots.forEach((slot, i) => {
        const span = spans[i] as Span;
        out.push({ line: slot.node.line, span });
        walk(slot.node.children, this.#assignmentBelow(slot.node, span) ?? []);
      });
    };
    walk(roots, assigned);
    return out.sort((a, b) => a.line - b.line);
  }

  #assignmentBelow(node: SpanExpectation, span: Span): Span[] | null {
    const key = signature(node);
    let memo = this.#fits.get(key);
    if (!memo) {
      memo = new Map();
      this.#fits.set(key, memo);
    }
    const known = memo.get(span);
    if (known !== undefined) return known;
    // Provisionally "no": a line cannot fit a span through itself (and trees have no cycles).
    memo.set(span, null);
    const result =
      labelMatches(node, span, this.trace) && ownProblem(node, span) === undefined
        ? (this.assign(node.children, span) ?? null)
        : null;
    memo.set(span, result);
    return result;
  }
}
