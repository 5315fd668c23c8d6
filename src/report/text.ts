/** Small text helpers shared by the console reporters. */

import type { Span } from '../model';

/**
 * A span name or service as one printable line: control characters (a newline in a span
 * name would break the tree into two lines) are written as JSON-style escapes; everything
 * else is kept verbatim so that the text can be read back as an expectation.
 */
export function printable(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code !== 0x7f) continue;
    out += text.slice(start, i) + escapeControl(code);
    start = i + 1;
  }
  return start === 0 ? text : out + text.slice(start);
}

function escapeControl(code: number): string {
  switch (code) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    default:
      return `\\u${code.toString(16).padStart(4, '0')}`;
  }
}

/**
 * The first 8 hex digits of a trace id, as people quote them. Zipkin and Jaeger 64-bit
 * trace ids are left-padded with 16 zeros in the model; their short form skips the padding
 * so that two such traces do not both read `00000000`.
 */
export function shortTraceId(traceId: string): string {
  const significant =
    traceId.length === 32 && traceId.startsWith(ZERO_HALF) ? traceId.slice(16) : traceId;
  return significant.slice(0, 8);
}

const ZERO_HALF = '0'.repeat(16);

/** `1 span`, `3 spans`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * Why a span failed, in the words its instrumentation used: the status message, else the
 * first recorded exception's message or type, else the HTTP status code. Empty when the
 * span carries no explanation at all.
 */
export function errorReason(span: Span): string {
  if (span.status.message !== '') return span.status.message;
  for (const exception of span.exceptions) {
    if (exception.message) return exception.message;
    if (exception.type) return exception.type;
  }
  const http = span.attributes['http.response.status_code'] ?? span.attributes['http.status_code'];
  if (typeof http === 'number' || typeof http === 'string') return `HTTP ${http}`;
  return '';
}

/** `"Payment Gateway API" [order-service]`: a span named in a sentence. */
export function spanName(span: Span): string {
  return `"${printable(span.name)}" [${printable(span.service)}]`;
}
