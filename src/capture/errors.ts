/**
 * Errors of span capture. Each message is written for someone reading a CI log: what
 * happened, why it probably happened, and what to change.
 */

/**
 * Capture could not be set up: a package is missing, another tracer provider is
 * registered, or a provider cannot take tracespec's span processor.
 */
export class CaptureSetupError extends Error {
  override readonly name = 'CaptureSetupError';
}

/** A span that had started but not ended when capture stopped waiting. */
export interface UnfinishedSpan {
  readonly name: string;
  readonly service: string;
  readonly kind: string;
  readonly traceId: string;
  readonly spanId: string;
  /** The name of its parent when the parent was captured too. */
  readonly parentName: string | undefined;
  /** How long it had been open when capture gave up, in milliseconds. */
  readonly openForMs: number;
}

/**
 * Spans started by the code under capture had not all ended within the timeout. Lists
 * them by name so that a missing `span.end()` is found without a debugger.
 */
export class UnfinishedSpansError extends Error {
  override readonly name = 'UnfinishedSpansError';
  readonly unfinished: readonly UnfinishedSpan[];
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number, unfinished: readonly UnfinishedSpan[]) {
    const n = unfinished.length;
    const lines = unfinished.map(
      (s) =>
        `  - "${s.name}" (service ${s.service}, ${s.kind}, open ${Math.round(s.openForMs)}ms` +
        `${s.parentName === undefined ? '' : `, child of "${s.parentName}"`}, span ${s.spanId} in trace ${s.traceId})`,
    );
    super(
      `${what}: ${n} span${n === 1 ? ' was' : 's were'} still open ${timeoutMs}ms after the code under test returned:\n` +
        `${lines.join('\n')}\n` +
        'Every started span must be ended (span.end()), on error paths too. If the work is just slow, ' +
        `wait longer: captureTrace(fn, { timeout: ${Math.max(timeoutMs * 2, 1000)} }).`,
    );
    this.unfinished = unfinished;
    this.timeoutMs = timeoutMs;
  }
}
