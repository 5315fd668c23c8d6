// The API gateway: the public `POST /api/checkout`. It owns no business logic; it checks
// the request, forwards it to the order service, and turns the order service's failures
// into the answers a client should see (its own 4xx passed on, anything else a 502).

const tracing = require('./tracing').startTracing('api-gateway', { protocol: 'http/json' });
const { HttpError, numberFromEnv, postJson, requireUrl, runService } = require('./runtime');

const ORDER_URL = requireUrl('api-gateway', 'ORDER_URL');
const ORDER_TIMEOUT_MS = numberFromEnv('ORDER_TIMEOUT_MS', 10_000);

runService({
  name: 'api-gateway',
  tracing,
  routes: {
    'POST /api/checkout': async ({ body }) => {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw new HttpError(400, 'bad_request', 'the body must be a JSON object');
      }
      const { cart, items, card, email } = body;
      let answer;
      try {
        answer = await postJson(
          `${ORDER_URL}/orders`,
          { cart, items, card, email },
          { timeoutMs: ORDER_TIMEOUT_MS },
        );
      } catch (error) {
        throw new HttpError(502, 'order_unavailable', `order service: ${error.message}`);
      }
      if (answer.status === 201) return { status: 200, body: answer.body };
      const {
        error: code = 'order_failed',
        message = `order service answered ${answer.status}`,
        ...details
      } = answer.body;
      throw new HttpError(answer.status < 500 ? answer.status : 502, code, message, details);
    },
  },
});
