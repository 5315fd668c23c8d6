import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { realClock } from '../capture/real-timers';
import { InputError } from '../errors';
import { formatDuration, Trace } from '../model';
import { type Receiver, startReceiver } from '../receiver';
import { holds } from './budgets';
import type { CheckFailure, CheckResult } from './result';
import type { LiveSpec, SpecLocation, TriggerSpec } from './types';

/** One request the trigger sent, and what came back. */
export interface TriggeredRequest {
  /** 1-based, in the order the requests were started. */
  readonly index: number;
  readonly traceId: string;
  /** The span id in the `traceparent` header: the trigger's own span, which is never exported. */
  readonly parentSpanId: string;
  readonly status: number | undefined;
  readonly latencyNs: number;
  /** At most {@link MAX_BODY} characters of the response body. */
  readonly body: string;
  /** A transport error: refused, reset, timed out. */
  readonly error: string | undefined;
  readonly startUnixNano: bigint;
  readonly endUnixNano: bigint;
}

export interface LiveRun {
  readonly traces: Trace[];
  readonly requests: readonly TriggeredRequest[];
  /** `responses` and `traces arrived`, checked before the spec's own checks. */
  readonly checks: CheckResult[];
  /** Where the receiver listened, for the report's sources line. */
  readonly source: string;
}

const MAX_BODY = 64 * 1024;

/**
 * Run a triggered spec's live part: start the receiver, send the requests (each with a
 * fresh W3C `traceparent`, so its trace is known), wait until each trace is complete, and
 * return the traces. A system that refuses the first connection fails the run at once
 * with an InputError (exit code 2): nothing was tested.
 */
export async function runLive(
  live: LiveSpec,
  file: string,
  onWarning?: (message: string) => void,
  /** Where to write what arrives, instead of the spec's `receiver.out`. */
  out?: string,
): Promise<LiveRun> {
  if (out !== undefined) await mkdir(dirname(out), { recursive: true });
  const receiver = await startReceiver({
    host: live.receiver.host,
    port: live.receiver.port,
    ...(live.receiver.token !== undefined ? { token: live.receiver.token } : {}),
    ...((out ?? live.receiver.out) !== undefined ? { out: out ?? live.receiver.out } : {}),
    ...(onWarning ? { log: onWarning } : {}),
  }).catch((error: unknown) => {
    const reason = error instanceof InputError ? error.reason : String(error);
    throw new InputError(live.receiver.location, `cannot start the receiver: ${reason}`);
  });
  try {
    const requests = await sendAll(live.trigger);
    await recordTriggerSpans(receiver, live, requests, onWarning);
    const waits = await Promise.all(
      requests.map((r) =>
        receiver.waitForTrace(r.traceId, {
          quietMs: live.wait.quietMs,
          timeoutMs: live.wait.timeoutMs,
        }),
      ),
    );
    const traces: Trace[] = [];
    const arrived: CheckFailure[] = [];
    requests.forEach((request, i) => {
      const wait = waits[i];
      const spans = wait?.spans ?? [];
      // The trigger's own span always arrives; the system's spans are the ones to wait for.
      const system = spans.filter((s) => s.spanId !== request.parentSpanId);
      const trace = spans.length > 0 ? Trace.from(spans) : undefined;
      if (trace) traces.push(trace);
      if (system.length === 0 || wait?.reason === 'timeout') {
        arrived.push(arrivalFailure(request, trace, system.length, live, receiver, file));
      }
    });
    const byTrace = new Map(traces.map((t) => [t.traceId, t]));
    return {
      traces,
      requests,
      checks: [
        responsesCheck(live.trigger, requests, byTrace),
        listCheck(
          'traces arrived',
          'trace_arrived',
          requests.length,
          arrived,
          live.trigger.location,
        ),
      ],
      source: receiver.url,
    };
  } finally {
    await receiver.close();
  }
}

/** Send `repeat` requests, `concurrency` at a time. The first refused connection stops the run. */
async function sendAll(trigger: TriggerSpec): Promise<TriggeredRequest[]> {
  const results: TriggeredRequest[] = new Array(trigger.repeat);
  let next = 0;
  let refused: string | undefined;
  const worker = async (): Promise<void> => {
    while (next < trigger.repeat && refused === undefined) {
      const index = next++;
      const result = await send(trigger, index + 1);
      results[index] = result;
      if (result.error !== undefined && isUnreachable(result.error)) refused ??= result.error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(trigger.concurrency, trigger.repeat) }, worker));
  if (refused !== undefined) {
    throw new InputError(
      trigger.location,
      `cannot reach ${trigger.method} ${trigger.url}: ${refused}. Is the system under test running there?`,
    );
  }
  return results;
}

async function send(trigger: TriggerSpec, index: number): Promise<TriggeredRequest> {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  const started = process.hrtime.bigint();
  const startUnixNano = realClock.nowUnixNano();
  const elapsed = () => Number(process.hrtime.bigint() - started);
  const times = () => ({ startUnixNano, endUnixNano: startUnixNano + BigInt(elapsed()) });
  try {
    const response = await fetch(trigger.url, {
      method: trigger.method,
      headers: { ...trigger.headers, traceparent: `00-${traceId}-${parentSpanId}-01` },
      ...(trigger.body !== undefined ? { body: trigger.body } : {}),
      signal: AbortSignal.timeout(trigger.timeoutMs),
    });
    const text = await response.text();
    return {
      index,
      traceId,
      parentSpanId,
      status: response.status,
      latencyNs: elapsed(),
      body: text.slice(0, MAX_BODY),
      error: undefined,
      ...times(),
    };
  } catch (error) {
    return {
      index,
      traceId,
      parentSpanId,
      status: undefined,
      latencyNs: elapsed(),
      body: '',
      error: transportError(error, trigger),
      ...times(),
    };
  }
}

/** fetch's errors hide the reason in `cause`; say it the way a person would. */
function transportError(error: unknown, trigger: TriggerSpec): string {
  const err = error as {
    name?: string;
    cause?: { code?: string; message?: string };
    message?: string;
  };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return `no response within ${formatDuration(trigger.timeoutMs * 1e6)}`;
  }
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'connection reset';
  return err.cause?.message ?? err.message ?? String(error);
}

function isUnreachable(error: string): boolean {
  return error === 'connection refused' || error === 'host not found';
}

/**
 * tracespec's own client span for each request, sent to the receiver like any exporter's:
 * it is the parent the `traceparent` header named, so each trace has its real root (the
 * request as the client saw it: method, URL, status, latency) instead of an orphan.
 */
async function recordTriggerSpans(
  receiver: Receiver,
  live: LiveSpec,
  requests: readonly TriggeredRequest[],
  onWarning: ((message: string) => void) | undefined,
): Promise<void> {
  const { method, url } = live.trigger;
  const name = `trigger ${method} ${new URL(url).pathname}`;
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  const spans = requests.map((r) => {
    const failed = r.error !== undefined || (r.status !== undefined && r.status >= 400);
    return {
      traceId: r.traceId,
      spanId: r.parentSpanId,
      name,
      kind: 3,
      startTimeUnixNano: String(r.startUnixNano),
      endTimeUnixNano: String(r.endUnixNano),
      attributes: [
        str('http.request.method', method),
        str('url.full', url),
        r.status !== undefined
          ? { key: 'http.response.status_code', value: { intValue: String(r.status) } }
          : str('error.type', r.error ?? 'error'),
      ],
      ...(failed ? { status: { code: 2, message: r.error ?? `HTTP ${r.status}` } } : {}),
    };
  });
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'tracespec')] },
        scopeSpans: [{ scope: { name: 'tracespec' }, spans }],
      },
    ],
  });
  const response = await fetch(receiver.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(live.receiver.token ? { authorization: `Bearer ${live.receiver.token}` } : {}),
    },
    body,
  }).catch((error: unknown) => error as Error);
  if (response instanceof Error || !response.ok) {
    const why = response instanceof Error ? response.message : `HTTP ${response.status}`;
    onWarning?.(`the trigger's own spans were not recorded: ${why}`);
  }
}

function arrivalFailure(
  request: TriggeredRequest,
  trace: Trace | undefined,
  systemSpans: number,
  live: LiveSpec,
  receiver: Receiver,
  file: string,
): CheckFailure {
  const waited = formatDuration(live.wait.timeoutMs * 1e6);
  const message =
    systemSpans > 0
      ? `request ${request.index} (trace ${request.traceId}): spans were still arriving when the wait ended after ${waited} (${systemSpans} so far); raise wait.timeout in ${file}`
      : `request ${request.index} (trace ${request.traceId}) produced no span within ${waited}: is the system exporting to ${receiver.url}${live.receiver.token ? ' with the token' : ''}, and does it pass the traceparent header on?`;
  return {
    assertion: 'trace_arrived',
    message,
    trace,
    scope: undefined,
    spans: [],
    location: live.trigger.location,
  };
}

function responsesCheck(
  trigger: TriggerSpec,
  requests: readonly TriggeredRequest[],
  traces: ReadonlyMap<string, Trace>,
): CheckResult {
  const expected = trigger.response;
  const failures: CheckFailure[] = [];
  for (const request of requests) {
    const problems: string[] = [];
    if (request.error !== undefined) problems.push(request.error);
    else {
      if (expected.status && !expected.status.includes(request.status as number)) {
        problems.push(`status ${request.status}, expected ${expected.status.join(' or ')}`);
      }
      const slow = expected.latency.find((b) => !holds(b, request.latencyNs));
      if (slow) problems.push(`took ${formatDuration(request.latencyNs)}, outside ${slow.text}`);
      if (expected.bodyContains !== undefined && !request.body.includes(expected.bodyContains)) {
        problems.push(
          `the body does not contain ${JSON.stringify(expected.bodyContains)}: ${JSON.stringify(request.body.slice(0, 200))}`,
        );
      }
    }
    if (problems.length === 0) continue;
    failures.push({
      assertion: 'response',
      message: `request ${request.index} (trace ${request.traceId}): ${problems.join('; ')}`,
      trace: traces.get(request.traceId),
      scope: undefined,
      spans: [],
      location: trigger.location,
    });
  }
  return listCheck(
    `responses of ${trigger.method} ${trigger.url}`,
    'response',
    requests.length,
    failures,
    trigger.location,
  );
}

function listCheck(
  name: string,
  assertion: 'response' | 'trace_arrived',
  samples: number,
  failures: CheckFailure[],
  location: SpecLocation,
): CheckResult {
  return {
    name,
    forEach: undefined,
    severity: 'fail',
    samples,
    minSamples: 1,
    assertions: [assertion],
    tooFewSamples: undefined,
    failures,
    failedScopes: failures.length,
    verdict: failures.length > 0 ? 'fail' : 'pass',
    location,
  };
}
