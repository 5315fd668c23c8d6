import { realClock } from '../capture/real-timers';
import { type Span, Trace } from '../model';
import type { Encoding } from './responses';

/** The spans of one acknowledged request. */
export interface ReceivedBatch {
  /** 1 for the first acknowledged request, and so on. */
  readonly sequence: number;
  readonly encoding: Encoding;
  /** The accepted spans, in the order of the request. */
  readonly spans: readonly Span[];
  /** Spans of the request rejected with a partial success. */
  readonly rejectedSpans: number;
}

export interface TraceWaitOptions {
  /** The trace is complete once no span of it has arrived for this long. Default 500 ms. */
  readonly quietMs?: number;
  /** Give up after this long, with the spans that arrived. Default 10 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface TraceWait {
  readonly traceId: string;
  /** Every span of the trace received (before the call too, when the receiver retains spans). */
  readonly spans: Span[];
  /**
   * `quiet`: spans stopped arriving for `quietMs`; `timeout`: `timeoutMs` passed first
   * (possibly with no span at all); `closed`: the receiver closed; `aborted`: the signal.
   */
  readonly reason: 'quiet' | 'timeout' | 'closed' | 'aborted';
}

interface Waiter {
  add(spans: Span[]): void;
  end(reason: TraceWait['reason']): void;
}

/**
 * What a receiver hands to the code in its own process: every acknowledged request to
 * listeners and iterators, the spans kept in memory, and waits for the spans of a trace.
 */
export class ReceivedSpans {
  readonly #retain: boolean;
  readonly #log: (message: string) => void;
  readonly #listeners = new Set<(batch: ReceivedBatch) => void>();
  readonly #onClose = new Set<() => void>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #spans: Span[] = [];
  #byTrace = new Map<string, Span[]>();
  #closed = false;

  constructor(retain: boolean, log: (message: string) => void) {
    this.#retain = retain;
    this.#log = log;
  }

  /** Hands an acknowledged request to everyone who asked. */
  deliver(batch: ReceivedBatch): void {
    const spans = batch.spans;
    if (spans.length === 0) return;
    if (this.#retain) {
      for (const span of spans) {
        this.#spans.push(span);
        let group = this.#byTrace.get(span.traceId);
        if (group === undefined) {
          group = [];
          this.#byTrace.set(span.traceId, group);
        }
        group.push(span);
      }
    }
    if (this.#waiters.size > 0) this.#feedWaiters(spans);
    for (const listener of this.#listeners) {
      try {
        listener(batch);
      } catch (error) {
        // A listener's bug must not cost the client its acknowledgement: the spans are kept.
        this.#log(
          `an onSpans listener threw: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  #feedWaiters(spans: readonly Span[]): void {
    let byTrace: Map<string, Span[]> | undefined;
    for (const span of spans) {
      if (!this.#waiters.has(span.traceId)) continue;
      byTrace ??= new Map();
      const list = byTrace.get(span.traceId);
      if (list === undefined) byTrace.set(span.traceId, [span]);
      else list.push(span);
    }
    if (byTrace === undefined) return;
    for (const [traceId, list] of byTrace) {
      for (const waiter of [...(this.#waiters.get(traceId) ?? [])]) waiter.add(list);
    }
  }

  onSpans(listener: (batch: ReceivedBatch) => void): () => void {
    const own = (batch: ReceivedBatch): void => listener(batch);
    this.#listeners.add(own);
    return () => {
      this.#listeners.delete(own);
    };
  }

  batches(): AsyncIterableIterator<ReceivedBatch> {
    const queue: ReceivedBatch[] = [];
    let wake: (() => void) | undefined;
    let done = this.#closed;
    const stop = this.onSpans((batch) => {
      queue.push(batch);
      wake?.();
    });
    const onClose = (): void => {
      done = true;
      wake?.();
    };
    this.#onClose.add(onClose);
    const end = (): void => {
      done = true;
      stop();
      this.#onClose.delete(onClose);
    };
    const iterator: AsyncIterableIterator<ReceivedBatch> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (queue.length === 0 && !done) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
        const value = queue.shift();
        if (value !== undefined) return { value, done: false };
        end();
        return { value: undefined, done: true };
      },
      return: async () => {
        end();
        queue.length = 0;
        return { value: undefined, done: true };
      },
    };
    return iterator;
  }

  spans(): readonly Span[] {
    return this.#spans;
  }

  spansOf(traceId: string): readonly Span[] {
    return this.#byTrace.get(traceId.toLowerCase()) ?? [];
  }

  traces(): Trace[] {
    const traces: Trace[] = [];
    for (const spans of this.#byTrace.values()) traces.push(Trace.from(spans));
    return traces;
  }

  clear(): void {
    this.#spans = [];
    this.#byTrace = new Map();
  }

  waitForTrace(traceId: string, options: TraceWaitOptions = {}): Promise<TraceWait> {
    const id = traceId.toLowerCase();
    const quietMs = options.quietMs ?? 500;
    const timeoutMs = options.timeoutMs ?? 10_000;
    const spans = [...this.spansOf(id)];
    if (this.#closed) return Promise.resolve({ traceId: id, spans, reason: 'closed' });
    if (options.signal?.aborted) return Promise.resolve({ traceId: id, spans, reason: 'aborted' });
    return new Promise((resolve) => {
      let quiet: ReturnType<typeof realClock.setTimeout> | undefined;
      const armQuiet = (): void => {
        if (quiet !== undefined) realClock.clearTimeout(quiet);
        quiet = realClock.setTimeout(() => waiter.end('quiet'), quietMs);
      };
      const timeout = realClock.setTimeout(() => waiter.end('timeout'), timeoutMs);
      const onAbort = (): void => waiter.end('aborted');
      const waiter: Waiter = {
        add: (more) => {
          for (const span of more) spans.push(span);
          armQuiet();
        },
        end: (reason) => {
          realClock.clearTimeout(timeout);
          if (quiet !== undefined) realClock.clearTimeout(quiet);
          options.signal?.removeEventListener('abort', onAbort);
          const set = this.#waiters.get(id);
          set?.delete(waiter);
          if (set?.size === 0) this.#waiters.delete(id);
          resolve({ traceId: id, spans, reason });
        },
      };
      let set = this.#waiters.get(id);
      if (set === undefined) {
        set = new Set();
        this.#waiters.set(id, set);
      }
      set.add(waiter);
      options.signal?.addEventListener('abort', onAbort);
      if (spans.length > 0) armQuiet();
    });
  }

  /** The receiver closed: waits end, iterators finish. */
  end(): void {
    this.#closed = true;
    for (const onClose of this.#onClose) onClose();
    this.#onClose.clear();
    for (const set of [...this.#waiters.values()]) for (const w of [...set]) w.end('closed');
  }
}
