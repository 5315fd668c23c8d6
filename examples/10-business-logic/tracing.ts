/**
 * Tracing setup for this example's tests, imported before the application code (as an
 * application imports its instrumentation first): the service gets a name.
 *
 * The snapshot of a trace names the root's service, and the SDK's default service name is
 * `unknown_service:<argv0>`, which is `unknown_service:node` in one Jest process and
 * `unknown_service:/usr/bin/node` in a worker: a snapshot must not depend on that.
 */
import { resourceFromAttributes } from '@opentelemetry/resources';
import { installCapture } from 'tracespec';

installCapture({
  replace: true,
  providerOptions: { resource: resourceFromAttributes({ 'service.name': 'pricing' }) },
});
