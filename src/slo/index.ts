/**
 * Service-level objectives over many traces: exact percentiles, budgets per group, and
 * baselines that regression budgets compare with. Pure but for reading and writing
 * baseline files.
 */

export {
  BASELINE_UNITS,
  BASELINE_VERSION,
  type Baseline,
  type BaselineEntry,
  type BaselineFile,
  baselineOf,
  createBaseline,
} from './baseline';
export { parseBaseline, readBaseline, writeBaseline } from './baseline-file';
export { evaluateSlo, type SloContext } from './evaluate';
export { MAX_EXAMPLES } from './examples';
export { formatMetric } from './format';
export { compileGroupKey, type GroupKeyFn, NO_VALUE } from './group-key';
export { measure, type TimeWindow, windowSeconds } from './measure';
export { durationStats, exactSum, PERCENTILES, percentile } from './percentile';
