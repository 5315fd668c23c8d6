import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadThroughCache } from './read-through-cache';

const tracer = trace.getTracer('example-catalog');

export interface Product {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
}

/**
 * The slow source of truth: a products table behind a database client, with the client
 * span a database instrumentation would record. The latency is simulated.
 */
export class ProductDatabase {
  readonly #rows: ReadonlyMap<string, Product>;
  readonly #latencyMs: number;

  constructor(rows: readonly Product[], options: { latencyMs?: number } = {}) {
    this.#rows = new Map(rows.map((row) => [row.id, row]));
    this.#latencyMs = options.latencyMs ?? 20;
  }

  findProduct(id: string): Promise<Product> {
    const attributes = {
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'products',
      'db.query.text': 'SELECT id, name, price_cents FROM products WHERE id = $1',
    };
    return tracer.startActiveSpan(
      'SELECT products',
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        try {
          await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
          const row = this.#rows.get(id);
          if (!row) throw new Error(`product ${id} not found`);
          return row;
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }
}

/** The application's service: product lookups go through the cache. */
export class ProductCatalog {
  readonly #cache: ReadThroughCache<Product>;

  constructor(cache: ReadThroughCache<Product>) {
    this.#cache = cache;
  }

  getProduct(id: string): Promise<Product> {
    const attributes = { 'code.function.name': 'ProductCatalog.getProduct', 'product.id': id };
    return tracer.startActiveSpan('getProduct', { attributes }, async (span) => {
      try {
        return await this.#cache.get(id);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}
