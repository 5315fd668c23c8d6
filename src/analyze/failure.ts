import type { Span } from '../model';
import { errorReason, printable } from '../report/text';

/**
 * How a span was seen to fail:
 * - `status`: its status is ERROR;
 * - `exception`: it recorded an `exception` event and its status is unset. The OTel SDKs'
 *   `recordException()` does not set ERROR, and many code paths forget to, so an exception
 *   with no status is a failure nobody labelled;
 * - `error-tag`: its status is unset and it carries the OpenTracing-style attribute
 *   `error=true` (boolean or the string `"true"`). Envoy's OpenTelemetry tracer writes it on
 *   a cancelled upstream call without setting a status, and Jaeger's UI marks such spans as
 *   failed. The Jaeger and Zipkin readers already turn their `error` tags into ERROR status;
 *   this catches the tag where OTLP/JSON carries it through as a plain attribute.
 *
 * An explicit OK status means the code handled whatever happened, and the span did not fail.
 */
export type FailureSignal = 'status' | 'exception' | 'error-tag';

/** Why `span` counts as failed, or undefined when it does not. */
export function failureSignal(span: Span): FailureSignal | undefined {
  const code = span.status.code;
  if (code === 'error') return 'status';
  if (code !== 'unset') return undefined;
  if (hasExceptionEvent(span)) return 'exception';
  if (hasErrorTag(span)) return 'error-tag';
  return undefined;
}

/**
 * How `span` failed, for a report line: `status ERROR: card declined`, `recorded an
 * exception (QueryTimeout) but left its status unset`, `tagged error=true but left its
 * status unset`. The reason is the instrumentation's own words (see `errorReason`).
 */
export function describeFailure(span: Span, signal: FailureSignal): string {
  const reason = printable(errorReason(span));
  switch (signal) {
    case 'status':
      return reason ? `status ERROR: ${reason}` : 'status ERROR';
    case 'exception':
      return `recorded an exception${reason ? ` (${reason})` : ''} but left its status unset`;
    case 'error-tag':
      return `tagged error=true${reason ? ` (${reason})` : ''} but left its status unset`;
  }
}

function hasExceptionEvent(span: Span): boolean {
  for (const event of span.events) if (event.name === 'exception') return true;
  return false;
}

// Only the span's own attribute: a resource-level `error` would mark every span of a service.
function hasErrorTag(span: Span): boolean {
  const value = span.attributes.error;
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}
