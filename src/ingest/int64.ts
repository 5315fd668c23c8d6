/**
 * OTLP/JSON's 64-bit integers: decimal strings by the spec, plain JSON numbers from some
 * exporters. Parsed without regular expressions or exceptions: a loader calls these twice
 * per span and once per integer attribute, a million times over.
 */

const SECOND = 1_000_000_000n;
// Nanosecond timestamps of one file share their seconds; BigInt's constructor from a
// string is a slow runtime call, so the seconds part is converted once and reused.
let lastSeconds = -1;
let lastSecondsBig = 0n;

/**
 * Unsigned nanoseconds (`"1544712660000000000"` or a JSON number) to bigint.
 * Returns undefined when the value is not a non-negative integer.
 */
export function parseUnixNano(value: unknown): bigint | undefined {
  if (typeof value === 'string') {
    const n = value.length;
    if (n === 0 || n > 20) return undefined;
    if (n <= 9) {
      let small = 0;
      for (let i = 0; i < n; i++) {
        const d = value.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return undefined;
        small = small * 10 + d;
      }
      return BigInt(small);
    }
    // Split into seconds (at most 11 digits here, exact as a double) and nanoseconds.
    const split = n - 9;
    let seconds = 0;
    for (let i = 0; i < split; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      seconds = seconds * 10 + d;
    }
    let nanos = 0;
    for (let i = split; i < n; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      nanos = nanos * 10 + d;
    }
    if (seconds !== lastSeconds) {
      lastSeconds = seconds;
      lastSecondsBig = BigInt(seconds) * SECOND;
    }
    return nanos === 0 ? lastSecondsBig : lastSecondsBig + BigInt(nanos);
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 ? BigInt(value) : undefined;
  }
  return undefined;
}

// The parts of the last time `nanoParts` read: exact as numbers.
let partSeconds = 0;
let partNanos = 0;

/** A decimal string of at most 20 digits into `partSeconds` and `partNanos`; false if it is not one. */
function nanoParts(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > 20) return false;
  const split = n > 9 ? n - 9 : 0;
  let seconds = 0;
  for (let i = 0; i < split; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    seconds = seconds * 10 + d;
  }
  let nanos = 0;
  for (let i = split; i < n; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    nanos = nanos * 10 + d;
  }
  partSeconds = seconds;
  partNanos = nanos;
  return true;
}

/** A span's times as {@link readSpanTimes} leaves them: the start split, and the duration. */
export interface SpanTimes {
  startSeconds: number;
  startNanos: number;
  durationNs: number;
}

/**
 * Reads a span's start and end when both are decimal strings and `end - start` is
 * between 0 and 2^53 ns, into `out`, without BigInts, and says whether it could; the
 * caller otherwise takes the slow path, which also explains what is wrong. A span calls
 * this once, a million spans a million times: BigInt arithmetic allocates at every step.
 */
export function readSpanTimes(start: unknown, end: unknown, out: SpanTimes): boolean {
  if (typeof start !== 'string' || typeof end !== 'string' || !nanoParts(start)) return false;
  const startSeconds = partSeconds;
  const startNanos = partNanos;
  if (!nanoParts(end)) return false;
  const seconds = partSeconds - startSeconds;
  // Up to 9e6 seconds (104 days) every step below is exact.
  if (seconds < 0 || seconds > 9_000_000) return false;
  const duration = seconds * 1e9 + (partNanos - startNanos);
  if (duration < 0) return false;
  out.startSeconds = startSeconds;
  out.startNanos = startNanos;
  out.durationNs = duration;
  return true;
}

/**
 * A signed int64 attribute value: a number when it is exact as one, a bigint beyond 2^53.
 * Returns undefined when the value is not an integer.
 */
export function parseInt64(value: unknown): number | bigint | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return undefined;
    return Number.isSafeInteger(value) ? value : BigInt(value);
  }
  if (typeof value !== 'string') return undefined;
  const n = value.length;
  const start = n > 0 && value.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (n === start || n - start > 19) return undefined;
  let result = 0;
  for (let i = start; i < n; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    result = result * 10 + d;
  }
  // Up to 15 digits the double accumulated above is exact.
  if (n - start <= 15) return start === 1 && result !== 0 ? -result : result;
  const big = BigInt(value);
  return big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
}
