import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-cache');

/** Where the cache reads the time: `Date.now` in production, a hand-moved clock in tests. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ReadThroughCacheOptions<V> {
  /** `cache.name` on every span, e.g. `products`. */
  readonly name: string;
  /** How long a loaded value is served before the next read loads it again. */
  readonly ttlMs: number;
  /** The slow source of truth, called on a miss. */
  readonly load: (key: string) => Promise<V>;
  readonly clock?: Clock;
  /**
   * Concurrent misses on one key share a single load (default). Without it, a cold key
   * read by many requests at once sends every one of them to the loader: a stampede.
   */
  readonly coalesce?: boolean;
}

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

/**
 * A read-through cache: `get` serves a stored value until its TTL runs out, and otherwise
 * calls the loader, stores the result and serves it. Each read is a span with `cache.hit`
 * (and on a miss `cache.miss_reason`: `absent` or `expired`, and `cache.coalesced` when it
 * waited for a load another read had started); the loader's own spans nest under the read
 * that called it.
 */
export class ReadThroughCache<V> {
  readonly name: string;
  readonly #ttlMs: number;
  readonly #load: (key: string) => Promise<V>;
  readonly #clock: Clock;
  readonly #coalesce: boolean;
  readonly #entries = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, Promise<V>>();

  constructor(options: ReadThroughCacheOptions<V>) {
    this.name = options.name;
    this.#ttlMs = options.ttlMs;
    this.#load = options.load;
    this.#clock = options.clock ?? systemClock;
    this.#coalesce = options.coalesce ?? true;
  }

  get(key: string): Promise<V> {
    const attributes = { 'cache.name': this.name, 'cache.key': key };
    return tracer.startActiveSpan(`cache get ${this.name}`, { attributes }, async (span) => {
      try {
        const entry = this.#entries.get(key);
        if (entry && entry.expiresAt > this.#clock.now()) {
          span.setAttribute('cache.hit', true);
          return entry.value;
        }
        span.setAttributes({
          'cache.hit': false,
          'cache.miss_reason': entry ? 'expired' : 'absent',
        });
        const pending = this.#coalesce ? this.#loading.get(key) : undefined;
        if (pending) {
          span.setAttribute('cache.coalesced', true);
          return await pending;
        }
        // Registered before the first await, so that reads arriving meanwhile find it.
        const loading = this.#loadAndStore(key);
        if (this.#coalesce) this.#loading.set(key, loading);
        try {
          return await loading;
        } finally {
          if (this.#loading.get(key) === loading) this.#loading.delete(key);
        }
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** Keeps a loaded value until its TTL runs out. */
  protected store(key: string, value: V): void {
    this.#entries.set(key, { value, expiresAt: this.#clock.now() + this.#ttlMs });
  }

  async #loadAndStore(key: string): Promise<V> {
    const value = await this.#load(key);
    this.store(key, value);
    return value;
  }
}
