import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  visit,
} from 'yaml';
import { InputError } from '../errors';
import { interpolate } from './interpolate';
import type { SpecLocation } from './types';

/** A key of a mapping or an index of a sequence: a JSON Schema instance path, split. */
export type PathSegment = string | number;

/**
 * A spec file parsed as YAML, with `${VAR}` interpolated in every string value, and able to
 * say where any value was written: schema errors, bad selectors and failed checks all point
 * at a line and column of the file, not at a JSON path the user has to count out.
 */
export class YamlSource {
  readonly file: string;
  readonly value: unknown;
  readonly #doc: Document.Parsed;
  readonly #lines: LineCounter;
  readonly #text: string;

  private constructor(
    file: string,
    text: string,
    doc: Document.Parsed,
    lines: LineCounter,
    value: unknown,
  ) {
    this.file = file;
    this.#text = text;
    this.#doc = doc;
    this.#lines = lines;
    this.value = value;
  }

  /** Parse `text` (the contents of `file`); throws an InputError at the first YAML error. */
  static parse(file: string, text: string, env: NodeJS.ProcessEnv): YamlSource {
    const lines = new LineCounter();
    // YAML 1.2 leaves `<<` merge keys out; specs use them to share budgets, as compose files do.
    const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true });
    const problem = doc.errors[0];
    if (problem) {
      const pos = problem.linePos?.[0];
      throw new InputError(
        { file, line: pos?.line, column: pos?.col },
        `invalid YAML: ${yamlReason(problem.message)}`,
      );
    }
    if (doc.contents === null) {
      throw new InputError({ file }, 'the spec file is empty: it needs at least a `name`');
    }
    const source = new YamlSource(file, text, doc, lines, undefined);
    source.#interpolateStrings(env);
    let value: unknown;
    try {
      // An alias bomb (a billion laughs) stops here instead of filling memory.
      value = doc.toJS({ maxAliasCount: 10_000 });
    } catch (error) {
      throw new InputError({ file }, `invalid YAML: ${(error as Error).message}`);
    }
    return new YamlSource(file, text, doc, lines, value);
  }

  /** Where the value at `path` was written; the nearest enclosing value when it is not there. */
  locate(path: readonly PathSegment[], at: 'key' | 'value' = 'value'): SpecLocation {
    const found = this.#find(path);
    const node = at === 'key' && found.key ? found.key : found.node;
    return this.#position(node?.range?.[0] ?? 0);
  }

  /**
   * Where the text of the string at `path` starts, for errors inside it (a selector, a
   * tree): the line of its first character, and for block scalars (`|`) the line after the
   * indicator.
   */
  contentStart(path: readonly PathSegment[]): SpecLocation & { readonly block: boolean } {
    const node = this.#find(path).node;
    if (!isScalar(node) || !node.range) return { ...this.locate(path), block: false };
    const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
    const start = this.#position(node.range[0]);
    if (!block) return { ...start, block };
    return { file: this.file, line: start.line + 1, column: 1, block };
  }

  /**
   * Where character `offset` of the string at `path` was written, so that an error inside
   * a selector points at the offending token in the file. Exact for plain and quoted
   * strings on one line and for `|` blocks; where escapes or folding make the mapping
   * uncertain, the string's start.
   */
  locateInString(path: readonly PathSegment[], offset: number): SpecLocation {
    const node = this.#find(path).node;
    const fallback = this.locate(path);
    if (!isScalar(node) || !node.range || typeof node.value !== 'string') return fallback;
    const value = node.value;
    const [start, end] = node.range;
    const raw = this.#text.slice(start, end);
    if (node.type === 'PLAIN' || node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') {
      const open = node.type === 'PLAIN' ? 0 : 1;
      const body = raw.slice(open, open + value.length);
      return body === value ? this.#position(start + open + offset) : fallback;
    }
    if (node.type === 'BLOCK_LITERAL') {
      const before = value.slice(0, offset);
      const lineInValue = before.split('\n').length - 1;
      const column = offset - (before.lastIndexOf('\n') + 1);
      const first = this.contentStart(path).line;
      const line = first + lineInValue;
      // The block's indentation is that of its first line; YAML strips it from every line.
      return { file: this.file, line, column: this.indentOf(first) + column + 1 };
    }
    return fallback;
  }

  /** How many spaces line `line` (1-based) is indented by. */
  indentOf(line: number): number {
    const start = this.#lines.lineStarts[line - 1];
    if (start === undefined) return 0;
    let i = start;
    while (this.#text[i] === ' ') i++;
    return i - start;
  }

  #position(offset: number): SpecLocation {
    const pos = this.#lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }

  /** The node at `path` (through aliases and `<<` merges), and the key node of its pair. */
  #find(path: readonly PathSegment[]): { node: Node | undefined; key: Node | undefined } {
    let node: Node | undefined = this.#doc.contents ?? undefined;
    let key: Node | undefined;
    for (const segment of path) {
      node = this.#resolve(node);
      let next: { node: Node | undefined; key: Node | undefined } | undefined;
      if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        next = { node: item as Node | undefined, key: undefined };
      } else if (isMap(node)) {
        const pair = this.#pair(node.items, String(segment), new Set());
        if (pair) next = { node: pair.value as Node | undefined, key: pair.key as Node };
      }
      // Deeper than the document goes (a missing key): stay on the enclosing value.
      if (!next?.node && !next?.key) break;
      node = next.node ?? next.key;
      key = next.key;
    }
    return { node, key };
  }

  #pair(items: readonly Pair[], name: string, seen: Set<Node>): Pair | undefined {
    for (const pair of items) {
      if (isScalar(pair.key) && String(pair.key.value) === name) return pair;
    }
    // Keys merged in with `<<: *anchor` (or a list of them): the first one that has it.
    for (const pair of items) {
      if (!isPair(pair) || !isMergeKey(pair.key)) continue;
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const source of sources) {
        const map = this.#resolve(source as Node);
        if (!isMap(map) || seen.has(map)) continue;
        seen.add(map);
        const found = this.#pair(map.items, name, seen);
        if (found) return found;
      }
    }
    return undefined;
  }

  #resolve(node: Node | undefined): Node | undefined {
    let current = node;
    for (let hops = 0; isAlias(current) && hops < 100; hops++) {
      current = (current as Alias).resolve(this.#doc) as Node | undefined;
    }
    return current;
  }

  /** `${VAR}` in string values only: keys stay literal, and YAML syntax cannot be injected. */
  #interpolateStrings(env: NodeJS.ProcessEnv): void {
    visit(this.#doc, {
      Scalar: (key, node) => {
        if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
        const result = interpolate(node.value, env);
        if (typeof result === 'string') {
          node.value = node.type === 'PLAIN' ? plainValue(result) : result;
          return;
        }
        const at = this.#position(node.range?.[0] ?? 0);
        throw new InputError(at, result.problem);
      },
    });
  }
}

/**
 * An unquoted `${PORT}` reads as YAML would read its value written in place: `port:
 * ${PORT}` is the number 4318, not the string "4318". Quoted values stay strings.
 */
function plainValue(text: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** With `merge: true`, yaml reads the key `<<` as a symbol; plain `'<<'` covers quoted forms. */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  return typeof key.value === 'symbol' ? key.value.description === '<<' : key.value === '<<';
}

/** yaml's messages end with "at line L, column C:" and an excerpt; the location is ours to print. */
function yamlReason(message: string): string {
  const cut = message.search(/ at line \d+, column \d+/);
  const reason = (cut >= 0 ? message.slice(0, cut) : message).trim();
  return reason.charAt(0).toLowerCase() + reason.slice(1);
}
