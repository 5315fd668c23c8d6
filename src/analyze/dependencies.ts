import type { AttributeValue, Span, Trace } from '../model';
import { percentile } from '../slo/percentile';
import { failureSignal } from './failure';

/**
 * What a node of the dependency map is: a traced service, or a peer known only from the
 * semantic-convention attributes of the spans that call it.
 */
export type DependencyNodeKind = 'service' | 'database' | 'messaging' | 'external';

export interface DependencyNode {
  /**
   * A service's name; for a peer, its system and name (`postgresql users-db`,
   * `kafka orders`), or its host (`api.stripe.com`, `0.0.0.0:8081`).
   */
  readonly id: string;
  readonly kind: DependencyNodeKind;
  /**
   * The id without the system or the port (`users-db` for `postgresql users-db`,
   * `0.0.0.0` for `0.0.0.0:8081`): rules may name a peer either way. The id for a service.
   */
  readonly name: string;
  /** A database's or messaging peer's system (`postgresql`, `kafka`), as the spans say it. */
  readonly system?: string;
}

/** One call of an edge, to find it in the traces. */
export interface CallExample {
  readonly traceId: string;
  /** The span in the calling service: the client span, or the span the callee runs under. */
  readonly spanId: string;
  /** The first span in the called service; absent for a peer, which has no spans. */
  readonly calleeSpanId?: string;
}

/** Calls from one service to another service or peer, over every trace. */
export interface DependencyEdge {
  readonly from: string;
  readonly to: string;
  readonly calls: number;
  /** Calls in which the client span or the callee's span failed (see {@link buildDependencyMap}). */
  readonly errors: number;
  /** Percentiles of the calls' durations, in milliseconds (`percentile`'s interpolation). */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** The first calls, in the order the traces were given, at most {@link MAX_EXAMPLES}. */
  readonly examples: readonly CallExample[];
}

/** Services and peers, and who calls whom. Sorted: nodes by kind then id, edges by from then to. */
export interface DependencyMap {
  readonly nodes: readonly DependencyNode[];
  readonly edges: readonly DependencyEdge[];
}

/** What `tracespec analyze --json` prints for the map: plain data, no examples. */
export interface DependencyMapJson {
  readonly nodes: readonly { readonly id: string; readonly kind: DependencyNodeKind }[];
  readonly edges: readonly {
    readonly from: string;
    readonly to: string;
    readonly calls: number;
    readonly errors: number;
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly p99Ms: number;
  }[];
}

/** Calls kept per edge to point at: enough to open one in a trace viewer, few enough to print. */
export const MAX_EXAMPLES = 3;

const KIND_ORDER: Readonly<Record<DependencyNodeKind, number>> = {
  service: 0,
  database: 1,
  messaging: 2,
  external: 3,
};

/** A peer a leaf client or producer span calls, from its attributes. */
export interface Peer {
  readonly id: string;
  readonly kind: Exclude<DependencyNodeKind, 'service'>;
  readonly name: string;
  readonly system?: string;
}

interface EdgeDraft {
  readonly from: string;
  readonly to: string;
  readonly durationsNs: number[];
  errors: number;
  readonly examples: CallExample[];
}

/**
 * The service dependency map of `traces`. A call is counted once, from one of two sources:
 *
 * - **Parent and child in different services** (client → server, producer → consumer, or
 *   any span whose parent runs elsewhere): a call from the parent's service to the child's.
 *   Spans within one service (a server span's own client span) make no edge, so the call
 *   through `A server → A client → B server` counts once, and a Zipkin RPC whose client and
 *   server halves share one span id counts once too (the model nests the halves).
 * - **A leaf client or producer span** (no child in another service) names a peer in its
 *   attributes: a database (`db.system.name`/`db.system` with `db.namespace`/`db.name`,
 *   else the server address), a messaging destination (`messaging.system` with the
 *   destination), or an external host (`peer.service`, `server.address`, `net.peer.name`,
 *   `http.host`, the host of `url.full`/`http.url`). A span that is itself the callee of
 *   a cross-service call is not counted again as a call to a peer: HotROD reports its
 *   MySQL and Redis calls as services of their own (`customer → mysql`), and the same span
 *   must not also make `mysql → mysql`.
 *
 * Duration and failure of a call, as OpenTelemetry's service graph connector counts them:
 * the duration is the client (or producer) span's when one stands for exactly this call,
 * else the callee's; the call failed when either end failed (`failureSignal`), because a
 * caller's instrumentation may miss a 5xx that the callee recorded, and a 4xx is an error
 * only on the client side. A client span whose children run in several other services
 * (a load generator's task span) stands for none of them: each call is the callee's span.
 *
 * A peer whose id is the name of a traced service is that service's node (Zipkin's
 * remote endpoint names a service that may also report its own spans).
 */
export function buildDependencyMap(traces: Trace | readonly Trace[]): DependencyMap {
  const list: readonly Trace[] = Array.isArray(traces) ? traces : [traces as Trace];
  const services = new Set<string>();
  for (const trace of list) for (const span of trace.spans) services.add(span.service);

  const peers = new Map<string, Peer>();
  const edges = new Map<string, EdgeDraft>();
  const record = (
    from: string,
    to: string,
    durationNs: number,
    failed: boolean,
    example: CallExample,
  ) => {
    const key = `${from}\u0000${to}`;
    let edge = edges.get(key);
    if (!edge) {
      edge = { from, to, durationsNs: [], errors: 0, examples: [] };
      edges.set(key, edge);
    }
    edge.durationsNs.push(durationNs);
    if (failed) edge.errors++;
    if (edge.examples.length < MAX_EXAMPLES) edge.examples.push(example);
  };

  for (const trace of list) {
    const spans = trace.spans;
    const { parent } = trace.structure;
    // crossChildren[i]: how many children of span i run in another service.
    const crossChildren = new Int32Array(spans.length);
    for (let i = 0; i < spans.length; i++) {
      const p = parent[i] as number;
      if (p >= 0 && (spans[p] as Span).service !== (spans[i] as Span).service) {
        crossChildren[p] = (crossChildren[p] as number) + 1;
      }
    }
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i] as Span;
      const p = parent[i] as number;
      const caller = p >= 0 ? (spans[p] as Span) : undefined;
      if (caller && caller.service !== span.service) {
        const client = isCallingKind(caller) && crossChildren[p] === 1 ? caller : undefined;
        record(
          caller.service,
          span.service,
          (client ?? span).durationNs,
          failureSignal(span) !== undefined ||
            (client !== undefined && failureSignal(client) !== undefined),
          { traceId: trace.traceId, spanId: caller.spanId, calleeSpanId: span.spanId },
        );
        continue;
      }
      if (!isCallingKind(span) || crossChildren[i] !== 0) continue;
      const peer = peerOf(span);
      if (!peer || peer.id === span.service) continue;
      if (!services.has(peer.id) && !peers.has(peer.id)) peers.set(peer.id, peer);
      record(span.service, peer.id, span.durationNs, failureSignal(span) !== undefined, {
        traceId: trace.traceId,
        spanId: span.spanId,
      });
    }
  }

  const nodes: DependencyNode[] = [];
  for (const id of services) nodes.push({ id, kind: 'service', name: id });
  for (const peer of peers.values()) nodes.push(peer);
  nodes.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareText(a.id, b.id));

  const out: DependencyEdge[] = [];
  for (const edge of edges.values()) {
    const sorted = Float64Array.from(edge.durationsNs).sort();
    out.push({
      from: edge.from,
      to: edge.to,
      calls: sorted.length,
      errors: edge.errors,
      // On nanoseconds, then to milliseconds: the interpolation stays on exact integers.
      p50Ms: percentile(sorted, 0.5) / 1e6,
      p95Ms: percentile(sorted, 0.95) / 1e6,
      p99Ms: percentile(sorted, 0.99) / 1e6,
      examples: edge.examples,
    });
  }
  out.sort((a, b) => compareText(a.from, b.from) || compareText(a.to, b.to));
  return { nodes, edges: out };
}

/** The map as `tracespec analyze --json` documents it: `{ nodes: [{ id, kind }], edges: [...] }`. */
export function dependencyMapJson(map: DependencyMap): DependencyMapJson {
  return {
    nodes: map.nodes.map(({ id, kind }) => ({ id, kind })),
    edges: map.edges.map(({ from, to, calls, errors, p50Ms, p95Ms, p99Ms }) => ({
      from,
      to,
      calls,
      errors,
      p50Ms,
      p95Ms,
      p99Ms,
    })),
  };
}

/** Client and producer spans are the ones that call out of their service. */
function isCallingKind(span: Span): boolean {
  return span.kind === 'client' || span.kind === 'producer';
}

/**
 * The peer a span calls, from its attributes (old and new semantic-convention names), or
 * undefined when it names none. Read for leaf client and producer spans; see
 * {@link buildDependencyMap}. Only span attributes count: the resource describes the caller.
 */
export function peerOf(span: Span): Peer | undefined {
  const a = span.attributes;
  const host = hostOf(span);
  const dbSystem = text(a['db.system.name']) ?? text(a['db.system']);
  if (dbSystem !== undefined) {
    // Redis's namespace is a database index ("0"): the host tells peers apart better.
    const name =
      notIndex(text(a['db.namespace'])) ??
      notIndex(text(a['db.name'])) ??
      text(a['peer.service']) ??
      host?.name;
    return labelled('database', dbSystem, name);
  }
  const mqSystem = text(a['messaging.system']);
  if (mqSystem !== undefined) {
    // The template before the name: `orders.{id}` is one destination, not one per order.
    const name =
      text(a['messaging.destination.template']) ??
      text(a['messaging.destination.name']) ??
      // Before semantic conventions 1.17, `messaging.destination` was the name itself.
      text(a['messaging.destination']) ??
      text(a['peer.service']) ??
      host?.name;
    return labelled('messaging', mqSystem, name);
  }
  // A producer with no messaging attributes (Zipkin's remote endpoint `kafka`) still sends
  // to a broker.
  const kind = span.kind === 'producer' ? 'messaging' : 'external';
  const peerService = text(a['peer.service']);
  if (peerService !== undefined) return { id: peerService, kind, name: peerService };
  if (host !== undefined) return { id: host.id, kind, name: host.name };
  return undefined;
}

function labelled(kind: 'database' | 'messaging', system: string, name: string | undefined): Peer {
  return name === undefined
    ? { id: system, kind, name: system, system }
    : { id: `${system} ${name}`, kind, name, system };
}

/**
 * The host a span calls, as `host` or `host:port`: `server.address` (`net.peer.name` in
 * older conventions) with its port, `http.host`, or the authority of `url.full`/`http.url`.
 * The port is kept (HotROD's services all live on `0.0.0.0`, one port each) unless it is
 * the scheme's default, which says nothing.
 */
function hostOf(span: Span): { id: string; name: string } | undefined {
  const a = span.attributes;
  const address = text(a['server.address']) ?? text(a['net.peer.name']);
  if (address !== undefined) {
    const port = portText(a['server.port'] ?? a['net.peer.port']);
    return withPort(address, port);
  }
  const httpHost = text(a['http.host']);
  if (httpHost !== undefined) {
    const match = /^(.*):(\d+)$/.exec(httpHost);
    return match && !httpHost.endsWith(']')
      ? withPort(match[1] as string, match[2] as string)
      : { id: httpHost, name: httpHost };
  }
  const url = text(a['url.full']) ?? text(a['http.url']);
  if (url !== undefined) {
    try {
      const parsed = new URL(url);
      // URL drops a default port itself, so `port` is empty for https://host:443/.
      if (parsed.hostname !== '') return withPort(parsed.hostname, parsed.port);
    } catch {
      // A relative or malformed URL names no host.
    }
  }
  return undefined;
}

function withPort(host: string, port: string | undefined): { id: string; name: string } {
  if (port === undefined || port === '' || port === '80' || port === '443') {
    return { id: host, name: host };
  }
  // An IPv6 literal keeps its brackets with a port, as in a URL.
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { id: `${shown}:${port}`, name: host };
}

function portText(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  return undefined;
}

function text(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function notIndex(value: string | undefined): string | undefined {
  return value !== undefined && /^\d+$/.test(value) ? undefined : value;
}

/** Code-unit order: the same on every machine, unlike `localeCompare`. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
