import { isAbsolute, resolve } from 'node:path';
import {
  type CapacityRule,
  type DependencyRule,
  normalizeDependencyRules,
  parseTreeExpectation,
  type TreeExpectation,
  TreeSyntaxError,
} from '../assert';
import { InputError } from '../errors';
import type { TraceFormat } from '../ingest';
import { parseSelector, type Selector, SelectorError } from '../query';
import { compileGroupKey } from '../slo';
import { type BudgetUnit, parseBounds, parsePercent, type Side, unitOf } from './budgets';
import { describePath } from './schema';
import type {
  Assertion,
  Bound,
  CheckSpec,
  LiveSpec,
  Metric,
  MetricBudget,
  Regression,
  SloSpec,
  TraceSources,
} from './types';
import { METRICS } from './types';
import type { PathSegment, YamlSource } from './yaml-source';

/** A spec file's own contents, before its includes are merged in. */
export interface SpecParts {
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly include: readonly string[];
  readonly traces: TraceSources | undefined;
  readonly live: LiveSpec | undefined;
  readonly slos: readonly SloSpec[];
  readonly checks: readonly CheckSpec[];
}

type Raw = Readonly<Record<string, unknown>>;

/**
 * Turn a schema-valid spec document into the runner's types: selectors and trees parsed,
 * budgets in canonical units, paths resolved against the spec's folder. The schema has
 * checked shapes; this checks meaning (a selector that does not parse, `min` above `max`)
 * and collects every problem with its location instead of stopping at the first.
 */
export function normalizeSpec(source: YamlSource, dir: string): SpecParts | InputError[] {
  const n = new Normalizer(source, dir);
  const parts = n.spec(source.value as Raw);
  return n.problems.length > 0 ? n.problems : parts;
}

class Normalizer {
  readonly problems: InputError[] = [];
  readonly #source: YamlSource;
  readonly #dir: string;

  constructor(source: YamlSource, dir: string) {
    this.#source = source;
    this.#dir = dir;
  }

  spec(raw: Raw): SpecParts {
    const include = raw.include === undefined ? [] : ([] as string[]).concat(raw.include as string);
    return {
      name: raw.name as string | undefined,
      description: raw.description as string | undefined,
      include: include.map((p) => this.#path(p)),
      traces: raw.traces === undefined ? undefined : this.#traces(raw.traces),
      live: this.#live(raw),
      slos: ((raw.slos as Raw[] | undefined) ?? []).map((slo, i) => this.#slo(slo, ['slos', i])),
      checks: [
        ...((raw.checks as Raw[] | undefined) ?? []).map((c, i) => this.#check(c, ['checks', i])),
        ...(raw.dependencies === undefined ? [] : [this.#dependencies(raw.dependencies as Raw[])]),
        ...(raw.capacity === undefined ? [] : [this.#capacity(raw.capacity as Raw[])]),
      ],
    };
  }

  #traces(raw: unknown): TraceSources {
    const location = this.#source.locate(['traces']);
    if (typeof raw === 'string') return { paths: [this.#path(raw)], format: undefined, location };
    if (Array.isArray(raw))
      return { paths: raw.map((p: string) => this.#path(p)), format: undefined, location };
    const o = raw as Raw;
    const files = o.file !== undefined ? [o.file as string] : (o.files as string[]);
    return {
      paths: files.map((p) => this.#path(p)),
      format: o.format as TraceFormat | undefined,
      location,
    };
  }

  /** `receiver`, `trigger` and `wait`: a spec that drives the system instead of reading files. */
  #live(raw: Raw): LiveSpec | undefined {
    if (raw.trigger === undefined) {
      for (const key of ['receiver', 'wait']) {
        if (raw[key] !== undefined)
          this.#problem([key], `\`${key}\` only means something in a spec with a \`trigger\``);
      }
      return undefined;
    }
    if (raw.traces !== undefined) {
      this.#problem(
        ['traces'],
        'a spec either reads `traces` or drives the system with `trigger`, not both',
      );
    }
    const trigger = raw.trigger as Raw;
    const http = trigger.http as Raw;
    const at: PathSegment[] = ['trigger'];
    const duration = (value: unknown, where: PathSegment[], fallback: number): number => {
      if (value === undefined) return fallback;
      const bounds = this.#bounds(value as string | number, 'duration', 'max', where);
      return bounds[0]?.value ?? fallback;
    };
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((http.headers as Raw | undefined) ?? {})) {
      headers[key.toLowerCase()] = value as string;
    }
    let body: string | undefined;
    if (typeof http.body === 'string') body = http.body;
    else if (http.body !== undefined && http.body !== null) {
      body = JSON.stringify(http.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = (trigger.response as Raw | undefined) ?? {};
    const receiver = (raw.receiver as Raw | undefined) ?? {};
    const wait = (raw.wait as Raw | undefined) ?? {};
    return {
      receiver: {
        host: (receiver.host as string | undefined) ?? '127.0.0.1',
        port: (receiver.port as number | undefined) ?? 4318,
        token: receiver.token as string | undefined,
        out: receiver.out === undefined ? undefined : this.#path(receiver.out as string),
        location: this.#source.locate(
          raw.receiver === undefined ? ['trigger'] : ['receiver'],
          'key',
        ),
      },
      trigger: {
        method: (http.method as string | undefined) ?? 'GET',
        url: http.url as string,
        headers,
        body,
        timeoutMs: duration(http.timeout, [...at, 'http', 'timeout'], 10e9) / 1e6,
        repeat: (trigger.repeat as number | undefined) ?? 1,
        concurrency: (trigger.concurrency as number | undefined) ?? 1,
        response: {
          status:
            response.status === undefined
              ? undefined
              : ([] as number[]).concat(response.status as number),
          latency:
            response.latency === undefined
              ? []
              : this.#bounds(response.latency as string | number, 'duration', 'any', [
                  ...at,
                  'response',
                  'latency',
                ]),
          bodyContains: response.body_contains as string | undefined,
        },
        location: this.#source.locate(at, 'key'),
      },
      wait: {
        quietMs: duration(wait.quiet, ['wait', 'quiet'], 500e6) / 1e6,
        timeoutMs: duration(wait.timeout, ['wait', 'timeout'], 10e9) / 1e6,
      },
    };
  }

  #path(p: string): string {
    return isAbsolute(p) ? p : resolve(this.#dir, p);
  }

  #slo(raw: Raw, at: PathSegment[]): SloSpec {
    const select = this.#selector(raw.select as string, [...at, 'select']);
    const budgets: MetricBudget[] = [];
    for (const metric of METRICS) {
      if (raw[metric] !== undefined)
        budgets.push(this.#budget(metric, raw[metric], [...at, metric]));
    }
    const groupBy =
      raw.group_by === undefined ? [] : ([] as string[]).concat(raw.group_by as string);
    groupBy.forEach((text, i) => {
      try {
        compileGroupKey(text);
      } catch (error) {
        const where = Array.isArray(raw.group_by) ? [...at, 'group_by', i] : [...at, 'group_by'];
        this.#fail(where, error);
      }
    });
    return {
      name: (raw.name as string | undefined) ?? select.text,
      select,
      budgets,
      minSamples: (raw.min_samples as number | undefined) ?? 1,
      severity: (raw.severity as 'fail' | 'warn' | undefined) ?? 'fail',
      groupBy: groupBy.map((text) => ({ text })),
      location: this.#source.locate(at),
    };
  }

  #budget(metric: Metric, raw: unknown, at: PathSegment[]): MetricBudget {
    const unit = unitOf(metric);
    const location = this.#source.locate(at);
    if (typeof raw === 'string' || typeof raw === 'number') {
      return {
        metric,
        bounds: this.#bounds(raw, unit, 'any', at),
        regression: undefined,
        location,
      };
    }
    const o = raw as Raw;
    const bounds: Bound[] = [];
    if (o.equals !== undefined) {
      const n = o.equals as number;
      bounds.push({ op: '>=', value: n, text: `>= ${n}` }, { op: '<=', value: n, text: `<= ${n}` });
    }
    for (const side of ['min', 'max'] as const) {
      if (o[side] !== undefined)
        bounds.push(...this.#bounds(o[side] as string | number, unit, side, [...at, side]));
    }
    this.#ordered(bounds, at);
    let regression: Regression | undefined;
    if (o.regression !== undefined) {
      const allowed = parsePercent(o.regression as string | number);
      if (typeof allowed === 'number') {
        regression = {
          allowed,
          text: String(o.regression),
          withoutBaseline: (o.if_no_baseline as 'fail' | 'pass' | undefined) ?? 'fail',
        };
      } else this.#problem([...at, 'regression'], allowed.problem);
    } else if (o.if_no_baseline !== undefined) {
      this.#problem(
        [...at, 'if_no_baseline'],
        '`if_no_baseline` only means something next to `regression`',
      );
    }
    return { metric, bounds, regression, location };
  }

  #bounds(written: string | number, unit: BudgetUnit, side: Side, at: PathSegment[]): Bound[] {
    const parsed = parseBounds(written, unit, side);
    if ('problem' in parsed) {
      this.#problem(at, `${describePath(at)}: ${parsed.problem}`);
      return [];
    }
    return parsed.bounds;
  }

  /** `min: 500ms` with `max: 300ms` can never pass: say so now, not after a CI run. */
  #ordered(bounds: readonly Bound[], at: PathSegment[]): void {
    const lows = bounds.filter((b) => b.op === '>' || b.op === '>=');
    const highs = bounds.filter((b) => b.op === '<' || b.op === '<=');
    for (const low of lows) {
      for (const high of highs) {
        const empty =
          low.value > high.value ||
          (low.value === high.value && (low.op === '>' || high.op === '<'));
        if (empty)
          this.#problem(
            at,
            `${describePath(at)}: no value is ${low.text} and ${high.text} at once`,
          );
      }
    }
  }

  #check(raw: Raw, at: PathSegment[]): CheckSpec {
    const forEach =
      raw.for_each === undefined
        ? undefined
        : this.#selector(raw.for_each as string, [...at, 'for_each']);
    const assertions: Assertion[] = [];
    const loc = (key: string) => this.#source.locate([...at, key], 'key');
    const list = <T>(value: unknown): T[] => ([] as T[]).concat(value as T);

    list<string>(raw.exists ?? []).forEach((sel, i) => {
      const where = Array.isArray(raw.exists) ? [...at, 'exists', i] : [...at, 'exists'];
      assertions.push({
        kind: 'exists',
        select: this.#selector(sel, where),
        location: loc('exists'),
      });
    });
    list<string>(raw.absent ?? []).forEach((sel, i) => {
      const where = Array.isArray(raw.absent) ? [...at, 'absent', i] : [...at, 'absent'];
      assertions.push({
        kind: 'absent',
        select: this.#selector(sel, where),
        location: loc('absent'),
      });
    });
    list<Raw>(raw.count ?? []).forEach((c, i) => {
      const where = Array.isArray(raw.count) ? [...at, 'count', i] : [...at, 'count'];
      const equals = c.equals as number | undefined;
      const min = equals ?? (c.min as number | undefined) ?? 0;
      const max = equals ?? (c.max as number | undefined) ?? Number.POSITIVE_INFINITY;
      if (equals !== undefined && (c.min !== undefined || c.max !== undefined)) {
        this.#problem(
          where,
          `${describePath(where)}: \`equals\` already fixes the count; drop \`min\`/\`max\``,
        );
      } else if (min > max) {
        this.#problem(where, `${describePath(where)}: \`min\` (${min}) is above \`max\` (${max})`);
      }
      assertions.push({
        kind: 'count',
        select: this.#selector(c.select as string, [...where, 'select']),
        min,
        max,
        location: this.#source.locate(where),
      });
    });
    if (raw.tree !== undefined) assertions.push(this.#tree(raw.tree, [...at, 'tree']));
    if (raw.duration !== undefined) {
      const d = raw.duration;
      const where = [...at, 'duration'];
      if (typeof d === 'string' || typeof d === 'number') {
        assertions.push({
          kind: 'duration',
          select: undefined,
          bounds: this.#bounds(d, 'duration', 'any', where),
          location: loc('duration'),
        });
      } else {
        const o = d as Raw;
        const bounds: Bound[] = [];
        for (const side of ['min', 'max'] as const) {
          if (o[side] !== undefined)
            bounds.push(
              ...this.#bounds(o[side] as string | number, 'duration', side, [...where, side]),
            );
        }
        this.#ordered(bounds, where);
        assertions.push({
          kind: 'duration',
          select:
            o.select === undefined
              ? undefined
              : this.#selector(o.select as string, [...where, 'select']),
          bounds,
          location: loc('duration'),
        });
      }
    }
    if (raw.attributes !== undefined) {
      const o = raw.attributes as Raw;
      assertions.push({
        kind: 'attributes',
        select:
          o.select === undefined
            ? undefined
            : this.#selector(o.select as string, [...at, 'attributes', 'select']),
        expected: o.values as Raw,
        location: loc('attributes'),
      });
    }
    if (raw.no_errors !== undefined) {
      const ignore = raw.no_errors === true ? undefined : (raw.no_errors as Raw).ignore;
      assertions.push({
        kind: 'no_errors',
        ignore:
          ignore === undefined
            ? undefined
            : this.#selector(ignore as string, [...at, 'no_errors', 'ignore']),
        location: loc('no_errors'),
      });
    }
    if (raw.critical_path !== undefined) {
      assertions.push({
        kind: 'critical_path',
        select: this.#selector(raw.critical_path as string, [...at, 'critical_path']),
        location: loc('critical_path'),
      });
    }
    if (raw.self_time !== undefined) {
      const o = raw.self_time as Raw;
      const where = [...at, 'self_time'];
      const bounds = this.#bounds(o.max as string | number, 'duration', 'max', [...where, 'max']);
      // Durations are whole nanoseconds, so `< X` is exactly `<= X - 1ns`.
      const bound = bounds[0];
      const maxNs = bound === undefined ? 0 : bound.op === '<' ? bound.value - 1 : bound.value;
      if (bounds.length > 1) {
        this.#problem(
          [...where, 'max'],
          `${describePath([...where, 'max'])}: give one upper bound`,
        );
      }
      assertions.push({
        kind: 'self_time',
        maxNs,
        by: (o.by as 'service' | 'span' | undefined) ?? 'service',
        select:
          o.select === undefined
            ? undefined
            : this.#selector(o.select as string, [...where, 'select']),
        location: loc('self_time'),
      });
    }
    if (raw.no_repeated_serial_calls !== undefined) {
      const o = raw.no_repeated_serial_calls === true ? {} : (raw.no_repeated_serial_calls as Raw);
      const where = [...at, 'no_repeated_serial_calls'];
      assertions.push({
        kind: 'no_repeated_serial_calls',
        minCount: o.min_count as number | undefined,
        select:
          o.select === undefined
            ? undefined
            : this.#selector(o.select as string, [...where, 'select']),
        ignore:
          o.ignore === undefined
            ? undefined
            : this.#selector(o.ignore as string, [...where, 'ignore']),
        location: loc('no_repeated_serial_calls'),
      });
    }
    if (raw.error_origin !== undefined) {
      assertions.push({
        kind: 'error_origin',
        select: this.#selector(raw.error_origin as string, [...at, 'error_origin']),
        location: loc('error_origin'),
      });
    }
    return {
      name: (raw.name as string | undefined) ?? `${at[0]}[${at[1]}]`,
      scope: 'trace',
      forEach,
      assertions,
      minSamples: (raw.min_samples as number | undefined) ?? 1,
      severity: (raw.severity as 'fail' | 'warn' | undefined) ?? 'fail',
      location: this.#source.locate(at),
    };
  }

  /** The spec's `dependencies` rules: one check over every trace at once. */
  #dependencies(raw: readonly Raw[]): CheckSpec {
    const rules: DependencyRule[] = [];
    raw.forEach((rule, i) => {
      // The YAML spells keys as the rest of the spec does; the check takes camelCase.
      const { allow_from, deny_from, ...rest } = rule;
      const input = {
        ...rest,
        ...(allow_from !== undefined ? { allowFrom: allow_from } : {}),
        ...(deny_from !== undefined ? { denyFrom: deny_from } : {}),
      };
      try {
        rules.push(...normalizeDependencyRules([input]));
      } catch (error) {
        this.#fail(['dependencies', i], error);
      }
    });
    const location = this.#source.locate(['dependencies'], 'key');
    return {
      name: 'dependencies',
      scope: 'all',
      forEach: undefined,
      assertions: [{ kind: 'dependencies', rules, location }],
      minSamples: 1,
      severity: 'fail',
      location,
    };
  }

  /** The spec's `capacity` limits: one check over every trace at once. */
  #capacity(raw: readonly Raw[]): CheckSpec {
    const rules = raw.map((rule, i): CapacityRule => {
      const at: PathSegment[] = ['capacity', i];
      const fraction = (key: string) => {
        if (rule[key] === undefined) return undefined;
        const value = parsePercent(rule[key] as string | number);
        if (typeof value === 'number' && value <= 1) return value;
        this.#problem(
          [...at, key],
          `${describePath([...at, key])}: write a percentage such as 80% or a fraction such as 0.8`,
        );
        return undefined;
      };
      const throughput =
        rule.min_throughput === undefined
          ? undefined
          : this.#bounds(rule.min_throughput as string | number, 'rate', 'min', [
              ...at,
              'min_throughput',
            ])[0]?.value;
      const maxSelfShare = fraction('max_self_share');
      const maxErrorRate = fraction('max_error_rate');
      return {
        service: rule.service as string,
        ...(maxSelfShare !== undefined ? { maxSelfShare } : {}),
        ...(maxErrorRate !== undefined ? { maxErrorRate } : {}),
        ...(throughput !== undefined ? { minThroughput: throughput } : {}),
      };
    });
    const location = this.#source.locate(['capacity'], 'key');
    return {
      name: 'capacity',
      scope: 'all',
      forEach: undefined,
      assertions: [{ kind: 'capacity', rules, location }],
      minSamples: 1,
      severity: 'fail',
      location,
    };
  }

  #tree(raw: unknown, at: PathSegment[]): Assertion {
    const o = typeof raw === 'string' ? { expect: raw } : (raw as Raw);
    const where = typeof raw === 'string' ? at : [...at, 'expect'];
    const text = o.expect as string;
    let expectation: TreeExpectation;
    try {
      expectation = parseTreeExpectation(text);
    } catch (error) {
      if (!(error instanceof TreeSyntaxError)) throw error;
      // A block scalar's lines start on the line after `|`, shifted right by its indentation.
      const start = this.#source.contentStart(where);
      const line = start.block ? start.line + error.line - 1 : start.line;
      const column = start.block ? this.#source.indentOf(start.line) + error.column : start.column;
      this.problems.push(
        new InputError({ file: start.file, line, column }, `in the tree: ${error.reason}`),
      );
      // A stand-in so that normalising goes on; the spec is rejected as a whole.
      expectation = parseTreeExpectation('...');
    }
    return {
      kind: 'tree',
      expectation,
      strict: o.strict === true,
      ordered: o.ordered === true,
      location: this.#source.locate(at, 'key'),
    };
  }

  #selector(text: string, at: PathSegment[]): Selector {
    try {
      return parseSelector(text);
    } catch (error) {
      this.#fail(at, error);
      // A stand-in so that normalising goes on and reports every problem in one run;
      // the spec is rejected as a whole, so it never selects anything.
      return parseSelector('{ false }');
    }
  }

  #fail(at: PathSegment[], error: unknown): void {
    if (error instanceof SelectorError) {
      const where =
        error.offset >= 0 ? this.#source.locateInString(at, error.offset) : this.#source.locate(at);
      this.problems.push(new InputError(where, `${describePath(at)}: ${error.reason}`));
    } else if (error instanceof InputError) {
      this.#problem(at, `${describePath(at)}: ${error.reason}`);
    } else {
      throw error;
    }
  }

  #problem(at: PathSegment[], reason: string): void {
    this.problems.push(new InputError(this.#source.locate(at), reason));
  }
}
