import type { ReadContext } from './format';

/**
 * The context `loadTraces` hands to readers: a `ReadContext` that can also report
 * something worth knowing that does not stop the load (an enum value from a newer
 * OTLP, a span without times). Readers written against plain `ReadContext` ignore it.
 */
export interface LoadContext extends ReadContext {
  warn(message: string): void;
  /**
   * Like `warn`, but only the first time `key` comes up in the whole load: a JSON Lines
   * file repeats one oddity on every line, and a CI log needs to hear of it once.
   */
  warnOnce(key: string, message: string): void;
}

/** The warning sink of a context, if it has one. */
export function warnerOf(ctx: ReadContext): ((message: string) => void) | undefined {
  const warn = (ctx as Partial<LoadContext>).warn;
  return typeof warn === 'function' ? warn : undefined;
}

/** V8's JSON.parse already shares string values up to this length. */
const MIN_LENGTH = 11;
/** Longer strings are rarely repeated verbatim; comparing them costs more than it saves. */
const MAX_LENGTH = 256;
const SLOTS = 1 << 13;

/**
 * A string interner: one shared copy per distinct text, as far as it can tell cheaply.
 * JSON.parse makes a new string for every occurrence, and in a million spans
 * `redis.shop.svc.cluster.local` occurs a hundred thousand times.
 *
 * A direct-mapped cache, not a Map: a Map of every distinct value grows without bound
 * on high-cardinality values (a URL with an id in it) and costs a cache miss or two per
 * lookup. Here a value that repeats stays in its slot, one that does not is soon evicted,
 * and a lookup is a few character reads and one comparison.
 */
export function createInterner(): (text: string) => string {
  const slots: string[] = new Array<string>(SLOTS).fill('');
  return (text: string): string => {
    const n = text.length;
    if (n < MIN_LENGTH || n > MAX_LENGTH) return text;
    // Characters from across the string: values of one key often share a long prefix
    // (`SELECT ... FROM orders`, `SELECT ... FROM users`).
    const h =
      (n * 31 +
        text.charCodeAt(0) +
        text.charCodeAt(n >> 2) * 7 +
        text.charCodeAt(n >> 1) * 131 +
        text.charCodeAt((n * 3) >> 2) * 1031 +
        text.charCodeAt(n - 2) * 2053 +
        text.charCodeAt(n - 1) * 8191) &
      (SLOTS - 1);
    const known = slots[h] as string;
    if (known === text) return known;
    // Two ways: the previous occupant moves to the neighbouring slot, so that two
    // frequent values that collide do not keep evicting each other.
    const other = slots[h ^ 1] as string;
    if (other === text) return other;
    slots[h ^ 1] = known;
    slots[h] = text;
    return text;
  };
}
