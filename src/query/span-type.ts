import type { Attributes, Span } from '../model';

/**
 * What a span does, derived from the semantic-convention attributes it carries, so that
 * `{ type = database }` works whatever instrumentation produced the span.
 */
export type SpanType = 'http' | 'database' | 'messaging' | 'rpc' | 'cache' | 'faas' | 'general';

export const SPAN_TYPES: readonly SpanType[] = [
  'http',
  'database',
  'messaging',
  'rpc',
  'cache',
  'faas',
  'general',
];

/** `db.system` values of key-value stores that applications use as caches. */
const CACHE_SYSTEMS = new Set(['redis', 'memcached', 'valkey']);

const HTTP_KEYS = [
  'http.request.method',
  'http.method',
  'http.route',
  'url.full',
  'http.url',
  'http.response.status_code',
  'http.status_code',
];

/**
 * The type of a span. A span often carries attributes of several conventions, because
 * one protocol rides on another; the most specific one wins:
 *
 * 1. `cache`: `db.system` (or `db.system.name`) is redis, memcached or valkey, or the
 *    database span carries `cache.*` attributes (`cache.hit`, `app.cache.key`).
 * 2. `database`: any other `db.system`/`db.system.name`. Before messaging, RPC and HTTP
 *    because data stores are reached over them: Elasticsearch spans carry `url.full`,
 *    DynamoDB spans from the AWS SDK carry `rpc.system = aws-api`.
 * 3. `messaging`: `messaging.system`. SQS and SNS calls also carry `rpc.system` and
 *    HTTP attributes; a function triggered by a queue is a message consumer first.
 * 4. `faas`: `faas.trigger` (the invoked side) or `faas.invoked_name` (the caller).
 *    Before RPC and HTTP: a Lambda behind API Gateway carries HTTP attributes, and an
 *    AWS SDK `Invoke` call carries `rpc.system`, but both are function invocations.
 * 5. `rpc`: `rpc.system` (`rpc.system.name` in newer conventions). Before HTTP because gRPC runs over HTTP/2 and some
 *    instrumentations record both.
 * 6. `http`: `http.method`, `http.request.method`, `http.route`, `url.full`, `http.url`
 *    or an HTTP status code attribute.
 * 7. `cache` again for a span that says nothing else but has `cache.*` attributes (a
 *    hand-made span around an in-process cache).
 * 8. `general`: everything else (business logic, file system, auth checks).
 *
 * Only span attributes count: resource attributes describe the service, not the span.
 */
export function spanType(span: Span): SpanType {
  const a = span.attributes;
  const db = a['db.system.name'] ?? a['db.system'];
  if (db !== undefined && db !== null) {
    if ((typeof db === 'string' && CACHE_SYSTEMS.has(db.toLowerCase())) || hasCacheAttribute(a)) {
      return 'cache';
    }
    return 'database';
  }
  if (present(a['messaging.system'])) return 'messaging';
  if (present(a['faas.trigger']) || present(a['faas.invoked_name'])) return 'faas';
  if (present(a['rpc.system']) || present(a['rpc.system.name'])) return 'rpc';
  for (const key of HTTP_KEYS) if (present(a[key])) return 'http';
  if (hasCacheAttribute(a)) return 'cache';
  return 'general';
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function hasCacheAttribute(attributes: Attributes): boolean {
  for (const key in attributes) {
    if (key.startsWith('cache.') || key.includes('.cache.')) return true;
  }
  return false;
}
