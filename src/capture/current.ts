/**
 * The spans of the running test, for assertions that do not wrap the code in `captureTrace`.
 */

import type { Trace } from '../model';
import { captureRuntime } from './runtime';
import type { CapturedSpans } from './scope';

/**
 * Everything the running test has captured so far: its ended spans as traces (earliest
 * first), its open spans, and problems met while recording. "The running test" is the test
 * whose async context the caller runs in, so each `test.concurrent` body gets its own.
 * Throws, explaining why, outside a test or without tracespec's Jest wiring.
 */
export function currentCapture(): CapturedSpans {
  const runtime = captureRuntime();
  const scope = runtime.testScope();
  if (scope) return scope;
  if (!runtime.jestWired) {
    throw new Error(
      "currentTraces() needs tracespec's Jest wiring: add 'tracespec/jest' to setupFilesAfterEnv " +
        'in your Jest config. It installs capture and tells tracespec which test is running. ' +
        'Outside Jest, wrap the code in captureTrace(fn) instead.',
    );
  }
  throw new Error(
    'currentTraces() was called outside a test (in beforeAll, afterAll, a describe body or at ' +
      'module scope). Only a test, with its beforeEach and afterEach hooks, has spans of its own.',
  );
}

/**
 * The traces of spans the running test caused that have ended, earliest first. Spans
 * still open are not in them; `await captureTrace(fn)` waits for those.
 */
export function currentTraces(): Trace[] {
  const scope = currentCapture();
  if (scope.problems.length > 0) {
    throw new Error(
      `tracespec could not record every span of ${scope.label}, so its traces would be incomplete:\n` +
        scope.problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
  return scope.traces();
}
