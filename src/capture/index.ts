/**
 * Span capture: OpenTelemetry spans of the code under test, recorded in memory and filed
 * per test (`currentTraces`) or per call (`captureTrace`).
 */

export {
  type CaptureTraceOptions,
  captureTrace,
  captureTraces,
  DEFAULT_CAPTURE_TIMEOUT_MS,
} from './capture-trace';
export { hrTimeToNanos, SpanConverter } from './convert';
export { currentCapture, currentTraces } from './current';
export { CaptureSetupError, type UnfinishedSpan, UnfinishedSpansError } from './errors';
export {
  type CaptureInstallation,
  captureProcessor,
  type InstallCaptureOptions,
  installCapture,
  uninstallCapture,
} from './installation';
export type {
  InstrumentationFileLike,
  InstrumentationLike,
  InstrumentationModuleDefinitionLike,
} from './instrumentations';
export type {
  ContextLike,
  HrTimeLike,
  ReadableSpanLike,
  SpanContextLike,
  SpanProcessorLike,
  TracerProviderLike,
} from './otel-types';
export { CaptureProcessor } from './processor';
export type { CapturedSpans, OpenSpan } from './scope';
