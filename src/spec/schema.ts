import { readFileSync } from 'node:fs';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { InputError } from '../errors';
import { packageFile } from '../package-files';
import { didYouMean, listOr, nearest } from '../query/errors';
import type { PathSegment, YamlSource } from './yaml-source';

/** The JSON Schema of spec files, as shipped in the package (`specs/tracespec.schema.json`). */
export const SCHEMA_PATH = packageFile('specs', 'tracespec.schema.json');

type SchemaNode = Readonly<Record<string, unknown>>;

let validators: { spec: ValidateFunction; include: ValidateFunction } | undefined;

function compiled(): { spec: ValidateFunction; include: ValidateFunction } {
  if (validators) return validators;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as SchemaNode & { $id: string };
  // verbose: errors carry their schema node, which holds the valid keys and descriptions the
  // messages quote. strictRequired is off because `anyOf: [{ required: [p50] }, ...]`
  // ("at least one budget") names properties defined beside it, not inside it.
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
  });
  ajv.addSchema(schema);
  validators = {
    spec: ajv.getSchema(schema.$id) as ValidateFunction,
    include: ajv.getSchema(`${schema.$id}#/$defs/document`) as ValidateFunction,
  };
  return validators;
}

/**
 * Check a parsed spec file against the schema. Returns one InputError per problem, located
 * at the line and column of the offending key or value, sorted by position; empty when the
 * file is valid. `include` files are spec fragments: the same keys, none required.
 */
export function schemaProblems(source: YamlSource, kind: 'spec' | 'include'): InputError[] {
  const validate = compiled()[kind];
  if (validate(source.value)) return [];
  const problems = explain(validate.errors ?? [], source);
  return problems.sort(
    (a, b) =>
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      (a.location.column ?? 0) - (b.location.column ?? 0),
  );
}

interface Located {
  readonly error: ErrorObject;
  readonly path: PathSegment[];
}

/**
 * Ajv reports every branch of every `oneOf` that failed; a person needs the one thing to
 * fix at each place. Per instance path, the most specific explanation wins: an unknown key
 * (with the nearest valid one), then a missing key, then a value that is not one of the
 * allowed ones, then "not a valid X" with the schema's own description of X. A place whose
 * value matched a branch's type and failed deeper is explained at the deeper place only.
 */
function explain(errors: readonly ErrorObject[], source: YamlSource): InputError[] {
  const byPath = new Map<string, Located[]>();
  for (const error of errors) {
    const list = byPath.get(error.instancePath) ?? [];
    list.push({ error, path: decodePointer(error.instancePath) });
    byPath.set(error.instancePath, list);
  }
  const out: InputError[] = [];
  for (const [pointer, group] of byPath) {
    const path = group[0]?.path ?? [];
    const unknown = group.filter((g) => g.error.keyword === 'additionalProperties');
    if (unknown.length > 0) {
      for (const g of unknown) out.push(unknownKey(g, source));
      continue;
    }
    const deeper = [...byPath.keys()].some((p) => p.startsWith(`${pointer}/`));
    const missing = group.filter((g) => g.error.keyword === 'required');
    const required = missing.filter((g) => !g.error.schemaPath.includes('/anyOf/'));
    if (required.length > 0) {
      for (const g of required) {
        const name = String(g.error.params.missingProperty);
        out.push(
          new InputError(
            source.locate(path),
            `${describePath(path)} is missing \`${name}\`${hint(g.error.parentSchema, name)}`,
          ),
        );
      }
      continue;
    }
    if (missing.length > 0 && !deeper) {
      const names = missing.map((g) => `\`${String(g.error.params.missingProperty)}\``);
      out.push(
        new InputError(
          source.locate(path),
          `${describePath(path)} needs at least one of ${listOr(names)}`,
        ),
      );
      continue;
    }
    if (deeper) continue;
    out.push(badValue(group, path, source));
  }
  return out;
}

function unknownKey(g: Located, source: YamlSource): InputError {
  const key = String(g.error.params.additionalProperty);
  const properties = (g.error.parentSchema as SchemaNode | undefined)?.properties;
  const valid = properties && typeof properties === 'object' ? Object.keys(properties) : [];
  const suggestion = nearest(key, valid);
  const where = g.path.length === 0 ? 'a spec' : describePath(g.path);
  return new InputError(
    source.locate([...g.path, key], 'key'),
    `unknown key \`${key}\` in ${where}${didYouMean(suggestion)}` +
      (suggestion === undefined && valid.length > 0 ? ` (valid keys: ${valid.join(', ')})` : ''),
  );
}

function badValue(group: readonly Located[], path: PathSegment[], source: YamlSource): InputError {
  const where = describePath(path);
  const value = group[0]?.error.data;
  const shown = showValue(value);
  const choice = group.find((g) => g.error.keyword === 'enum' || g.error.keyword === 'const');
  if (choice) {
    const allowed = (
      choice.error.keyword === 'enum'
        ? (choice.error.params.allowedValues as unknown[])
        : [choice.error.params.allowedValue]
    ).map((v) => JSON.stringify(v));
    return new InputError(
      source.locate(path),
      `${where} must be ${listOr(allowed)}, not ${shown}${
        typeof value === 'string'
          ? didYouMean(
              nearest(
                value,
                allowed.map((a) => JSON.parse(a) as string),
              ),
            )
          : ''
      }`,
    );
  }
  const types = group.filter((g) => g.error.keyword === 'type');
  if (
    types.length === group.filter((g) => !['oneOf', 'anyOf'].includes(g.error.keyword)).length &&
    types.length > 0
  ) {
    const wanted = [...new Set(types.map((g) => typeName(String(g.error.params.type))))];
    return new InputError(source.locate(path), `${where} must be ${listOr(wanted)}, not ${shown}`);
  }
  const described = group
    .map((g) => (g.error.parentSchema as SchemaNode | undefined)?.description)
    .find((d): d is string => typeof d === 'string');
  const bound = group.find((g) => BOUND_KEYWORDS.has(g.error.keyword));
  const first = bound
    ? `${where} ${bound.error.message ?? 'is out of range'}, not ${shown}.`
    : `${where}: ${shown} is not valid.`;
  return new InputError(source.locate(path), described ? `${first} ${sentence(described)}` : first);
}

const BOUND_KEYWORDS = new Set(['minimum', 'maximum', 'minLength', 'minItems', 'minProperties']);

function typeName(type: string): string {
  if (type === 'array') return 'a list';
  if (type === 'object') return 'a mapping';
  if (type === 'integer') return 'a whole number';
  if (type === 'boolean') return 'true or false';
  return `a ${type}`;
}

/** `slos[0].p95`, as a person reads the path. */
export function describePath(path: readonly PathSegment[]): string {
  if (path.length === 0) return 'the spec';
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return `\`${out}\``;
}

function hint(schema: unknown, property: string): string {
  const properties = (schema as SchemaNode | undefined)?.properties as SchemaNode | undefined;
  const description = (properties?.[property] as SchemaNode | undefined)?.description;
  return typeof description === 'string' ? ` (${lowerFirst(description.replace(/\.$/, ''))})` : '';
}

function decodePointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(segment) ? Number(segment) : segment;
    });
}

function showValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Thrown for a spec with problems: every problem found, each with its own location. */
export class SpecError extends InputError {
  override readonly name: string = 'SpecError';
  readonly problems: readonly InputError[];

  constructor(problems: readonly InputError[]) {
    const first = problems[0] as InputError;
    super(first.location, first.reason);
    this.problems = problems;
    this.message = problems.map((p) => p.message).join('\n');
  }
}
