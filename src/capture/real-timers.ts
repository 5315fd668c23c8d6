/**
 * Timers and a clock that Jest's fake timers do not replace.
 *
 * `jest.useFakeTimers()` swaps `setTimeout`, `Date`, `performance` and `process.hrtime` on
 * the test's global object, so a wait built on them never ends while a test holds the
 * clock. The `node:timers` and `node:perf_hooks` modules are the real ones (fake timers
 * patch them only when faking Node's own global, which Jest never does); the functions are
 * taken once at load so that a later patch of the module objects cannot reach them either.
 */

import * as perfHooks from 'node:perf_hooks';
import * as timers from 'node:timers';

const setTimeoutReal = timers.setTimeout;
const clearTimeoutReal = timers.clearTimeout;
const performance = perfHooks.performance;
const timeOriginMs = performance.timeOrigin;
const now = performance.now.bind(performance);

export const realClock = {
  setTimeout(callback: () => void, ms: number): ReturnType<typeof timers.setTimeout> {
    return setTimeoutReal(callback, ms);
  },
  clearTimeout(handle: ReturnType<typeof timers.setTimeout>): void {
    clearTimeoutReal(handle);
  },
  /** Wall-clock nanoseconds on the clock the SDK stamps spans with (time origin + monotonic). */
  nowUnixNano(): bigint {
    return BigInt(Math.round((timeOriginMs + now()) * 1e6));
  },
};
