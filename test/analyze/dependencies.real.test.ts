import { describe, expect, test } from '@jest/globals';
import { buildDependencyMap, type DependencyMap } from '../../src/analyze';
import { loadTraces } from '../../src/ingest';
import { realFixture } from '../helpers/fixtures';

/**
 * Dependency maps of real traces (../shared/fixtures/real). Every expected edge is
 * explained from the spans in the file: which span calls which, and why it counts.
 */

const mapOf = async (path: string) => buildDependencyMap(await loadTraces(realFixture(path)));

/** `from → to: calls/errors` for each edge, in the map's order. */
const summary = (map: DependencyMap) =>
  map.edges.map((e) => `${e.from} → ${e.to}: ${e.calls}/${e.errors}`);

const edge = (map: DependencyMap, from: string, to: string) =>
  map.edges.find((e) => e.from === from && e.to === to);

describe('OpenTelemetry Demo: a checkout that timed out behind the proxy', () => {
  const file = 'jaeger-skills/error_timeout_masked.json';

  test('services, their callers and their data stores', async () => {
    const map = await mapOf(file);
    expect(summary(map)).toEqual([
      // Four leaf client spans of cart, each `valkey-cart:6379` with db.system=redis and
      // server.address=valkey-cart: 2743b416, fe4bc855, 44e9dbeb (under AddItem) and
      // bf0eab1d (under GetCart). db.redis.database_index is not a name; the host is.
      'cart → redis valkey-cart: 4/0',
      // frontend's gRPC clients AddItem 95abac0c → cart server 1f618c16, GetCart 5d3f329a →
      // a29fc85a.
      'frontend → cart: 2/0',
      // GetProduct client d70b98f0 → product-catalog server ae2f5902.
      'frontend → product-catalog: 1/0',
      // Envoy's "router frontend egress" clients dc512c12, 70285c4b and fb403de2, each
      // with one frontend server child. fb403de2 (15s) carries error=true with an unset
      // status: Envoy's mark of the upstream call it gave up on.
      'frontend-proxy → frontend: 3/1',
      // The locust task "user_add_to_cart" d4cd047e has two frontend-proxy children (GET
      // 8098b17b, POST 9b31b701), two calls; the root "user_checkout_multi" 3e77d7ca has
      // one, POST 247a4349, which failed with status ERROR (HTTP 504).
      'load-generator → frontend-proxy: 3/1',
      // The leaf client "astronomy-db" 27463993: db.system.name=postgresql,
      // server.address=astronomy-db.
      'product-catalog → postgresql astronomy-db: 1/0',
    ]);
    expect(map.nodes.map((n) => `${n.kind}:${n.id}`)).toEqual([
      'service:cart',
      'service:frontend',
      'service:frontend-proxy',
      'service:load-generator',
      'service:product-catalog',
      'database:postgresql astronomy-db',
      'database:redis valkey-cart',
    ]);
  });

  test("a call's duration is its client span's, unless that client span wraps several calls", async () => {
    const map = await mapOf(file);
    // 38.034ms (GET 8098b17b) and 6.215ms (POST 9b31b701), the servers' own durations
    // since their client d4cd047e wraps both, and 15080.701963ms, the client 3e77d7ca of
    // the one POST it wraps: the middle one is 38.034ms.
    expect(edge(map, 'load-generator', 'frontend-proxy')?.p50Ms).toBeCloseTo(38.034, 9);
    // Clients dc512c12 37.8ms, 70285c4b 6.05ms, fb403de2 15000.906ms: p50 is 37.8ms.
    expect(edge(map, 'frontend-proxy', 'frontend')?.p50Ms).toBeCloseTo(37.8, 9);
    // The single GetProduct client d70b98f0: 34.590049ms (its server took 12.9ms).
    expect(edge(map, 'frontend', 'product-catalog')).toMatchObject({
      p50Ms: 34.590049,
      p95Ms: 34.590049,
      p99Ms: 34.590049,
      examples: [
        expect.objectContaining({ spanId: 'd70b98f0f2365fa9', calleeSpanId: 'ae2f5902cdf8d312' }),
      ],
    });
  });
});

describe('HotROD: one dispatch with ten serial route calls', () => {
  const file = 'jaeger-skills/n_plus_one_full_serial.json';

  test('frontend calls customer, driver and route; customer and driver reach their stores', async () => {
    const map = await mapOf(file);
    expect(summary(map)).toEqual([
      // HotROD reports its MySQL query as a client span of a service named "mysql"
      // (f6be9f5e "SQL SELECT") under customer's server span f9f5cf25: one call, not also
      // mysql → mysql from the span's db.system.name.
      'customer → mysql: 1/0',
      // Under driver's server span f6e63a82, 14 client spans of "redis-manual": one
      // FindDriverIDs and 13 GetDriver; three GetDriver failed (0efad7b9, 2d2ba26e,
      // 4460a306, status ERROR).
      'driver → redis-manual: 14/3',
      // HTTP GET ec4c8608 (url 0.0.0.0:8081/customer) → customer server f9f5cf25.
      'frontend → customer: 1/0',
      // gRPC client f7cf0c83 → driver server f6e63a82.
      'frontend → driver: 1/0',
      // Ten HTTP GET clients to 0.0.0.0:8083/route, each with one route server child.
      'frontend → route: 10/0',
    ]);
  });

  test("route's percentiles come from the ten client spans' durations", async () => {
    // The clients' durations in ns, sorted: 38735173, 45002398, 45720457, 45725167,
    // 52904528, 60875588, 61867986, 63672682, 68649269, 75737392.
    // p50: rank 4.5, (52904528 + 60875588) / 2 = 56890058ns.
    // p95: rank 8.55, 68649269 + 0.55 · (75737392 - 68649269) = 72547736.65ns.
    // p99: rank 8.91, 68649269 + 0.91 · 7088123 = 75099460.93ns.
    const route = edge(await mapOf(file), 'frontend', 'route');
    expect(route?.p50Ms).toBeCloseTo(56.890058, 9);
    expect(route?.p95Ms).toBeCloseTo(72.54773665, 9);
    expect(route?.p99Ms).toBeCloseTo(75.09946093, 9);
  });

  test('with no callee spans, the same calls are external peers told apart by port', async () => {
    // n_plus_one_near_miss holds only frontend's spans: 11 leaf "HTTP GET" clients with
    // server.address 0.0.0.0, one on port 8081 (7d342b28, customer) and ten on 8083.
    expect(summary(await mapOf('jaeger-skills/n_plus_one_near_miss.json'))).toEqual([
      'frontend → 0.0.0.0:8081: 1/0',
      'frontend → 0.0.0.0:8083: 10/0',
    ]);
  });

  test('n_plus_one_positive: 13 GetDriver calls, three failed', async () => {
    // c5f1def4, da836156 and 572191c1 have status ERROR; no span carries attributes.
    expect(summary(await mapOf('jaeger-skills/n_plus_one_positive.json'))).toEqual([
      'driver → redis-manual: 13/3',
      'frontend → driver: 1/0',
    ]);
  });
});

describe('OpenTelemetry Demo: sibling failures in checkout', () => {
  test('each failed call is an error of its edge; a client without a callee or a peer is no edge', async () => {
    const map = await mapOf('jaeger-skills/sibling_errors.json');
    // PlaceOrder's clients Charge c3d4e5f6 (ERROR) → payment's span d4e5f607 (ERROR), and
    // SendOrderConfirmation e5f60718 (ERROR) → email's f6071829 (ERROR). The GetCart
    // client b2c3d4e5 has no child and no attributes: nothing says whom it called.
    expect(summary(map)).toEqual(['checkout → email: 1/1', 'checkout → payment: 1/1']);
    // Charge's client took 40ms (its callee 36ms).
    expect(edge(map, 'checkout', 'payment')?.p50Ms).toBe(40);
  });
});

describe('Zipkin', () => {
  test('skew.json: a client and its shared server half with one span id are one call', async () => {
    const map = await mapOf('zipkin/skew.json');
    // servicea's client "post" 74280ae0 and serviceb's server "post" 74280ae0 (shared).
    // serviceb's "async" child stays in serviceb. Duration: the client's 94.539ms.
    expect(summary(map)).toEqual(['servicea → serviceb: 1/0']);
    expect(edge(map, 'servicea', 'serviceb')?.p50Ms).toBeCloseTo(94.539, 9);
  });

  test('yelp.json: shared RPC halves, remote endpoints as peers, mislabelled services', async () => {
    expect(summary(await mapOf('zipkin/yelp.json'))).toEqual([
      // mobile_api's client "post" 15fc0392 to remote endpoint blt (no server half).
      'mobile_api → blt: 1/0',
      // "set mobile_api_nonce" 6a65182e and "get_multi mobile_api_nonce" cb4d73f3.
      'mobile_api → memcache: 2/0',
      // Client "get" 7a778764 and spectre's shared server half 7a778764.
      'mobile_api → spectre: 1/0',
      // routing's server 2e8cfb15 is the parent of a client span reported by a service
      // named "unknown" (668ed78a), and of yelp-main's client "post" f5f26865.
      'routing → unknown: 1/0',
      'routing → yelp-main: 1/0',
      // unknown's client 668ed78a and its shared server half, yelp_main/api_proxy.
      'unknown → yelp_main/api_proxy: 1/0',
      // yelp-main's leaf clients: memcache 0facde7c and 2b689877; mysql begin b593cd75
      // and commit 50b57281. (Its memcache call e7d1a2d5 is counted below instead.)
      'yelp-main → memcache: 2/0',
      // yelp-main's client "post" f5f26865 and mobile_api's shared server half.
      'yelp-main → mobile_api: 1/0',
      'yelp-main → mysql: 2/0',
      // The proxy's server half 668ed78a has two children reported as yelp-main: the
      // transaction 241cea1a and the memcache client e7d1a2d5.
      'yelp_main/api_proxy → yelp-main: 2/0',
    ]);
  });

  test('messaging.json: a producer and its consumer in another service are one call', async () => {
    const map = await mapOf('zipkin/messaging.json');
    // frontend's producer "publish" 05e3ac9a → backend's consumer "next-message" e457b5a2;
    // both name rabbitmq as their remote endpoint, which adds nothing: the call has a callee.
    expect(summary(map)).toEqual(['frontend → backend: 1/0']);
    expect(edge(map, 'frontend', 'backend')?.p50Ms).toBeCloseTo(0.013, 9);
  });

  test('messaging-kafka.json: sends consumed by serviceb are calls to it; the others go to kafka', async () => {
    const map = await mapOf('zipkin/messaging-kafka.json');
    expect(summary(map)).toEqual([
      // Six producers "send" with no consumer in another service (26bd982d, b7808dc6,
      // 5bc03264, 79145dc8, e2feae69, b42b60c5), remote endpoint kafka.
      'servicea → kafka: 6/0',
      // Three producers each polled by a serviceb consumer: 2e22a056 → b4a2a87e,
      // 5133caca → a5524eec, 085a9df5 → 519d27c6. (servicea polls them too; within
      // servicea that is no edge. The errors are on serviceb's "on-message" spans, after
      // the call.)
      'servicea → serviceb: 3/0',
    ]);
    expect(map.nodes.find((n) => n.id === 'kafka')?.kind).toBe('messaging');
  });

  test('simple-db-p6.json: a database known only by its remote endpoint is an external peer', async () => {
    // Four leaf clients (insert ×3, call) to remote endpoint app_db, with no db.* tags:
    // nothing says it is a database.
    const map = await mapOf('zipkin/simple-db-p6.json');
    expect(summary(map)).toEqual(['bootifulmeters → app_db: 4/0']);
    expect(map.nodes.find((n) => n.id === 'app_db')?.kind).toBe('external');
  });
});
