/**
 * The matchers' types, written once and attached to both places editors look:
 * `expect` from `@jest/globals` (and Jest 30's global `expect`), which read the `expect`
 * package's `Matchers`, and the global `jest.Matchers` that `@types/jest` users have.
 *
 * They load with the matchers (`tracespec/matchers` imports this module) or on their own
 * (`import 'tracespec/matchers/types'`, or that path in tsconfig's `types`), in any file
 * the compiler sees.
 */

import type {
  Budget,
  CapacityRule,
  CountExpectation,
  DependencyRules,
  ExceptionExpectation,
  ExpectedAttributes,
  NoErrorsOptions,
  NoRepeatedCallsOptions,
  PropagationExpectation,
  SelfTimeOptions,
  TreeMatchOptions,
} from '../src/assert';
import type { SelectorInput } from '../src/query';

/**
 * tracespec's matchers. The received value is a `Trace` (from `captureTrace()` or
 * `loadTraces()`), an array of traces, or a `Span` where a check makes sense for one span.
 * A selector is a TraceQL string (`'{ name = "charge" && kind = client }'`), an object
 * (`{ name: 'charge', attributes: { ... } }`) or a predicate `(span, trace) => boolean`.
 */
export interface TracespecMatchers<R> {
  /** Some span matches `selector`. */
  toHaveSpan(selector: SelectorInput): R;
  /**
   * Exactly `expected` spans match `selector`, or between `{ min, max }` (either may be
   * left out): catches N+1 queries. Over a list of traces, the total.
   */
  toHaveSpanCount(selector: SelectorInput, expected: CountExpectation): R;
  /** The trace (every trace of a list), or the span, took at most `budget`: `'300ms'`, `'1.5s'`, or milliseconds. */
  toCompleteWithin(budget: Budget): R;
  /** Every span matching `selector` took at most `budget`; matching nothing is an error. */
  toHaveSpanWithin(selector: SelectorInput, budget: Budget): R;
  /**
   * A span matching `selector` is on the critical path of the trace (of every trace of a
   * list): the chain of spans the request waited for, so making it faster makes the
   * request faster. A parallel call that ended earlier is not on it. Matching nothing is
   * an error.
   */
  toHaveOnCriticalPath(selector: SelectorInput): R;
  /**
   * No service spends more than `budget` of its own time (durations minus what children
   * cover) in any trace; `{ by: 'span' }`: no single span does. `select` limits which
   * spans count: `toHaveSelfTimeWithin('50ms', { select: '{ resource.service.name = "checkout" }' })`.
   */
  toHaveSelfTimeWithin(budget: Budget, options?: Omit<SelfTimeOptions, 'equals'>): R;
  /** No span has ERROR status or recorded an exception while leaving its status unset. */
  toHaveNoErrors(options?: NoErrorsOptions): R;
  /** The failure started at a span matching `selector`, not where it propagated to. */
  toHaveErrorOrigin(selector: SelectorInput): R;
  /** ERROR status on `from`, on `to` (default: the root) and on every span between. */
  toPropagateError(expectation: PropagationExpectation): R;
  /**
   * No operation is called `minCount` (default 5) or more times under one parent, each
   * call waiting for the one before (the N+1 pattern); a concurrent fan-out passes.
   * `select`/`ignore` narrow which spans count as calls: `{ select: '{ type = database }' }`.
   */
  toHaveNoRepeatedSerialCalls(options?: NoRepeatedCallsOptions): R;
  /**
   * A span matching `selector` recorded an exception event with this `type` (exact) and
   * `message` (substring); either may be a RegExp or an asymmetric matcher.
   */
  toHaveRecordedException(selector?: SelectorInput, expected?: ExceptionExpectation): R;
  /** On a Span: the span recorded such an exception. */
  toHaveRecordedException(expected: ExceptionExpectation): R;
  /**
   * A span matching `selector` carries these attributes; values may be asymmetric
   * matchers (`expect.any(Number)`), `undefined` asks for an absent attribute.
   */
  toHaveAttributes(selector: SelectorInput, expected: ExpectedAttributes): R;
  /** On a Span: the span carries these attributes. */
  toHaveAttributes(expected: ExpectedAttributes): R;
  /** The spans ran one after another: each ended before the next one started. */
  toHaveSpansInOrder(selectors: readonly SelectorInput[]): R;
  /** The spans' time ranges overlap: they ran at the same time. */
  toHaveSpansInParallel(selectors: readonly SelectorInput[]): R;
  /**
   * The trace has the shape drawn in tree notation, with budgets such as `(<300ms)`;
   * `strict`: no other spans at the matched levels, `ordered`: siblings in the listed order.
   */
  toMatchTraceTree(text: string, options?: TreeMatchOptions): R;
  /** The trace's tree (names, services, errors; no ids or timings) matches the stored snapshot. */
  toMatchTraceSnapshot(hint?: string): R;
  /**
   * The service dependency map obeys every rule. Rules: `{ from, allow: [...] }` (calls
   * nothing else), `{ from, deny: [...] }`, `{ to, allowFrom: [...] }` (nothing else calls
   * it), `{ to, denyFrom: [...] }`, a list of them, or allow-lists per caller:
   * `{ checkout: ['inventory', 'payment'] }`. A peer may be named by its id
   * (`'postgresql users-db'`) or its name alone (`'users-db'`). A rule's `from`/`to` that
   * appears nowhere in the traces is an error, not a pass.
   */
  toHaveDependencies(rules: DependencyRules): R;
  /**
   * Services keep their share of the work within limits: `{ service: 'order-service',
   * maxSelfShare: 0.8 }` (of all self time), `{ service: '*', maxErrorRate: 0.01 }`,
   * `{ service: 'gateway', minThroughput: 50 }` (spans per second).
   */
  toHaveCapacityWithin(rules: CapacityRule | readonly CapacityRule[]): R;
}

declare module 'expect' {
  interface Matchers<R> extends TracespecMatchers<R> {}
  // `expect.toHaveSpan(...)` inside `toEqual`/`toMatchObject`, as Jest's docs declare them.
  interface AsymmetricMatchers extends TracespecMatchers<void> {}
}

declare global {
  namespace jest {
    interface Matchers<R> extends TracespecMatchers<R> {}
  }
}
