/**
 * Where captured spans are filed: one scope per Jest test and per `captureTrace` call.
 */

import type { Span, SpanKind } from '../model';
import { compareStartTime, groupTraces, type Trace } from '../model';
import { realClock } from './real-timers';

/** A span that has started and not yet ended, as capture knows it. */
export interface OpenSpan {
  readonly name: string;
  readonly service: string;
  readonly kind: SpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  /** The parent's name when the parent was open in this process as the span started. */
  readonly parentName: string | undefined;
  /** Wall-clock start as the SDK recorded it. */
  readonly startTimeUnixNano: bigint;
  /** How far to move the span's times to the processor's sub-millisecond start (start-clock.ts). */
  readonly startCorrectionNs: bigint;
  /** The scope the span was filed in (the innermost one). */
  readonly scope: CaptureScope | undefined;
}

/** What one test or one `captureTrace` call has captured so far (see `currentCapture()`). */
export interface CapturedSpans {
  /** `test "<full name>"`, `captureTrace` or `captureTraces`. */
  readonly label: string;
  /** Spans that have ended, in the order they ended. */
  readonly spans: readonly Span[];
  /** Spans that have started and not ended yet. */
  readonly openSpans: readonly OpenSpan[];
  /** Problems met while recording; whoever reads the spans should fail on them. */
  readonly problems: readonly string[];
  /** The ended spans as traces, earliest first. */
  traces(): Trace[];
  /**
   * Resolves once no span is open, or with the spans still open after `timeoutMs` (real
   * timers: Jest's fake timers cannot stall it).
   */
  whenIdle(timeoutMs: number): Promise<readonly OpenSpan[]>;
}

/**
 * The spans one test or one `captureTrace` call caused: those that ended, those still
 * open, and problems met while recording them. A scope nested in another (a
 * `captureTrace` inside a test) files every span in its ancestors too, so a test sees
 * what its captures saw.
 */
export class CaptureScope implements CapturedSpans {
  readonly label: string;
  readonly parent: CaptureScope | undefined;
  /** Problems met while recording this scope's spans; they fail whoever reads the spans. */
  readonly problems: string[] = [];
  readonly #ended: Span[] = [];
  readonly #open = new Set<OpenSpan>();
  readonly #idle = new Set<() => void>();

  constructor(label: string, parent?: CaptureScope) {
    this.label = label;
    this.parent = parent;
  }

  /** Spans that have ended, in the order they ended. */
  get spans(): readonly Span[] {
    return this.#ended;
  }

  /** Spans that have started and not ended yet, oldest first. */
  get openSpans(): readonly OpenSpan[] {
    return [...this.#open];
  }

  /** The ended spans as traces, earliest first. */
  traces(): Trace[] {
    const traces = groupTraces(this.#ended);
    return traces.sort(compareStartTime);
  }

  /**
   * Resolves once no span of this scope is open, or with the spans still open after
   * `timeoutMs` (waiting on real timers, so that Jest's fake timers cannot stall it).
   */
  whenIdle(timeoutMs: number): Promise<readonly OpenSpan[]> {
    if (this.#open.size === 0) return Promise.resolve([]);
    return new Promise((resolve) => {
      const done = () => {
        this.#idle.delete(done);
        realClock.clearTimeout(timer);
        resolve([]);
      };
      const timer = realClock.setTimeout(() => {
        this.#idle.delete(done);
        resolve(this.openSpans);
      }, timeoutMs);
      this.#idle.add(done);
    });
  }

  /** @internal Called by the processor when a span filed here starts. */
  spanStarted(open: OpenSpan): void {
    for (let s: CaptureScope | undefined = this; s; s = s.parent) s.#open.add(open);
  }

  /**
   * @internal Called by the processor when a span filed here ends; `open` is undefined for
   * a span that started before capture was attached, `span` when it could not be converted.
   */
  spanEnded(open: OpenSpan | undefined, span: Span | undefined): void {
    for (let s: CaptureScope | undefined = this; s; s = s.parent) {
      if (span) s.#ended.push(span);
      if (open) s.#open.delete(open);
      if (s.#open.size === 0) for (const wake of [...s.#idle]) wake();
    }
  }

  /** @internal Records a problem here and in every ancestor. */
  addProblem(problem: string): void {
    for (let s: CaptureScope | undefined = this; s; s = s.parent) s.problems.push(problem);
  }
}
