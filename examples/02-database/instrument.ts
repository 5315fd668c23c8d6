/**
 * The pg instrumentation, registered before anything loads `pg` (imported first by the
 * test): as in production, an instrumentation patches a library when it is loaded. In your
 * project this goes in a setup file listed in `setupFilesAfterEnv`, after `preset: 'tracespec'`.
 */

import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { installCapture } from 'tracespec';

installCapture({
  instrumentations: [
    // Statement parameters on the span (`db.postgresql.values`); connection spans left out.
    new PgInstrumentation({ enhancedDatabaseReporting: true, ignoreConnectSpans: true }),
  ],
});
