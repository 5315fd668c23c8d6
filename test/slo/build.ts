import { expect } from '@jest/globals';
import type { Trace } from '../../src/model';
import { parseSelector } from '../../src/query';
import { type Baseline, type BaselineEntry, baselineOf, type SloContext } from '../../src/slo';
import { BASELINE_UNITS } from '../../src/slo/baseline';
import type { SloResult } from '../../src/spec/result';
import type {
  Comparison,
  GroupKey,
  Metric,
  MetricBudget,
  Severity,
  SloSpec,
  SpecLocation,
} from '../../src/spec/types';
import { type SpanSpec, traceOf } from '../helpers/traces';

export const LOCATION: SpecLocation = { file: 'specs/checkout.yaml', line: 4, column: 5 };

export interface SloInit {
  readonly name?: string;
  readonly select?: string;
  readonly budgets?: readonly MetricBudget[];
  readonly minSamples?: number;
  readonly severity?: Severity;
  readonly groupBy?: readonly string[];
}

/** An SLO as the spec loader would hand it over. */
export function sloOf(init: SloInit = {}): SloSpec {
  return {
    name: init.name ?? 'payment latency',
    select: parseSelector(init.select ?? '{ name = "pay" }'),
    budgets: init.budgets ?? [],
    minSamples: init.minSamples ?? 1,
    severity: init.severity ?? 'fail',
    groupBy: (init.groupBy ?? []).map((text): GroupKey => ({ text })),
    location: LOCATION,
  };
}

/** A budget of one or more bounds: `budget('p95', ['<=', 300e6])`. */
export function budget(metric: Metric, ...bounds: (readonly [Comparison, number])[]): MetricBudget {
  return {
    metric,
    bounds: bounds.map(([op, value]) => ({ op, value, text: `${op}${value}` })),
    regression: undefined,
    location: LOCATION,
  };
}

/** A regression budget: `allowed` is a fraction (10% is 0.1). */
export function regression(
  metric: Metric,
  allowed: number,
  withoutBaseline: 'fail' | 'pass' = 'fail',
): MetricBudget {
  return {
    metric,
    bounds: [],
    regression: { allowed, text: `${allowed * 100}%`, withoutBaseline },
    location: LOCATION,
  };
}

let traceCount = 0;

/** A fresh 32-hex-digit trace id, so that traces of one test never share one. */
export function nextTraceId(): string {
  traceCount++;
  return traceCount.toString(16).padStart(32, '0');
}

/**
 * One trace per duration, each a single span (named `pay` unless `span` says otherwise)
 * lasting that many milliseconds, the traces one after another from the builder's epoch.
 */
export function samples(durationsMs: readonly number[], span: Partial<SpanSpec> = {}): Trace[] {
  return durationsMs.map((ms, i) =>
    traceOf(
      [{ id: '1', name: 'pay', ...span, start: i * 1000, end: i * 1000 + ms }],
      nextTraceId(),
    ),
  );
}

/** Traces of one span each, as given. */
export function tracesOf(spans: readonly Omit<SpanSpec, 'id'>[]): Trace[] {
  return spans.map((span) => traceOf([{ id: '1', ...span }], nextTraceId()));
}

export const TEN_SECONDS = { startNs: 0n, endNs: 10_000_000_000n };

export function contextOf(init: Partial<SloContext> = {}): SloContext {
  return { specName: 'checkout', window: TEN_SECONDS, baseline: undefined, ...init };
}

/** A baseline holding `entries` for SLO `slo` of spec `checkout`. */
export function baselineWith(
  entries: readonly BaselineEntry[],
  slo = 'payment latency',
  source = 'baseline.json',
): Baseline {
  return baselineOf(
    {
      tracespec: 'baseline',
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      units: BASELINE_UNITS,
      specs: { checkout: { [slo]: entries } },
    },
    source,
  );
}

/** The one group of an SLO without group_by. */
export function onlyGroup(result: SloResult): SloResult['groups'][number] {
  expect(result.groups).toHaveLength(1);
  return result.groups[0] as SloResult['groups'][number];
}
