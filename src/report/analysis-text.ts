import { createColors } from 'picocolors';
import { type Analysis, describeEdge, type TraceAnalysis, timeOnPath } from '../analyze';
import { formatDuration, type Span } from '../model';
import { formatTable } from './table';
import { plural, printable, spanName } from './text';
import { formatTraceHeader, formatTraceTree } from './tree';

export interface AnalysisTextOptions {
  readonly color?: boolean;
  /** Spans per tree before it is cut (0: all). */
  readonly maxSpans?: number;
  /** Rows per table. */
  readonly maxRows?: number;
}

/**
 * `tracespec analyze` for a person: each trace's tree with the critical path marked, where
 * its failure started and how it travelled, repeated serial calls; then the service map,
 * the capacity table and the slow tail.
 */
export function formatAnalysis(analysis: Analysis, options: AnalysisTextOptions = {}): string {
  const c = createColors(options.color === true);
  const out: string[] = [];
  for (const item of analysis.traces) out.push(formatTraceAnalysis(item, options));
  out.push(section(c.bold('Service map'), serviceMap(analysis, options)));
  out.push(
    section(
      c.bold('Capacity (self time: time in the service’s own code)'),
      capacity(analysis, options),
    ),
  );
  out.push(section(c.bold('Slow tail'), slowTail(analysis, options)));
  return `${out.join('\n\n')}\n`;
}

function formatTraceAnalysis(item: TraceAnalysis, options: AnalysisTextOptions): string {
  const { trace, criticalPath, errorOrigin, repeatedSerialCalls } = item;
  const color = options.color === true;
  const c = createColors(color);
  const onPath = timeOnPath(criticalPath);
  const serial = new Map<Span, string>();
  for (const group of repeatedSerialCalls) {
    group.spans.forEach((span, i) => {
      serial.set(span, `serial ${i + 1}/${group.count}`);
    });
  }
  const mark = (span: Span): string | undefined => {
    const notes: string[] = [];
    if (errorOrigin?.origin === span) notes.push('error origin');
    if (errorOrigin?.timeout?.span === span) notes.push('gave up waiting');
    const path = onPath.get(span);
    // Spans that are on the path only through their children add no time of their own.
    if (path !== undefined && path > 0) notes.push(`critical path ${formatDuration(path)}`);
    const repeat = serial.get(span);
    if (repeat) notes.push(repeat);
    return notes.length > 0 ? notes.join(', ') : undefined;
  };
  const lines = [
    formatTraceHeader(trace, { color }),
    formatTraceTree(trace, {
      color,
      mark,
      ...(options.maxSpans ? { maxSpans: options.maxSpans } : {}),
    }),
  ];
  if (errorOrigin) {
    lines.push(`${c.red('Error origin:')} ${spanName(errorOrigin.origin)}`);
    lines.push(`  ${errorOrigin.because}`);
    lines.push(`  chain: ${errorOrigin.chain.map(spanName).join(' → ')}`);
  }
  for (const group of repeatedSerialCalls) {
    lines.push(
      `${c.yellow('Repeated serial calls:')} ${group.count} × ${spanName(group.spans[0] as Span)} under ${spanName(group.parent)}: ` +
        `${formatDuration(group.wallNs)} wall, ${formatDuration(group.sumNs)} summed, ${plural(group.overlappingPairs, 'overlapping pair')}`,
    );
  }
  return lines.join('\n');
}

function serviceMap(analysis: Analysis, options: AnalysisTextOptions): string {
  const edges = analysis.dependencies.edges;
  if (edges.length === 0) return 'no calls between services or to peers';
  const rows = edges
    .slice(0, limit(options))
    .map((edge) => [
      { text: printable(edge.from) },
      { text: printable(edge.to) },
      { text: describeEdge(edge) },
    ]);
  return withRest(
    formatTable([{ title: 'from' }, { title: 'to' }, { title: 'calls' }], rows, (h) => h),
    edges.length,
    options,
  );
}

function capacity(analysis: Analysis, options: AnalysisTextOptions): string {
  const services = analysis.capacity.services;
  if (services.length === 0) return 'no spans';
  const right = { align: 'right' } as const;
  const rows = services
    .slice(0, limit(options))
    .map((s) => [
      { text: printable(s.service) },
      { text: String(s.spans) },
      { text: s.throughputPerSecond === null ? '–' : `${round(s.throughputPerSecond)}/s` },
      { text: share(s.errorRate) },
      { text: formatDuration(s.totalNs) },
      { text: formatDuration(s.selfNs) },
      { text: share(s.selfShare) },
    ]);
  const table = formatTable(
    [
      { title: 'service' },
      { title: 'spans', ...right },
      { title: 'throughput', ...right },
      { title: 'errors', ...right },
      { title: 'total', ...right },
      { title: 'self', ...right },
      { title: 'self share', ...right },
    ],
    rows,
    (h) => h,
  );
  return withRest(table, services.length, options);
}

function slowTail(analysis: Analysis, options: AnalysisTextOptions): string {
  const tail = analysis.slowTail;
  if (tail.thresholdNs === null || tail.slow.length === 0) return 'no traces';
  const head = `${plural(tail.slow.length, 'trace')} at or above p${round(tail.percentile * 100)} (${formatDuration(tail.thresholdNs)}); their critical path by service:`;
  const rows = tail.services
    .slice(0, limit(options))
    .map((s) => [
      { text: printable(s.service) },
      { text: share(s.share) },
      { text: formatDuration(s.pathNs) },
    ]);
  const table = formatTable(
    [
      { title: 'service' },
      { title: 'share', align: 'right' },
      { title: 'time on path', align: 'right' },
    ],
    rows,
    (h) => h,
  );
  return `${head}\n${withRest(table, tail.services.length, options)}`;
}

function section(title: string, body: string): string {
  return `${title}\n${body}`;
}

function limit(options: AnalysisTextOptions): number {
  return options.maxRows && options.maxRows > 0 ? options.maxRows : Number.POSITIVE_INFINITY;
}

function withRest(lines: readonly string[], total: number, options: AnalysisTextOptions): string {
  const shown = lines.length - 1;
  const rest = total - shown;
  return rest > 0 && limit(options) < total
    ? `${lines.join('\n')}\n… and ${plural(rest, 'more row')}`
    : lines.join('\n');
}

/** A share for a table: one decimal, and `<0.1%` rather than a row of zeros. */
function share(fraction: number): string {
  const percent = fraction * 100;
  if (percent > 0 && percent < 0.1) return '<0.1%';
  return `${Number(percent.toFixed(1))}%`;
}

function round(n: number): string {
  return String(Number(n.toPrecision(3)));
}
