import { type SpanContext, trace } from '@opentelemetry/api';
import type CircuitBreaker from 'opossum';

const tracer = trace.getTracer('example-resilience');

export type BreakerState = 'closed' | 'open' | 'halfOpen';

export function stateOf(breaker: CircuitBreaker): BreakerState {
  if (breaker.opened) return 'open';
  if (breaker.halfOpen) return 'halfOpen';
  return 'closed';
}

/**
 * Records the breaker's state changes as spans, so that a trace shows why calls stopped
 * reaching a dependency and when they resumed:
 *
 * - `circuit breaker open`: a child of the call whose failure tripped the breaker;
 * - `circuit breaker halfOpen`: emitted by opossum's reset timer, outside any call, so it
 *   is a root span of its own, linked to the span that opened the breaker;
 * - `circuit breaker close`: a child of the trial call that succeeded.
 *
 * Each carries `circuit_breaker.name` and the new `circuit_breaker.state`.
 */
export function traceStateChanges(breaker: CircuitBreaker): void {
  let openedBy: SpanContext | undefined;
  const attributes = (state: BreakerState) => ({
    'circuit_breaker.name': breaker.name,
    'circuit_breaker.state': state,
  });
  breaker.on('open', () => {
    const span = tracer.startSpan('circuit breaker open', { attributes: attributes('open') });
    openedBy = span.spanContext();
    span.end();
  });
  breaker.on('halfOpen', () => {
    tracer
      .startSpan('circuit breaker halfOpen', {
        root: true,
        attributes: attributes('halfOpen'),
        links: openedBy ? [{ context: openedBy }] : [],
      })
      .end();
  });
  breaker.on('close', () => {
    tracer.startSpan('circuit breaker close', { attributes: attributes('closed') }).end();
  });
}
