/**
 * Deterministic synthetic OTLP JSON Lines, shaped as the OpenTelemetry Collector's file
 * exporter writes it: one ExportTraceServiceRequest per line (one export batch), spans of
 * many traces and services interleaved in the order they ended, int64 values and
 * nanosecond times as decimal strings, hex ids, enums as integers.
 *
 * Traces are 20–200 spans: an HTTP server span at the edge, calls between services
 * (client span → server span in the callee), database and cache calls, internal work,
 * Kafka publish/process, errors that propagate to the callers, exception events.
 *
 * Usage as a script: node bench/generate.js --spans 100000 [--seed 42] [--out FILE]
 */

const fs = require('node:fs');
const path = require('node:path');

/** Bump when the output for given parameters changes, so that cached files are remade. */
const GENERATOR_VERSION = 1;
const DEFAULT_SEED = 20260101;
const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.26.0';
/** 2026-01-01T00:00:00Z in nanoseconds. */
const BASE_NS = 1767225600000000000n;

const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

// ─── Seeded PRNG (mulberry32) ────────────────────────────────────────────────────────

function makeRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const u32 = () => (next() * 4294967296) >>> 0;
  const hex8 = () => u32().toString(16).padStart(8, '0');
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    /** Log-uniform in [lo, hi]: most values small, a long tail, like latencies. */
    logUniform: (lo, hi) => lo * (hi / lo) ** next(),
    traceId: () => hex8() + hex8() + hex8() + hex8(),
    spanId: () => hex8() + hex8(),
    /** A decimal int64 beyond 2^53 (what JSON numbers cannot hold exactly). */
    bigInt64: () => {
      let s = String(1 + Math.floor(next() * 8));
      for (let i = 0; i < 18; i++) s += String(Math.floor(next() * 10));
      return s;
    },
  };
}

// ─── Vocabulary ──────────────────────────────────────────────────────────────────────

const str = (key, value) => ({ key, value: { stringValue: value } });
const int = (key, value) => ({ key, value: { intValue: String(value) } });
const dbl = (key, value) => ({ key, value: { doubleValue: value } });
const bool = (key, value) => ({ key, value: { boolValue: value } });
const strArray = (key, values) => ({
  key,
  value: { arrayValue: { values: values.map((v) => ({ stringValue: v })) } },
});

/**
 * Services, the routes they serve, what they store in, whom they call, and the
 * semantic-convention generation their SDK emits (`db.system` or `db.system.name`).
 */
const SERVICES = [
  {
    name: 'frontend',
    lang: 'nodejs',
    version: '2.14.0',
    routes: [
      ['GET', '/'],
      ['GET', '/api/products'],
      ['GET', '/api/products/{id}'],
      ['POST', '/api/cart'],
      ['POST', '/api/checkout'],
      ['GET', '/api/orders/{id}'],
    ],
    stores: ['redis'],
    calls: ['auth', 'cart', 'checkout', 'inventory', 'orders'],
    work: ['render page', 'load feature flags', 'serialize response'],
  },
  {
    name: 'auth',
    lang: 'go',
    version: '1.8.3',
    routes: [
      ['POST', '/v1/token/verify'],
      ['GET', '/v1/sessions/{id}'],
    ],
    stores: ['redis', 'postgresql'],
    calls: [],
    work: ['verify jwt', 'check permissions'],
  },
  {
    name: 'cart',
    lang: 'go',
    version: '3.2.0',
    routes: [
      ['GET', '/v1/carts/{id}'],
      ['PUT', '/v1/carts/{id}/items'],
    ],
    stores: ['redis'],
    calls: ['inventory'],
    work: ['merge cart', 'apply promotions'],
  },
  {
    name: 'checkout',
    lang: 'java',
    version: '5.0.1',
    routes: [
      ['POST', '/v1/checkout'],
      ['POST', '/v1/checkout/{id}/confirm'],
    ],
    stores: ['postgresql'],
    calls: ['cart', 'payment', 'inventory', 'shipping', 'orders', 'notification'],
    work: ['compute tax', 'validate order', 'reserve stock'],
    newSemconv: true,
  },
  {
    name: 'payment',
    lang: 'nodejs',
    version: '4.1.7',
    routes: [
      ['POST', '/v1/charges'],
      ['POST', '/v1/refunds'],
    ],
    stores: ['postgresql'],
    calls: [],
    external: ['api.stripe.com', 'api.adyen.com'],
    work: ['fraud check', 'tokenize card'],
  },
  {
    name: 'inventory',
    lang: 'python',
    version: '0.9.12',
    routes: [
      ['GET', '/stock/{sku}'],
      ['POST', '/stock/reserve'],
    ],
    stores: ['postgresql', 'redis'],
    calls: [],
    work: ['compute availability'],
  },
  {
    name: 'orders',
    lang: 'java',
    version: '2.3.0',
    routes: [
      ['GET', '/v1/orders/{id}'],
      ['POST', '/v1/orders'],
    ],
    stores: ['postgresql'],
    calls: ['inventory', 'notification'],
    work: ['build order', 'emit domain events'],
    produces: 'orders.created',
  },
  {
    name: 'shipping',
    lang: 'dotnet',
    version: '1.0.4',
    routes: [['POST', '/api/quotes']],
    stores: ['mysql'],
    calls: [],
    external: ['api.ups.com'],
    work: ['rate shipment'],
  },
  {
    name: 'notification',
    lang: 'python',
    version: '1.5.2',
    routes: [['POST', '/notify']],
    stores: [],
    calls: [],
    external: ['api.sendgrid.com'],
    work: ['render email'],
    produces: 'notifications.email',
  },
];
const SERVICE_INDEX = new Map(SERVICES.map((s, i) => [s.name, i]));
const INSTANCES_PER_SERVICE = 3;

const SCOPES = {
  http: {
    nodejs: '@opentelemetry/instrumentation-http',
    go: 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp',
    java: 'io.opentelemetry.tomcat-10.0',
    python: 'opentelemetry.instrumentation.flask',
    dotnet: 'OpenTelemetry.Instrumentation.AspNetCore',
  },
  httpClient: {
    nodejs: '@opentelemetry/instrumentation-undici',
    go: 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp',
    java: 'io.opentelemetry.java-http-client',
    python: 'opentelemetry.instrumentation.requests',
    dotnet: 'System.Net.Http',
  },
  postgresql: {
    nodejs: '@opentelemetry/instrumentation-pg',
    go: 'github.com/jackc/pgx',
    java: 'io.opentelemetry.jdbc',
    python: 'opentelemetry.instrumentation.psycopg2',
    dotnet: 'Npgsql',
  },
  redis: {
    nodejs: '@opentelemetry/instrumentation-ioredis',
    go: 'github.com/redis/go-redis/extra/redisotel',
    java: 'io.opentelemetry.lettuce-5.1',
    python: 'opentelemetry.instrumentation.redis',
    dotnet: 'OpenTelemetry.Instrumentation.StackExchangeRedis',
  },
  mysql: { dotnet: 'OpenTelemetry.Instrumentation.SqlClient' },
  kafka: {
    java: 'io.opentelemetry.kafka-clients-2.6',
    python: 'opentelemetry.instrumentation.confluent_kafka',
  },
  app: {},
};

const TABLES = [
  'orders',
  'order_items',
  'products',
  'stock',
  'payments',
  'users',
  'sessions',
  'carts',
];
const SQL_OPS = ['SELECT', 'SELECT', 'SELECT', 'INSERT', 'UPDATE'];
const REDIS_OPS = ['GET', 'GET', 'SET', 'HGETALL', 'EXPIRE', 'MGET'];
const DB_ERRORS = [
  ['PSQLException', 'canceling statement due to statement timeout'],
  ['UniqueViolation', 'duplicate key value violates unique constraint "orders_pkey"'],
  ['ConnectionError', 'connection reset by peer'],
];
const HTTP_ERRORS = ['upstream request timeout', 'service unavailable', 'internal server error'];
const FLAGS = ['new-checkout', 'fast-stock', 'dark-mode', 'one-click', 'beta-search'];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'okhttp/4.12.0',
];

// ─── Resources and scopes, serialised once ───────────────────────────────────────────

function makeResources(random) {
  const resources = [];
  for (const service of SERVICES) {
    for (let i = 0; i < INSTANCES_PER_SERVICE; i++) {
      const attrs = [
        str('service.name', service.name),
        str('service.namespace', 'shop'),
        str('service.version', service.version),
        str('service.instance.id', `${random.spanId()}-${random.spanId().slice(0, 4)}`),
        str('host.name', `${service.name}-${random.spanId().slice(0, 10)}-${i}`),
        str('deployment.environment.name', 'production'),
        str('telemetry.sdk.name', 'opentelemetry'),
        str('telemetry.sdk.language', service.lang),
        str('telemetry.sdk.version', '1.28.0'),
        int('process.pid', random.int(1, 65535)),
      ];
      resources.push(JSON.stringify({ attributes: attrs }));
    }
  }
  return resources;
}

const scopeJson = new Map();
function scopeOf(family, lang) {
  const name = SCOPES[family]?.[lang] ?? `shop.${lang}.app`;
  let json = scopeJson.get(name);
  if (json === undefined) {
    json = JSON.stringify({ name, version: family === 'app' ? undefined : '0.52.0' });
    scopeJson.set(name, json);
  }
  return json;
}

// ─── One trace as a tree ─────────────────────────────────────────────────────────────

/**
 * A node: { name, kind, service, scope, attrs, events, error, selfNs, parallel,
 * children, clientOverheadNs }. Times are assigned after the tree is built.
 */
function node(name, kind, service, scope, attrs) {
  return {
    name,
    kind,
    service,
    scope,
    attrs,
    events: undefined,
    error: undefined,
    selfNs: 0,
    parallel: false,
    children: [],
  };
}

class TraceBuilder {
  constructor(random) {
    this.random = random;
  }

  /** A server span of `serviceName` and everything below it, exactly `budget` spans. */
  server(serviceName, budget, hops, instance) {
    const r = this.random;
    const svc = SERVICES[SERVICE_INDEX.get(serviceName)];
    const [method, route] = r.pick(svc.routes);
    const target = route
      .replace('{id}', String(r.int(1, 99999)))
      .replace('{sku}', `SKU-${r.int(100, 999)}`);
    const attrs = [
      str('http.request.method', method),
      str('url.path', target),
      str('http.route', route),
      int('http.response.status_code', 200),
      str('url.scheme', 'http'),
      str('network.protocol.version', '1.1'),
    ];
    if (hops === 0) {
      attrs.push(str('user_agent.original', r.pick(AGENTS)));
      attrs.push(str('client.address', `10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`));
    } else if (r.chance(0.3)) {
      attrs.push(str('server.address', `${serviceName}.shop.svc.cluster.local`));
    }
    const span = node(
      `${method} ${route}`,
      SPAN_KIND.server,
      instance,
      scopeOf('http', svc.lang),
      attrs,
    );
    span.selfNs = r.logUniform(50e3, 2e6);
    span.parallel = serviceName === 'checkout' && r.chance(0.4);
    if (r.chance(0.04)) {
      span.events = [{ name: 'request.accepted', attrs: [int('queue.depth', r.int(0, 40))] }];
    }
    let remaining = budget - 1;
    while (remaining > 0) {
      const child = this.operation(svc, remaining, hops, instance);
      span.children.push(child.node);
      remaining -= child.size;
      if (child.node.error && !span.error && r.chance(0.6)) {
        span.error = r.pick(HTTP_ERRORS);
        attrs[3] = int('http.response.status_code', 500);
        if (attrs.length < 8) attrs.push(str('error.type', '500'));
      }
    }
    return span;
  }

  /** One child operation of a server span: returns the node and how many spans it has. */
  operation(svc, remaining, hops, instance) {
    const r = this.random;
    const roll = r.next();
    if (remaining >= 2 && svc.calls.length > 0 && hops < 4 && roll < 0.4) {
      const callee = r.pick(svc.calls);
      const size = Math.max(2, Math.min(remaining, Math.round(remaining * (0.2 + 0.5 * r.next()))));
      return { node: this.call(svc, callee, size, hops, instance), size };
    }
    if (remaining >= 2 && svc.produces && roll < 0.5) {
      return { node: this.publish(svc, instance), size: 2 };
    }
    if (svc.external && roll < 0.6) return { node: this.externalCall(svc, instance), size: 1 };
    if (remaining >= 3 && svc.stores.length > 0 && roll < 0.75) {
      // Internal work with database calls below it.
      const size = Math.min(remaining, r.int(2, 6));
      const work = this.internal(svc, instance);
      for (let i = 1; i < size; i++) work.children.push(this.store(svc, instance));
      if (work.children.some((c) => c.error) && r.chance(0.5)) work.error = 'step failed';
      return { node: work, size };
    }
    if (svc.stores.length > 0 && roll < 0.95) return { node: this.store(svc, instance), size: 1 };
    return { node: this.internal(svc, instance), size: 1 };
  }

  call(svc, calleeName, size, hops, instance) {
    const r = this.random;
    const callee = SERVICES[SERVICE_INDEX.get(calleeName)];
    const calleeInstance = SERVICE_INDEX.get(calleeName) * INSTANCES_PER_SERVICE + r.int(0, 2);
    const server = this.server(calleeName, size - 1, hops + 1, calleeInstance);
    const method = server.attrs[0].value.stringValue;
    const attrs = [
      str('http.request.method', method),
      str(
        'url.full',
        `http://${calleeName}.shop.svc.cluster.local:8080${server.attrs[1].value.stringValue}`,
      ),
      str('server.address', `${calleeName}.shop.svc.cluster.local`),
      int('server.port', 8080),
      int('http.response.status_code', server.error ? 500 : 200),
    ];
    if (r.chance(0.2)) attrs.push(int('http.request.resend_count', 1));
    if (r.chance(0.15)) attrs.push(strArray('app.feature_flags', [r.pick(FLAGS), r.pick(FLAGS)]));
    const span = node(method, SPAN_KIND.client, instance, scopeOf('httpClient', svc.lang), attrs);
    span.selfNs = r.logUniform(200e3, 3e6); // network both ways
    span.children.push(server);
    span.clientOf = callee.name;
    if (server.error) span.error = `${calleeName} returned 500`;
    return span;
  }

  externalCall(svc, instance) {
    const r = this.random;
    const host = r.pick(svc.external);
    const failed = r.chance(0.03);
    const status = failed ? r.pick([429, 503, 504]) : 200;
    const attrs = [
      str('http.request.method', 'POST'),
      str('url.full', `https://${host}/v1/${r.pick(['charges', 'quotes', 'mail/send'])}`),
      str('server.address', host),
      int('server.port', 443),
      int('http.response.status_code', status),
    ];
    if (failed) attrs.push(str('error.type', String(status)));
    const span = node('POST', SPAN_KIND.client, instance, scopeOf('httpClient', svc.lang), attrs);
    span.selfNs = r.logUniform(20e6, 400e6);
    if (failed) span.error = `HTTP ${status}`;
    return span;
  }

  publish(svc, instance) {
    const r = this.random;
    const topic = svc.produces;
    const partition = r.int(0, 11);
    const producer = node(
      `${topic} publish`,
      SPAN_KIND.producer,
      instance,
      scopeOf('kafka', svc.lang),
      [
        str('messaging.system', 'kafka'),
        str('messaging.destination.name', topic),
        str('messaging.operation.type', 'publish'),
        int('messaging.destination.partition.id', partition),
        str('messaging.message.id', r.traceId()),
        str('messaging.kafka.message.key', `order-${r.int(1, 99999)}`),
      ],
    );
    producer.selfNs = r.logUniform(200e3, 5e6);
    const consumerSvc = SERVICES[SERVICE_INDEX.get('notification')];
    const consumerInstance =
      SERVICE_INDEX.get('notification') * INSTANCES_PER_SERVICE + r.int(0, 2);
    const consumer = node(
      `${topic} process`,
      SPAN_KIND.consumer,
      consumerInstance,
      scopeOf('kafka', consumerSvc.lang),
      [
        str('messaging.system', 'kafka'),
        str('messaging.destination.name', topic),
        str('messaging.operation.type', 'process'),
        str('messaging.consumer.group.name', 'notification-workers'),
        int('messaging.kafka.offset', r.bigInt64()),
      ],
    );
    consumer.selfNs = r.logUniform(1e6, 50e6);
    consumer.detached = true; // starts after the producer ends
    producer.children.push(consumer);
    return producer;
  }

  store(svc, instance) {
    const r = this.random;
    const system = r.pick(svc.stores);
    const systemKey = svc.newSemconv ? 'db.system.name' : 'db.system';
    const textKey = svc.newSemconv ? 'db.query.text' : 'db.statement';
    let span;
    if (system === 'redis') {
      const op = r.pick(REDIS_OPS);
      span = node(op, SPAN_KIND.client, instance, scopeOf('redis', svc.lang), [
        str(systemKey, 'redis'),
        str(textKey, `${op} ${svc.name}:${r.int(1, 99999)}`),
        str('server.address', 'redis.shop.svc.cluster.local'),
        int('server.port', 6379),
        int('db.redis.database_index', r.int(0, 3)),
      ]);
      if (r.chance(0.3)) span.attrs.push(bool('app.cache.hit', r.chance(0.7)));
      span.selfNs = r.logUniform(50e3, 3e6);
    } else {
      const op = r.pick(SQL_OPS);
      const table = r.pick(TABLES);
      const sql =
        op === 'SELECT'
          ? `SELECT id, status, total, created_at FROM ${table} WHERE id = $1`
          : op === 'INSERT'
            ? `INSERT INTO ${table} (id, status, total) VALUES ($1, $2, $3)`
            : `UPDATE ${table} SET status = $2 WHERE id = $1`;
      span = node(`${op} ${table}`, SPAN_KIND.client, instance, scopeOf(system, svc.lang), [
        str(systemKey, system),
        str(svc.newSemconv ? 'db.namespace' : 'db.name', 'shop'),
        str(textKey, sql),
        str(svc.newSemconv ? 'db.operation.name' : 'db.operation', op),
        str(svc.newSemconv ? 'db.collection.name' : 'db.sql.table', table),
        str('server.address', `${system}.shop.svc.cluster.local`),
        int('server.port', system === 'mysql' ? 3306 : 5432),
      ]);
      if (r.chance(0.2)) span.attrs.push(int('db.response.returned_rows', r.int(0, 500)));
      span.selfNs = r.logUniform(200e3, 40e6);
    }
    if (r.chance(0.025)) {
      const [type, message] = r.pick(DB_ERRORS);
      span.error = message;
      span.events = [
        {
          name: 'exception',
          attrs: [
            str('exception.type', type),
            str('exception.message', message),
            str(
              'exception.stacktrace',
              `${type}: ${message}\n    at query (db.js:42:7)\n    at ${svc.name}.handler (app.js:118:13)`,
            ),
          ],
        },
      ];
    }
    return span;
  }

  internal(svc, instance) {
    const r = this.random;
    const attrs = [
      str('code.function.name', r.pick(['handle', 'process', 'run', 'apply', 'load'])),
      str('code.namespace', `shop.${svc.name}`),
      int('app.items.count', r.int(0, 25)),
    ];
    if (r.chance(0.5)) attrs.push(dbl('app.discount.ratio', Math.round(r.next() * 1000) / 1000));
    if (r.chance(0.3)) attrs.push(str('app.user.tier', r.pick(['free', 'plus', 'business'])));
    if (r.chance(0.2)) attrs.push(int('app.request.hash', r.bigInt64()));
    const span = node(
      r.pick(svc.work),
      SPAN_KIND.internal,
      instance,
      scopeOf('app', svc.lang),
      attrs,
    );
    span.selfNs = r.logUniform(10e3, 2e6);
    if (r.chance(0.03)) {
      span.events = [
        { name: 'cache miss', attrs: [str('cache.key', `${svc.name}:${r.int(1, 999)}`)] },
      ];
    }
    return span;
  }
}

/** Durations bottom-up: sequential children add, parallel ones overlap. */
function assignDurations(n) {
  let inner = 0;
  for (const c of n.children) {
    const d = assignDurations(c);
    if (c.detached) continue;
    inner = n.parallel ? Math.max(inner, d) : inner + d;
  }
  n.durNs = Math.round(n.selfNs + inner);
  return n.durNs;
}

/** Start times top-down; children start in order after a slice of the parent's own time. */
function assignStarts(n, start, random, out, traceId, parentId) {
  n.startNs = start;
  n.traceId = traceId;
  n.spanId = random.spanId();
  n.parentId = parentId;
  out.push(n);
  let cursor =
    start + Math.round(n.selfNs * (n.kind === SPAN_KIND.client ? 0.5 : 0.3 * random.next()));
  for (const c of n.children) {
    if (c.detached) {
      assignStarts(
        c,
        start + n.durNs + Math.round(random.logUniform(100e3, 20e6)),
        random,
        out,
        traceId,
        n.spanId,
      );
    } else if (n.parallel) {
      assignStarts(c, cursor + Math.round(random.next() * 50e3), random, out, traceId, n.spanId);
    } else {
      assignStarts(c, cursor, random, out, traceId, n.spanId);
      cursor += c.durNs;
    }
  }
}

function serializeSpan(n) {
  const out = {
    traceId: n.traceId,
    spanId: n.spanId,
    parentSpanId: n.parentId,
    flags: 257,
    name: n.name,
    kind: n.kind,
    startTimeUnixNano: (BASE_NS + BigInt(n.startNs)).toString(),
    endTimeUnixNano: (BASE_NS + BigInt(n.startNs + n.durNs)).toString(),
    attributes: n.attrs,
    events: undefined,
    status: n.error ? { message: n.error, code: 2 } : {},
  };
  if (n.parentId === undefined) out.parentSpanId = undefined;
  if (n.events) {
    out.events = n.events.map((e, i) => ({
      timeUnixNano: (
        BASE_NS + BigInt(n.startNs + Math.round((n.durNs * (i + 1)) / (n.events.length + 1)))
      ).toString(),
      name: e.name,
      attributes: e.attrs,
    }));
  }
  return JSON.stringify(out);
}

// ─── Export order: a min-heap of finished spans by end time ──────────────────────────

class EndHeap {
  constructor() {
    this.items = [];
  }
  get size() {
    return this.items.length;
  }
  push(item) {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].end <= item.end) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = item;
  }
  peek() {
    return this.items[0];
  }
  pop() {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r].end < a[l].end ? r : l;
        if (a[c].end >= last.end) break;
        a[i] = a[c];
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

// ─── The file ────────────────────────────────────────────────────────────────────────

/**
 * Write `spans` spans to `file` (streamed: memory stays bounded by the spans in flight).
 * Returns { spans, traces, lines, bytes }.
 */
function generateFile(file, { spans: total, seed = DEFAULT_SEED, onProgress } = {}) {
  const random = makeRandom(seed);
  const resources = makeResources(random);
  const builder = new TraceBuilder(random);
  const heap = new EndHeap();
  const fd = fs.openSync(file, 'w');
  let pending = [];
  let pendingChars = 0;
  let batch = [];
  let batchTarget = random.int(200, 500);
  const stats = { spans: 0, traces: 0, lines: 0, bytes: 0 };

  const writeOut = (force) => {
    if (pendingChars > 8 << 20 || (force && pending.length > 0)) {
      const text = pending.join('');
      stats.bytes += Buffer.byteLength(text);
      fs.writeSync(fd, text);
      pending = [];
      pendingChars = 0;
    }
  };

  // One export batch → one line, grouped by resource then scope in first-seen order.
  const flushBatch = () => {
    if (batch.length === 0) return;
    const byResource = new Map();
    for (const item of batch) {
      let scopes = byResource.get(item.resource);
      if (!scopes) {
        scopes = new Map();
        byResource.set(item.resource, scopes);
      }
      const list = scopes.get(item.scope);
      if (list) list.push(item.json);
      else scopes.set(item.scope, [item.json]);
    }
    const parts = [];
    for (const [resource, scopes] of byResource) {
      const scopeParts = [];
      for (const [scope, list] of scopes) {
        scopeParts.push(`{"scope":${scope},"spans":[${list.join(',')}]}`);
      }
      parts.push(
        `{"resource":${resources[resource]},"scopeSpans":[${scopeParts.join(',')}],"schemaUrl":"${SCHEMA_URL}"}`,
      );
    }
    const line = `{"resourceSpans":[${parts.join(',')}]}\n`;
    pending.push(line);
    pendingChars += line.length;
    stats.lines++;
    batch = [];
    batchTarget = random.int(200, 500);
    writeOut(false);
  };

  const drainUntil = (time) => {
    while (heap.size > 0 && heap.peek().end <= time) {
      batch.push(heap.pop());
      if (batch.length >= batchTarget) flushBatch();
    }
  };

  let clock = 0; // ns since BASE_NS when the next trace starts
  let lastReport = 0;
  while (stats.spans < total) {
    const left = total - stats.spans;
    const want = 20 + Math.floor(180 * random.next() ** 2);
    const size = Math.min(want, left);
    const traceId = random.traceId();
    let root;
    if (random.chance(0.85)) {
      root = builder.server('frontend', size, 0, random.int(0, INSTANCES_PER_SERVICE - 1));
    } else {
      // A background job: an internal root in the orders service doing stored work and calls.
      const svc = SERVICES[SERVICE_INDEX.get('orders')];
      const instance = SERVICE_INDEX.get('orders') * INSTANCES_PER_SERVICE + random.int(0, 2);
      root = builder.internal(svc, instance);
      root.name = 'reconcile orders';
      let remaining = size - 1;
      while (remaining > 0) {
        const child = builder.operation(svc, remaining, 1, instance);
        root.children.push(child.node);
        remaining -= child.size;
      }
    }
    assignDurations(root);
    const nodes = [];
    assignStarts(root, clock, random, nodes, traceId, undefined);
    for (const n of nodes) {
      heap.push({
        end: n.startNs + n.durNs,
        resource: n.service,
        scope: n.scope,
        json: serializeSpan(n),
      });
    }
    stats.spans += nodes.length;
    stats.traces++;
    clock += Math.round(random.logUniform(200e3, 8e6));
    drainUntil(clock);
    if (onProgress && stats.spans - lastReport >= 100000) {
      lastReport = stats.spans;
      onProgress(stats.spans, total);
    }
  }
  drainUntil(Number.POSITIVE_INFINITY);
  flushBatch();
  writeOut(true);
  fs.closeSync(fd);
  return stats;
}

/**
 * The data set for these parameters in `dir`, generated unless a complete one is there:
 * a file counts as complete when its `.meta.json` (written last) matches it.
 */
function ensureDataset(dir, { spans, seed = DEFAULT_SEED, log = () => {} }) {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `otlp-${spans}-seed${seed}-v${GENERATOR_VERSION}`);
  const file = `${base}.jsonl`;
  const metaFile = `${base}.meta.json`;
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    if (meta.spans === spans && fs.statSync(file).size === meta.bytes) {
      return { file, ...meta, reused: true };
    }
  } catch {
    // not there or incomplete: generate
  }
  const tmp = `${file}.partial`;
  log(`generating ${spans.toLocaleString('en')} spans → ${path.relative(process.cwd(), file)}`);
  const started = process.hrtime.bigint();
  const stats = generateFile(tmp, {
    spans,
    seed,
    onProgress: (done, all) => log(`  ${Math.round((100 * done) / all)}%`),
  });
  fs.renameSync(tmp, file);
  const meta = {
    ...stats,
    seed,
    generatorVersion: GENERATOR_VERSION,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
  fs.writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  log(
    `  ${stats.traces.toLocaleString('en')} traces, ${stats.lines.toLocaleString('en')} lines, ${(stats.bytes / 2 ** 20).toFixed(0)} MiB in ${meta.seconds.toFixed(1)}s`,
  );
  return { file, ...meta, reused: false };
}

module.exports = { generateFile, ensureDataset, makeRandom, DEFAULT_SEED, GENERATOR_VERSION };

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const spans = Number(opt('--spans', '100000'));
  const seed = Number(opt('--seed', String(DEFAULT_SEED)));
  const out = opt('--out', undefined);
  if (out) {
    const stats = generateFile(out, { spans, seed });
    console.log(JSON.stringify(stats));
  } else {
    const result = ensureDataset(path.join(__dirname, 'out'), { spans, seed, log: console.error });
    console.log(JSON.stringify(result));
  }
}
