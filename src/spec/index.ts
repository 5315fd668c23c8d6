/**
 * YAML trace specs: read and validate them (`loadSpec`, `loadSpecs`), and run them over
 * traces (`runSpecs`, `runSpec`). The JSON Schema in specs/tracespec.schema.json is the
 * source of truth for the format.
 */

export { type LoadSpecOptions, loadSpec, loadSpecs } from './load';
export type * from './result';
export { type RunOptions, runSpec, runSpecs } from './run';
export { SCHEMA_PATH, SpecError } from './schema';
export type * from './types';
