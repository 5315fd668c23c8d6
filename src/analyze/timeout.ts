import { type AttributeValue, type Span, startOffsetNs, type Trace } from '../model';
import { printable } from '../report/text';

/**
 * Why a span reads as having given up waiting, in a few words for a report, or undefined
 * when nothing on it says timeout: every sign found, in this order, comma-separated
 * (`HTTP 504, Envoy response flag UT (upstream request timeout)`). It looks at:
 *
 * - the status message and each recorded exception's type and message, for the words
 *   instrumentations use: `timeout`, `time out`, `timed out` (so `ETIMEDOUT`,
 *   `SocketTimeoutException`, Envoy's `upstream request timeout`) and `deadline exceeded`
 *   (Go's `context deadline exceeded`, gRPC's `DEADLINE_EXCEEDED`);
 * - `http.response.status_code` / `http.status_code` 504 (gateway timeout) or 408 (request
 *   timeout), as a number or a string (Envoy writes strings);
 * - `rpc.grpc.status_code` / `grpc.status_code` / `rpc.response.status_code` 4 or
 *   `DEADLINE_EXCEEDED` (old and new semantic conventions, and .NET's gRPC instrumentation);
 * - `error.type` naming a timeout, or 504/408;
 * - Envoy's `response_flags` containing UT (upstream request timeout), SI (stream idle
 *   timeout), DT (duration timeout) or UMSDR (upstream max stream duration reached).
 *
 * It does not look at whether the span failed: the caller decides which spans to ask about.
 */
export function timeoutEvidence(span: Span): string | undefined {
  const found: string[] = [];
  const message = span.status.message;
  if (TIMEOUT_WORDS.test(message)) found.push(`status message "${clip(message)}"`);
  for (const exception of span.exceptions) {
    const words = [exception.type, exception.message].filter((w) => w !== undefined).join(': ');
    if (TIMEOUT_WORDS.test(words)) {
      found.push(`exception ${clip(words)}`);
      break;
    }
  }
  const a = span.attributes;
  for (const key of HTTP_STATUS_KEYS) {
    const code = integer(a[key]);
    if (code === 504 || code === 408) {
      found.push(`HTTP ${code}`);
      break;
    }
  }
  for (const key of GRPC_STATUS_KEYS) {
    const value = a[key];
    if (integer(value) === 4 || (typeof value === 'string' && DEADLINE.test(value))) {
      found.push('gRPC status DEADLINE_EXCEEDED');
      break;
    }
  }
  const errorType = a['error.type'];
  if (
    typeof errorType === 'string' &&
    (TIMEOUT_WORDS.test(errorType) || /^(408|504)$/.test(errorType))
  ) {
    found.push(`error.type ${clip(errorType)}`);
  }
  const flags = a.response_flags;
  if (typeof flags === 'string') {
    for (const raw of flags.split(',')) {
      const flag = raw.trim();
      const meaning = ENVOY_TIMEOUT_FLAGS.get(flag);
      if (meaning) found.push(`Envoy response flag ${flag} (${meaning})`);
    }
  }
  return found.length > 0 ? found.join(', ') : undefined;
}

/**
 * A child "takes most" of its parent's time when the part of its interval inside the
 * parent's covers at least this share of the parent's duration. Half, so that the span
 * stepped into accounts for at least as much of the wait as everything else together:
 * a lower share would blame the biggest of a run of similar calls, when the run is what
 * took the time.
 */
export const DOMINANT_SHARE = 0.5;

/**
 * Where the time of `top` went: from `top`, step to the child whose interval covers the
 * most of the current span's interval (clipped to it: a child that outlives its parent, or
 * starts before it through clock skew, counts only inside), as long as that covers at
 * least {@link DOMINANT_SHARE} of the current span's duration; stop at the first span
 * where no child does. The result is `top` itself when its time was its own work, or was
 * spread over children none of which took most of it (a loop of short calls, retries).
 * Ties go to the child that comes first in trace order (the earlier start).
 */
export function whereTimeWent(trace: Trace, top: Span): Span {
  let at = top;
  for (;;) {
    const duration = at.durationNs;
    if (duration <= 0) return at;
    let best: Span | undefined;
    let bestCover = 0;
    for (const child of trace.childrenOf(at)) {
      const cover = overlapNs(child, at);
      if (cover > bestCover) {
        best = child;
        bestCover = cover;
      }
    }
    if (!best || bestCover < DOMINANT_SHARE * duration) return at;
    at = best;
  }
}

/** Nanoseconds of `span`'s interval that fall inside `within`'s; 0 when they do not meet. */
export function overlapNs(span: Span, within: Span): number {
  const start = startOffsetNs(span, within);
  const end = start + span.durationNs;
  return Math.max(0, Math.min(end, within.durationNs) - Math.max(start, 0));
}

// `timeout` and `timedout` may sit inside a word (`SocketTimeoutException`, `ETIMEDOUT`);
// the spaced `time out` must be whole words, or "runtime output" would read as a timeout.
const TIMEOUT_WORDS = /time[_-]?out|timed[\s_-]?out|\btime out\b|deadline[\s_-]?exceeded/i;
const DEADLINE = /^deadline[\s_-]?exceeded$/i;
const HTTP_STATUS_KEYS = ['http.response.status_code', 'http.status_code'] as const;
const GRPC_STATUS_KEYS = [
  'rpc.grpc.status_code',
  'grpc.status_code',
  'rpc.response.status_code',
] as const;
// Envoy's %RESPONSE_FLAGS% short names for the flags that mean it stopped waiting.
const ENVOY_TIMEOUT_FLAGS: ReadonlyMap<string, string> = new Map([
  ['UT', 'upstream request timeout'],
  ['SI', 'stream idle timeout'],
  ['DT', 'duration timeout'],
  ['UMSDR', 'upstream max stream duration reached'],
]);

function integer(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\d{1,4}$/.test(value)) return Number(value);
  return undefined;
}

function clip(text: string): string {
  const line = printable(text);
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
