// The payment gateway: a stand-in for an external provider, with the latency and failure
// rate a test sets. Decisions come from a seeded generator, so a run is repeatable: the
// n-th charge it receives gets the same latency and outcome for the same settings.

const tracing = require('./tracing').startTracing('payment-gateway', { protocol: 'http/json' });
const { randomUUID } = require('node:crypto');
const { SpanStatusCode, trace } = require('@opentelemetry/api');
const { HttpError, numberFromEnv, runService } = require('./runtime');

const LATENCY_MS = Math.max(0, numberFromEnv('PAYMENT_LATENCY_MS', 50));
const JITTER = Math.min(1, Math.max(0, numberFromEnv('PAYMENT_LATENCY_JITTER', 0.2)));
const FAILURE_RATE = Math.min(1, Math.max(0, numberFromEnv('PAYMENT_FAILURE_RATE', 0)));
const random = mulberry32(numberFromEnv('PAYMENT_SEED', 1));

/** Card tokens that are always declined, as providers' test cards are. */
const DECLINED_CARDS = new Set(['tok_chargeDeclined', 'tok_declined']);

/** mulberry32: tiny, fast, and good enough for jitter; the same seed gives the same run. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

runService({
  name: 'payment-gateway',
  tracing,
  routes: {
    'POST /charge': async ({ body }) => {
      const { amountCents, currency, card } = body;
      if (!Number.isInteger(amountCents) || amountCents <= 0 || typeof currency !== 'string') {
        throw new HttpError(400, 'invalid_request', 'amountCents and currency are required');
      }
      // Both draws happen on arrival, before any waiting, so concurrency cannot reorder them.
      const latency = LATENCY_MS * (1 + JITTER * (2 * random() - 1));
      const roll = random();
      const declined = DECLINED_CARDS.has(card) || roll < FAILURE_RATE;
      await sleep(latency);

      // The server span: the decline starts here, so this is where its error is recorded
      // (a 402 alone leaves a server span's status unset).
      const span = trace.getActiveSpan();
      span?.setAttributes({
        'app.payment.amount_cents': amountCents,
        'app.payment.currency': currency,
      });
      if (declined) {
        span?.setAttribute('error.type', 'card_declined');
        span?.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
        throw new HttpError(402, 'card_declined', 'card declined');
      }
      const id = `ch_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
      span?.setAttribute('app.payment.charge_id', id);
      return { status: 201, body: { id, status: 'succeeded', amountCents, currency } };
    },
  },
});
