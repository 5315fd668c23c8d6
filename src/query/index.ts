/**
 * The selector language: a subset of Grafana Tempo's TraceQL, parsed once and compiled to
 * closures, plus plain-object and function selectors for people who prefer code.
 *
 * ```ts
 * select(trace, '{ name = "POST /api/checkout" } >> { status = error }');
 * select(traces, { name: 'Payment Gateway API', kind: 'client' });
 * matches(span, trace, '{ type = database && duration > 50ms }');
 * ```
 *
 * A selector that tracespec accepts means the same in Tempo, with these exceptions:
 * - `type` (http, database, messaging, rpc, cache, faas, general) is ours; see `spanType`.
 * - Regexes run on JavaScript's engine, anchored as Tempo anchors them. A leading `(?i)`,
 *   `(?m)` or `(?s)` and `(?P<name>` are translated; other RE2-only syntax is not.
 * - `a || b && c` is rejected: Tempo reads it as `(a || b) && c`, which nobody expects.
 * - Spans without a parent in the trace (the root, orphans) have no siblings for `~`.
 * - Not supported (each named in its error): arithmetic, `parent.`/`event.`/`link.`
 *   scopes, negated and union structural operators (`!>>`, `&>>`...), `by()`,
 *   `select()`, `coalesce()`, metrics functions, scalar filters with an aggregate on both
 *   sides, and duration units beyond `h` (`d`, `w`, `y`).
 */

export type {
  AggregateFn,
  AggregateStage,
  AttributeNode,
  AttributeScope,
  CompareNode,
  CompareOp,
  Expr,
  FieldExpr,
  FilterNode,
  IntrinsicNode,
  Literal,
  LogicNode,
  LogicOp,
  NotNode,
  OrderOp,
  PipelineNode,
  SpansetExpr,
  SpansetLogicNode,
  Stage,
  StructuralNode,
  StructuralOp,
} from './ast';
export { SelectorError } from './errors';
export { printSelector } from './print';
export {
  compileSelector,
  describeSelector,
  matches,
  parseSelector,
  type SelectOptions,
  Selector,
  type SelectorInput,
  type SpanMatcher,
  type SpanPredicateFunction,
  select,
} from './selector';
export { deepEqual, type EqualityTester, type SpanFilter } from './span-filter';
export { SPAN_TYPES, type SpanType, spanType } from './span-type';
