/**
 * The provider tracespec creates when the user brings none.
 */

import { loadSdk } from './otel-load';
import type { SpanProcessorLike, TracerProviderLike } from './otel-types';

export interface DefaultProvider {
  readonly provider: TracerProviderLike;
  readonly packageName: string;
}

/**
 * A `BasicTracerProvider` (2.x) or `TracerProvider` (3.x) with tracespec's processor
 * passed to the constructor, the only place the SDK takes processors. The sampler is
 * always-on unless the caller chooses: a test must see every span, whatever
 * `OTEL_TRACES_SAMPLER` says in the CI environment or a remote parent's sampled flag.
 */
export function createDefaultProvider(
  processor: SpanProcessorLike,
  providerOptions: Readonly<Record<string, unknown>> = {},
): DefaultProvider {
  const sdk = loadSdk();
  const extra = Array.isArray(providerOptions.spanProcessors) ? providerOptions.spanProcessors : [];
  const provider = new sdk.Provider({
    ...(sdk.AlwaysOnSampler ? { sampler: new sdk.AlwaysOnSampler() } : {}),
    ...providerOptions,
    spanProcessors: [processor, ...extra],
  });
  return { provider, packageName: sdk.packageName };
}
