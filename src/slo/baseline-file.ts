import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError } from '../errors';
import { lineAndColumn, locateJsonError } from '../ingest/json-error';
import { didYouMean, nearest } from '../query/errors';
import { METRICS, type Metric } from '../spec/types';
import {
  BASELINE_UNITS,
  BASELINE_VERSION,
  type Baseline,
  type BaselineEntry,
  type BaselineFile,
  baselineOf,
  setOwn,
} from './baseline';

const WRITTEN_BY = 'baselines are written by --save-baseline';

/**
 * Read a baseline file written by {@link writeBaseline}. Throws an {@link InputError}
 * naming the file and the fix when it is missing, not JSON, not a baseline, from a newer
 * tracespec, malformed, or holds no SLO values at all (a baseline that compares nothing
 * would let every regression budget through unnoticed).
 */
export async function readBaseline(path: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError({ file: path }, readProblem(error), { cause: error });
  }
  return parseBaseline(text, path);
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return 'the baseline file does not exist; create one with --save-baseline (run the specs on the version to compare with), or leave out --baseline';
  }
  if (code === 'EISDIR') return 'is a folder; --baseline takes a baseline file';
  return `cannot read the baseline file: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Write a baseline as indented JSON, creating its folder. The file is written whole and then
 * renamed into place, so that a run killed halfway leaves the previous baseline intact.
 */
export async function writeBaseline(path: string, file: BaselineFile): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, 'utf8');
    await rename(temporary, path);
  } catch (error) {
    // Best effort: the folder may be what failed, and the write error is the one to report.
    await rm(temporary, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError({ file: path }, `cannot write the baseline file: ${reason}`, {
      cause: error,
    });
  }
}

/** A baseline from a file's text; `source` names the file in messages. */
export function parseBaseline(text: string, source: string): Baseline {
  return baselineOf(validateBaseline(text, source), source);
}

/** The content of a baseline file, checked field by field. */
export function validateBaseline(text: string, source: string): BaselineFile {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const fail = (reason: string, path?: string): never => {
    throw new InputError({ file: source, path }, reason);
  };
  if (content.trim() === '') {
    fail(`the baseline file is empty; save it again with --save-baseline`);
  }
  let root: unknown;
  try {
    root = JSON.parse(content);
  } catch (error) {
    const spot = locateJsonError(content, error);
    const { line, column } = lineAndColumn(content, spot.offset);
    throw new InputError(
      { file: source, line, column },
      spot.truncated
        ? 'the baseline file ends in the middle of a value: it was cut off while being written; save it again with --save-baseline'
        : `not valid JSON (${spot.reason.trim()}); ${WRITTEN_BY}, and a file edited by hand must stay valid JSON`,
      { cause: error },
    );
  }
  if (!isObject(root)) {
    return fail(
      `not a tracespec baseline: the file holds ${describe(root)}, not an object; ${WRITTEN_BY}`,
    );
  }
  if (root.tracespec !== 'baseline') {
    const traces = ['resourceSpans', 'batches', 'data', 'traceID', 'spans'].some((k) => k in root);
    return fail(
      traces
        ? `this is a trace file, not a baseline; --baseline takes a file written by --save-baseline`
        : `not a tracespec baseline: it has no "tracespec": "baseline" field; ${WRITTEN_BY}`,
    );
  }
  checkVersion(root.version, fail);
  if (typeof root.createdAt !== 'string' || Number.isNaN(Date.parse(root.createdAt))) {
    fail(`createdAt must be an ISO 8601 date, not ${describe(root.createdAt)}`, 'createdAt');
  }
  checkUnits(root.units, fail);
  const specs = readSpecs(root.specs, fail);
  return {
    tracespec: 'baseline',
    version: BASELINE_VERSION,
    createdAt: root.createdAt as string,
    units: BASELINE_UNITS,
    specs,
  };
}

type Fail = (reason: string, path?: string) => never;

function checkVersion(version: unknown, fail: Fail): void {
  if (version === BASELINE_VERSION) return;
  if (typeof version === 'number' && Number.isInteger(version) && version > BASELINE_VERSION) {
    fail(
      `written by a newer tracespec (baseline version ${version}; this tracespec reads version ${BASELINE_VERSION}); upgrade tracespec, or save a new baseline with this one (--save-baseline)`,
      'version',
    );
  }
  fail(
    `unknown baseline version ${describe(version)} (this tracespec reads version ${BASELINE_VERSION}); ${WRITTEN_BY}`,
    'version',
  );
}

// Units are checked so that a hand-edited or foreign file in milliseconds cannot be compared
// with nanoseconds: every duration would look a million times faster.
function checkUnits(units: unknown, fail: Fail): void {
  if (!isObject(units)) {
    fail(`units must be an object giving the unit of each metric, not ${describe(units)}`, 'units');
  }
  for (const metric of METRICS) {
    const unit = (units as Record<string, unknown>)[metric];
    if (unit !== BASELINE_UNITS[metric]) {
      fail(
        `the unit of ${metric} is ${unit === undefined ? 'missing' : describe(unit)}, but tracespec stores ${metric} in "${BASELINE_UNITS[metric]}"; ${WRITTEN_BY}`,
        `units.${metric}`,
      );
    }
  }
}

function readSpecs(specs: unknown, fail: Fail): BaselineFile['specs'] {
  if (!isObject(specs)) {
    fail(`specs must be an object of spec names, not ${describe(specs)}`, 'specs');
  }
  const out: Record<string, Record<string, BaselineEntry[]>> = {};
  let entries = 0;
  for (const [spec, slos] of Object.entries(specs as Record<string, unknown>)) {
    const specPath = `specs[${JSON.stringify(spec)}]`;
    if (!isObject(slos)) fail(`must be an object of SLO names, not ${describe(slos)}`, specPath);
    const bySlo: Record<string, BaselineEntry[]> = {};
    for (const [slo, groups] of Object.entries(slos as Record<string, unknown>)) {
      const sloPath = `${specPath}[${JSON.stringify(slo)}]`;
      if (!Array.isArray(groups)) {
        fail(`must be an array of groups, not ${describe(groups)}`, sloPath);
      }
      const list = (groups as unknown[]).map((g, i) => readEntry(g, `${sloPath}[${i}]`, fail));
      const seen = new Set<string>();
      list.forEach((entry, i) => {
        const id = JSON.stringify(entry.key);
        if (seen.has(id)) fail(`a second group with key ${id}`, `${sloPath}[${i}].key`);
        seen.add(id);
      });
      entries += list.length;
      setOwn(bySlo, slo, list);
    }
    setOwn(out, spec, bySlo);
  }
  if (entries === 0) {
    fail(
      `the baseline holds no SLO values, so a regression budget would have nothing to compare with; save it from a run of specs that have SLOs (--save-baseline)`,
      'specs',
    );
  }
  return out;
}

function readEntry(entry: unknown, path: string, fail: Fail): BaselineEntry {
  if (!isObject(entry)) fail(`a group must be an object, not ${describe(entry)}`, path);
  const { key, samples, values } = entry as Record<string, unknown>;
  if (!Array.isArray(key) || !key.every((k) => typeof k === 'string')) {
    fail(
      `key must be an array of strings (the group_by values), not ${describe(key)}`,
      `${path}.key`,
    );
  }
  if (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 0) {
    fail(`samples must be a count of spans, not ${describe(samples)}`, `${path}.samples`);
  }
  if (!isObject(values)) {
    fail(`values must be an object of metrics, not ${describe(values)}`, `${path}.values`);
  }
  const out: Partial<Record<Metric, number>> = {};
  for (const [metric, value] of Object.entries(values as Record<string, unknown>)) {
    if (!(METRICS as readonly string[]).includes(metric)) {
      fail(
        `unknown metric "${metric}"${didYouMean(nearest(metric, METRICS)) || '.'} Metrics are ${METRICS.join(', ')}`,
        `${path}.values`,
      );
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      fail(`must be a finite number, not ${describe(value)}`, `${path}.values.${metric}`);
    }
    out[metric as Metric] = value as number;
  }
  return { key: key as string[], samples: samples as number, values: out };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}
