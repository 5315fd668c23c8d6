/**
 * Analyses that read a whole trace and explain it: where a failure started, ...
 * Pure functions of the model, shared by the matchers, the spec runner and the reports.
 */

export { type Analysis, type AnalysisOptions, analyzeTraces, type TraceAnalysis } from './analysis';
export {
  type Capacity,
  measureCapacity,
  type OperationCapacity,
  type ServiceCapacity,
} from './capacity';
export {
  type CriticalPath,
  findCriticalPath,
  type PathSegment,
  type RootChoice,
  timeOnPath,
} from './critical-path';
export {
  buildDependencyMap,
  type CallExample,
  type DependencyEdge,
  type DependencyMap,
  type DependencyMapJson,
  type DependencyNode,
  type DependencyNodeKind,
  dependencyMapJson,
  type Peer,
  peerOf,
} from './dependencies';
export { describeEdge, formatDependencyDot, formatDependencyMermaid } from './dependencies-render';
export {
  type ErrorOrigin,
  type Failure,
  findErrorOrigin,
  type OriginRule,
  type TimeoutMask,
} from './error-origin';
export { describeFailure, type FailureSignal, failureSignal } from './failure';
export {
  DEFAULT_MIN_REPEATED_CALLS,
  findRepeatedCalls,
  findRepeatedSerialCalls,
  MAX_SERIAL_CONCURRENCY,
  operationOf,
  type RepeatedCallGroup,
  type RepeatedCallsOptions,
  type RepeatedCallsSummary,
  summarizeRepeatedCalls,
} from './repeated-calls';
export { selfTimeOf, selfTimes } from './self-time';
export {
  findSlowTail,
  type SlowTail,
  type SlowTailOperation,
  type SlowTailOptions,
  type SlowTailService,
} from './slow-tail';
export { DOMINANT_SHARE, timeoutEvidence, whereTimeWent } from './timeout';
