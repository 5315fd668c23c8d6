/**
 * `captureTrace(fn)`: run code in a fresh root context and return the trace it caused.
 */

import type { Trace } from '../model';
import { SCOPE_KEY } from './attribution';
import { describeProvider } from './describe';
import { type UnfinishedSpan, UnfinishedSpansError } from './errors';
import { type CaptureInstallation, installCapture } from './installation';
import { loadApi } from './otel-load';
import type { OtelApiLike } from './otel-types';
import { realClock } from './real-timers';
import { type CaptureRuntime, captureRuntime } from './runtime';
import { CaptureScope, type OpenSpan } from './scope';

export interface CaptureTraceOptions {
  /**
   * How long to wait, after the function settles, for spans it started to end
   * (milliseconds, default 2000). Then the capture fails, naming the open spans.
   */
  readonly timeout?: number;
}

export const DEFAULT_CAPTURE_TIMEOUT_MS = 2000;

/**
 * Runs `fn` in a fresh root context and resolves with the trace it caused, once every
 * span it started has ended (see {@link CaptureTraceOptions.timeout}).
 *
 * When `fn` causes several traces (it starts a background job with a new root, or makes
 * two independent calls), this is the one whose first span started first; use
 * {@link captureTraces} for all of them. Rejects with `fn`'s own error if it throws, with
 * an {@link UnfinishedSpansError} listing the spans still open after the timeout, and with
 * an explanation when `fn` started no span. Installs capture with defaults if nothing has.
 */
export async function captureTrace(
  fn: () => unknown,
  options: CaptureTraceOptions = {},
): Promise<Trace> {
  const run = await runCaptured(fn, options, 'captureTrace');
  const first = run.traces[0];
  if (!first) throw noSpansError(run);
  return first;
}

/**
 * Like {@link captureTrace}, for code that causes several traces: resolves with all of
 * them, earliest first, or with none when `fn` started no span.
 */
export async function captureTraces(
  fn: () => unknown,
  options: CaptureTraceOptions = {},
): Promise<Trace[]> {
  return (await runCaptured(fn, options, 'captureTraces')).traces;
}

interface CapturedRun {
  readonly traces: Trace[];
  readonly runtime: CaptureRuntime;
  readonly installation: CaptureInstallation;
  readonly api: OtelApiLike;
  /** Spans the processor saw start during the run, ours or not. */
  readonly started: number;
  readonly unattributed: number;
}

async function runCaptured(
  fn: () => unknown,
  options: CaptureTraceOptions,
  what: string,
): Promise<CapturedRun> {
  if (typeof fn !== 'function') {
    throw new TypeError(`${what}(fn): fn must be a function, got ${typeof fn}`);
  }
  const timeout = timeoutOf(options.timeout, what);
  const runtime = captureRuntime();
  const installation = runtime.installation ?? installCapture();
  const api = loadApi();
  const processor = runtime.processor;
  const startedBefore = processor.startedCount;
  const unattributedBefore = processor.unattributed.count;
  // Nested in the scope of the code calling it, so that the test sees these spans too.
  const scope = new CaptureScope(what, runtime.ambientScope());
  try {
    const root = api.ROOT_CONTEXT.setValue(SCOPE_KEY, scope);
    // Both the OTel context (which follows explicit context passing) and our own async
    // storage (which survives code that resets the OTel context to ROOT_CONTEXT) carry it.
    await runtime.storage.run(scope, () => api.context.with(root, fn));
    const stillOpen = await scope.whenIdle(timeout);
    if (stillOpen.length > 0) {
      throw new UnfinishedSpansError(what, timeout, stillOpen.map(unfinished));
    }
    if (installation.mode === 'default') await flush(installation, timeout);
    if (scope.problems.length > 0) {
      throw new Error(
        `${what}: tracespec could not record every span, so the trace would be incomplete:\n` +
          scope.problems.map((p) => `  - ${p}`).join('\n'),
      );
    }
    return {
      traces: scope.traces(),
      runtime,
      installation,
      api,
      started: processor.startedCount - startedBefore,
      unattributed: processor.unattributed.count - unattributedBefore,
    };
  } finally {
    runtime.processor.releaseScope(scope);
  }
}

function timeoutOf(timeout: number | undefined, what: string): number {
  if (timeout === undefined) return DEFAULT_CAPTURE_TIMEOUT_MS;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
    throw new TypeError(
      `${what}: options.timeout must be a number of milliseconds >= 0, got ${String(timeout)}`,
    );
  }
  return timeout;
}

function unfinished(open: OpenSpan): UnfinishedSpan {
  return {
    name: open.name,
    service: open.service,
    kind: open.kind,
    traceId: open.traceId,
    spanId: open.spanId,
    parentName: open.parentName,
    openForMs:
      open.startTimeUnixNano > 0n
        ? Number(realClock.nowUnixNano() - open.startTimeUnixNano) / 1e6
        : Number.NaN,
  };
}

/**
 * Other processors the user added to tracespec's provider may batch; tracespec's own is
 * synchronous. Bounded by a real timer: a batching processor's own timers may be faked.
 */
async function flush(installation: CaptureInstallation, timeout: number): Promise<void> {
  const provider = installation.provider;
  if (typeof provider.forceFlush !== 'function') return;
  let timer: ReturnType<typeof realClock.setTimeout> | undefined;
  try {
    await Promise.race([
      provider.forceFlush().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = realClock.setTimeout(resolve, Math.max(timeout, 1));
      }),
    ]);
  } finally {
    if (timer !== undefined) realClock.clearTimeout(timer);
  }
}

function noSpansError(run: CapturedRun): Error {
  const { api, installation, runtime } = run;
  const lines = [
    'captureTrace: the function started no span that tracespec could tie to it, so there is no trace to return.',
  ];
  const proxy = api.trace.getTracerProvider();
  const current = typeof proxy.getDelegate === 'function' ? proxy.getDelegate() : proxy;
  if (current !== installation.provider) {
    lines.push(
      `The global tracer provider is now ${describeProvider(current)}, not the one capture was ` +
        'installed on: something registered or replaced it after installCapture() ' +
        '(trace.disable(), NodeSDK.start(), provider.register()). Install capture after it, ' +
        'with installCapture({ provider }).',
    );
  } else if (run.started === 0) {
    lines.push(
      "tracespec's processor saw no span start during the call. Either the code creates no " +
        'span, or its instrumentation is not active: under Jest, instrumentations that patch a ' +
        'module when it is require()d see nothing, because Jest loads modules through its own ' +
        "registry. Use preset: 'tracespec' in the Jest config and pass the instrumentations to " +
        'installCapture({ instrumentations: [...] }) in a setup file, before the library is loaded.',
    );
  } else {
    const recent = runtime.processor.unattributed.recent.slice(-Math.min(run.unattributed, 5));
    lines.push(
      `${run.started} span${run.started === 1 ? '' : 's'} started during the call in a context ` +
        `that was not the call's${recent.length > 0 ? ` (recently unattributed: ${recent.join(', ')})` : ''}. ` +
        'A span started on a context saved before the call (a queue worker, a pooled ' +
        'connection, tracer.startSpan(name, {}, savedContext)) belongs to whoever saved it. ' +
        'Start the work inside the function, or use currentTraces() for everything the test caused.',
    );
  }
  return new Error(lines.join('\n'));
}
