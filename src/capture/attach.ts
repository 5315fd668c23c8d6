/**
 * Attaching tracespec's processor to a provider the user configured.
 *
 * The SDK takes processors only in the constructor (`spanProcessors`, 2.x and 3.x alike),
 * so the supported way is for the user to list `captureProcessor()` there. When they did
 * not, the provider's processor list is reached instead: both lines' `TracerProvider` keep
 * a `MultiSpanProcessor` in `_activeSpanProcessor` whose `_spanProcessors` array is read on
 * every span start and end (the provider itself reads it in `forceFlush`), checked against
 * sdk-trace 2.12 and 3.1. Anything else gets an error saying how to construct the provider.
 */

import { describeProvider } from './describe';
import { CaptureSetupError } from './errors';
import type { SpanProcessorLike, TracerProviderLike } from './otel-types';

export interface Attachment {
  readonly by: 'constructor' | 'processor-list';
  readonly detach: () => void;
}

interface MultiProcessorLike {
  _spanProcessors: SpanProcessorLike[];
}

export function attachProcessor(
  provider: TracerProviderLike,
  processor: SpanProcessorLike,
): Attachment {
  const multi = multiProcessorOf(provider);
  if (!multi) {
    throw new CaptureSetupError(
      `installCapture({ provider }): tracespec cannot add its span processor to ${describeProvider(provider)}, ` +
        'which is not a TracerProvider of @opentelemetry/sdk-trace-base 2.x or @opentelemetry/sdk-trace 3.x. ' +
        "List tracespec's processor when you construct the provider instead:\n" +
        "  import { captureProcessor, installCapture } from 'tracespec';\n" +
        '  const provider = new NodeTracerProvider({ spanProcessors: [captureProcessor(), ...yourProcessors] });\n' +
        '  installCapture({ provider });',
    );
  }
  if (multi._spanProcessors.includes(processor)) {
    return { by: 'constructor', detach: () => undefined };
  }
  // A new array rather than push(): the one there is the array the user passed in.
  multi._spanProcessors = [...multi._spanProcessors, processor];
  return {
    by: 'processor-list',
    detach: () => {
      multi._spanProcessors = multi._spanProcessors.filter((p) => p !== processor);
    },
  };
}

function multiProcessorOf(provider: TracerProviderLike): MultiProcessorLike | undefined {
  const multi = (provider as { _activeSpanProcessor?: unknown })._activeSpanProcessor;
  if (typeof multi !== 'object' || multi === null) return undefined;
  const list = (multi as { _spanProcessors?: unknown })._spanProcessors;
  const looksRight =
    Array.isArray(list) &&
    typeof (multi as { onStart?: unknown }).onStart === 'function' &&
    list.every((p) => typeof p === 'object' && p !== null && typeof p.onEnd === 'function');
  return looksRight ? (multi as MultiProcessorLike) : undefined;
}
