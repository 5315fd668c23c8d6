/**
 * A stand-in for the payment provider: a real HTTP server on 127.0.0.1 (port 0) that
 * speaks the provider's API (`POST /v1/charges`), with a latency and a failure mode the
 * test sets. It is a test double, not part of the application: the real gateway is a third
 * party, whose side of the call never appears in our traces.
 */

import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningServer, readJson, sendJson, startServer } from '../support/http-server';

export interface GatewayBehaviour {
  /** Milliseconds to wait before answering (default 0). */
  readonly latencyMs?: number;
  /** Answer with this HTTP status instead of a charge (502: the provider's upstream is down). */
  readonly failWith?: number;
}

export interface ReceivedCharge {
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface FakeGateway {
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly received: ReceivedCharge[];
  configure(behaviour: GatewayBehaviour): void;
  close(): Promise<void>;
}

export async function startFakeGateway(): Promise<FakeGateway> {
  let behaviour: GatewayBehaviour = {};
  let next = 1;
  const received: ReceivedCharge[] = [];
  const server: RunningServer = await startServer((req, res) => {
    void (async () => {
      const body = await readJson(req);
      received.push({ headers: req.headers, body });
      if (behaviour.latencyMs) await sleep(behaviour.latencyMs);
      if (req.method !== 'POST' || req.url !== '/v1/charges') {
        sendJson(res, 404, { error: { code: 'not_found' } });
      } else if (behaviour.failWith) {
        sendJson(res, behaviour.failWith, { error: { code: 'upstream_unavailable' } });
      } else {
        sendJson(res, 201, { id: `ch_${next++}`, status: 'succeeded' });
      }
    })().catch(() => sendJson(res, 400, { error: { code: 'bad_request' } }));
  });
  return {
    url: server.url,
    port: server.port,
    received,
    configure(b) {
      behaviour = b;
    },
    close: () => server.close(),
  };
}
