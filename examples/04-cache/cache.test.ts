import { describe, expect, test } from '@jest/globals';
import { captureTrace, captureTraces } from 'tracespec';
import { type Product, ProductCatalog, ProductDatabase } from './product-catalog';
import { type Clock, ReadThroughCache } from './read-through-cache';

const PRODUCTS: Product[] = [
  { id: '42', name: 'Espresso machine', priceCents: 34_900 },
  { id: '43', name: 'Milk frother', priceCents: 5_900 },
];

const TTL_MS = 60_000;

/** A clock the test moves by hand: TTL expiry without waiting and without fake timers. */
class ManualClock implements Clock {
  #now = Date.parse('2025-01-01T00:00:00Z');
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** A broken cache: it loads and serves, but never keeps what it loaded. */
class ForgetfulCache<V> extends ReadThroughCache<V> {
  protected override store(): void {}
}

function catalogWith(
  options: { clock?: Clock; coalesce?: boolean; Cache?: typeof ReadThroughCache } = {},
) {
  const database = new ProductDatabase(PRODUCTS, { latencyMs: 20 });
  const Cache = options.Cache ?? ReadThroughCache;
  const cache = new Cache<Product>({
    name: 'products',
    ttlMs: TTL_MS,
    load: (id) => database.findProduct(id),
    clock: options.clock ?? new ManualClock(),
    ...(options.coalesce === undefined ? {} : { coalesce: options.coalesce }),
  });
  return new ProductCatalog(cache);
}

// The loader's span, and the cache's reads (a span with cache.* attributes is `type = cache`).
const LOADS = '{ name = "SELECT products" }';
const READS = '{ type = cache }';

describe('read-through cache', () => {
  test('a miss calls the loader once, under the read that missed', async () => {
    const catalog = catalogWith();

    const miss = await captureTrace(() => catalog.getProduct('42'));

    expect(miss).toHaveSpanCount(LOADS, 1);
    expect(miss).toHaveAttributes(READS, {
      'cache.name': 'products',
      'cache.key': '42',
      'cache.hit': false,
      'cache.miss_reason': 'absent',
    });
    expect(miss).toMatchTraceTree(`
      getProduct
      └── cache get products
          └── SELECT products
    `);
    expect(miss).toHaveNoErrors();
  });

  test('a hit never calls the loader', async () => {
    const catalog = catalogWith();
    await catalog.getProduct('42');

    const hit = await captureTrace(() => catalog.getProduct('42'));

    expect(hit).toHaveSpanCount(LOADS, 0);
    expect(hit).toHaveSpanCount('{ type = database }', 0);
    expect(hit).toHaveAttributes(READS, { 'cache.hit': true, 'cache.miss_reason': undefined });
    // Other keys are still misses.
    const other = await captureTrace(() => catalog.getProduct('43'));
    expect(other).toHaveSpanCount(LOADS, 1);
  });

  test('an expired entry is refreshed from the loader, then served again', async () => {
    const clock = new ManualClock();
    const catalog = catalogWith({ clock });
    await catalog.getProduct('42');

    clock.advance(TTL_MS - 1);
    const fresh = await captureTrace(() => catalog.getProduct('42'));
    expect(fresh).toHaveSpanCount(LOADS, 0);

    clock.advance(1);
    const refresh = await captureTrace(() => catalog.getProduct('42'));
    expect(refresh).toHaveSpanCount(LOADS, 1);
    expect(refresh).toHaveAttributes(READS, { 'cache.hit': false, 'cache.miss_reason': 'expired' });

    const afterRefresh = await captureTrace(() => catalog.getProduct('42'));
    expect(afterRefresh).toHaveSpanCount(LOADS, 0);
  });

  test('a stampede of concurrent reads on a cold key loads once', async () => {
    const catalog = catalogWith();

    // Twenty requests at once, each its own trace: captureTraces returns all of them.
    const traces = await captureTraces(() =>
      Promise.all(Array.from({ length: 20 }, () => catalog.getProduct('42'))),
    );

    expect(traces).toHaveLength(20);
    expect(traces).toHaveSpanCount(READS, 20);
    expect(traces).toHaveSpanCount(LOADS, 1);
    // The other nineteen misses waited for the first one's load.
    expect(traces).toHaveSpanCount('{ span.cache.coalesced = true }', 19);
    expect(traces).toHaveSpanCount(
      '{ span.cache.coalesced = true } > { name = "SELECT products" }',
      0,
    );
  });
});

describe('the same expectations catch a broken cache', () => {
  test('a cache that never stores sends every read to the loader', async () => {
    const catalog = catalogWith({ Cache: ForgetfulCache });
    await catalog.getProduct('42');

    const second = await captureTrace(() => catalog.getProduct('42'));

    expect(() => expect(second).toHaveSpanCount(LOADS, 0)).toThrow(
      /exactly 0 spans[\s\S]*1 span:[\s\S]*SELECT products/,
    );
    expect(() => expect(second).toHaveAttributes(READS, { 'cache.hit': true })).toThrow(
      /"cache.hit": true[\s\S]*"cache.hit": false/,
    );
  });

  test('without coalescing, a stampede hits the loader once per request', async () => {
    const catalog = catalogWith({ coalesce: false });

    const traces = await captureTraces(() =>
      Promise.all(Array.from({ length: 20 }, () => catalog.getProduct('42'))),
    );

    // The message counts the loads and groups them by name: "20 × "SELECT products" ...".
    expect(() => expect(traces).toHaveSpanCount(LOADS, 1)).toThrow(
      /exactly 1 span[\s\S]*20 spans:[\s\S]*20 × "SELECT products"/,
    );
  });
});
