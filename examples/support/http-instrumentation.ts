/**
 * The real `@opentelemetry/instrumentation-http`, applied to `node:http` for one test file.
 *
 * In production you register the instrumentation once at startup
 * (`registerInstrumentations({ instrumentations: [new HttpInstrumentation()] })`) and it
 * patches `http` when the application first `require`s it. Under Jest that hook never
 * fires: Jest loads modules through its own registry, which bypasses
 * `require-in-the-middle`. So this helper applies the instrumentation's own patch (the one
 * the hook would apply) to the loaded `node:http` module in `beforeAll`, and removes it in
 * `afterAll`: `node:http` is one object shared by every test file of a Jest worker.
 *
 * ```ts
 * import { instrumentHttp } from '../support/http-instrumentation';
 * instrumentHttp(); // at the top of the test file
 * ```
 *
 * Application code must reach `http.request`, `http.get` and `http.createServer` through
 * the module object at call time (`import http from 'node:http'` or
 * `import { request } from 'node:http'`), which is what the patch replaces.
 */

import http from 'node:http';
import { afterAll, beforeAll } from '@jest/globals';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import {
  HttpInstrumentation,
  type HttpInstrumentationConfig,
} from '@opentelemetry/instrumentation-http';

/**
 * Patch `node:http` with the real HTTP instrumentation for the tests of this file: client
 * spans for outgoing requests, server spans for incoming ones, W3C trace context in the
 * headers between them. `config` is the instrumentation's own (`ignoreIncomingRequestHook`,
 * `headersToSpanAttributes`, ...). Call it at the top level of the test file.
 */
export function instrumentHttp(config: HttpInstrumentationConfig = {}): void {
  let definition: InstrumentationModuleDefinition | undefined;

  beforeAll(() => {
    // enabled: false: do not install the require hook (useless under Jest); patch by hand.
    const instrumentation = new HttpInstrumentation({ ...config, enabled: false });
    const found = instrumentation.getModuleDefinitions().find((d) => d.name === 'http');
    if (!found?.patch) {
      throw new Error('@opentelemetry/instrumentation-http has no patch for the http module');
    }
    found.patch(http);
    definition = found;
  });

  afterAll(() => {
    definition?.unpatch?.(http);
    definition = undefined;
  });
}
