/**
 * Analyses that read a whole trace and explain it: where a failure started, ...
 * Pure functions of the model, shared by the matchers, the spec runner and the reports.
 */

export { type ErrorOrigin, type Failure, findErrorOrigin, type OriginRule } from './error-origin';
export { type FailureSignal, failureSignal } from './failure';
