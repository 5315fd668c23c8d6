/**
 * The `json` reporter: one document with everything a run found, for dashboards, bots and
 * `jq`. The shape is a public contract: fields are added, never renamed or removed.
 */

import { isDurationMetric } from '../../slo/format';
import type {
  BudgetOutcome,
  CheckFailure,
  CheckResult,
  RunResult,
  SloGroupResult,
  SloResult,
  SpanPointer,
  SpecResult,
  Verdict,
} from '../../spec/result';
import type { SpecLocation } from '../../spec/types';
import { type AssertionKind, METRICS, type Metric, type Severity } from '../../spec/types';

/** The unit of a metric's numbers in the JSON report. */
export type JsonUnit = 'ms' | 'ratio' | 'spans' | 'spans/s';

export interface RunReportJson {
  /** tracespec's version, when known. */
  tracespec?: string;
  verdict: Verdict;
  warnOnly: boolean;
  specs: SpecReportJson[];
}

export interface SpecReportJson {
  name: string;
  file: string;
  sources: string[];
  traces: number;
  spans: number;
  window: WindowJson | null;
  verdict: Verdict;
  slos: SloReportJson[];
  checks: CheckReportJson[];
}

/** Times as RFC 3339 UTC with nanoseconds, and as exact decimal strings of ns since the epoch. */
export interface WindowJson {
  start: string;
  end: string;
  startUnixNano: string;
  endUnixNano: string;
}

export interface LocationJson {
  file: string;
  line: number;
  column: number;
}

export interface SloReportJson {
  name: string;
  selector: string;
  severity: Severity;
  groupBy: string[];
  minSamples: number;
  location: LocationJson;
  verdict: Verdict;
  groups: SloGroupJson[];
}

export interface SloGroupJson {
  /** group_by text → this group's value, in group_by order; `{}` without group_by. */
  key: Record<string, string>;
  samples: number;
  verdict: Verdict;
  tooFewSamples: { needed: number; reason: string } | null;
  budgets: BudgetJson[];
  /** Every metric measured, in the units of {@link metricUnit}; null when not measurable. */
  measured: Record<Metric, number | null>;
  examples: ExampleSpanJson[];
}

export interface BudgetJson {
  metric: Metric;
  /** As written in the spec: `<= 300ms`, `< 1%`, `+10% over baseline`. */
  budget: string;
  measured: number | null;
  unit: JsonUnit;
  baseline: number | null;
  pass: boolean;
  reason: string | null;
}

export interface ExampleSpanJson {
  traceId: string;
  spanId: string;
  name: string;
  service: string;
  durationMs: number;
}

export interface CheckReportJson {
  name: string;
  forEach: string | null;
  severity: Severity;
  assertions: AssertionKind[];
  samples: number;
  minSamples: number;
  tooFewSamples: { needed: number } | null;
  failedScopes: number;
  verdict: Verdict;
  location: LocationJson;
  failures: CheckFailureJson[];
}

export interface CheckFailureJson {
  assertion: AssertionKind;
  message: string;
  /** Null for a failure of the traces as a set (dependency rules, capacity limits). */
  traceId: string | null;
  /** The span `for_each` matched; null when the scope is the whole trace. */
  scopeSpanId: string | null;
  spanIds: string[];
  location: LocationJson;
}

export function metricUnit(metric: Metric): JsonUnit {
  if (isDurationMetric(metric)) return 'ms';
  if (metric === 'error_rate') return 'ratio';
  return metric === 'rate' ? 'spans/s' : 'spans';
}

/** A canonical value (ns, fraction, count, spans/s) in its JSON unit; null for NaN or ±∞. */
export function metricJson(metric: Metric, value: number | undefined): number | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  return isDurationMetric(metric) ? value / 1e6 : value;
}

export function toReportJson(run: RunResult, version?: string): RunReportJson {
  return {
    ...(version === undefined ? {} : { tracespec: version }),
    verdict: run.verdict,
    warnOnly: run.warnOnly,
    specs: run.specs.map(specJson),
  };
}

function specJson(spec: SpecResult): SpecReportJson {
  return {
    name: spec.name,
    file: spec.file,
    sources: [...spec.sources],
    traces: spec.traceCount,
    spans: spec.spanCount,
    window: spec.window
      ? {
          start: isoNano(spec.window.startNs),
          end: isoNano(spec.window.endNs),
          startUnixNano: spec.window.startNs.toString(),
          endUnixNano: spec.window.endNs.toString(),
        }
      : null,
    verdict: spec.verdict,
    slos: spec.slos.map(sloJson),
    checks: spec.checks.map(checkJson),
  };
}

function sloJson(slo: SloResult): SloReportJson {
  return {
    name: slo.name,
    selector: slo.selector,
    severity: slo.severity,
    groupBy: [...slo.groupBy],
    minSamples: slo.minSamples,
    location: locationJson(slo.location),
    verdict: slo.verdict,
    groups: slo.groups.map((group) => groupJson(slo, group)),
  };
}

function groupJson(slo: SloResult, group: SloGroupResult): SloGroupJson {
  const key: Record<string, string> = {};
  group.key.forEach((value, i) => {
    key[slo.groupBy[i] ?? `key${i + 1}`] = value;
  });
  const measured = {} as Record<Metric, number | null>;
  for (const metric of METRICS) measured[metric] = metricJson(metric, group.measured[metric]);
  return {
    key,
    samples: group.samples,
    verdict: group.verdict,
    tooFewSamples: group.tooFewSamples
      ? { needed: group.tooFewSamples.needed, reason: group.tooFewSamples.reason }
      : null,
    budgets: group.budgets.map(budgetJson),
    measured,
    examples: group.examples.map(exampleJson),
  };
}

function budgetJson(outcome: BudgetOutcome): BudgetJson {
  return {
    metric: outcome.metric,
    budget: outcome.budget,
    measured: metricJson(outcome.metric, outcome.measured),
    unit: metricUnit(outcome.metric),
    baseline: metricJson(outcome.metric, outcome.baseline),
    pass: outcome.pass,
    reason: outcome.reason ?? null,
  };
}

function exampleJson(span: SpanPointer): ExampleSpanJson {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    name: span.name,
    service: span.service,
    durationMs: span.durationNs / 1e6,
  };
}

function checkJson(check: CheckResult): CheckReportJson {
  return {
    name: check.name,
    forEach: check.forEach ?? null,
    severity: check.severity,
    assertions: [...check.assertions],
    samples: check.samples,
    minSamples: check.minSamples,
    tooFewSamples: check.tooFewSamples ? { needed: check.tooFewSamples.needed } : null,
    failedScopes: check.failedScopes,
    verdict: check.verdict,
    location: locationJson(check.location),
    failures: check.failures.map(failureJson),
  };
}

function failureJson(failure: CheckFailure): CheckFailureJson {
  return {
    assertion: failure.assertion,
    message: failure.message,
    traceId: failure.trace?.traceId ?? null,
    scopeSpanId: failure.scope?.spanId ?? null,
    spanIds: failure.spans.map((span) => span.spanId),
    location: locationJson(failure.location),
  };
}

function locationJson(loc: SpecLocation): LocationJson {
  return { file: loc.file, line: loc.line, column: loc.column };
}

const NS_PER_MS = 1_000_000n;

/** `2026-01-01T00:00:00.123456789Z`: a Date keeps milliseconds, the nanoseconds are added back. */
export function isoNano(ns: bigint): string {
  // Floor division, so that times before 1970 still get a fraction in [0, 1s).
  let ms = ns / NS_PER_MS;
  if (ns < 0n && ms * NS_PER_MS !== ns) ms -= 1n;
  const date = new Date(Number(ms));
  // Outside years 0–9999 ISO needs an expanded form no reader expects: give the number.
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return ns.toString();
  const second = ms / 1000n - (ms < 0n && ms % 1000n !== 0n ? 1n : 0n);
  const fraction = (ns - second * 1000n * NS_PER_MS).toString().padStart(9, '0');
  return `${date.toISOString().slice(0, 19)}.${fraction}Z`;
}
