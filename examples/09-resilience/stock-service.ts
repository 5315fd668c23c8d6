import { SpanKind, trace } from '@opentelemetry/api';
import CircuitBreaker from 'opossum';
import { stateOf, traceStateChanges } from './breaker';
import { fail, withRetry } from './retry';

const tracer = trace.getTracer('example-resilience');

/** An HTTP response with a status the client treats as a failure. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The remote inventory API, simulated: it answers with the statuses it is given, one per
 * request, then keeps answering with the last one.
 */
export class InventoryApi {
  readonly #statuses: number[];
  readonly #latencyMs: number;

  constructor(statuses: readonly number[], options: { latencyMs?: number } = {}) {
    this.#statuses = [...statuses];
    this.#latencyMs = options.latencyMs ?? 5;
  }

  async handle(sku: string): Promise<{ status: number; stock?: number }> {
    await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
    const status = (this.#statuses.length > 1 ? this.#statuses.shift() : this.#statuses[0]) ?? 200;
    return status === 200 ? { status, stock: sku.length * 10 } : { status };
  }
}

/** The HTTP client for the inventory API, with the client span HTTP instrumentation records. */
export class InventoryClient {
  readonly #api: InventoryApi;

  constructor(api: InventoryApi) {
    this.#api = api;
  }

  getStock(sku: string): Promise<number> {
    const attributes = {
      'http.request.method': 'GET',
      'url.full': `http://inventory.internal/stock/${encodeURIComponent(sku)}`,
      'url.template': '/stock/{sku}',
      'server.address': 'inventory.internal',
    };
    return tracer.startActiveSpan(
      'GET /stock/{sku}',
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        try {
          const response = await this.#api.handle(sku);
          span.setAttribute('http.response.status_code', response.status);
          if (response.status >= 400) {
            throw new HttpError(response.status, `inventory answered ${response.status}`);
          }
          return response.stock as number;
        } catch (error) {
          fail(span, error as Error);
          if (error instanceof HttpError) span.setAttribute('error.type', String(error.status));
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}

export interface StockServiceOptions {
  /** opossum's options; the defaults open the breaker after 3 calls that all failed. */
  readonly breaker?: CircuitBreaker.Options;
  readonly retry?: { maxAttempts?: number; baseDelayMs?: number };
}

/** Server errors and timeouts may pass; client errors and an open breaker will not. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof HttpError) return error.status >= 500;
  return (error as { code?: unknown }).code === 'ETIMEDOUT';
}

/**
 * Stock lookups: each attempt goes through a circuit breaker (opossum) to the inventory
 * API, and failed attempts are retried with exponential backoff. While the breaker is
 * open, an attempt fails at once without calling the API, and is not retried.
 */
export class StockService {
  readonly breaker: CircuitBreaker<[string], number>;
  readonly #retry: { maxAttempts: number; baseDelayMs: number };

  constructor(client: InventoryClient, options: StockServiceOptions = {}) {
    this.breaker = new CircuitBreaker((sku: string) => client.getStock(sku), {
      name: 'inventory',
      timeout: 2_000,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      resetTimeout: 30_000,
      ...options.breaker,
    });
    traceStateChanges(this.breaker);
    this.#retry = { maxAttempts: 3, baseDelayMs: 100, ...options.retry };
  }

  getStock(sku: string): Promise<number> {
    const attributes = { 'code.function.name': 'StockService.getStock', 'product.sku': sku };
    return tracer.startActiveSpan('getStock', { attributes }, async (span) => {
      try {
        return await withRetry(
          'getStock',
          () => {
            trace.getActiveSpan()?.setAttribute('circuit_breaker.state', stateOf(this.breaker));
            return this.breaker.fire(sku);
          },
          { ...this.#retry, isRetryable },
        );
      } catch (error) {
        fail(span, error as Error);
        throw error;
      } finally {
        span.end();
      }
    });
  }
}
