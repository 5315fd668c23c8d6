import type { Span, Trace } from '../model';
import type { SpansetExpr } from './ast';
import { type CompiledQuery, compileQuery, maskOf } from './compile';
import { SelectorError } from './errors';
import { parseQuery } from './parser';
import {
  compileSpanFilter,
  describeSpanFilter,
  type EqualityTester,
  type SpanFilter,
} from './span-filter';

/** A selector parsed and compiled once; reuse it to select from many traces. */
export class Selector {
  /** The query as it was written. */
  readonly text: string;
  /** The parsed query. */
  readonly ast: SpansetExpr;

  /** @internal Use {@link parseSelector}. */
  constructor(text: string, ast: SpansetExpr, compiled: CompiledQuery) {
    this.text = text;
    this.ast = ast;
    COMPILED.set(this, compiled);
  }

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}

// Kept outside the class so that the compiled closures are not part of its public shape.
const COMPILED = new WeakMap<Selector, CompiledQuery>();

/** A per-span test written as a function, for what the query language cannot say. */
export type SpanPredicateFunction = (span: Span, trace: Trace) => boolean;

/** Everything that selects spans: a TraceQL string, a parsed selector, an object, a function. */
export type SelectorInput = string | Selector | SpanFilter | SpanPredicateFunction;

export interface SelectOptions {
  /**
   * How a plain-object selector compares attribute values. Jest matchers pass
   * `this.equals`, so that asymmetric matchers (`expect.any(Number)`) work in them.
   */
  readonly equals?: EqualityTester;
}

/** A selector ready to run, whatever form it was given in. */
export interface SpanMatcher {
  /** How the selector reads in a message: its text, the object, the function's name. */
  readonly description: string;
  /** The selected spans: traces in the given order, spans in trace (pre-)order. */
  select(target: Trace | readonly Trace[]): Span[];
  /** Whether the selector selects `span`, one of `trace`'s spans. */
  matches(span: Span, trace: Trace): boolean;
}

// Matchers and specs pass the same few query strings over and over; parse each once.
const PARSE_CACHE_SIZE = 256;
const parseCache = new Map<string, Selector>();

/**
 * Parse and compile a TraceQL selector. Throws {@link SelectorError} (an `InputError`)
 * with the offending part of the text marked.
 */
export function parseSelector(text: string): Selector {
  if (typeof text !== 'string') {
    throw new SelectorError(`a selector must be a string, not ${typeof text}`);
  }
  const cached = parseCache.get(text);
  if (cached) return cached;
  const { ast, ranges } = parseQuery(text);
  const selector = new Selector(text, ast, compileQuery(ast, { text, ranges }));
  if (parseCache.size >= PARSE_CACHE_SIZE) {
    parseCache.delete(parseCache.keys().next().value as string);
  }
  parseCache.set(text, selector);
  return selector;
}

export function compileSelector(input: SelectorInput, options: SelectOptions = {}): SpanMatcher {
  return new Matcher(toCompiled(input, options), describeSelector(input));
}

/** The spans `selector` selects: traces in the given order, spans in trace order. */
export function select(
  target: Trace | readonly Trace[],
  selector: SelectorInput,
  options?: SelectOptions,
): Span[] {
  return compileSelector(selector, options).select(target);
}

/** Whether `selector` selects `span` of `trace`. */
export function matches(
  span: Span,
  trace: Trace,
  selector: SelectorInput,
  options?: SelectOptions,
): boolean {
  return compileSelector(selector, options).matches(span, trace);
}

/** A short text for messages: the query, `{ name: "x", kind: "server" }`, or a function's name. */
export function describeSelector(input: SelectorInput): string {
  if (typeof input === 'string') return input.trim();
  if (input instanceof Selector) return input.text.trim();
  if (typeof input === 'function') return input.name || '(anonymous predicate)';
  if (typeof input === 'object' && input !== null) return describeSpanFilter(input);
  return String(input);
}

function toCompiled(input: SelectorInput, options: SelectOptions): CompiledQuery {
  if (typeof input === 'string') return COMPILED.get(parseSelector(input)) as CompiledQuery;
  if (input instanceof Selector) return COMPILED.get(input) as CompiledQuery;
  if (typeof input === 'function') {
    return { spanPredicate: input, evaluate: (trace) => maskOf(input, trace) };
  }
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const predicate = compileSpanFilter(input, options.equals);
    return { spanPredicate: predicate, evaluate: (trace) => maskOf(predicate, trace) };
  }
  throw new SelectorError(
    `a selector is a TraceQL string, a { name, service, kind, status, type, attributes } object or a function, not ${Array.isArray(input) ? 'an array' : String(input)}`,
  );
}

// Masks of queries that look at the whole trace, for `matches` called span after span.
const maskCache = new WeakMap<CompiledQuery, WeakMap<Trace, Uint8Array>>();

class Matcher implements SpanMatcher {
  readonly #compiled: CompiledQuery;
  readonly description: string;

  constructor(compiled: CompiledQuery, description: string) {
    this.#compiled = compiled;
    this.description = description;
  }

  select(target: Trace | readonly Trace[]): Span[] {
    const out: Span[] = [];
    const traces: readonly Trace[] = Array.isArray(target) ? target : [target as Trace];
    const predicate = this.#compiled.spanPredicate;
    for (const trace of traces) {
      const spans = trace.spans;
      if (predicate) {
        for (const span of spans) if (predicate(span, trace)) out.push(span);
        continue;
      }
      const mask = this.#compiled.evaluate(trace);
      for (let i = 0; i < spans.length; i++) if (mask[i]) out.push(spans[i] as Span);
    }
    return out;
  }

  matches(span: Span, trace: Trace): boolean {
    if (!trace.has(span)) {
      throw new Error(
        `span "${span.name}" (${span.spanId}) is not one of the spans of trace ${trace.traceId}`,
      );
    }
    const predicate = this.#compiled.spanPredicate;
    if (predicate) return predicate(span, trace);
    let perTrace = maskCache.get(this.#compiled);
    if (!perTrace) {
      perTrace = new WeakMap();
      maskCache.set(this.#compiled, perTrace);
    }
    let mask = perTrace.get(trace);
    if (!mask) {
      mask = this.#compiled.evaluate(trace);
      perTrace.set(trace, mask);
    }
    return mask[span.index] === 1;
  }
}
