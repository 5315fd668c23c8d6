import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-resilience');

export interface RetryOptions {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number;
  /** The wait after the first failure; it doubles after each further one. */
  readonly baseDelayMs: number;
  /** Whether another attempt can help; errors it rejects end the retries at once. */
  readonly isRetryable?: (error: unknown) => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` until it succeeds, up to `maxAttempts` times, waiting `baseDelayMs * 2^(n-1)`
 * after the n-th failure. Each try is a span `<operation> attempt` with `retry.attempt`
 * (1-based) and, when it failed, the exception, `error.type`, and either the backoff that
 * follows it (`retry.backoff_ms`) or why there is no further attempt (`retry.stopped`:
 * `not_retryable` or `exhausted`). The backoff is spent outside the attempt spans.
 */
export async function withRetry<T>(
  operation: string,
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const isRetryable = options.isRetryable ?? (() => true);
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    const outcome = await tracer.startActiveSpan(
      `${operation} attempt`,
      { attributes: { 'retry.attempt': attempt, 'retry.max_attempts': options.maxAttempts } },
      async (span): Promise<{ value: T } | { error: unknown; backoffMs?: number }> => {
        try {
          return { value: await fn(attempt) };
        } catch (error) {
          fail(span, error as Error);
          if (!isRetryable(error)) {
            span.setAttribute('retry.stopped', 'not_retryable');
            return { error };
          }
          if (attempt >= options.maxAttempts) {
            span.setAttribute('retry.stopped', 'exhausted');
            return { error };
          }
          const backoffMs = options.baseDelayMs * 2 ** (attempt - 1);
          span.setAttribute('retry.backoff_ms', backoffMs);
          return { error, backoffMs };
        } finally {
          span.end();
        }
      },
    );
    if ('value' in outcome) return outcome.value;
    if (outcome.backoffMs === undefined) throw outcome.error;
    await sleep(outcome.backoffMs);
  }
}

export function fail(span: Span, error: Error): void {
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  const code = (error as { code?: unknown }).code;
  span.setAttribute('error.type', typeof code === 'string' ? code : error.name);
}
