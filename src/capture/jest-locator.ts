/**
 * Which Jest test the current code runs for.
 *
 * jest-circus runs every test, serial or `test.concurrent`, inside an AsyncLocalStorage of
 * its own and publishes what it holds through `expect.getState()`: `currentTestIdentity()`
 * (the test object, Jest 30.5 on) and `currentConcurrentTestName()` (its full name, older
 * 30.x). Both follow the test's async context through awaits, timers and events, which is
 * exactly "the test whose context started the span", and both work whether the test file
 * uses the globals or `import { test } from '@jest/globals'`.
 *
 * Wrapping the global `test` instead does not work for the import: Jest 30 builds
 * `@jest/globals` from circus's own functions (`setGlobalsForRuntime`), not from the
 * environment's globals, so a setup file that replaces `globalThis.test` leaves the
 * imported `test` untouched.
 */

import type { RunningTest } from './runtime';

interface ExpectStateLike {
  readonly currentTestName?: string | undefined;
  readonly currentTestIdentity?: (() => unknown) | undefined;
  readonly currentConcurrentTestName?: (() => string | undefined) | undefined;
}

export interface ExpectLike {
  getState(): ExpectStateLike;
}

/** The test of the current async context, or undefined (a beforeAll, module scope, no Jest). */
export function jestTestLocator(expect: ExpectLike): () => RunningTest | undefined {
  return () => {
    const state = stateOf(expect);
    if (!state) return undefined;
    const identity = callSafely(state.currentTestIdentity);
    const name = callSafely(state.currentConcurrentTestName);
    if (typeof identity === 'object' && identity !== null) {
      return { key: identity, name: typeof name === 'string' ? name : testNameOf(identity, state) };
    }
    if (typeof name === 'string' && name !== '') return { key: name, name };
    return undefined;
  };
}

/**
 * The test Jest reports as running (`expect.getState().currentTestName`): right for serial
 * tests between their beforeEach and afterEach, the fallback where no async-context
 * information exists.
 */
export function serialTestOf(expect: ExpectLike): RunningTest | undefined {
  const name = stateOf(expect)?.currentTestName;
  return typeof name === 'string' && name !== '' ? { key: name, name } : undefined;
}

function stateOf(expect: ExpectLike): ExpectStateLike | undefined {
  try {
    return expect.getState();
  } catch {
    return undefined;
  }
}

function callSafely<T>(fn: (() => T) | undefined): T | undefined {
  if (typeof fn !== 'function') return undefined;
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function testNameOf(identity: object, state: ExpectStateLike): string {
  const name = (identity as { name?: unknown }).name;
  return typeof name === 'string' ? name : (state.currentTestName ?? 'unnamed test');
}
