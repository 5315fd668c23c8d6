export * from './analyze';
export * from './assert';
export * from './capture';
export * from './errors';
export * from './ingest';
export * from './model';
export * from './query';
export * from './receiver';
export * from './report';
export {
  createReporters,
  formatConsoleReport,
  formatJunitReport,
  type Reporter,
  type ReporterIO,
  type RunReportJson,
  toReportJson,
} from './report/spec';
export {
  type Baseline,
  type BaselineFile,
  createBaseline,
  durationStats,
  evaluateSlo,
  percentile,
  readBaseline,
  writeBaseline,
} from './slo';
export * from './spec';
