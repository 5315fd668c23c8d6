/**
 * The examples' OpenTelemetry instrumentations, registered with tracespec in a
 * `setupFilesAfterEnv` file (see jest.config.js), as a user's project does with
 * `preset: 'tracespec'`: tracespec's Jest runtime then applies them to `node:http` when the
 * application code loads it, and client and server spans come from the real
 * `@opentelemetry/instrumentation-http`.
 *
 * The instance is exported so that a test file can set the instrumentation's own options
 * for its tests (`httpInstrumentation.setConfig({ ignoreIncomingRequestHook })`): setup
 * files and the test file share the test file's module registry.
 */

import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { installCapture } from 'tracespec';

export const httpInstrumentation = new HttpInstrumentation();

installCapture({ instrumentations: [httpInstrumentation] });
