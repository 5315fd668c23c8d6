// The order service: reserves the items, charges the card, then sends the confirmation.
// A failed charge releases the reservation and fails the order (502); a failed
// notification does not (the order is paid; the e-mail is best effort).
// The one service exporting OTLP/protobuf, so that a receiver sees both encodings.

const tracing = require('./tracing').startTracing('order-service', { protocol: 'http/protobuf' });
const { randomUUID } = require('node:crypto');
const { SpanStatusCode, trace } = require('@opentelemetry/api');
const { HttpError, numberFromEnv, postJson, requireUrl, runService } = require('./runtime');

const INVENTORY_URL = requireUrl('order-service', 'INVENTORY_URL');
const PAYMENT_URL = requireUrl('order-service', 'PAYMENT_URL');
const NOTIFICATION_URL = requireUrl('order-service', 'NOTIFICATION_URL');
const PAYMENT_TIMEOUT_MS = numberFromEnv('PAYMENT_TIMEOUT_MS', 3000);

const tracer = trace.getTracer('checkout/order', '1.0.0');

/** What a cart holds when the request names only a cart id (`{ cart: 42 }`). */
const DEFAULT_ITEMS = [
  { sku: 'SKU-BOOK', quantity: 1 },
  { sku: 'SKU-MUG', quantity: 2 },
];

/** Anything but an answer from inventory is its failure; its 4xx are the customer's. */
async function reserveItems(orderId, items) {
  let answer;
  try {
    answer = await postJson(`${INVENTORY_URL}/reserve`, { orderId, items });
  } catch (error) {
    throw new HttpError(502, 'inventory_unavailable', `inventory: ${error.message}`);
  }
  if (answer.status >= 400 && answer.status < 500) {
    throw new HttpError(answer.status, answer.body.error ?? 'rejected', answer.body.message);
  }
  if (answer.status !== 201) {
    throw new HttpError(502, 'inventory_failed', `inventory answered ${answer.status}`);
  }
  return answer.body;
}

/**
 * The call to the external provider as the business sees it: "Payment Gateway API" wraps
 * the HTTP client span, carries where it went (`server.address`) and why it failed.
 */
function charge(orderId, amountCents, card) {
  const url = new URL('/charge', PAYMENT_URL);
  return tracer.startActiveSpan(
    'Payment Gateway API',
    {
      attributes: {
        'server.address': url.hostname,
        'server.port': Number(url.port),
        'app.order.id': orderId,
        'app.payment.amount_cents': amountCents,
        'app.payment.currency': 'EUR',
      },
    },
    async (span) => {
      try {
        let answer;
        try {
          answer = await postJson(
            url,
            { orderId, amountCents, currency: 'EUR', card },
            { timeoutMs: PAYMENT_TIMEOUT_MS },
          );
        } catch (error) {
          throw new HttpError(502, 'payment_unavailable', `payment gateway: ${error.message}`);
        }
        if (answer.status !== 201) {
          // The provider's own words ("card declined") are what an on-call engineer searches.
          const message = answer.body.message ?? `payment gateway answered ${answer.status}`;
          throw new HttpError(502, answer.body.error ?? 'payment_failed', message);
        }
        span.setAttribute('app.payment.charge_id', answer.body.id);
        return answer.body;
      } catch (error) {
        span.recordException(error);
        span.setAttribute('error.type', error.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

async function release(reservationId, span) {
  try {
    const answer = await postJson(`${INVENTORY_URL}/release`, { reservationId });
    if (answer.status !== 200) throw new Error(`inventory answered ${answer.status}`);
  } catch (error) {
    // The stock stays held; worth an event, not worth hiding the payment failure behind.
    span.addEvent('reservation not released', {
      'app.inventory.reservation_id': reservationId,
      reason: error.message,
    });
  }
}

async function notify(orderId, email, span) {
  try {
    const answer = await postJson(`${NOTIFICATION_URL}/notify`, { orderId, email });
    if (answer.status !== 202) throw new Error(`notification answered ${answer.status}`);
  } catch (error) {
    span.addEvent('confirmation not sent', { reason: error.message });
  }
}

runService({
  name: 'order-service',
  tracing,
  routes: {
    'POST /orders': ({ body }) =>
      tracer.startActiveSpan('Order Service', async (span) => {
        const orderId = `ord_${randomUUID().slice(0, 8)}`;
        span.setAttribute('app.order.id', orderId);
        if (body.cart !== undefined) span.setAttribute('app.cart.id', String(body.cart));
        try {
          const reservation = await reserveItems(orderId, body.items ?? DEFAULT_ITEMS);
          let payment;
          try {
            payment = await charge(orderId, reservation.totalCents, body.card ?? 'tok_visa');
          } catch (error) {
            await release(reservation.reservationId, span);
            throw error;
          }
          await notify(orderId, body.email ?? 'customer@example.com', span);
          return {
            status: 201,
            body: {
              orderId,
              status: 'confirmed',
              amountCents: reservation.totalCents,
              currency: 'EUR',
              chargeId: payment.id,
            },
          };
        } catch (error) {
          span.setAttribute('error.type', error.code ?? error.name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
          error.details = { ...error.details, orderId };
          throw error;
        } finally {
          span.end();
        }
      }),
  },
});
