import type { Span, Trace } from '../model';
import type {
  AggregateStage,
  CompareNode,
  CompareOp,
  Expr,
  Literal,
  OrderOp,
  SpansetExpr,
  Stage,
} from './ast';
import {
  compareNumbers,
  compareValues,
  compileRegex,
  flip,
  holds,
  isNumeric,
  testAgainst,
  testRegex,
} from './compare';
import { listOr, SelectorError, type TextRange } from './errors';
import { describeType, ENUM_VALUES, type Getter, INTRINSICS, type ValueType } from './intrinsics';
import { printExpr } from './print';
import { STRUCTURAL } from './structural';

export type SpanPredicate = (span: Span, trace: Trace) => boolean;

/** A selector ready to run: closures built once, then called per span or per trace. */
export interface CompiledQuery {
  /**
   * Set when the selector decides span by span (a single `{ }` filter, a plain object, a
   * function): callers can then skip building a mask per trace.
   */
  readonly spanPredicate: SpanPredicate | undefined;
  /** The selected spans of one trace: a 1 at the index of each. */
  evaluate(trace: Trace): Uint8Array;
}

/** The text a tree was parsed from, so that messages can point into it. */
export interface SourceInfo {
  readonly text: string;
  readonly ranges: ReadonlyMap<object, TextRange>;
}

export function compileQuery(ast: SpansetExpr, source?: SourceInfo): CompiledQuery {
  return new Compiler(source).query(ast);
}

/** Build a mask per trace from a per-span test. */
export function maskOf(predicate: SpanPredicate, trace: Trace): Uint8Array {
  const spans = trace.spans;
  const out = new Uint8Array(spans.length);
  for (let i = 0; i < spans.length; i++) if (predicate(spans[i] as Span, trace)) out[i] = 1;
  return out;
}

type SetEval = (trace: Trace) => Uint8Array;
type StageEval = (trace: Trace, mask: Uint8Array) => Uint8Array;

interface Operand {
  readonly type: ValueType;
  readonly get: Getter;
  /** Present for literals: the value, known before any span is seen. */
  readonly constant?: { readonly value: Constant };
}

type Constant = string | number | bigint | boolean | undefined;

class Compiler {
  readonly #source: SourceInfo | undefined;

  constructor(source: SourceInfo | undefined) {
    this.#source = source;
  }

  query(ast: SpansetExpr): CompiledQuery {
    if (ast.kind === 'filter') {
      const predicate = this.#filterPredicate(ast.where);
      return { spanPredicate: predicate, evaluate: (trace) => maskOf(predicate, trace) };
    }
    return { spanPredicate: undefined, evaluate: this.#set(ast) };
  }

  #fail(problem: string, node: object): never {
    throw new SelectorError(problem, this.#source?.text, this.#source?.ranges.get(node));
  }

  /** The node as the user wrote it, or printed when there is no source text. */
  #show(node: Expr): string {
    const range = this.#source?.ranges.get(node);
    return range
      ? (this.#source as SourceInfo).text.slice(range.start, range.end)
      : printExpr(node);
  }

  // ---------------------------------------------------------------- spansets

  #set(node: SpansetExpr): SetEval {
    switch (node.kind) {
      case 'filter': {
        const predicate = this.#filterPredicate(node.where);
        return (trace) => maskOf(predicate, trace);
      }
      case 'structural': {
        const left = this.#set(node.left);
        const right = this.#set(node.right);
        const op = STRUCTURAL[node.op];
        return (trace) => {
          const a = left(trace);
          if (isEmpty(a)) return a;
          const b = right(trace);
          if (isEmpty(b)) return b;
          return op(trace.structure.parent, a, b);
        };
      }
      case 'spansetLogic': {
        const left = this.#set(node.left);
        const right = this.#set(node.right);
        if (node.op === '||') return (trace) => union(left(trace), right(trace));
        // Both spansets must be present in the trace; the result holds the spans of both.
        return (trace) => {
          const a = left(trace);
          if (isEmpty(a)) return a;
          const b = right(trace);
          if (isEmpty(b)) return b;
          return union(a, b);
        };
      }
      case 'pipeline': {
        const source = this.#set(node.source);
        const stages = node.stages.map((s) => this.#stage(s));
        return (trace) => {
          let mask = source(trace);
          for (const stage of stages) {
            if (isEmpty(mask)) return mask;
            mask = stage(trace, mask);
          }
          return mask;
        };
      }
    }
  }

  #filterPredicate(where: Expr | undefined): SpanPredicate {
    return where === undefined ? () => true : this.#condition(where);
  }

  #stage(stage: Stage): StageEval {
    if (stage.kind === 'filter') {
      const predicate = this.#filterPredicate(stage.where);
      return (trace, mask) => {
        const spans = trace.spans;
        const out = new Uint8Array(mask.length);
        for (let i = 0; i < mask.length; i++) {
          if (mask[i] && predicate(spans[i] as Span, trace)) out[i] = 1;
        }
        return out;
      };
    }
    return this.#aggregate(stage);
  }

  /**
   * `| count() > 3`, `| avg(duration) > 200ms`: keeps the trace's spanset or drops it.
   * Spans without a numeric value of the field are skipped; when none has one, the
   * trace is dropped (as in Tempo).
   */
  #aggregate(stage: AggregateStage): StageEval {
    const { fn, op } = stage;
    const limit = stage.value.value;
    const isDuration = stage.value.type === 'duration';
    if (stage.field === undefined) {
      if (isDuration)
        this.#fail('count() is a number of spans: compare it with a number such as 3', stage.value);
      return (_, mask) => (holds(op, compareNumbers(countOnes(mask), limit)) ? mask : empty(mask));
    }
    const field = this.#operand(stage.field);
    const shown = `${fn}(${this.#show(stage.field)})`;
    if (field.type === 'duration' && !isDuration) {
      this.#fail(`${shown} is a duration: compare it with a duration such as 300ms`, stage.value);
    }
    if ((field.type === 'number' || field.type === 'dynamic') && isDuration) {
      this.#fail(
        `${shown} is a number (attributes hold numbers, not durations): compare it with a number`,
        stage.value,
      );
    }
    if (field.type !== 'duration' && field.type !== 'number' && field.type !== 'dynamic') {
      this.#fail(
        `${fn}() needs a numeric field such as duration; ${this.#show(stage.field)} is ${describeType(field.type)}`,
        stage.field,
      );
    }
    const get = field.get;
    return (trace, mask) => {
      const spans = trace.spans;
      let count = 0;
      let acc = 0;
      for (let i = 0; i < mask.length; i++) {
        if (!mask[i]) continue;
        const v = get(spans[i] as Span, trace);
        if (!isNumeric(v)) continue;
        const x = Number(v);
        if (count === 0) acc = fn === 'min' || fn === 'max' ? x : 0;
        count++;
        if (fn === 'min') acc = Math.min(acc, x);
        else if (fn === 'max') acc = Math.max(acc, x);
        else acc += x;
      }
      if (count === 0) return empty(mask);
      const result = fn === 'avg' ? acc / count : acc;
      return holds(op, compareNumbers(result, limit)) ? mask : empty(mask);
    };
  }

  // ---------------------------------------------------------------- conditions

  #condition(e: Expr): SpanPredicate {
    switch (e.kind) {
      case 'logic': {
        const l = this.#condition(e.left);
        const r = this.#condition(e.right);
        return e.op === '&&' ? (s, t) => l(s, t) && r(s, t) : (s, t) => l(s, t) || r(s, t);
      }
      case 'not': {
        const operand = e.operand;
        if (operand.kind === 'attribute') {
          // A bare attribute is a boolean test; a span without it is neither true nor false.
          const get = this.#operand(operand).get;
          return (s, t) => get(s, t) === false;
        }
        if (!isBooleanExpr(operand)) {
          this.#fail(
            `! needs a condition or a boolean; ${this.#show(operand)} is ${describeType(this.#operand(operand).type)}`,
            operand,
          );
        }
        const p = this.#condition(operand);
        return (s, t) => !p(s, t);
      }
      case 'compare':
        return this.#compare(e);
      case 'attribute': {
        const get = this.#operand(e).get;
        return (s, t) => get(s, t) === true;
      }
      case 'literal':
        if (e.type === 'bool') {
          const value = e.value;
          return () => value;
        }
        break;
      case 'intrinsic':
        break;
    }
    return this.#fail(
      `a condition must be a comparison such as name = "x" or a boolean; ${this.#show(e)} is ${describeType(this.#operand(e).type)}`,
      e,
    );
  }

  #operand(e: Expr): Operand {
    switch (e.kind) {
      case 'intrinsic': {
        const intrinsic = INTRINSICS.get(e.name);
        if (!intrinsic) return this.#fail(`unknown intrinsic "${e.name}"`, e);
        return intrinsic;
      }
      case 'attribute': {
        const name = e.name;
        const get: Getter =
          e.scope === 'span'
            ? (s) => s.attributes[name]
            : e.scope === 'resource'
              ? (s) => s.resource.attributes[name]
              : (s) => s.attribute(name);
        return { type: 'dynamic', get };
      }
      case 'literal': {
        const value = e.type === 'nil' ? undefined : e.value;
        return { type: literalType(e), get: () => value, constant: { value } };
      }
      default: {
        const predicate = this.#condition(e);
        return { type: 'bool', get: predicate };
      }
    }
  }

  #compare(e: CompareNode): SpanPredicate {
    if (e.left.kind === 'not' && !isBooleanExpr(e.left.operand)) {
      // `!name = "x"` reads as `(!name) = "x"` in TraceQL, as in Tempo.
      const intended = printExpr({ ...e, left: e.left.operand });
      this.#fail(
        `! applies to ${this.#show(e.left.operand)} alone here; to negate the comparison write !(${intended})`,
        e.left,
      );
    }
    if (e.op === '=~' || e.op === '!~') return this.#regex(e, e.op);

    let op = e.op as OrderOp;
    let leftNode = e.left;
    let rightNode = e.right;
    let left = this.#operand(leftNode);
    let right = this.#operand(rightNode);
    // Put the literal on the right: `5 < span.x` is `span.x > 5`.
    if (left.constant && !right.constant) {
      [left, right, leftNode, rightNode] = [right, left, rightNode, leftNode];
      op = flip(op);
    }

    if (left.type === 'nil' || right.type === 'nil') {
      const subject = left.type === 'nil' ? right : left;
      if (op !== '=' && op !== '!=') this.#fail('nil is compared with = or != only', e);
      if (subject.constant) {
        this.#fail(
          'nil tests whether an attribute is present: write span.x = nil or span.x != nil',
          e,
        );
      }
      const get = subject.get;
      return op === '=' ? (s, t) => isMissing(get(s, t)) : (s, t) => !isMissing(get(s, t));
    }

    if (left.type === 'dynamic' || right.type === 'dynamic') {
      const [known, knownNode, dynamicNode] =
        left.type === 'dynamic' ? [right, rightNode, leftNode] : [left, leftNode, rightNode];
      if (known.type !== 'dynamic')
        this.#checkAgainstAttribute(op, known.type, knownNode, dynamicNode);
    } else {
      this.#checkSameType(op, left.type, leftNode, right.type, rightNode);
    }
    if (left.constant && right.constant) {
      const result = compareValues(op, left.constant.value, right.constant.value);
      return () => result;
    }
    const get = left.get;
    if (right.constant) {
      const test = testAgainst(op, right.constant.value as Exclude<Constant, undefined>);
      return (s, t) => test(get(s, t));
    }
    const other = right.get;
    return (s, t) => compareValues(op, get(s, t), other(s, t));
  }

  #regex(e: CompareNode, op: '=~' | '!~'): SpanPredicate {
    const pattern = e.right;
    if (pattern.kind !== 'literal' || pattern.type !== 'string') {
      if (e.left.kind === 'literal' && e.left.type === 'string') {
        this.#fail(
          `the regex goes on the right of ${op}: ${this.#show(e.right)} ${op} ${this.#show(e.left)}`,
          e,
        );
      }
      this.#fail(`${op} needs a regex in quotes on its right, e.g. name ${op} "GET .*"`, pattern);
    }
    const subject = this.#operand(e.left);
    if (subject.type !== 'string' && subject.type !== 'dynamic') {
      this.#fail(
        `${op} matches strings; ${this.#show(e.left)} is ${describeType(subject.type)}`,
        e.left,
      );
    }
    let regex: RegExp;
    try {
      regex = compileRegex(pattern.value);
    } catch (error) {
      const reason = String((error as Error).message).replace(
        /^Invalid regular expression: \/.*\/[a-z]*: /s,
        '',
      );
      this.#fail(`invalid regular expression "${pattern.value}": ${reason}`, pattern);
    }
    const test = testRegex(op, regex);
    const get = subject.get;
    return (s, t) => test(get(s, t));
  }

  /** An intrinsic or literal of a known type compared with an attribute. */
  #checkAgainstAttribute(
    op: CompareOp,
    type: ValueType,
    knownNode: Expr,
    attributeNode: Expr,
  ): void {
    const attr = this.#show(attributeNode);
    if (type === 'status' || type === 'kind' || type === 'spanType') {
      const value = knownNode.kind === 'literal' ? String(knownNode.value) : this.#show(knownNode);
      this.#fail(
        `an attribute is never ${describeType(type)}; to compare ${attr} with the text, quote it: ${attr} ${op} "${value}"`,
        knownNode,
      );
    }
    if (type === 'duration') {
      this.#fail(
        `attributes hold numbers, not durations: compare ${attr} with a number in the attribute's unit`,
        knownNode,
      );
    }
    if (type === 'bool' && op !== '=' && op !== '!=') {
      this.#fail(`booleans are compared with = or != only`, knownNode);
    }
  }

  #checkSameType(op: OrderOp, lt: ValueType, leftNode: Expr, rt: ValueType, rightNode: Expr): void {
    const left = this.#show(leftNode);
    const right = this.#show(rightNode);
    if (lt === rt) {
      if (
        (lt === 'bool' || lt === 'status' || lt === 'kind' || lt === 'spanType') &&
        op !== '=' &&
        op !== '!='
      ) {
        this.#fail(
          `${describeType(lt).replace(/^an? /, '')} values are compared with = or != only`,
          rightNode,
        );
      }
      return;
    }
    if (lt === 'status' || lt === 'kind' || lt === 'spanType') {
      const values = ENUM_VALUES[lt];
      if (
        rightNode.kind === 'literal' &&
        rt === 'string' &&
        values.includes(String(rightNode.value))
      ) {
        this.#fail(
          `${left} is compared with a bare word, not a string: ${left} ${op} ${String(rightNode.value)}`,
          rightNode,
        );
      }
      const what =
        rightNode.kind === 'literal' && rt !== 'string'
          ? `${right} is ${describeType(rt)}, not ${describeType(lt)}`
          : `${right} is not ${describeType(lt)}`;
      this.#fail(`${what}; ${left} is one of ${listOr(values)}`, rightNode);
    }
    if (lt === 'duration') {
      const example =
        rightNode.kind === 'literal' && rt === 'number' ? `${String(rightNode.value)}ms` : '300ms';
      this.#fail(`${left} is a duration: compare it with a duration such as ${example}`, rightNode);
    }
    const hint =
      lt === 'string' && rightNode.kind === 'literal' && rt !== 'nil'
        ? `; a string needs quotes: "${String(rightNode.value)}"`
        : '';
    this.#fail(
      `cannot compare ${left} (${describeType(lt)}) with ${right} (${describeType(rt)})${hint}`,
      rightNode,
    );
  }
}

/** Whether an expression yields a boolean without reading a value (a bare attribute may). */
function isBooleanExpr(e: Expr): boolean {
  return (
    e.kind === 'logic' ||
    e.kind === 'compare' ||
    e.kind === 'not' ||
    e.kind === 'attribute' ||
    (e.kind === 'literal' && e.type === 'bool')
  );
}

function literalType(l: Literal): ValueType {
  switch (l.type) {
    case 'int':
    case 'float':
      return 'number';
    case 'string':
      return 'string';
    default:
      return l.type;
  }
}

function isMissing(value: unknown): boolean {
  return value === undefined || value === null;
}

function isEmpty(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i]) return false;
  return true;
}

function countOnes(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i] as number;
  return n;
}

function empty(mask: Uint8Array): Uint8Array {
  return new Uint8Array(mask.length);
}

function union(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) | (b[i] as number);
  return out;
}
