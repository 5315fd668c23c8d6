/**
 * Baselines: the SLO values of an earlier run, which regression budgets compare with.
 *
 * A baseline file is JSON, written by `--save-baseline` and read by `--baseline`:
 *
 * ```json
 * {
 *   "tracespec": "baseline",
 *   "version": 1,
 *   "createdAt": "2026-03-01T12:00:00.000Z",
 *   "units": { "p50": "ns", ..., "avg": "ns", "error_rate": "fraction", "count": "spans", "rate": "spans/s" },
 *   "specs": {
 *     "checkout": {
 *       "payment gateway under 300ms": [
 *         { "key": [], "samples": 1200, "values": { "p50": 81250000, "p95": 212000000, "error_rate": 0.004, ... } }
 *       ],
 *       "latency by service": [
 *         { "key": ["inventory"], "samples": 800, "values": { ... } },
 *         { "key": ["payments"], "samples": 400, "values": { ... } }
 *       ]
 *     }
 *   }
 * }
 * ```
 *
 * Specs and SLOs are keyed by name; `key` holds the `group_by` values of a group (empty
 * without `group_by`). Values are in canonical units: durations in nanoseconds, error_rate
 * a fraction, count in spans, rate in spans per second. A value that could not be measured
 * (no samples, no time window) is left out, since JSON has no NaN.
 */

import { InputError } from '../errors';
import type { SpecResult } from '../spec/result';
import { METRICS, type Metric } from '../spec/types';

export const BASELINE_VERSION = 1;

/** The unit each stored value is in. */
export const BASELINE_UNITS: Readonly<Record<Metric, string>> = {
  p50: 'ns',
  p90: 'ns',
  p95: 'ns',
  p99: 'ns',
  p999: 'ns',
  min: 'ns',
  max: 'ns',
  avg: 'ns',
  error_rate: 'fraction',
  count: 'spans',
  rate: 'spans/s',
};

/** One SLO group as a baseline stores it. */
export interface BaselineEntry {
  /** The `group_by` values; empty without `group_by`. */
  readonly key: readonly string[];
  readonly samples: number;
  /** Every metric that was measured (not NaN), in {@link BASELINE_UNITS}. */
  readonly values: Readonly<Partial<Record<Metric, number>>>;
}

/** A baseline file's content. */
export interface BaselineFile {
  readonly tracespec: 'baseline';
  readonly version: typeof BASELINE_VERSION;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly units: Readonly<Record<Metric, string>>;
  /** Spec name → SLO name → one entry per group. */
  readonly specs: Readonly<Record<string, Readonly<Record<string, readonly BaselineEntry[]>>>>;
}

/** A baseline ready for look-ups. */
export interface Baseline {
  /** Where it came from (a file path), for messages. */
  readonly source: string;
  /** The stored value of one metric of one SLO group; undefined when there is none. */
  lookup(spec: string, slo: string, key: readonly string[], metric: Metric): number | undefined;
  /**
   * Why {@link lookup} found nothing, naming the part that is missing: the spec, the SLO,
   * the group, or the value.
   */
  explainMissing(spec: string, slo: string, key: readonly string[], metric: Metric): string;
}

/**
 * A baseline of every SLO group in `specs`: all measured values and the sample count.
 * Throws an {@link InputError} when two specs, or two SLOs of one spec, share a name:
 * the baseline could not tell them apart.
 */
export function createBaseline(
  specs: readonly SpecResult[],
  createdAt: Date = new Date(),
): BaselineFile {
  const out: Record<string, Record<string, BaselineEntry[]>> = {};
  const fileOf = new Map<string, string>();
  for (const spec of specs) {
    const other = fileOf.get(spec.name);
    if (other !== undefined) {
      throw new InputError(
        { file: spec.file },
        `spec "${spec.name}" has the same name as the spec in ${other}; a baseline stores SLOs by spec name, so give each spec its own name`,
      );
    }
    fileOf.set(spec.name, spec.file);
    const slos: Record<string, BaselineEntry[]> = {};
    for (const slo of spec.slos) {
      if (Object.hasOwn(slos, slo.name)) {
        throw new InputError(
          slo.location,
          `two SLOs of spec "${spec.name}" are named "${slo.name}"; a baseline stores SLOs by name, so give each its own`,
        );
      }
      setOwn(
        slos,
        slo.name,
        slo.groups.map((group) => ({
          key: [...group.key],
          samples: group.samples,
          values: measuredValues(group.measured),
        })),
      );
    }
    setOwn(out, spec.name, slos);
  }
  return {
    tracespec: 'baseline',
    version: BASELINE_VERSION,
    createdAt: createdAt.toISOString(),
    units: BASELINE_UNITS,
    specs: out,
  };
}

/** `record[key] = value`, as an own property even for a name such as "__proto__". @internal */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function measuredValues(
  measured: Readonly<Record<Metric, number>>,
): Partial<Record<Metric, number>> {
  const values: Partial<Record<Metric, number>> = {};
  for (const metric of METRICS) {
    const value = measured[metric];
    if (Number.isFinite(value)) values[metric] = value;
  }
  return values;
}

/** Look-ups over a baseline file's content (already validated). */
export function baselineOf(file: BaselineFile, source = 'the baseline'): Baseline {
  return new IndexedBaseline(file, source);
}

type Groups = Map<string, BaselineEntry>;

class IndexedBaseline implements Baseline {
  readonly source: string;
  readonly #specs = new Map<string, Map<string, Groups>>();

  constructor(file: BaselineFile, source: string) {
    this.source = source;
    for (const [spec, slos] of Object.entries(file.specs)) {
      const bySlo = new Map<string, Groups>();
      for (const [slo, entries] of Object.entries(slos)) {
        bySlo.set(slo, new Map(entries.map((entry) => [keyId(entry.key), entry])));
      }
      this.#specs.set(spec, bySlo);
    }
  }

  lookup(spec: string, slo: string, key: readonly string[], metric: Metric): number | undefined {
    return this.#specs.get(spec)?.get(slo)?.get(keyId(key))?.values[metric];
  }

  explainMissing(spec: string, slo: string, key: readonly string[], metric: Metric): string {
    const slos = this.#specs.get(spec);
    if (!slos) {
      return `${this.source} has no spec "${spec}" (${names('spec', [...this.#specs.keys()])})`;
    }
    const groups = slos.get(slo);
    if (!groups) {
      return `${this.source} has no SLO "${slo}" in spec "${spec}" (${names('SLO', [...slos.keys()])})`;
    }
    const entry = groups.get(keyId(key));
    if (!entry) {
      const keys = [...groups.values()].map((e) => groupName(e.key));
      return `${this.source} has no group ${groupName(key)} for SLO "${slo}" of spec "${spec}" (${names('group', keys, false)})`;
    }
    const where = key.length === 0 ? '' : ` group ${groupName(key)}`;
    if (entry.values[metric] !== undefined) return `${this.source} has ${metric} for it`;
    return `${this.source} has no ${metric} for SLO "${slo}"${where} of spec "${spec}": it could not be measured when the baseline was saved (${entry.samples} samples)`;
  }
}

/** One string per distinct key tuple. */
function keyId(key: readonly string[]): string {
  return JSON.stringify(key);
}

/** `[checkout, POST]`; `[]` for the group of an SLO without group_by. */
export function groupName(key: readonly string[]): string {
  return `[${key.join(', ')}]`;
}

const LISTED = 5;

function names(what: string, list: readonly string[], quote = true): string {
  if (list.length === 0) return `it has no ${what}s`;
  const shown = list.slice(0, LISTED).map((n) => (quote ? `"${n}"` : n));
  const more = list.length > LISTED ? ` and ${list.length - LISTED} more` : '';
  return `it has ${shown.join(', ')}${more}`;
}
