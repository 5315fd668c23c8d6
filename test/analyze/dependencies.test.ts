import { describe, expect, test } from '@jest/globals';
import {
  buildDependencyMap,
  type DependencyEdge,
  type DependencyMap,
  dependencyMapJson,
  peerOf,
} from '../../src/analyze';
import { parseTraces } from '../../src/ingest';
import type { Attributes, Span, SpanKind } from '../../src/model';
import { type SpanSpec, traceOf } from '../helpers/traces';

const pad = (id: string) => id.padStart(16, '0');

/** The edge from → to, failing the test with the edges there are when it is missing. */
function edge(map: DependencyMap, from: string, to: string): DependencyEdge {
  const found = map.edges.find((e) => e.from === from && e.to === to);
  if (!found) {
    throw new Error(
      `no edge ${from} → ${to}; edges: ${map.edges.map((e) => `${e.from} → ${e.to}`).join(', ')}`,
    );
  }
  return found;
}

const pairs = (map: DependencyMap) => map.edges.map((e) => `${e.from} → ${e.to} ×${e.calls}`);

/** A leaf client span of `svc` carrying `attributes`, under a server span. */
function leafCall(attributes: Attributes, kind: SpanKind = 'client') {
  return traceOf([
    { id: '1', service: 'svc', kind: 'server', start: 0, end: 100 },
    { id: '2', parent: '1', service: 'svc', kind, start: 10, end: 30, attributes },
  ]);
}

/** The leaf span of {@link leafCall}. */
const leafSpan = (attributes: Attributes, kind?: SpanKind) =>
  leafCall(attributes, kind).spans[1] as Span;

describe('buildDependencyMap: calls between services', () => {
  test("a client → server call counts once, from the client's service, with the client's duration", () => {
    // checkout's server span calls out through its own client span: the server → client
    // step stays inside checkout and is not an edge.
    const trace = traceOf([
      { id: '1', service: 'checkout', kind: 'server', start: 0, end: 100 },
      { id: '2', parent: '1', service: 'checkout', kind: 'client', start: 10, end: 50 },
      { id: '3', parent: '2', service: 'payment', kind: 'server', start: 12, end: 48 },
      { id: '4', parent: '3', service: 'payment', kind: 'internal', start: 13, end: 40 },
    ]);
    const map = buildDependencyMap(trace);
    expect(map.edges).toEqual([
      {
        from: 'checkout',
        to: 'payment',
        calls: 1,
        errors: 0,
        p50Ms: 40,
        p95Ms: 40,
        p99Ms: 40,
        examples: [{ traceId: trace.traceId, spanId: pad('2'), calleeSpanId: pad('3') }],
      },
    ]);
    expect(map.nodes).toEqual([
      { id: 'checkout', kind: 'service', name: 'checkout' },
      { id: 'payment', kind: 'service', name: 'payment' },
    ]);
  });

  test("without a client span (an uninstrumented client), the callee's duration", () => {
    const map = buildDependencyMap(
      traceOf([
        { id: '1', service: 'api', kind: 'server', start: 0, end: 100 },
        { id: '2', parent: '1', service: 'users', kind: 'server', start: 10, end: 35 },
      ]),
    );
    expect(edge(map, 'api', 'users')).toMatchObject({ calls: 1, p50Ms: 25 });
  });

  test('a client span with callees in several services stands for none of them: each call is its callee', () => {
    // A load generator's task span wraps two requests; its 100ms is neither request's time.
    const map = buildDependencyMap(
      traceOf([
        { id: '1', service: 'loadgen', kind: 'client', start: 0, end: 100 },
        { id: '2', parent: '1', service: 'proxy', kind: 'server', start: 5, end: 25 },
        { id: '3', parent: '1', service: 'proxy', kind: 'server', start: 30, end: 90 },
      ]),
    );
    expect(edge(map, 'loadgen', 'proxy')).toMatchObject({ calls: 2, p50Ms: 40 });
  });

  test('a producer → consumer hop is a call, with the producer span as the caller', () => {
    const map = buildDependencyMap(
      traceOf([
        { id: '1', service: 'orders', kind: 'server', start: 0, end: 20 },
        { id: '2', parent: '1', service: 'orders', kind: 'producer', start: 2, end: 4 },
        { id: '3', parent: '2', service: 'mailer', kind: 'consumer', start: 50, end: 80 },
      ]),
    );
    expect(edge(map, 'orders', 'mailer')).toMatchObject({
      calls: 1,
      p50Ms: 2,
      examples: [expect.objectContaining({ spanId: pad('2'), calleeSpanId: pad('3') })],
    });
  });

  test('a call failed when either end failed, and counts once when both did', () => {
    const call = (id: string, client: Partial<SpanSpec>, server: Partial<SpanSpec>) =>
      traceOf(
        [
          { id: '1', service: 'web', kind: 'server', start: 0, end: 100 },
          { id: '2', parent: '1', service: 'web', kind: 'client', start: 1, end: 9, ...client },
          { id: '3', parent: '2', service: 'api', kind: 'server', start: 2, end: 8, ...server },
        ],
        id.repeat(32),
      );
    const map = buildDependencyMap([
      // 404: an error on the client side only, as the HTTP conventions have it.
      call('1', { error: 'HTTP 404' }, {}),
      // The callee failed; the caller's instrumentation did not say so.
      call('2', {}, { error: 'boom' }),
      call('3', { error: 'HTTP 500' }, { error: 'boom' }),
      // An exception recorded with no status is a failure too (failureSignal).
      call('4', {}, { exceptions: [{ type: 'TimeoutError' }] }),
      call('5', {}, {}),
    ]);
    expect(edge(map, 'web', 'api')).toMatchObject({ calls: 5, errors: 4 });
  });

  test('a Zipkin RPC whose client and server halves share one span id counts once', () => {
    const traces = parseTraces([
      {
        traceId: 'a1',
        id: '1',
        name: 'get /cart',
        kind: 'SERVER',
        timestamp: 1000,
        duration: 90000,
        localEndpoint: { serviceName: 'web' },
      },
      {
        traceId: 'a1',
        parentId: '1',
        id: '2',
        name: 'get',
        kind: 'CLIENT',
        timestamp: 2000,
        duration: 50000,
        localEndpoint: { serviceName: 'web' },
        remoteEndpoint: { serviceName: 'cart' },
      },
      {
        traceId: 'a1',
        parentId: '1',
        id: '2',
        name: 'get',
        kind: 'SERVER',
        shared: true,
        timestamp: 3000,
        duration: 40000,
        localEndpoint: { serviceName: 'cart' },
      },
    ]);
    const map = buildDependencyMap(traces);
    // Not also web → cart from the client's remote endpoint, not cart → anything.
    expect(pairs(map)).toEqual(['web → cart ×1']);
    expect(edge(map, 'web', 'cart').p50Ms).toBe(50);
  });

  test('calls add up over traces; examples are the first three, in the order given', () => {
    const traces = ['1', '2', '3', '4'].map((t) =>
      traceOf(
        [
          { id: '1', service: 'a', kind: 'client', start: 0, end: 10 },
          { id: '2', parent: '1', service: 'b', kind: 'server', start: 1, end: 9 },
        ],
        t.repeat(32),
      ),
    );
    const found = edge(buildDependencyMap(traces), 'a', 'b');
    expect(found.calls).toBe(4);
    expect(found.examples.map((e) => e.traceId)).toEqual(['1', '2', '3'].map((t) => t.repeat(32)));
  });

  test('p50, p95 and p99 interpolate between the closest ranks, like numpy and k6', () => {
    // Ten calls of 10, 20, ..., 100ms. p95: rank 9 · 0.95 = 8.55, between 90 and 100ms:
    // 90 + 0.55 · 10 = 95.5ms. p99: rank 8.91 → 99.1ms. p50: rank 4.5 → 55ms.
    const specs: SpanSpec[] = [{ id: '1', service: 'a', kind: 'server', start: 0, end: 1000 }];
    for (let i = 1; i <= 10; i++) {
      // Started in reverse, so the durations do not arrive sorted.
      specs.push({
        id: (100 + i).toString(16),
        parent: '1',
        service: 'b',
        kind: 'server',
        start: 200 - i * 10,
        end: 200 - i * 10 + i * 10,
      });
    }
    const found = edge(buildDependencyMap(traceOf(specs)), 'a', 'b');
    expect(found.p50Ms).toBeCloseTo(55, 9);
    expect(found.p95Ms).toBeCloseTo(95.5, 9);
    expect(found.p99Ms).toBeCloseTo(99.1, 9);
  });

  test('the order of nodes and edges does not depend on the order of spans or traces', () => {
    const specs: SpanSpec[] = [
      { id: '1', service: 'web', kind: 'server', start: 0, end: 100 },
      { id: '2', parent: '1', service: 'web', kind: 'client', start: 1, end: 10 },
      { id: '3', parent: '2', service: 'users', kind: 'server', start: 2, end: 9 },
      {
        id: '4',
        parent: '1',
        service: 'web',
        kind: 'client',
        start: 11,
        end: 20,
        attributes: { 'peer.service': 'stripe' },
      },
      { id: '5', parent: '1', service: 'web', kind: 'client', start: 21, end: 30 },
      { id: '6', parent: '5', service: 'auth', kind: 'server', start: 22, end: 29 },
      {
        id: '7',
        parent: '6',
        service: 'auth',
        kind: 'client',
        start: 23,
        end: 28,
        attributes: { 'db.system': 'mysql', 'db.name': 'accounts' },
      },
    ];
    const forward = buildDependencyMap([
      traceOf(specs, 'a'.repeat(32)),
      traceOf(specs.slice(0, 3)),
    ]);
    const backward = buildDependencyMap([
      traceOf(specs.slice(0, 3)),
      traceOf([...specs].reverse(), 'a'.repeat(32)),
    ]);
    const shape = (m: DependencyMap) => ({
      nodes: m.nodes.map((n) => `${n.kind}:${n.id}`),
      edges: pairs(m),
    });
    expect(shape(forward)).toEqual(shape(backward));
    // Services first, then databases, messaging and external peers; by name within each.
    expect(shape(forward)).toEqual({
      nodes: [
        'service:auth',
        'service:users',
        'service:web',
        'database:mysql accounts',
        'external:stripe',
      ],
      edges: ['auth → mysql accounts ×1', 'web → auth ×1', 'web → stripe ×1', 'web → users ×2'],
    });
  });

  test('spans of one service make no edge, and neither does a root or an orphan', () => {
    const trace = traceOf([
      { id: '1', service: 'api', kind: 'server', start: 0, end: 10 },
      { id: '2', parent: '1', service: 'api', kind: 'internal', start: 1, end: 9 },
      // Its parent was never received: whoever called it is unknown.
      { id: '3', parent: 'ff', service: 'worker', kind: 'server', start: 1, end: 9 },
    ]);
    const map = buildDependencyMap(trace);
    expect(map.edges).toEqual([]);
    expect(map.nodes.map((n) => n.id)).toEqual(['api', 'worker']);
  });
});

describe('buildDependencyMap: peers from semantic-convention attributes', () => {
  test('a leaf client span names a database, a broker or a host; the edge carries its duration and failure', () => {
    const trace = traceOf([
      { id: '1', service: 'users', kind: 'server', start: 0, end: 100 },
      {
        id: '2',
        parent: '1',
        service: 'users',
        kind: 'client',
        start: 1,
        end: 4,
        error: 'deadlock detected',
        attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'users-db' },
      },
      {
        id: '3',
        parent: '1',
        service: 'users',
        kind: 'producer',
        start: 5,
        end: 6,
        attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'user-events' },
      },
    ]);
    const map = buildDependencyMap(trace);
    expect(map.edges.map(({ examples, ...e }) => e)).toEqual([
      { from: 'users', to: 'kafka user-events', calls: 1, errors: 0, p50Ms: 1, p95Ms: 1, p99Ms: 1 },
      {
        from: 'users',
        to: 'postgresql users-db',
        calls: 1,
        errors: 1,
        p50Ms: 3,
        p95Ms: 3,
        p99Ms: 3,
      },
    ]);
    expect(edge(map, 'users', 'postgresql users-db').examples).toEqual([
      { traceId: trace.traceId, spanId: pad('2') },
    ]);
    expect(map.nodes).toContainEqual({
      id: 'postgresql users-db',
      kind: 'database',
      name: 'users-db',
      system: 'postgresql',
    });
  });

  test.each([
    ['new database names', { 'db.system.name': 'mongodb', 'db.namespace': 'shop' }, 'mongodb shop'],
    ['old database names', { 'db.system': 'mysql', 'db.name': 'billing' }, 'mysql billing'],
    [
      "a database's host when it names no database",
      { 'db.system': 'postgresql', 'server.address': 'pg-1.internal', 'server.port': 5432 },
      'postgresql pg-1.internal',
    ],
    [
      "Redis's database index is not a name: the host is",
      { 'db.system.name': 'redis', 'db.namespace': '0', 'server.address': 'valkey-cart' },
      'redis valkey-cart',
    ],
    ['a database system alone', { 'db.system.name': 'sqlite' }, 'sqlite'],
    [
      'a destination template before the destination',
      {
        'messaging.system': 'rabbitmq',
        'messaging.destination.template': 'orders.{id}',
        'messaging.destination.name': 'orders.42',
      },
      'rabbitmq orders.{id}',
    ],
    [
      'the destination as conventions before 1.17 name it',
      { 'messaging.system': 'aws_sqs', 'messaging.destination': 'payments' },
      'aws_sqs payments',
    ],
    ['peer.service', { 'peer.service': 'stripe', 'server.address': 'api.stripe.com' }, 'stripe'],
    [
      'a server address and port',
      { 'server.address': '0.0.0.0', 'server.port': 8081 },
      '0.0.0.0:8081',
    ],
    [
      'no port when it is the default',
      { 'server.address': 'api.example.com', 'server.port': 443 },
      'api.example.com',
    ],
    [
      'net.peer.name and net.peer.port',
      { 'net.peer.name': 'legacy', 'net.peer.port': '8080' },
      'legacy:8080',
    ],
    ['http.host', { 'http.host': 'search:9200' }, 'search:9200'],
    [
      'the host of url.full',
      { 'url.full': 'https://maps.example.com/v1/route?x=1' },
      'maps.example.com',
    ],
    [
      'the host and port of http.url',
      { 'http.url': 'http://10.0.0.7:8083/route' },
      '10.0.0.7:8083',
    ],
    ['an IPv6 address with a port', { 'server.address': '::1', 'server.port': 9000 }, '[::1]:9000'],
  ] as const)('%s', (_, attributes, id) => {
    expect(peerOf(leafSpan(attributes))?.id).toBe(id);
  });

  test('a producer with no messaging attributes still sends to a broker (Zipkin: remote endpoint kafka)', () => {
    expect(peerOf(leafSpan({ 'peer.service': 'kafka' }, 'producer'))).toEqual({
      id: 'kafka',
      kind: 'messaging',
      name: 'kafka',
    });
  });

  test('a leaf client span that names no peer makes no edge', () => {
    expect(buildDependencyMap(leafCall({ 'http.request.method': 'GET' })).edges).toEqual([]);
    expect(peerOf(leafSpan({ 'url.full': '/relative/only' }))).toBeUndefined();
  });

  test('internal and server spans never call a peer, whatever they carry', () => {
    const attributes = { 'db.system.name': 'postgresql' };
    expect(buildDependencyMap(leafCall(attributes, 'internal')).edges).toEqual([]);
    expect(buildDependencyMap(leafCall(attributes, 'server')).edges).toEqual([]);
  });

  test('a client span with a callee in another service is that call, not also a call to its peer', () => {
    const map = buildDependencyMap(
      traceOf([
        { id: '1', service: 'web', kind: 'server', start: 0, end: 100 },
        {
          id: '2',
          parent: '1',
          service: 'web',
          kind: 'client',
          start: 1,
          end: 20,
          attributes: { 'server.address': 'users.internal', 'server.port': 8080 },
        },
        { id: '3', parent: '2', service: 'users', kind: 'server', start: 2, end: 19 },
      ]),
    );
    expect(pairs(map)).toEqual(['web → users ×1']);
  });

  test("a span that is itself a callee is not counted again as its service's call to a peer", () => {
    // HotROD reports each MySQL query as a client span of a service named "mysql" under
    // customer's server span: customer → mysql, and not mysql → mysql too.
    const map = buildDependencyMap(
      traceOf([
        { id: '1', service: 'customer', kind: 'server', start: 0, end: 100 },
        {
          id: '2',
          parent: '1',
          service: 'mysql',
          kind: 'client',
          start: 1,
          end: 90,
          attributes: { 'db.system.name': 'mysql', 'server.address': 'mysql-0' },
        },
      ]),
    );
    expect(pairs(map)).toEqual(['customer → mysql ×1']);
  });

  test("a peer named like a traced service is that service's node", () => {
    const map = buildDependencyMap([
      leafCall({ 'peer.service': 'billing' }),
      traceOf([{ id: '1', service: 'billing', kind: 'server', start: 0, end: 5 }], 'b'.repeat(32)),
    ]);
    expect(map.nodes.filter((n) => n.id === 'billing')).toEqual([
      { id: 'billing', kind: 'service', name: 'billing' },
    ]);
    expect(pairs(map)).toEqual(['svc → billing ×1']);
  });

  test('resource attributes do not name a peer: they describe the caller', () => {
    const trace = traceOf([
      {
        id: '1',
        service: 'svc',
        kind: 'client',
        start: 0,
        end: 5,
        resource: { 'peer.service': 'x' },
      },
    ]);
    expect(buildDependencyMap(trace).edges).toEqual([]);
  });
});

describe('dependencyMapJson', () => {
  test('is the documented shape: nodes with id and kind, edges without examples', () => {
    const trace = traceOf([
      { id: '1', service: 'web', kind: 'client', start: 0, end: 8 },
      { id: '2', parent: '1', service: 'api', kind: 'server', start: 1, end: 7, error: true },
      {
        id: '3',
        parent: '2',
        service: 'api',
        kind: 'client',
        start: 2,
        end: 4,
        attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'api' },
      },
    ]);
    expect(JSON.parse(JSON.stringify(dependencyMapJson(buildDependencyMap(trace))))).toEqual({
      nodes: [
        { id: 'api', kind: 'service' },
        { id: 'web', kind: 'service' },
        { id: 'postgresql api', kind: 'database' },
      ],
      edges: [
        { from: 'api', to: 'postgresql api', calls: 1, errors: 0, p50Ms: 2, p95Ms: 2, p99Ms: 2 },
        { from: 'web', to: 'api', calls: 1, errors: 1, p50Ms: 8, p95Ms: 8, p99Ms: 8 },
      ],
    });
  });
});
