/**
 * The parts of OpenTelemetry JS that capture touches, described structurally.
 *
 * tracespec must work with whichever OpenTelemetry line the user installed (the 2.x SDK
 * with api 1.9, the 3.x SDK with api 1.10), and its published type declarations must not
 * name `@opentelemetry/*` packages, which are optional peers: a user of the CLI alone has
 * none of them. So nothing here imports an OpenTelemetry type; the real SDK objects fit
 * these shapes (checked against both lines by the tests).
 */

/** `[seconds, nanoseconds]` since the Unix epoch, as the SDK records times. */
export type HrTimeLike = readonly [number, number];

export interface SpanContextLike {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags?: number;
  /** True when the context came from another process (extracted from a carrier). */
  readonly isRemote?: boolean | undefined;
}

/** An OpenTelemetry `Context`: an immutable map from symbols to values. */
export interface ContextLike {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): ContextLike;
}

export interface AttributesLike {
  readonly [key: string]: unknown;
}

export interface SpanEventLike {
  readonly name: string;
  readonly time: HrTimeLike;
  readonly attributes?: AttributesLike | undefined;
}

export interface SpanLinkLike {
  readonly context: SpanContextLike;
  readonly attributes?: AttributesLike | undefined;
}

/**
 * A finished (or, in `onStart`, just started) SDK span: the SDK's `ReadableSpan`.
 * Field names are those of SDK 2.x and 3.x; the 1.x names (`parentSpanId`,
 * `instrumentationLibrary`) are accepted too, so that spans built by older code convert.
 */
export interface ReadableSpanLike {
  readonly name: string;
  readonly kind: number;
  spanContext(): SpanContextLike;
  readonly parentSpanContext?: SpanContextLike | undefined;
  /** SDK 1.x. */
  readonly parentSpanId?: string | undefined;
  readonly startTime: HrTimeLike;
  readonly endTime: HrTimeLike;
  readonly status: { readonly code: number; readonly message?: string | undefined };
  readonly attributes: AttributesLike;
  readonly links: readonly SpanLinkLike[];
  readonly events: readonly SpanEventLike[];
  readonly resource?: { readonly attributes: AttributesLike } | undefined;
  readonly instrumentationScope?: InstrumentationScopeLike | undefined;
  /** SDK 1.x. */
  readonly instrumentationLibrary?: InstrumentationScopeLike | undefined;
}

export interface InstrumentationScopeLike {
  readonly name: string;
  readonly version?: string | undefined;
}

/** The SDK's `SpanProcessor` interface (identical in 2.x and 3.x). */
export interface SpanProcessorLike {
  onStart(span: ReadableSpanLike, parentContext: ContextLike): void;
  onEnd(span: ReadableSpanLike): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Any tracer provider: the SDK's, or the API's proxy that delegates to one. */
export interface TracerProviderLike {
  getTracer(name: string, version?: string, options?: { schemaUrl?: string }): unknown;
  forceFlush?(options?: { timeoutMillis?: number }): Promise<void>;
  shutdown?(): Promise<void>;
}

/** The API's `ProxyTracerProvider`, which `trace.getTracerProvider()` returns. */
export interface ProxyTracerProviderLike extends TracerProviderLike {
  getDelegate?(): TracerProviderLike;
  setDelegate?(delegate: TracerProviderLike): void;
}

/** What capture uses of `@opentelemetry/api` (stable since api 1.3). */
export interface OtelApiLike {
  readonly ROOT_CONTEXT: ContextLike;
  readonly context: {
    active(): ContextLike;
    with<R>(context: ContextLike, fn: () => R): R;
    setGlobalContextManager(manager: ContextManagerLike): boolean;
    disable(): void;
  };
  readonly trace: {
    setGlobalTracerProvider(provider: TracerProviderLike): boolean;
    getTracerProvider(): ProxyTracerProviderLike;
    disable(): void;
  };
  readonly propagation: {
    setGlobalPropagator(propagator: object): boolean;
    fields(): string[];
    disable(): void;
  };
}

export interface ContextManagerLike {
  enable(): ContextManagerLike;
  disable(): ContextManagerLike;
}
