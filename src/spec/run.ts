import { join, resolve } from 'node:path';
import { InputError } from '../errors';
import { loadTraces, type TraceFormat } from '../ingest';
import type { Trace } from '../model';
import { type Baseline, evaluateSlo } from '../slo';
import { runCheck } from './checks';
import { runLive } from './live';
import type { CheckResult, RunResult, SpecResult, Verdict } from './result';
import type { Spec } from './types';

export interface RunOptions {
  /** Trace files for every spec instead of the specs' own `traces` (relative to `cwd`). */
  readonly traces?: readonly string[];
  readonly format?: TraceFormat;
  /** Relative budgets (`regression:`) compare with this. */
  readonly baseline?: Baseline;
  /** Report failures as warnings: the run's verdict is at worst `warn` (exit code 0). */
  readonly warnOnly?: boolean;
  readonly cwd?: string;
  /**
   * A folder for the traces triggered specs receive: `<spec name>.jsonl` each, OTLP JSON
   * Lines (overrides a spec's `receiver.out`).
   */
  readonly saveTraces?: string;
  /** Told about odd but readable trace input (a file without spans). */
  readonly onWarning?: (message: string) => void;
}

/**
 * Run specs over their traces: every SLO over all selected spans, every check over every
 * trace (or `for_each` scope). Trace files shared by several specs are read once. Throws
 * an InputError when traces cannot be read; a check that fails is a result, not an error.
 */
export async function runSpecs(
  specs: readonly Spec[],
  options: RunOptions = {},
): Promise<RunResult> {
  const cache = new Map<string, Promise<Trace[]>>();
  const results: SpecResult[] = [];
  for (const spec of specs) {
    if (spec.live) {
      const out =
        options.saveTraces === undefined
          ? undefined
          : join(
              resolve(options.cwd ?? process.cwd(), options.saveTraces),
              `${fileName(spec.name)}.jsonl`,
            );
      const live = await runLive(spec.live, spec.file, options.onWarning, out);
      results.push(runSpec(spec, live.traces, [live.source], options.baseline, live.checks));
      continue;
    }
    const { paths, format } = sourcesOf(spec, options);
    const key = JSON.stringify([paths, format]);
    let loading = cache.get(key);
    if (!loading) {
      loading = loadTraces(paths, { format, onWarning: options.onWarning, progress: false });
      cache.set(key, loading);
    }
    results.push(runSpec(spec, await loading, paths, options.baseline));
  }
  const verdict = worst(results.map((r) => r.verdict));
  return {
    specs: results,
    verdict: options.warnOnly && verdict === 'fail' ? 'warn' : verdict,
    warnOnly: options.warnOnly === true,
  };
}

/** Run one spec over traces already loaded. */
export function runSpec(
  spec: Spec,
  traces: readonly Trace[],
  sources: readonly string[] = [],
  baseline?: Baseline,
  /** Checks already run on the traces' way in (a triggered spec's responses), reported first. */
  before: readonly CheckResult[] = [],
): SpecResult {
  const window = windowOf(traces);
  const slos = spec.slos.map((slo) =>
    evaluateSlo(slo, traces, { specName: spec.name, window, baseline }),
  );
  const checks = [...before, ...spec.checks.map((check) => runCheck(check, traces))];
  let spanCount = 0;
  for (const trace of traces) spanCount += trace.spans.length;
  return {
    name: spec.name,
    file: spec.file,
    sources,
    traceCount: traces.length,
    spanCount,
    window,
    slos,
    checks,
    verdict: worst([...slos.map((s) => s.verdict), ...checks.map((c) => c.verdict)]),
  };
}

function sourcesOf(
  spec: Spec,
  options: RunOptions,
): { paths: string[]; format: TraceFormat | undefined } {
  if (options.traces && options.traces.length > 0) {
    const cwd = options.cwd ?? process.cwd();
    return { paths: options.traces.map((p) => resolve(cwd, p)), format: options.format };
  }
  if (!spec.traces) {
    throw new InputError(
      { file: spec.file },
      `spec "${spec.name}" names no traces: add \`traces: { file: 'traces/run.jsonl' }\` to it, or pass --traces`,
    );
  }
  return { paths: [...spec.traces.paths], format: options.format ?? spec.traces.format };
}

function windowOf(traces: readonly Trace[]): SpecResult['window'] {
  let start: bigint | undefined;
  let end: bigint | undefined;
  for (const trace of traces) {
    if (start === undefined || trace.startTimeUnixNano < start) start = trace.startTimeUnixNano;
    if (end === undefined || trace.endTimeUnixNano > end) end = trace.endTimeUnixNano;
  }
  return start === undefined || end === undefined ? undefined : { startNs: start, endNs: end };
}

/** A spec's name as a file name: `checkout (live)` → `checkout-live`. */
function fileName(name: string): string {
  return name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'spec';
}

const RANK: Readonly<Record<Verdict, number>> = { pass: 0, warn: 1, fail: 2 };

export function worst(verdicts: readonly Verdict[]): Verdict {
  let out: Verdict = 'pass';
  for (const v of verdicts) if (RANK[v] > RANK[out]) out = v;
  return out;
}
