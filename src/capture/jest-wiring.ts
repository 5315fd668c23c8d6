/**
 * Capture wired into Jest, for the `tracespec/jest` entry (a `setupFilesAfterEnv` file).
 */

import { CaptureSetupError } from './errors';
import {
  type CaptureInstallation,
  type InstallCaptureOptions,
  installCapture,
} from './installation';
import { type ExpectLike, jestTestLocator, serialTestOf } from './jest-locator';
import { captureRuntime } from './runtime';

interface JestGlobalsLike {
  readonly expect: ExpectLike;
  readonly beforeEach: (fn: () => void) => void;
  readonly afterEach: (fn: () => void) => void;
}

/**
 * Installs capture (see `installCapture`; an installation made earlier, e.g. with your own
 * provider in a setup file listed before, is kept) and tells it which test is running, so
 * that each test, `test.concurrent` ones included, sees only the spans it caused.
 *
 * Registers a `beforeEach` that starts each serial test (and each retry) with no spans and
 * marks it as the serially running test, the fallback for spans whose async context says
 * nothing (a server started in `beforeAll` serving a request without trace context), and an
 * `afterEach` that clears the mark. Once per test file; later calls only install.
 */
export function setupJestCapture(options?: InstallCaptureOptions): CaptureInstallation {
  const jest = jestGlobals();
  const installation = installCapture(options);
  const runtime = captureRuntime();
  if (runtime.jestWired) return installation;
  runtime.jestWired = true;
  const locate = jestTestLocator(jest.expect);
  runtime.locateTest = locate;
  jest.beforeEach(() => {
    const test = locate() ?? serialTestOf(jest.expect);
    runtime.serialTest = test;
    if (test) runtime.forgetTest(test);
  });
  jest.afterEach(() => {
    runtime.serialTest = undefined;
  });
  return installation;
}

function jestGlobals(): JestGlobalsLike {
  let imported: Partial<JestGlobalsLike> | undefined;
  try {
    // Inside Jest this module is synthesised by the runtime (even with injectGlobals: false);
    // outside, requiring it throws.
    imported = require('@jest/globals') as Partial<JestGlobalsLike>;
  } catch {
    imported = undefined;
  }
  const ambient = globalThis as Partial<JestGlobalsLike>;
  const expect = imported?.expect ?? ambient.expect;
  const beforeEach = imported?.beforeEach ?? ambient.beforeEach;
  const afterEach = imported?.afterEach ?? ambient.afterEach;
  if (!expect || typeof beforeEach !== 'function' || typeof afterEach !== 'function') {
    throw new CaptureSetupError(
      "tracespec/jest must run inside Jest: list it in setupFilesAfterEnv (not setupFiles, which run before Jest's test functions exist), or import it from a test file. " +
        'Outside Jest, call installCapture() and captureTrace(fn) instead.',
    );
  }
  return { expect, beforeEach, afterEach };
}
