import { Span, Trace } from '../model';

/** What a check runs on: one trace, several, or a single span. */
export type AssertTarget = Trace | readonly Trace[] | Span | CheckTarget;

/** Which kinds of value a check accepts; a span is refused where it needs its trace. */
export interface TargetRules {
  /** The check needs the trace a span belongs to (selectors, structure). Default false. */
  readonly spans?: boolean;
  /** The check compares spans of one trace (order, propagation). Default false. */
  readonly singleTrace?: boolean;
}

/**
 * A value that cannot be asserted on: `undefined`, a Promise nobody awaited, a span where
 * the check needs its trace. The message says what was received and what is expected.
 */
export class TargetError extends TypeError {
  override readonly name: string = 'TargetError';
  /** The value as it was received. */
  readonly received: unknown;
  /** What the check accepts, e.g. `a Trace (from captureTrace() or loadTraces()) or an array of them`. */
  readonly expected: string;
  /** What went wrong, in a phrase: `received undefined`. */
  readonly problem: string;
  /** What to do about it, when there is something to say; empty otherwise. */
  readonly hint: string;

  constructor(received: unknown, expected: string, problem: string, hint = '') {
    super(`expected ${expected}; ${problem}${hint ? `. ${hint}` : ''}`);
    this.received = received;
    this.expected = expected;
    this.problem = problem;
    this.hint = hint;
  }
}

/**
 * A checked target: the traces to search, and what the caller handed over. A span is held
 * as a one-span trace of its own (a copy), so that every check reads traces; the original
 * span is kept for messages.
 */
export class CheckTarget {
  readonly kind: 'trace' | 'traces' | 'span';
  readonly traces: readonly Trace[];
  /** The span that was received, when `kind` is `span`. */
  readonly span: Span | undefined;

  private constructor(kind: CheckTarget['kind'], traces: readonly Trace[], span?: Span) {
    this.kind = kind;
    this.traces = traces;
    this.span = span;
  }

  /** Check `value` and wrap it, or throw a {@link TargetError} that says what was wrong. */
  static of(value: unknown, rules: TargetRules = {}): CheckTarget {
    if (value instanceof CheckTarget) return value.#obey(rules);
    const expected = expectedText(rules);
    if (isTrace(value)) return new CheckTarget('trace', [value]);
    if (Array.isArray(value)) {
      if (value.length === 0) {
        throw new TargetError(
          value,
          expected,
          'received an empty array of traces',
          'Nothing was captured or loaded: check that the code under test started spans, or that the file holds any',
        );
      }
      const bad = value.findIndex((item) => !isTrace(item));
      if (bad >= 0) {
        throw new TargetError(
          value,
          expected,
          `received an array whose item [${bad}] is ${describeValue(value[bad])}`,
        );
      }
      return new CheckTarget('traces', value as readonly Trace[]).#obey(rules);
    }
    if (isSpan(value)) {
      return new CheckTarget('span', [Trace.from([value])], value).#obey(rules);
    }
    throw new TargetError(value, expected, `received ${describeValue(value)}`, hintFor(value));
  }

  /** The one trace of a single-trace target. */
  get trace(): Trace {
    return this.traces[0] as Trace;
  }

  /** How many spans there are to search, over every trace. */
  get spanCount(): number {
    let count = 0;
    for (const trace of this.traces) count += trace.spans.length;
    return count;
  }

  #obey(rules: TargetRules): CheckTarget {
    if (this.kind === 'span' && rules.spans !== true) {
      throw new TargetError(
        this.span,
        expectedText(rules),
        `received a Span ("${this.span?.name}")`,
        'A span does not know the trace it belongs to; pass the trace instead',
      );
    }
    if (this.kind === 'traces' && rules.singleTrace === true && this.traces.length > 1) {
      throw new TargetError(
        this.traces,
        expectedText(rules),
        `received an array of ${this.traces.length} traces`,
        'This check compares spans of one trace; pick the trace first, e.g. traces.find((t) => t.root?.name === "...")',
      );
    }
    return this;
  }
}

function expectedText(rules: TargetRules): string {
  const trace = 'a Trace (from captureTrace() or loadTraces())';
  const list = rules.singleTrace ? 'an array holding one' : 'an array of them';
  return rules.spans ? `${trace}, ${list}, or a Span` : `${trace} or ${list}`;
}

// Duck-typed as well as instanceof: a second copy of tracespec in node_modules (one for
// the matchers, one for the code that captured) makes classes differ while shapes agree.

/** Whether `value` is a {@link Trace}, from this copy of tracespec or another. */
export function isTrace(value: unknown): value is Trace {
  if (value instanceof Trace) return true;
  const v = value as Partial<Trace> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.traceId === 'string' &&
    Array.isArray(v.spans) &&
    typeof v.childrenOf === 'function' &&
    typeof v.ancestorsOf === 'function'
  );
}

/** Whether `value` is a {@link Span}, from this copy of tracespec or another. */
export function isSpan(value: unknown): value is Span {
  if (value instanceof Span) return true;
  const v = value as Partial<Span> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.spanId === 'string' &&
    typeof v.startTimeUnixNano === 'bigint' &&
    typeof v.endTimeUnixNano === 'bigint'
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `a string (${JSON.stringify(truncate(value))})`;
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  if (isThenable(value)) return 'a Promise';
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'a plain object';
}

function hintFor(value: unknown): string {
  if (isThenable(value)) return 'Await it first: `const trace = await captureTrace(fn)`';
  if (value === undefined) {
    return 'Is the variable assigned? `captureTrace()` and `loadTraces()` return promises to await';
  }
  if (typeof value === 'string') return 'To read a trace file, `await loadTraces(path)` first';
  return '';
}

function isThenable(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
