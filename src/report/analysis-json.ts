import {
  type Analysis,
  type DependencyMapJson,
  dependencyMapJson,
  type RepeatedCallsSummary,
  summarizeRepeatedCalls,
} from '../analyze';
import type { Span } from '../model';

/** A span as the analysis JSON names it. */
export interface SpanNameJson {
  readonly spanId: string;
  readonly service: string;
  readonly name: string;
}

/**
 * What `tracespec analyze --json` prints. Times are milliseconds (fractional), shares and
 * rates fractions from 0 to 1. Fields are only ever added.
 */
export interface AnalysisJson {
  readonly traces: readonly {
    readonly traceId: string;
    readonly rootSpanId: string;
    readonly name: string;
    readonly service: string;
    readonly durationMs: number;
    /** Span ids on the critical path of the root (the one that ends last), in trace order. */
    readonly criticalPath: readonly string[];
    readonly errorOrigin:
      | (SpanNameJson & {
          /** `only-failure`, `earliest-failure`, `earliest-unhandled-failure`, `timeout-masked`. */
          readonly rule: string;
          /** Why this span, in one sentence. */
          readonly because: string;
          /** For `timeout-masked`: the span that gave up waiting. */
          readonly timedOut: SpanNameJson | null;
        })
      | null;
    /** The origin, then each ancestor up to the root; empty without a failure. */
    readonly errorChain: readonly SpanNameJson[];
    readonly repeatedSerialCalls: readonly RepeatedCallsSummary[];
  }[];
  readonly services: readonly ServiceJson[];
  readonly operations: readonly (ServiceJson & { readonly name: string })[];
  readonly nodes: DependencyMapJson['nodes'];
  readonly edges: DependencyMapJson['edges'];
  readonly slowTail: {
    readonly percentile: number;
    readonly thresholdMs: number | null;
    readonly traces: number;
    readonly services: readonly { service: string; share: number; pathMs: number }[];
    readonly operations: readonly {
      service: string;
      name: string;
      share: number;
      pathMs: number;
    }[];
  };
}

export interface ServiceJson {
  readonly service: string;
  readonly spans: number;
  readonly errors: number;
  readonly errorRate: number;
  /** Null when the traces cover no time. */
  readonly throughputPerSecond: number | null;
  readonly totalMs: number;
  readonly selfMs: number;
  readonly selfShare: number;
}

const ms = (ns: number): number => ns / 1e6;

function named(span: Span): SpanNameJson {
  return { spanId: span.spanId, service: span.service, name: span.name };
}

export function analysisToJson(analysis: Analysis): AnalysisJson {
  const capacityRow = (row: Analysis['capacity']['services'][number]): ServiceJson => ({
    service: row.service,
    spans: row.spans,
    errors: row.errors,
    errorRate: row.errorRate,
    throughputPerSecond: row.throughputPerSecond,
    totalMs: ms(row.totalNs),
    selfMs: ms(row.selfNs),
    selfShare: row.selfShare,
  });
  const graph = dependencyMapJson(analysis.dependencies);
  const tail = analysis.slowTail;
  return {
    traces: analysis.traces.map(({ trace, criticalPath, errorOrigin, repeatedSerialCalls }) => ({
      traceId: trace.traceId,
      rootSpanId: criticalPath.root.spanId,
      name: criticalPath.root.name,
      service: criticalPath.root.service,
      durationMs: ms(trace.durationNs),
      criticalPath: criticalPath.spans.map((s) => s.spanId),
      errorOrigin: errorOrigin
        ? {
            ...named(errorOrigin.origin),
            rule: errorOrigin.rule,
            because: errorOrigin.because,
            timedOut: errorOrigin.timeout ? named(errorOrigin.timeout.span) : null,
          }
        : null,
      errorChain: errorOrigin ? errorOrigin.chain.map(named) : [],
      repeatedSerialCalls: repeatedSerialCalls.map(summarizeRepeatedCalls),
    })),
    services: analysis.capacity.services.map(capacityRow),
    operations: analysis.capacity.operations.map((row) => ({
      ...capacityRow(row),
      name: row.name,
    })),
    nodes: graph.nodes,
    edges: graph.edges,
    slowTail: {
      percentile: tail.percentile,
      thresholdMs: tail.thresholdNs === null ? null : ms(tail.thresholdNs),
      traces: tail.slow.length,
      services: tail.services.map((s) => ({
        service: s.service,
        share: s.share,
        pathMs: ms(s.pathNs),
      })),
      operations: tail.operations.map((o) => ({
        service: o.service,
        name: o.name,
        share: o.share,
        pathMs: ms(o.pathNs),
      })),
    },
  };
}
