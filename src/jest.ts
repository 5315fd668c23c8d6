/**
 * `tracespec/jest`, for Jest's `setupFilesAfterEnv`: wires span capture into Jest, so that
 * `currentTraces()` and `captureTrace()` work in every test file, and re-exports capture.
 */
import { setupJestCapture } from './capture/jest-wiring';

export * from './capture';
export { setupJestCapture } from './capture/jest-wiring';

setupJestCapture();
