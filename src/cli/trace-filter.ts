import { InputError } from '../errors';
import type { Trace } from '../model';
import { shortTraceId } from '../report';

const HEX = /^[0-9a-f]+$/;
const ZERO_HALF = '0'.repeat(16);

/** Check one `--trace` value: a trace id or a prefix of one, in hex. */
export function parseTraceIdPrefix(text: string): string {
  const id = text.trim().toLowerCase();
  if (!HEX.test(id) || id.length > 32) {
    throw new InputError(
      {},
      `--trace expects a trace id or the start of one (hex digits), got "${text}"`,
    );
  }
  return id;
}

/**
 * The traces whose id starts with one of the prefixes. A 64-bit id as Zipkin and Jaeger
 * print it (16 digits) also matches the zero-padded 128-bit form the model keeps.
 * Every prefix must match at least one trace: a typo must not silently show nothing.
 */
export function filterTraces(traces: readonly Trace[], prefixes: readonly string[]): Trace[] {
  const unmatched = prefixes.filter(
    (prefix) => !traces.some((trace) => idMatches(trace.traceId, prefix)),
  );
  if (unmatched.length > 0) {
    const which = unmatched.map((p) => `"${p}"`).join(', ');
    throw new InputError(
      {},
      `no trace with id ${which} in the input; ${describeAvailable(traces)}`,
    );
  }
  return traces.filter((trace) => prefixes.some((prefix) => idMatches(trace.traceId, prefix)));
}

function idMatches(traceId: string, prefix: string): boolean {
  if (traceId.startsWith(prefix)) return true;
  return traceId.startsWith(ZERO_HALF) && traceId.slice(16).startsWith(prefix);
}

function describeAvailable(traces: readonly Trace[]): string {
  if (traces.length === 0) return 'it holds no traces';
  const shown = traces.slice(0, 5).map((t) => shortTraceId(t.traceId));
  const more = traces.length > shown.length ? `, … (${traces.length} in all)` : '';
  return `it holds ${traces.length === 1 ? 'trace' : 'traces'} ${shown.join(', ')}${more}`;
}
