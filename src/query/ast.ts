/**
 * The parsed form of a selector. Plain data: no positions (the parser keeps those in a
 * side table), so that two parses of equivalent text compare equal with `toEqual`.
 */

/** A set of spans per trace: what `{ ... }`, structural operators and pipelines produce. */
export type SpansetExpr = FilterNode | StructuralNode | SpansetLogicNode | PipelineNode;

/** `{ where }`; `where` is undefined for `{ }`, which matches every span. */
export interface FilterNode {
  readonly kind: 'filter';
  readonly where: Expr | undefined;
}

/**
 * `>` child, `>>` descendant, `<` parent, `<<` ancestor, `~` sibling. Each returns spans
 * of the right-hand side, as in Tempo.
 */
export type StructuralOp = '>' | '>>' | '<' | '<<' | '~';

export interface StructuralNode {
  readonly kind: 'structural';
  readonly op: StructuralOp;
  readonly left: SpansetExpr;
  readonly right: SpansetExpr;
}

/** `{A} && {B}`: traces holding both, spans of both. `{A} || {B}`: the union. */
export interface SpansetLogicNode {
  readonly kind: 'spansetLogic';
  readonly op: LogicOp;
  readonly left: SpansetExpr;
  readonly right: SpansetExpr;
}

/** `source | stage | stage`: each stage keeps or drops a trace's spanset, or narrows it. */
export interface PipelineNode {
  readonly kind: 'pipeline';
  readonly source: SpansetExpr;
  readonly stages: readonly Stage[];
}

export type Stage = AggregateStage | FilterNode;

export type AggregateFn = 'count' | 'avg' | 'min' | 'max' | 'sum';

/** `count() > 3`, `avg(duration) < 200ms`; `field` is undefined for count. */
export interface AggregateStage {
  readonly kind: 'aggregate';
  readonly fn: AggregateFn;
  readonly field: FieldExpr | undefined;
  readonly op: OrderOp;
  readonly value: NumberLiteral | DurationLiteral;
}

export type LogicOp = '&&' | '||';
export type OrderOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type CompareOp = OrderOp | '=~' | '!~';

/** What can appear inside `{ }`. */
export type Expr = LogicNode | NotNode | CompareNode | FieldExpr | Literal;

export interface LogicNode {
  readonly kind: 'logic';
  readonly op: LogicOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: Expr;
}

export interface CompareNode {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: Expr;
  readonly right: Expr;
}

export type FieldExpr = IntrinsicNode | AttributeNode;

/** `name`, `span:name`, `trace:duration`... `name` is kept as written. */
export interface IntrinsicNode {
  readonly kind: 'intrinsic';
  readonly name: string;
}

/** `span.x` (span), `resource.x` (resource), `.x` (span, then resource). */
export type AttributeScope = 'span' | 'resource' | 'any';

export interface AttributeNode {
  readonly kind: 'attribute';
  readonly scope: AttributeScope;
  readonly name: string;
}

export type Literal =
  | StringLiteral
  | NumberLiteral
  | DurationLiteral
  | BooleanLiteral
  | NilLiteral
  | EnumLiteral;

export interface StringLiteral {
  readonly kind: 'literal';
  readonly type: 'string';
  readonly value: string;
}

/** Integers beyond 2^53 are kept exact as bigint, to compare with int64 attributes. */
export interface NumberLiteral {
  readonly kind: 'literal';
  readonly type: 'int' | 'float';
  readonly value: number | bigint;
}

/** Nanoseconds. */
export interface DurationLiteral {
  readonly kind: 'literal';
  readonly type: 'duration';
  readonly value: number;
}

export interface BooleanLiteral {
  readonly kind: 'literal';
  readonly type: 'bool';
  readonly value: boolean;
}

/** `nil`: the attribute is missing. */
export interface NilLiteral {
  readonly kind: 'literal';
  readonly type: 'nil';
  readonly value: null;
}

/** A bare word: a status (`error`), a kind (`server`) or a span type (`database`). */
export interface EnumLiteral {
  readonly kind: 'literal';
  readonly type: 'status' | 'kind' | 'spanType';
  readonly value: string;
}

export type EnumType = EnumLiteral['type'];
