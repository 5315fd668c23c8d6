import type { Span } from '../model';

/**
 * How a span was seen to fail:
 * - `status`: its status is ERROR;
 * - `exception`: it recorded an `exception` event and its status is unset. The OTel SDKs'
 *   `recordException()` does not set ERROR, and many code paths forget to, so an exception
 *   with no status is a failure nobody labelled. An explicit OK status means the code
 *   handled the exception, and the span did not fail.
 */
export type FailureSignal = 'status' | 'exception';

/** Why `span` counts as failed, or undefined when it does not. */
export function failureSignal(span: Span): FailureSignal | undefined {
  if (span.status.code === 'error') return 'status';
  if (span.status.code === 'unset' && hasExceptionEvent(span)) return 'exception';
  return undefined;
}

function hasExceptionEvent(span: Span): boolean {
  for (const event of span.events) if (event.name === 'exception') return true;
  return false;
}
