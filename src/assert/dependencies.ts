import {
  buildDependencyMap,
  type DependencyEdge,
  type DependencyMap,
  type DependencyNode,
} from '../analyze/dependencies';
import { InputError } from '../errors';
import { nearest } from '../query/errors';
import { type AssertTarget, CheckTarget } from './target';

/**
 * A rule on the dependency map. Names are service names or peer ids as the map has them
 * (`postgresql users-db`), or a peer's name alone (`users-db`, `api.stripe.com`).
 * - `{ from, allow }`: `from` calls nothing but these (an empty list: nothing at all);
 * - `{ from, deny }`: `from` calls none of these;
 * - `{ to, allowFrom }`: nothing but these calls `to`;
 * - `{ to, denyFrom }`: none of these calls `to`.
 */
export type DependencyRule =
  | { readonly from: string; readonly allow: readonly string[] }
  | { readonly from: string; readonly deny: readonly string[] }
  | { readonly to: string; readonly allowFrom: readonly string[] }
  | { readonly to: string; readonly denyFrom: readonly string[] };

/**
 * Rules as `checkDependencies` and `toHaveDependencies` take them: one rule, a list, or
 * the compact form `{ checkout: ['inventory', 'payment'] }`, an allow-list per caller
 * (`{ from: 'checkout', allow: ['inventory', 'payment'] }`).
 */
export type DependencyRules =
  | DependencyRule
  | readonly DependencyRule[]
  | { readonly [caller: string]: readonly string[] };

/** Which part of a rule a name was given as. */
export type RuleRole = 'from' | 'to' | 'allow' | 'deny' | 'allowFrom' | 'denyFrom';

/**
 * A name in a rule that no node of the map has. It fails the rule when the rule would
 * otherwise check nothing: the rule's subject (`from`/`to`), or a listed name close to a
 * name that does appear (a typo). A listed name with nothing close is allowed: a service
 * the traces do not reach (a `deny` of a decommissioned service, an `allow` of a call
 * this test does not make) must not fail the rule.
 */
export interface UnknownName {
  readonly name: string;
  readonly role: RuleRole;
  /** The nearest name in the map, by edit distance. */
  readonly suggestion: string | undefined;
  readonly fatal: boolean;
}

/** An edge that breaks a rule. */
export interface DependencyViolation {
  readonly edge: DependencyEdge;
  /** For `deny`/`denyFrom`: the listed name the edge matched. */
  readonly denied?: string;
}

export interface DependencyRuleResult {
  readonly rule: DependencyRule;
  /** The rule in words: `checkout may call only inventory, payment`. */
  readonly description: string;
  /** No violation and no fatal unknown name. */
  readonly pass: boolean;
  /** The edges that break the rule, in the map's order. */
  readonly violations: readonly DependencyViolation[];
  readonly unknown: readonly UnknownName[];
}

export interface DependenciesResult {
  /** Every rule passed. */
  readonly pass: boolean;
  /** The map the rules were checked on. */
  readonly map: DependencyMap;
  /** One per rule, in the order given. */
  readonly rules: readonly DependencyRuleResult[];
}

/**
 * Check rules on the dependency map of `target` (see `buildDependencyMap`): who may call
 * whom. Each violating edge comes with example spans. A rule whose subject appears nowhere
 * in the traces fails, with the nearest name: `{ from: 'chekout', allow: [] }` must not
 * pass because nothing named `chekout` calls anything. Malformed rules throw an `InputError`.
 */
export function checkDependencies(
  target: AssertTarget,
  rules: DependencyRules,
): DependenciesResult {
  const normalized = normalizeDependencyRules(rules);
  const t = CheckTarget.of(target);
  const map = buildDependencyMap(t.traces);
  const names = new NameIndex(map.nodes);
  const results = normalized.map((rule) => checkRule(rule, map, names));
  return { pass: results.every((r) => r.pass), map, rules: results };
}

function checkRule(
  rule: DependencyRule,
  map: DependencyMap,
  names: NameIndex,
): DependencyRuleResult {
  const unknown: UnknownName[] = [];
  const known = (name: string, role: RuleRole, subject: boolean) => {
    if (names.has(name)) return;
    const suggestion = names.nearest(name);
    unknown.push({ name, role, suggestion, fatal: subject || suggestion !== undefined });
  };
  const violations: DependencyViolation[] = [];
  if ('from' in rule) {
    known(rule.from, 'from', true);
    const list = 'allow' in rule ? rule.allow : rule.deny;
    for (const name of list) known(name, 'allow' in rule ? 'allow' : 'deny', false);
    for (const edge of map.edges) {
      if (!names.matches(rule.from, edge.from)) continue;
      const hit = list.find((name) => names.matches(name, edge.to));
      if ('allow' in rule ? hit === undefined : hit !== undefined) {
        violations.push(hit === undefined ? { edge } : { edge, denied: hit });
      }
    }
  } else {
    known(rule.to, 'to', true);
    const list = 'allowFrom' in rule ? rule.allowFrom : rule.denyFrom;
    for (const name of list) known(name, 'allowFrom' in rule ? 'allowFrom' : 'denyFrom', false);
    for (const edge of map.edges) {
      if (!names.matches(rule.to, edge.to)) continue;
      const hit = list.find((name) => names.matches(name, edge.from));
      if ('allowFrom' in rule ? hit === undefined : hit !== undefined) {
        violations.push(hit === undefined ? { edge } : { edge, denied: hit });
      }
    }
  }
  return {
    rule,
    description: describeDependencyRule(rule),
    pass: violations.length === 0 && !unknown.some((u) => u.fatal),
    violations,
    unknown,
  };
}

/** A name in a rule stands for the nodes whose id or name (a peer without its system) it is. */
class NameIndex {
  readonly #byName = new Map<string, Set<string>>();

  constructor(nodes: readonly DependencyNode[]) {
    for (const node of nodes) {
      this.#add(node.id, node.id);
      this.#add(node.name, node.id);
    }
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Whether `name` (from a rule) stands for the node `id`. */
  matches(name: string, id: string): boolean {
    return this.#byName.get(name)?.has(id) ?? false;
  }

  nearest(name: string): string | undefined {
    return nearest(name, this.#byName.keys());
  }

  #add(name: string, id: string): void {
    const ids = this.#byName.get(name);
    if (ids) ids.add(id);
    else this.#byName.set(name, new Set([id]));
  }
}

/** The rule in words, for messages and reports. */
export function describeDependencyRule(rule: DependencyRule): string {
  const list = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
  if ('allow' in rule) {
    return rule.allow.length === 0
      ? `"${rule.from}" calls nothing`
      : `"${rule.from}" may call only ${list(rule.allow)}`;
  }
  if ('deny' in rule) return `"${rule.from}" must not call ${list(rule.deny)}`;
  if ('allowFrom' in rule) {
    return rule.allowFrom.length === 0
      ? `nothing calls "${rule.to}"`
      : `only ${list(rule.allowFrom)} may call "${rule.to}"`;
  }
  return `${list(rule.denyFrom)} must not call "${rule.to}"`;
}

const RULE_FORMS =
  "{ from, allow: [...] }, { from, deny: [...] }, { to, allowFrom: [...] }, { to, denyFrom: [...] }, or { caller: ['callee', ...] }";

/**
 * Rules in any accepted form (see {@link DependencyRules}) as a list of rules. Throws an
 * `InputError` that names the rule and what is wrong with it, for input from JavaScript
 * callers and from YAML alike.
 */
export function normalizeDependencyRules(input: unknown): DependencyRule[] {
  if (Array.isArray(input)) {
    if (input.length === 0) throw new InputError({}, 'no dependency rules were given');
    return input.map((rule, i) => normalizeRule(rule, `dependency rule [${i}]`));
  }
  if (typeof input !== 'object' || input === null) {
    throw new InputError({}, `dependency rules must be ${RULE_FORMS}; got ${describe(input)}`);
  }
  const record = input as Record<string, unknown>;
  if (typeof record.from === 'string' || typeof record.to === 'string') {
    return [normalizeRule(input, 'the dependency rule')];
  }
  const entries = Object.entries(record);
  if (entries.length === 0) throw new InputError({}, 'no dependency rules were given');
  return entries.map(([from, allow]) => ({
    from,
    allow: names(allow, `the allow-list of "${from}"`),
  }));
}

function normalizeRule(value: unknown, where: string): DependencyRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError({}, `${where} must be one of ${RULE_FORMS}; got ${describe(value)}`);
  }
  const rule = value as Record<string, unknown>;
  const keys = ['from', 'to', 'allow', 'deny', 'allowFrom', 'denyFrom'];
  const extra = Object.keys(rule).filter((k) => !keys.includes(k));
  if (extra.length > 0) {
    const suggestion = nearest(extra[0] as string, keys);
    throw new InputError(
      {},
      `${where} has an unknown key "${extra[0]}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; a rule is one of ${RULE_FORMS}`,
    );
  }
  const present = keys.filter((k) => rule[k] !== undefined);
  const shape = present.join('+');
  const subject = (key: 'from' | 'to'): string => {
    const name = rule[key];
    if (typeof name !== 'string' || name === '') {
      throw new InputError({}, `${where}: "${key}" must be a service name; got ${describe(name)}`);
    }
    return name;
  };
  switch (shape) {
    case 'from+allow':
      return { from: subject('from'), allow: names(rule.allow, `${where}: "allow"`) };
    case 'from+deny':
      return { from: subject('from'), deny: names(rule.deny, `${where}: "deny"`, true) };
    case 'to+allowFrom':
      return { to: subject('to'), allowFrom: names(rule.allowFrom, `${where}: "allowFrom"`) };
    case 'to+denyFrom':
      return {
        to: subject('to'),
        denyFrom: names(rule.denyFrom, `${where}: "denyFrom"`, true),
      };
    default:
      throw new InputError(
        {},
        `${where} has ${present.length === 0 ? 'no keys' : `the keys ${present.map((k) => `"${k}"`).join(', ')}`}; a rule is one of ${RULE_FORMS}`,
      );
  }
}

/** An empty deny-list forbids nothing: a rule that cannot fail is a mistake, not a rule. */
function names(value: unknown, where: string, nonEmpty = false): string[] {
  if (!Array.isArray(value) || value.some((n) => typeof n !== 'string' || n === '')) {
    throw new InputError({}, `${where} must be a list of service names; got ${describe(value)}`);
  }
  if (nonEmpty && value.length === 0) {
    throw new InputError({}, `${where} is empty, so the rule forbids nothing`);
  }
  return value as string[];
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 59)}…` : json;
}
