/**
 * The contract of tree assertions: what an expectation tree is once parsed, and what a
 * match reports. Plain data, so that the Jest matcher and the YAML spec runner read the
 * same result.
 */

import type { Span, Trace } from '../../model';
import type { Selector } from '../../query';

/** One comparison of a budget: `<300ms` is `{ op: '<', ns: 300_000_000 }`. */
export interface BudgetBound {
  readonly op: '<' | '<=' | '>' | '>=';
  readonly ns: number;
  /** As written, for messages: `<300ms`. */
  readonly text: string;
}

/** What a line says about one span. */
export interface SpanExpectation {
  readonly kind: 'span';
  /** 1-based line in the expectation text. */
  readonly line: number;
  /** 1-based column where the line's content starts (after guides and indentation). */
  readonly column: number;
  /** An exact span name (compared with the name as the reporter prints it) or a selector. */
  readonly label:
    | { readonly kind: 'name'; readonly name: string }
    | { readonly kind: 'selector'; readonly selector: Selector };
  /** `[orders]`: the span's `service.name` must be exactly this. */
  readonly service: string | undefined;
  /** `(>5ms, <300ms)`: every bound must hold for the span's duration. */
  readonly budget: readonly BudgetBound[];
  /** `✗ error` (and `✗ error: reason`): the span must have error status (and this reason). */
  readonly error: { readonly reason: string | undefined } | undefined;
  readonly children: readonly ExpectedNode[];
}

/** A `...` line: its children may match at any depth below its parent. */
export interface GapExpectation {
  readonly kind: 'gap';
  readonly line: number;
  readonly column: number;
  readonly children: readonly ExpectedNode[];
}

export type ExpectedNode = SpanExpectation | GapExpectation;

/** One non-blank line of the expectation, as the user wrote it (dedented). */
export interface ExpectationLine {
  readonly line: number;
  readonly text: string;
}

export interface TreeExpectation {
  /** The text as given. */
  readonly source: string;
  /** Non-blank lines, dedented, in order: what a failure message shows as "expected". */
  readonly lines: readonly ExpectationLine[];
  /** Top-level lines: each matches a root of the trace (any span under a top-level `...`). */
  readonly roots: readonly ExpectedNode[];
}

export interface TreeMatchOptions {
  /** No other spans at the matched levels: every child of a matched span must be listed. */
  readonly strict?: boolean;
  /** Siblings must start in the listed order. */
  readonly ordered?: boolean;
}

export type MismatchKind =
  /** No span where the line expects one. */
  | 'missing'
  /** Spans like it exist there, but fewer than the lines that ask for them. */
  | 'count'
  /** The span is there; its duration breaks the budget. */
  | 'budget'
  /** The span is there; its status (or error reason) is not the expected one. */
  | 'status'
  /** `strict`: a span that the tree does not list. */
  | 'extra'
  /** `ordered`: the span is there but starts before the one listed above it. */
  | 'order'
  /** Lines under one `...` found spans only inside each other's subtrees. */
  | 'overlap';

/** The first difference between the expectation and a trace. */
export interface TreeMismatch {
  readonly kind: MismatchKind;
  /** 1-based line of the expectation the difference is about. */
  readonly expectedLine: number;
  /** One sentence for a person: what was expected, what the trace has instead. */
  readonly reason: string;
  /** A few words for the mark beside the expected line: `missing`, `took 412ms`. */
  readonly label: string;
  /** The span the difference is about: the candidate, the extra span, or the parent a child is missing from. */
  readonly actualSpan: Span | undefined;
  /** The trace the mismatch is in. */
  readonly trace: Trace;
}

/** Which span each expected line matched. */
export interface LineMatch {
  readonly line: number;
  readonly span: Span;
}

export interface TreeMatchResult {
  readonly pass: boolean;
  /** The trace that matched, or the closest one when none did; undefined for no traces. */
  readonly trace: Trace | undefined;
  /** How many traces were tried. */
  readonly tried: number;
  /** On a pass: the span each span line matched, in line order. */
  readonly matches: readonly LineMatch[];
  /** On a failure with at least one trace: the first difference in the closest trace. */
  readonly mismatch: TreeMismatch | undefined;
}
