/**
 * `tracespec/jest`, for Jest's `setupFilesAfterEnv`: adds tracespec's matchers to `expect`
 * (with their types), wires span capture into Jest so that `currentTraces()` and
 * `captureTrace()` work in every test file, and re-exports capture.
 */
import '../matchers/types';
import { matchers } from '../matchers';
import { setupJestCapture } from './capture/jest-wiring';

export * from './capture';
export { setupJestCapture } from './capture/jest-wiring';

setupJestCapture();
// Jest's runtime answers `@jest/globals` itself (no install needed), also when a project
// sets `injectGlobals: false`. After setupJestCapture, so that its "run inside Jest"
// message is the one a misconfigured user sees.
(require('@jest/globals') as typeof import('@jest/globals')).expect.extend(matchers);
