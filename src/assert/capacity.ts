import { type Capacity, measureCapacity, type ServiceCapacity } from '../analyze';
import { InputError } from '../errors';
import { nearest } from '../query/errors';
import { type AssertTarget, CheckTarget } from './target';

/**
 * Limits on one service's share of the work (see `measureCapacity`), or on every service
 * with `service: '*'`. Fractions are 0 to 1 (`0.6` is 60%); throughput is spans per second
 * over the traces' window.
 */
export interface CapacityRule {
  readonly service: string;
  /** Largest share of all self time (time spent in the service's own code). */
  readonly maxSelfShare?: number;
  /** Largest share of the service's spans that failed. */
  readonly maxErrorRate?: number;
  /** Fewest spans per second. */
  readonly minThroughput?: number;
}

export type CapacityLimit = 'maxSelfShare' | 'maxErrorRate' | 'minThroughput';

export interface CapacityViolation {
  readonly service: ServiceCapacity;
  readonly limit: CapacityLimit;
  readonly allowed: number;
  /** NaN when it could not be measured (throughput over a window of no length). */
  readonly measured: number;
}

export interface CapacityRuleResult {
  readonly rule: CapacityRule;
  readonly pass: boolean;
  readonly violations: readonly CapacityViolation[];
  /** Set when the rule names a service that has no spans: a typo must not pass. */
  readonly unknown?: { readonly service: string; readonly suggestion: string | undefined };
}

export interface CapacityResult {
  readonly pass: boolean;
  readonly capacity: Capacity;
  readonly rules: readonly CapacityRuleResult[];
}

const LIMITS: readonly CapacityLimit[] = ['maxSelfShare', 'maxErrorRate', 'minThroughput'];

/**
 * Which services dominate the time budget, as limits: `order-service` takes at most 80%
 * of all self time, no service fails more than 1% of its spans, the gateway handles at
 * least 50 spans/s. Malformed rules throw an `InputError`.
 */
export function checkCapacity(
  target: AssertTarget,
  rules: CapacityRule | readonly CapacityRule[],
): CapacityResult {
  const list = validRules(rules);
  const capacity = measureCapacity(CheckTarget.of(target).traces);
  const byName = new Map(capacity.services.map((s) => [s.service, s]));
  const results = list.map((rule): CapacityRuleResult => {
    const services =
      rule.service === '*'
        ? capacity.services
        : [byName.get(rule.service)].filter((s) => s !== undefined);
    if (services.length === 0) {
      return {
        rule,
        pass: false,
        violations: [],
        unknown: { service: rule.service, suggestion: nearest(rule.service, byName.keys()) },
      };
    }
    const violations: CapacityViolation[] = [];
    for (const service of services) {
      for (const limit of LIMITS) {
        const allowed = rule[limit];
        if (allowed === undefined) continue;
        const measured = measuredOf(service, limit);
        const ok = limit === 'minThroughput' ? measured >= allowed : measured <= allowed;
        if (!ok) violations.push({ service, limit, allowed, measured });
      }
    }
    return { rule, pass: violations.length === 0, violations };
  });
  return { pass: results.every((r) => r.pass), capacity, rules: results };
}

function measuredOf(service: ServiceCapacity, limit: CapacityLimit): number {
  if (limit === 'maxSelfShare') return service.selfShare;
  if (limit === 'maxErrorRate') return service.errorRate;
  return service.throughputPerSecond ?? Number.NaN;
}

function validRules(rules: CapacityRule | readonly CapacityRule[]): CapacityRule[] {
  const list = Array.isArray(rules) ? [...rules] : [rules as CapacityRule];
  if (list.length === 0) throw new InputError({}, 'give at least one capacity rule');
  list.forEach((rule, i) => {
    const where = list.length > 1 ? `capacity rule ${i + 1}` : 'the capacity rule';
    if (
      typeof rule !== 'object' ||
      rule === null ||
      typeof rule.service !== 'string' ||
      rule.service === ''
    ) {
      throw new InputError(
        {},
        `${where} needs a \`service\` (a service name, or '*' for every service)`,
      );
    }
    const given = LIMITS.filter((l) => rule[l] !== undefined);
    if (given.length === 0) {
      throw new InputError(
        {},
        `${where} for "${rule.service}" sets no limit: give ${LIMITS.join(', ')}`,
      );
    }
    for (const key of Object.keys(rule)) {
      if (key !== 'service' && !(LIMITS as readonly string[]).includes(key)) {
        throw new InputError(
          {},
          `${where} has an unknown key "${key}"; the keys are service, ${LIMITS.join(', ')}`,
        );
      }
    }
    for (const limit of given) {
      const value = rule[limit] as number;
      const fraction = limit !== 'minThroughput';
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        value < 0 ||
        (fraction && value > 1)
      ) {
        throw new InputError(
          {},
          `${where}: ${limit} must be ${fraction ? 'a fraction from 0 to 1 (0.6 is 60%)' : 'a number of spans per second, at least 0'}, not ${JSON.stringify(value)}`,
        );
      }
    }
  });
  return list;
}

/** The rule's limits in words: `order-service: self share <= 80%, error rate <= 1%`. */
export function describeCapacityRule(rule: CapacityRule): string {
  const parts: string[] = [];
  if (rule.maxSelfShare !== undefined) parts.push(`self share <= ${percent(rule.maxSelfShare)}`);
  if (rule.maxErrorRate !== undefined) parts.push(`error rate <= ${percent(rule.maxErrorRate)}`);
  if (rule.minThroughput !== undefined) parts.push(`throughput >= ${rule.minThroughput}/s`);
  return `${rule.service === '*' ? 'every service' : rule.service}: ${parts.join(', ')}`;
}

/** One violation in words: `order-service: self share 92.4%, over 80%`. */
export function describeCapacityViolation(v: CapacityViolation): string {
  const name = v.service.service;
  if (v.limit === 'minThroughput') {
    return Number.isNaN(v.measured)
      ? `${name}: throughput could not be measured (the traces cover no time)`
      : `${name}: throughput ${round(v.measured)}/s, under ${v.allowed}/s`;
  }
  const what = v.limit === 'maxSelfShare' ? 'self share' : 'error rate';
  return `${name}: ${what} ${percent(v.measured)}, over ${percent(v.allowed)}`;
}

function percent(fraction: number): string {
  return `${round(fraction * 100)}%`;
}

function round(n: number): string {
  return String(Number(n.toPrecision(3)));
}
