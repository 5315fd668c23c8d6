// The notification service: "sends" the order confirmation. The outbox is in memory; what
// matters to a trace is that the call happens once, after payment, and never for a failed
// order.

const tracing = require('./tracing').startTracing('notification-service', {
  protocol: 'http/json',
});
const { SpanStatusCode, trace } = require('@opentelemetry/api');
const { HttpError, runService } = require('./runtime');

const tracer = trace.getTracer('checkout/notification', '1.0.0');
const OUTBOX_LIMIT = 1000;
const outbox = [];

runService({
  name: 'notification-service',
  tracing,
  routes: {
    'POST /notify': ({ body }) =>
      tracer.startActiveSpan('Notification Service', async (span) => {
        try {
          if (typeof body.orderId !== 'string') {
            throw new HttpError(400, 'invalid_request', 'orderId is required');
          }
          span.setAttributes({ 'app.order.id': body.orderId, 'app.notification.channel': 'email' });
          outbox.push({ to: body.email, subject: `Order ${body.orderId} confirmed` });
          if (outbox.length > OUTBOX_LIMIT) outbox.shift();
          return { status: 202, body: { queued: true } };
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
          throw error;
        } finally {
          span.end();
        }
      }),
  },
});
