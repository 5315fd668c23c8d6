import { UNKNOWN_SERVICE } from '../model';
import { attribute, SCOPE_KEY } from './attribution';
import { hrTimeToNanos, SpanConverter, spanKindOf } from './convert';
import type { ContextLike, ReadableSpanLike, SpanProcessorLike } from './otel-types';
import { CaptureScope, type OpenSpan } from './scope';
import { preciseStartNs, startCorrectionNs } from './start-clock';

/** How many unattributed span names to keep for diagnostics. */
const RECENT_UNATTRIBUTED = 20;

/** What the processor knows about spans it could not tie to any test or capture. */
export interface UnattributedStats {
  count: number;
  /** The most recent ones, `"name" (service)`. */
  readonly recent: string[];
}

/**
 * tracespec's span processor: records every span as it starts, files it in the scope of
 * the test or `captureTrace` that caused it, and converts it to a model span when it ends.
 *
 * It implements the SDK's `SpanProcessor` interface structurally, so one instance fits a
 * provider of either OpenTelemetry line. It is synchronous and keeps spans itself (no
 * exporter): nothing waits on a timer, which Jest's fake timers could stall. Following the
 * SDK's rule it never throws into the code that starts or ends a span; a span it fails to
 * record becomes a problem of its scope, which fails whoever reads that scope.
 */
export class CaptureProcessor implements SpanProcessorLike {
  /** Decides the scope of spans that nothing stronger attributes (see attribution.ts). */
  ambientScope: () => CaptureScope | undefined = () => undefined;
  /** Spans seen since the processor was created, attributed or not. */
  startedCount = 0;
  readonly unattributed: UnattributedStats = { count: 0, recent: [] };
  /** Problems that belong to no scope (a span that failed outside any test or capture). */
  readonly problems: string[] = [];

  readonly #converter = new SpanConverter();
  // Keyed by the SDK span object, which onStart and onEnd share: ids may repeat when a test
  // uses a deterministic id generator.
  readonly #open = new Map<object, OpenSpan>();
  readonly #openById = new Map<string, OpenSpan>();
  // A processor listed twice (by the user and by tracespec) sees each span twice.
  #ended = new WeakSet<object>();
  readonly #owners = new Map<string, CaptureScope>();
  readonly #ownedBy = new Map<CaptureScope, Set<string>>();

  onStart(span: ReadableSpanLike, parentContext: ContextLike): void {
    try {
      if (this.#open.has(span)) return;
      const seen = preciseStartNs(span);
      this.startedCount++;
      const sdkStart = hrTimeToNanos(span.startTime);
      const context = span.spanContext();
      const traceId = context.traceId.toLowerCase();
      const parentContextOfSpan = span.parentSpanContext;
      const parentSpanId = (parentContextOfSpan?.spanId ?? span.parentSpanId)?.toLowerCase();
      const openParent =
        parentSpanId !== undefined && parentContextOfSpan?.isRemote !== true
          ? this.#openById.get(parentSpanId)
          : undefined;
      const explicit = scopeIn(parentContext);
      const { scope, claimsTrace } = attribute({
        explicit,
        hasParent: parentSpanId !== undefined,
        openParent: openParent?.traceId === traceId ? openParent : undefined,
        owner: this.#owners.get(traceId),
        ambient: this.ambientScope,
      });
      const open: OpenSpan = {
        name: span.name,
        service: serviceOf(this.#converter.resourceOf(span).attributes['service.name']),
        kind: spanKindOf(span.kind),
        traceId,
        spanId: context.spanId.toLowerCase(),
        parentSpanId,
        parentName: openParent?.name,
        startTimeUnixNano: sdkStart,
        startCorrectionNs: startCorrectionNs(sdkStart, seen),
        scope,
      };
      this.#open.set(span, open);
      this.#openById.set(open.spanId, open);
      if (scope) {
        if (claimsTrace) this.#claim(traceId, scope);
        scope.spanStarted(open);
      }
    } catch (error) {
      // Most likely the span belongs to the code running now: tell that test or capture.
      const problem = `could not record the start of span "${safeName(span)}": ${String(error)}`;
      const scope = this.#ambientSafely();
      if (scope) scope.addProblem(problem);
      else this.problems.push(problem);
    }
  }

  onEnd(span: ReadableSpanLike): void {
    let open: OpenSpan | undefined;
    try {
      if (this.#ended.has(span)) return;
      this.#ended.add(span);
      open = this.#open.get(span) ?? this.#openByContext(span);
      if (open) {
        this.#open.delete(span);
        if (this.#openById.get(open.spanId) === open) this.#openById.delete(open.spanId);
      }
      // A span that started before capture was attached is filed by its trace, if known.
      const scope = open ? open.scope : this.#owners.get(span.spanContext().traceId.toLowerCase());
      if (!scope) {
        this.#countUnattributed(span, open);
        return;
      }
      scope.spanEnded(open, this.#converter.convert(span, open?.startCorrectionNs));
    } catch (error) {
      const problem = `could not record span "${safeName(span)}": ${String(error)}`;
      if (open?.scope) {
        open.scope.addProblem(problem);
        open.scope.spanEnded(open, undefined);
      } else this.problems.push(problem);
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * A scope is done (its `captureTrace` returned): the traces it owns pass to its parent,
   * where late spans of those traces still belong, or are forgotten.
   */
  releaseScope(scope: CaptureScope): void {
    const owned = this.#ownedBy.get(scope);
    if (!owned) return;
    this.#ownedBy.delete(scope);
    for (const traceId of owned) {
      if (this.#owners.get(traceId) !== scope) continue;
      if (scope.parent) this.#claim(traceId, scope.parent, true);
      else this.#owners.delete(traceId);
    }
  }

  /** Forget every open span and owned trace (capture is being uninstalled or reset). */
  reset(): void {
    this.#open.clear();
    this.#openById.clear();
    this.#owners.clear();
    this.#ownedBy.clear();
    this.#ended = new WeakSet();
    this.unattributed.count = 0;
    this.unattributed.recent.length = 0;
    this.problems.length = 0;
    this.startedCount = 0;
  }

  #claim(traceId: string, scope: CaptureScope, replace = false): void {
    if (!replace && this.#owners.has(traceId)) return;
    this.#owners.set(traceId, scope);
    let owned = this.#ownedBy.get(scope);
    if (!owned) {
      owned = new Set();
      this.#ownedBy.set(scope, owned);
    }
    owned.add(traceId);
  }

  #openByContext(span: ReadableSpanLike): OpenSpan | undefined {
    const context = span.spanContext();
    const open = this.#openById.get(context.spanId.toLowerCase());
    return open && open.traceId === context.traceId.toLowerCase() ? open : undefined;
  }

  #ambientSafely(): CaptureScope | undefined {
    try {
      return this.ambientScope();
    } catch {
      return undefined;
    }
  }

  #countUnattributed(span: ReadableSpanLike, open: OpenSpan | undefined): void {
    this.unattributed.count++;
    const recent = this.unattributed.recent;
    recent.push(`"${safeName(span)}" (${open?.service ?? UNKNOWN_SERVICE})`);
    if (recent.length > RECENT_UNATTRIBUTED) recent.shift();
  }
}

function scopeIn(context: ContextLike | undefined): CaptureScope | undefined {
  if (!context || typeof context.getValue !== 'function') return undefined;
  const value = context.getValue(SCOPE_KEY);
  return value instanceof CaptureScope ? value : undefined;
}

function serviceOf(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : UNKNOWN_SERVICE;
}

function safeName(span: ReadableSpanLike): string {
  try {
    return String(span.name);
  } catch {
    return '?';
  }
}
