import type {
  AggregateFn,
  AggregateStage,
  AttributeNode,
  CompareOp,
  Expr,
  FieldExpr,
  FilterNode,
  LogicOp,
  OrderOp,
  SpansetExpr,
  Stage,
  StructuralOp,
} from './ast';
import { didYouMean, listOr, nearest, positionOf, SelectorError, type TextRange } from './errors';
import { ENUM_VALUES, enumTypeOf, INTRINSICS, UNSUPPORTED_INTRINSICS } from './intrinsics';
import { type Token, tokenize } from './lexer';

/**
 * Recursive-descent parser for the selector language.
 *
 * ```
 * selector   = pipeline
 * pipeline   = setLogic { "|" stage }
 * setLogic   = structural { ("&&" | "||") structural }
 * structural = setPrimary { (">" | ">>" | "<" | "<<" | "~") setPrimary }
 * setPrimary = filter | "(" pipeline ")"
 * filter     = "{" [ expr ] "}"
 * stage      = filter | "count" "(" ")" orderOp number
 *            | ("avg" | "min" | "max" | "sum") "(" field ")" orderOp (number | duration)
 * expr       = comparison { ("&&" | "||") comparison }
 * comparison = unary [ compareOp unary ]
 * unary      = "!" unary | operand
 * operand    = "(" expr ")" | field | literal
 * ```
 *
 * Precedence follows Tempo: `|` is loosest, then `&&`/`||`, then the structural operators
 * (all left-associative), and `!` binds tighter than a comparison (`!a = b` is `(!a) = b`).
 * Tempo gives `&&` and `||` the same precedence, so `a || b && c` means `(a || b) && c`
 * there; that surprises nearly everyone, so tracespec asks for parentheses instead of
 * silently meaning something else than either reading.
 */

export interface ParseResult {
  readonly ast: SpansetExpr;
  /** Where each node came from, for messages from later stages. */
  readonly ranges: ReadonlyMap<object, TextRange>;
}

export function parseQuery(text: string): ParseResult {
  return new Parser(text).parse();
}

const STRUCTURAL_OPS = new Set<string>(['>', '>>', '<', '<<', '~']);
const UNSUPPORTED_STRUCTURAL = new Set([
  '!>',
  '!>>',
  '!<',
  '!<<',
  '!~',
  '&>',
  '&>>',
  '&<',
  '&<<',
  '&~',
]);
const COMPARE_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=', '=~', '!~']);
const ORDER_OPS = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '^']);
const AGGREGATES = new Set<string>(['count', 'avg', 'min', 'max', 'sum']);
const UNSUPPORTED_STAGES = new Set([
  'by',
  'select',
  'coalesce',
  'rate',
  'count_over_time',
  'min_over_time',
  'max_over_time',
  'avg_over_time',
  'sum_over_time',
  'quantile_over_time',
  'histogram_over_time',
  'compare',
  'topk',
  'bottomk',
  'with',
]);
const UNSUPPORTED_SCOPES = new Set(['parent', 'event', 'link', 'instrumentation', 'trace']);
const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h']);
const STAGE_CHOICES = 'count(), avg(), min(), max(), sum() or a { } filter';

class Parser {
  readonly #text: string;
  readonly #tokens: Token[];
  #i = 0;
  readonly #ranges = new Map<object, TextRange>();

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenize(text);
  }

  parse(): ParseResult {
    if (this.#peek().type === 'eof') {
      this.#fail('the selector is empty; write { } to select every span', this.#peek());
    }
    const ast = this.#pipeline();
    const t = this.#peek();
    if (t.type !== 'eof') {
      if (isPunct(t, '}')) this.#fail('unexpected }: there is no { for it to close', t);
      if (isPunct(t, ')')) this.#fail('unexpected ): there is no ( for it to close', t);
      this.#fail(
        'expected an operator between spansets (>, >>, <, <<, ~, && or ||), a | or the end of the selector',
        t,
      );
    }
    return { ast, ranges: this.#ranges };
  }

  // ---------------------------------------------------------------- tokens

  #peek(): Token {
    return this.#tokens[this.#i] as Token;
  }

  #next(): Token {
    const t = this.#tokens[this.#i] as Token;
    if (t.type !== 'eof') this.#i++;
    return t;
  }

  #previous(): Token | undefined {
    return this.#tokens[this.#i - 1];
  }

  #fail(problem: string, at: TextRange): never {
    throw new SelectorError(problem, this.#text, at);
  }

  #node<T extends object>(node: T, start: number): T {
    const end = this.#previous()?.end ?? start;
    this.#ranges.set(node, { start, end: Math.max(end, start) });
    return node;
  }

  #source(range: TextRange | undefined): string {
    return range ? this.#text.slice(range.start, range.end) : '';
  }

  /** How a token reads in a message: `"name"`, `the end of the selector`. */
  #describe(t: Token): string {
    return t.type === 'eof' ? 'the end of the selector' : quote(this.#text.slice(t.start, t.end));
  }

  // ---------------------------------------------------------------- spansets

  #pipeline(): SpansetExpr {
    const start = this.#peek().start;
    const source = this.#setLogic();
    const stages: Stage[] = [];
    while (isPunct(this.#peek(), '|')) {
      this.#next();
      stages.push(this.#stage());
    }
    if (stages.length === 0) return source;
    return this.#node({ kind: 'pipeline', source, stages }, start);
  }

  #setLogic(): SpansetExpr {
    return this.#logicChain(
      () => this.#structural(),
      (op, left, right): SpansetExpr => ({ kind: 'spansetLogic', op, left, right }),
    );
  }

  /**
   * `operand (&& | ||) operand ...`, left-associative, for spansets and conditions alike;
   * `a || b && c` is refused (Tempo reads it as `(a || b) && c`).
   */
  #logicChain<T extends object>(operand: () => T, make: (op: LogicOp, left: T, right: T) => T): T {
    const start = this.#peek().start;
    let left = operand();
    let sawOr = false;
    for (;;) {
      const t = this.#peek();
      if (t.type !== 'punct' || (t.value !== '&&' && t.value !== '||')) return left;
      const op: LogicOp = t.value;
      if (op === '&&' && sawOr) this.#mixedLogic(t);
      sawOr ||= op === '||';
      this.#next();
      left = this.#node(make(op, left, operand()), start);
    }
  }

  #structural(): SpansetExpr {
    const start = this.#peek().start;
    let left = this.#setPrimary();
    for (;;) {
      const t = this.#peek();
      if (t.type === 'punct' && UNSUPPORTED_STRUCTURAL.has(t.value)) {
        this.#fail(
          `the structural operator ${t.value} is not supported by tracespec; use >, >>, <, << or ~`,
          t,
        );
      }
      if (t.type !== 'punct' || !STRUCTURAL_OPS.has(t.value)) return left;
      this.#next();
      const right = this.#setPrimary();
      left = this.#node({ kind: 'structural', op: t.value as StructuralOp, left, right }, start);
    }
  }

  #setPrimary(): SpansetExpr {
    const t = this.#peek();
    if (isPunct(t, '{')) return this.#filter();
    if (isPunct(t, '(')) {
      this.#next();
      const inner = this.#pipeline();
      this.#closeParen(t);
      return inner;
    }
    const after = this.#previous();
    if (t.type === 'eof' && after) {
      this.#fail(`expected a spanset such as { name = "x" } after ${this.#describe(after)}`, t);
    }
    if (t.type === 'word' || t.type === 'attribute') {
      this.#fail('expected { : a spanset filter is written in braces, e.g. { name = "x" }', t);
    }
    return this.#fail(`expected a spanset such as { name = "x" }, found ${this.#describe(t)}`, t);
  }

  #closeParen(open: Token): void {
    const t = this.#peek();
    if (isPunct(t, ')')) {
      this.#next();
      return;
    }
    if (t.type === 'eof') {
      this.#fail(
        `unterminated (: the parenthesis at ${positionOf(this.#text, open.start)} is never closed`,
        open,
      );
    }
    this.#fail(
      `expected ) to close the ( at ${positionOf(this.#text, open.start)}, found ${this.#describe(t)}`,
      t,
    );
  }

  #filter(): FilterNode {
    const open = this.#next();
    if (isPunct(this.#peek(), '}')) {
      this.#next();
      return this.#node({ kind: 'filter', where: undefined }, open.start);
    }
    const where = this.#expr();
    const t = this.#peek();
    if (isPunct(t, '}')) {
      this.#next();
      return this.#node({ kind: 'filter', where }, open.start);
    }
    if (t.type === 'eof') {
      this.#fail(
        `unterminated {: the brace at ${positionOf(this.#text, open.start)} is never closed`,
        open,
      );
    }
    if (t.type === 'punct' && ARITHMETIC.has(t.value)) this.#arithmetic(t);
    const before = this.#previous() as Token;
    if (before.type === 'number' && t.type === 'word' && DURATION_UNITS.has(t.value)) {
      const written = `${this.#text.slice(before.start, before.end)}${t.value}`;
      this.#fail(`a duration is written without a space: ${written}`, {
        start: before.start,
        end: t.end,
      });
    }
    return this.#fail(
      `expected &&, || or } after ${this.#describe(this.#previous() as Token)}, found ${this.#describe(t)}`,
      t,
    );
  }

  #stage(): Stage {
    const t = this.#peek();
    if (isPunct(t, '{')) return this.#filter();
    if (t.type === 'word' && AGGREGATES.has(t.value)) return this.#aggregate();
    if (t.type === 'word' && UNSUPPORTED_STAGES.has(t.value)) {
      this.#fail(`${t.value}() is not supported by tracespec; after | write ${STAGE_CHOICES}`, t);
    }
    return this.#fail(`expected ${STAGE_CHOICES} after "|"`, t);
  }

  #aggregate(): AggregateStage {
    const nameToken = this.#next();
    const fn = (nameToken as { value: string }).value as AggregateFn;
    const open = this.#peek();
    if (!isPunct(open, '(')) {
      this.#fail(`expected ( after ${fn}: write ${fn}(${fn === 'count' ? '' : 'duration'})`, open);
    }
    this.#next();
    let field: FieldExpr | undefined;
    if (fn === 'count') {
      if (!isPunct(this.#peek(), ')')) this.#fail('count() takes no argument', this.#peek());
    } else {
      if (isPunct(this.#peek(), ')')) {
        this.#fail(
          `${fn}() needs a field, e.g. ${fn}(duration) or ${fn}(span.db.rows)`,
          this.#peek(),
        );
      }
      const operand = this.#operand();
      if (operand.kind !== 'intrinsic' && operand.kind !== 'attribute') {
        this.#fail(
          `${fn}() needs a field such as duration or span.x`,
          this.#ranges.get(operand) ?? open,
        );
      }
      field = operand;
    }
    this.#closeParen(open);
    const opToken = this.#peek();
    if (opToken.type !== 'punct' || !ORDER_OPS.has(opToken.value)) {
      this.#fail(
        `expected a comparison such as > after ${fn}(), e.g. | ${fn}(${field ? 'duration' : ''}) > ${field ? '300ms' : '3'}`,
        opToken,
      );
    }
    this.#next();
    const v = this.#peek();
    if (v.type !== 'number' && v.type !== 'duration') {
      this.#fail(`expected a number or a duration after "${opToken.value}"`, v);
    }
    this.#next();
    const value =
      v.type === 'number'
        ? this.#node({ kind: 'literal' as const, type: v.numberType, value: v.value }, v.start)
        : this.#node(
            { kind: 'literal' as const, type: 'duration' as const, value: v.value },
            v.start,
          );
    return this.#node(
      { kind: 'aggregate', fn, field, op: opToken.value as OrderOp, value },
      nameToken.start,
    );
  }

  // ---------------------------------------------------------------- conditions

  #expr(): Expr {
    return this.#logicChain(
      () => this.#comparison(),
      (op, left, right): Expr => ({ kind: 'logic', op, left, right }),
    );
  }

  #mixedLogic(at: Token): never {
    return this.#fail(
      '&& after || needs parentheses: Tempo reads a || b && c as (a || b) && c, unlike most languages; write (a || b) && c or a || (b && c)',
      at,
    );
  }

  #comparison(): Expr {
    const start = this.#peek().start;
    const left = this.#unary(undefined);
    const t = this.#peek();
    if (t.type === 'punct' && ARITHMETIC.has(t.value)) this.#arithmetic(t);
    if (t.type !== 'punct' || !COMPARE_OPS.has(t.value)) {
      if (startsOperand(t)) {
        const shown = this.#source(this.#ranges.get(left));
        this.#fail(`expected an operator such as = or =~ after ${quote(shown)}`, t);
      }
      return left;
    }
    this.#next();
    const right = this.#unary(left);
    const after = this.#peek();
    if (after.type === 'punct' && COMPARE_OPS.has(after.value)) {
      this.#fail('comparisons do not chain; join them with &&, e.g. a > 1 && a < 5', after);
    }
    if (after.type === 'punct' && ARITHMETIC.has(after.value)) this.#arithmetic(after);
    return this.#node({ kind: 'compare', op: t.value as CompareOp, left, right }, start);
  }

  #arithmetic(t: Token): never {
    return this.#fail(
      `arithmetic (${this.#text.slice(t.start, t.end)}) is not supported by tracespec selectors`,
      t,
    );
  }

  /** `comparedWith` is the left side when this is the right side of a comparison. */
  #unary(comparedWith: Expr | undefined): Expr {
    const t = this.#peek();
    if (isPunct(t, '!')) {
      this.#next();
      const operand = this.#unary(comparedWith);
      return this.#node({ kind: 'not', operand }, t.start);
    }
    return this.#operand(comparedWith);
  }

  #operand(comparedWith?: Expr): Expr {
    const t = this.#peek();
    switch (t.type) {
      case 'punct':
        if (t.value === '(') {
          this.#next();
          const inner = this.#expr();
          this.#closeParen(t);
          // The range of a parenthesised expression includes its parentheses.
          this.#ranges.set(inner, { start: t.start, end: (this.#previous() as Token).end });
          return inner;
        }
        return this.#missingOperand(t);
      case 'attribute':
        this.#next();
        return this.#node(this.#attribute(t), t.start);
      case 'word':
        this.#next();
        return this.#node(this.#word(t, comparedWith), t.start);
      case 'string':
        this.#next();
        return this.#node({ kind: 'literal', type: 'string', value: t.value }, t.start);
      case 'number':
        this.#next();
        return this.#node({ kind: 'literal', type: t.numberType, value: t.value }, t.start);
      case 'duration':
        this.#next();
        return this.#node({ kind: 'literal', type: 'duration', value: t.value }, t.start);
      case 'eof':
        return this.#missingOperand(t);
    }
  }

  #missingOperand(t: Token): never {
    const before = this.#previous();
    if (isPunct(t, '{')) this.#fail('spanset filters do not nest: close the { } first', t);
    if (t.type === 'punct' && t.value === '-') {
      this.#fail('a minus sign is only supported in front of a number or a duration', t);
    }
    if (before?.type === 'punct' && COMPARE_OPS.has(before.value)) {
      this.#fail(`expected a value after "${before.value}", found ${this.#describe(t)}`, t);
    }
    if (before && before.type === 'punct' && before.value !== '{' && before.value !== '(') {
      this.#fail(`expected a condition after "${before.value}", found ${this.#describe(t)}`, t);
    }
    return this.#fail(`expected a condition such as name = "x", found ${this.#describe(t)}`, t);
  }

  #attribute(t: Extract<Token, { type: 'attribute' }>): AttributeNode {
    if (t.scope === '') return { kind: 'attribute', scope: 'any', name: t.name };
    if (t.scope === 'span' || t.scope === 'resource') {
      return { kind: 'attribute', scope: t.scope, name: t.name };
    }
    if (UNSUPPORTED_SCOPES.has(t.scope)) {
      this.#fail(
        `${t.scope}. attributes are not supported by tracespec; the scopes are span., resource. and . (span, then resource)`,
        t,
      );
    }
    const scope = nearest(t.scope, ['span', 'resource']);
    if (scope !== undefined) {
      this.#fail(`unknown scope "${t.scope}"; did you mean "${scope}.${t.name}"?`, t);
    }
    const dotted = `${t.scope}.${t.name}`;
    return this.#fail(
      `unknown intrinsic "${dotted}"; an attribute needs a scope: span.${dotted}, resource.${dotted} or .${dotted}`,
      t,
    );
  }

  #word(t: Extract<Token, { type: 'word' }>, comparedWith: Expr | undefined): Expr {
    const w = t.value;
    if (w === 'true' || w === 'false') {
      return { kind: 'literal', type: 'bool', value: w === 'true' };
    }
    if (w === 'nil') return { kind: 'literal', type: 'nil', value: null };
    const enumType = enumTypeOf(w);
    if (enumType) return { kind: 'literal', type: enumType, value: w };
    if (INTRINSICS.has(w)) return { kind: 'intrinsic', name: w };
    if (UNSUPPORTED_INTRINSICS.has(w)) {
      this.#fail(`"${w}" is a Tempo intrinsic that tracespec does not support`, t);
    }
    if (AGGREGATES.has(w) && isPunct(this.#peek(), '(')) {
      this.#fail(
        `${w}() is an aggregate: write it after a pipe, e.g. { } | ${w}(${w === 'count' ? '' : 'duration'}) > 1`,
        t,
      );
    }
    if (comparedWith?.kind === 'intrinsic') {
      const type = INTRINSICS.get(comparedWith.name)?.type;
      if (type === 'status' || type === 'kind' || type === 'spanType') {
        const values = ENUM_VALUES[type];
        const suggestion = nearest(w, values);
        const list = `${comparedWith.name} is one of ${listOr(values)}`;
        this.#fail(
          suggestion === undefined
            ? `unknown ${comparedWith.name} "${w}"; ${list}`
            : `unknown ${comparedWith.name} "${w}"; did you mean "${suggestion}"? ${list}`,
          t,
        );
      }
    }
    if (comparedWith) {
      const suggestion = nearest(w, [...INTRINSICS.keys(), 'true', 'false', 'nil']);
      this.#fail(
        suggestion === undefined
          ? `unknown word "${w}"; a string needs quotes: "${w}"`
          : `unknown word "${w}"${didYouMean(suggestion)} (a string needs quotes: "${w}")`,
        t,
      );
    }
    const suggestion = nearest(w, INTRINSICS.keys());
    return this.#fail(
      suggestion === undefined
        ? `unknown intrinsic "${w}"; attributes are written span.${w}, resource.${w} or .${w}`
        : `unknown intrinsic "${w}"${didYouMean(suggestion)}`,
      t,
    );
  }
}

/** Quotes for a bit of selector text, unless it is a string literal that has its own. */
function quote(text: string): string {
  return /^["`]/.test(text) ? text : `"${text}"`;
}

function isPunct(t: Token, value: string): boolean {
  return t.type === 'punct' && t.value === value;
}

function startsOperand(t: Token): boolean {
  return (
    t.type === 'word' ||
    t.type === 'attribute' ||
    t.type === 'string' ||
    t.type === 'number' ||
    t.type === 'duration' ||
    isPunct(t, '(')
  );
}
