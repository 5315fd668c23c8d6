/**
 * The assertion engine: checks over traces that return facts, not just a verdict. The
 * Jest matchers and the spec runner are two front ends over these functions; each result
 * holds `pass` and what a report needs to explain it (matched spans, counts, durations,
 * the offending spans). Pure: no Jest, no I/O.
 *
 * A target is a `Trace`, an array of traces, or (where a check makes sense for one span)
 * a `Span`; anything else throws a {@link TargetError} saying what was received. Bad
 * arguments (a budget such as `'300 ms'`, a count of -1, a selector that does not parse)
 * throw an `InputError`.
 */

export {
  type AttributeMismatch,
  type AttributesResult,
  checkAttributes,
  type ExpectedAttributes,
  type SpanAttributes,
} from './attributes';
export { type Budget, parseBudget } from './budget';
export { type Candidate, nearestByName, wantedNames } from './candidates';
export {
  type CapacityLimit,
  type CapacityResult,
  type CapacityRule,
  type CapacityRuleResult,
  type CapacityViolation,
  checkCapacity,
  describeCapacityRule,
  describeCapacityViolation,
} from './capacity';
export {
  type CountExpectation,
  type CountRange,
  checkSpanCount,
  describeCountRange,
  parseCountExpectation,
  type SpanCountResult,
} from './count';
export { type CriticalPathResult, checkOnCriticalPath } from './critical-path';
export {
  checkDependencies,
  type DependenciesResult,
  type DependencyRule,
  type DependencyRuleResult,
  type DependencyRules,
  type DependencyViolation,
  describeDependencyRule,
  normalizeDependencyRules,
  type RuleRole,
  type UnknownName,
} from './dependencies';
export {
  type CompletionResult,
  checkCompletion,
  checkSpanDurations,
  type Measured,
  type SpanDurationsResult,
} from './durations';
export { checkErrorOrigin, type ErrorOriginResult } from './error-origin';
export {
  checkRecordedException,
  type ExceptionExpectation,
  type RecordedExceptionResult,
  type SpanExceptions,
} from './exceptions';
export { checkSpanExists, type SpanExistsResult } from './exists';
export {
  checkNoErrors,
  type FailedSpan,
  type NoErrorsOptions,
  type NoErrorsResult,
} from './no-errors';
export {
  checkErrorPropagation,
  type PropagationExpectation,
  type PropagationResult,
} from './propagation';
export {
  checkNoRepeatedSerialCalls,
  type NoRepeatedCallsOptions,
  type NoRepeatedCallsResult,
} from './repeated-calls';
export { type CheckOptions, type NoMatch, type SpanRef, selectIn } from './selection';
export {
  checkSelfTime,
  type SelfTimeEntry,
  type SelfTimeOptions,
  type SelfTimeResult,
  type SelfTimeSubject,
} from './self-time';
export {
  type AssertTarget,
  CheckTarget,
  isSpan,
  isTrace,
  TargetError,
  type TargetRules,
} from './target';
export {
  checkOrder,
  checkParallel,
  type OrderResult,
  type OrderViolation,
  type ParallelResult,
} from './timing';
export * from './tree';
