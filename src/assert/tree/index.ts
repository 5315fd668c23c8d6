/**
 * Trace trees as assertions: the tree notation of DESIGN.md read as an expectation,
 * matched against traces, and the failure drawn as expected beside actual. Also the
 * stable text of a tree that snapshots store.
 */

export { TreeSyntaxError } from './errors';
export { matchTraceTree } from './match';
export { parseTreeExpectation } from './parse';
export { type RenderOptions, renderTreeMatch, renderTreeMismatch } from './render';
export { stableTreeText } from './stable-text';
export type {
  BudgetBound,
  ExpectationLine,
  ExpectedNode,
  GapExpectation,
  LineMatch,
  MismatchKind,
  SpanExpectation,
  TreeExpectation,
  TreeMatchOptions,
  TreeMatchResult,
  TreeMismatch,
} from './types';
