export type { TraceFormat } from './format';
export { type LoadOptions, loadTraces, type ParseOptions, parseTraces } from './load';
export type { TraceSource } from './sources';
