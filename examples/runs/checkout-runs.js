#!/usr/bin/env node
/**
 * Writes the two checkout runs the specs in specs/ read: `checkout-run.jsonl` (60 healthy
 * checkouts) and `checkout-degraded.jsonl` (the same traffic with a slow, failing payment
 * gateway). Deterministic: run it again and the files do not change; test/spec checks that.
 *
 *   node examples/runs/checkout-runs.js
 */
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const CHECKOUTS = 60;
const START_NS = 1_764_000_000_000_000_000n; // 2025-11-24T16:00:00Z
const MS = 1_000_000n;

/** mulberry32: a small seeded generator, so the runs are the same on every machine. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(next, bytes) {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(next() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
}

const str = (key, value) => ({ key, value: { stringValue: value } });
const int = (key, value) => ({ key, value: { intValue: String(value) } });

function checkout(next, i, degraded) {
  const traceId = hex(next, 16);
  const ids = Array.from({ length: 5 }, () => hex(next, 8));
  const between = (lo, hi) => BigInt(Math.round(lo + next() * (hi - lo))) * MS;
  const declined = degraded && i % 15 === 7; // 4 of 60
  const start = START_NS + BigInt(i) * 1000n * MS;
  const inventory = between(20, 60);
  const payment = degraded ? between(250, 600) : between(80, 290);
  const notification = between(10, 30);

  const orderStart = start + 1n * MS;
  const invStart = orderStart + 1n * MS;
  const payStart = invStart + inventory + 1n * MS;
  const noteStart = payStart + payment + 1n * MS;
  const orderEnd = declined ? payStart + payment + 1n * MS : noteStart + notification + 1n * MS;
  const end = orderEnd + 1n * MS;
  const error = (message) => ({ code: 2, message });

  const span = (id, parent, name, kind, s, e, attributes, status) => ({
    traceId,
    spanId: ids[id],
    ...(parent === undefined ? {} : { parentSpanId: ids[parent] }),
    name,
    kind,
    startTimeUnixNano: String(s),
    endTimeUnixNano: String(e),
    attributes,
    ...(status ? { status } : {}),
  });
  const service = (name, spans) => ({
    resource: { attributes: [str('service.name', name)] },
    scopeSpans: [{ scope: { name: '@opentelemetry/instrumentation-http' }, spans }],
  });

  const gateway = [
    span(
      0,
      undefined,
      'POST /api/checkout',
      2,
      start,
      end,
      [
        str('http.request.method', 'POST'),
        str('http.route', '/api/checkout'),
        int('http.response.status_code', declined ? 502 : 200),
      ],
      declined ? error('payment failed') : undefined,
    ),
  ];
  const orders = [
    span(
      1,
      0,
      'Order Service',
      2,
      orderStart,
      orderEnd,
      [str('http.route', '/orders')],
      declined ? error('payment declined') : undefined,
    ),
    span(
      3,
      1,
      'Payment Gateway API',
      3,
      payStart,
      payStart + payment,
      [
        str('http.request.method', 'POST'),
        str('server.address', 'payments.example.com'),
        int('http.response.status_code', declined ? 402 : 200),
      ],
      declined ? error('card declined') : undefined,
    ),
  ];
  const inventoryService = [
    span(2, 1, 'Inventory Service', 2, invStart, invStart + inventory, [
      str('http.route', '/reserve'),
    ]),
  ];
  const notifications = declined
    ? []
    : [
        span(4, 1, 'Notification Service', 2, noteStart, noteStart + notification, [
          str('http.route', '/notify'),
        ]),
      ];
  return {
    resourceSpans: [
      service('api-gateway', gateway),
      service('order-service', orders),
      service('inventory-service', inventoryService),
      ...(notifications.length ? [service('notification-service', notifications)] : []),
    ],
  };
}

function run(degraded) {
  const next = random(degraded ? 2 : 1);
  const lines = [];
  for (let i = 0; i < CHECKOUTS; i++) lines.push(JSON.stringify(checkout(next, i, degraded)));
  return `${lines.join('\n')}\n`;
}

/** The files and their contents, for the test that keeps the committed files in step. */
function runs() {
  return { 'checkout-run.jsonl': run(false), 'checkout-degraded.jsonl': run(true) };
}

if (require.main === module) {
  for (const [name, text] of Object.entries(runs())) writeFileSync(join(__dirname, name), text);
}

module.exports = { runs };
