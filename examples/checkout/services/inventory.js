// The inventory service: prices and stock per SKU, reservations for an order, and their
// release when the order cannot be paid.

const tracing = require('./tracing').startTracing('inventory-service', { protocol: 'http/json' });
const { randomUUID } = require('node:crypto');
const { SpanStatusCode, trace } = require('@opentelemetry/api');
const { HttpError, runService } = require('./runtime');

const tracer = trace.getTracer('checkout/inventory', '1.0.0');

/** Stock large enough that load tests never run out; one SKU is sold out to show a 409. */
const catalogue = new Map([
  ['SKU-BOOK', { priceCents: 1299, stock: 1_000_000 }],
  ['SKU-MUG', { priceCents: 899, stock: 1_000_000 }],
  ['SKU-TEE', { priceCents: 1999, stock: 1_000_000 }],
  ['SKU-SOLD-OUT', { priceCents: 4999, stock: 0 }],
]);

/** Reservation id → its lines, until released. Held in memory: the process is the store. */
const reservations = new Map();

function reserve(items) {
  if (!Array.isArray(items) || items.length === 0) {
    throw new HttpError(400, 'invalid_request', 'items must be a non-empty list');
  }
  for (const { sku, quantity } of items) {
    const entry = catalogue.get(sku);
    if (!entry) throw new HttpError(409, 'unknown_sku', `unknown SKU ${sku}`);
    if (!Number.isInteger(quantity) || quantity <= 0) {
      throw new HttpError(400, 'invalid_request', `bad quantity for ${sku}`);
    }
    if (entry.stock < quantity) throw new HttpError(409, 'out_of_stock', `out of stock: ${sku}`);
  }
  // Checked in full before taking anything, so a refused order holds no stock.
  const lines = items.map(({ sku, quantity }) => {
    const entry = catalogue.get(sku);
    entry.stock -= quantity;
    return { sku, quantity, priceCents: entry.priceCents };
  });
  const id = `res_${randomUUID().slice(0, 8)}`;
  reservations.set(id, lines);
  return { id, lines, totalCents: lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0) };
}

runService({
  name: 'inventory-service',
  tracing,
  routes: {
    'POST /reserve': ({ body }) =>
      tracer.startActiveSpan('Inventory Service', async (span) => {
        try {
          span.setAttribute('app.order.id', String(body.orderId ?? ''));
          const reservation = reserve(body.items);
          span.setAttributes({
            'app.inventory.reservation_id': reservation.id,
            'app.inventory.line_count': reservation.lines.length,
          });
          return { status: 201, body: { reservationId: reservation.id, ...reservation } };
        } catch (error) {
          span.setAttribute('error.type', error.code ?? error.name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
          throw error;
        } finally {
          span.end();
        }
      }),
    'POST /release': async ({ body }) => {
      const lines = reservations.get(body.reservationId);
      if (!lines) throw new HttpError(404, 'unknown_reservation', 'no such reservation');
      reservations.delete(body.reservationId);
      for (const { sku, quantity } of lines) catalogue.get(sku).stock += quantity;
      return { status: 200, body: { released: body.reservationId } };
    },
  },
});
