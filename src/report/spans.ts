import { createColors } from 'picocolors';
import { formatDuration, type Span } from '../model';
import { errorReason, printable, shortTraceId } from './text';

export interface SpanListOptions {
  readonly color?: boolean;
}

/** Names longer than this are not padded to: one SQL statement must not push every row. */
const MAX_NAME_COLUMN = 48;

/**
 * One aligned line per span: short trace id, service, name, kind, duration, status.
 *
 * ```
 * 0af76519  order-service  Payment Gateway API  client  280ms  error: card declined
 * ```
 *
 * The result has no trailing newline; empty string for no spans.
 */
export function formatSpanList(spans: readonly Span[], options: SpanListOptions = {}): string {
  const c = createColors(options.color === true);
  const rows = spans.map((span) => ({
    span,
    cells: [
      shortTraceId(span.traceId),
      printable(span.service),
      printable(span.name),
      span.kind,
      formatDuration(span.durationNs),
    ],
  }));
  const widths = [0, 0, 0, 0, 0];
  for (const { cells } of rows) {
    cells.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] as number, cell.length);
    });
  }
  widths[2] = Math.min(widths[2] as number, MAX_NAME_COLUMN);

  return rows
    .map(({ span, cells }) => {
      const [trace, service, name, kind, duration] = cells.map((cell, i) =>
        // Durations read best right-aligned (units line up); the rest left-aligned.
        i === 4 ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number),
      ) as [string, string, string, string, string];
      return [
        c.dim(trace),
        c.dim(service),
        span.isError ? c.red(name) : name,
        kind,
        duration,
        statusText(span, c.red),
      ].join('  ');
    })
    .join('\n');
}

function statusText(span: Span, red: (text: string) => string): string {
  if (!span.isError) return span.status.code;
  const reason = printable(errorReason(span));
  return red(reason ? `error: ${reason}` : 'error');
}
