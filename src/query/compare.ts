import type { CompareOp, OrderOp } from './ast';

/**
 * Comparing values whose type is only known per span (attributes), with Tempo's rules:
 * values of different types never compare (every operator is false, `!=` included);
 * a missing value never compares either; ints, doubles and int64 bigints are all numbers;
 * an array matches when any element does, and `!=` / `!~` when no element does.
 */

export type ValueTest = (value: unknown) => boolean;

/** A number/bigint comparison: negative, zero, positive, or NaN when a NaN is involved. */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number' && Number.isNaN(a)) return Number.NaN;
  if (typeof b === 'number' && Number.isNaN(b)) return Number.NaN;
  // Relational operators are exact between a bigint and a number.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isNumeric(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Apply an ordering operator to the result of a three-way comparison. */
export function holds(op: OrderOp, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A test of a per-span value against a constant of a known type. */
export function testAgainst(op: OrderOp, constant: string | number | bigint | boolean): ValueTest {
  let scalar: ValueTest;
  if (typeof constant === 'string') {
    scalar = (v) => typeof v === 'string' && holds(op, compareStrings(v, constant));
  } else if (typeof constant === 'boolean') {
    scalar = op === '=' ? (v) => v === constant : (v) => typeof v === 'boolean' && v !== constant;
  } else {
    scalar = (v) => isNumeric(v) && holds(op, compareNumbers(v, constant));
  }
  return overArrays(scalar, op === '!=');
}

/** `=~` / `!~` against a compiled regex. */
export function testRegex(op: '=~' | '!~', regex: RegExp): ValueTest {
  const scalar: ValueTest =
    op === '=~'
      ? (v) => typeof v === 'string' && regex.test(v)
      : (v) => typeof v === 'string' && !regex.test(v);
  return overArrays(scalar, op === '!~');
}

/**
 * Lift a scalar test to arrays: any element for positive operators, every element for
 * negated ones (`tags != "x"`: no tag is "x"). An empty array is treated as missing.
 */
function overArrays(scalar: ValueTest, everyElement: boolean): ValueTest {
  return (v) => {
    if (!Array.isArray(v)) return scalar(v);
    if (v.length === 0) return false;
    return everyElement ? v.every(scalar) : v.some(scalar);
  };
}

/** Two per-span values (`span.a = span.b`): both present and of the same type. */
export function compareValues(op: CompareOp, a: unknown, b: unknown): boolean {
  if (op === '=~' || op === '!~') return false; // the parser only allows a literal regex
  if (isNumeric(a) && isNumeric(b)) return holds(op, compareNumbers(a, b));
  if (typeof a === 'string' && typeof b === 'string') return holds(op, compareStrings(a, b));
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return op === '=' ? a === b : op === '!=' ? a !== b : false;
  }
  return false;
}

/** Operators that read from the other side when operands are swapped: `5 < x` is `x > 5`. */
export function flip(op: OrderOp): OrderOp {
  switch (op) {
    case '<':
      return '>';
    case '<=':
      return '>=';
    case '>':
      return '<';
    case '>=':
      return '<=';
    default:
      return op;
  }
}

const GO_FLAGS = /^\(\?([a-zA-Z]+)\)/;

/**
 * Compile a TraceQL regex for JavaScript's engine, anchored at both ends as Tempo anchors
 * it (Tempo compiles `^(?s:pattern)$`, so `.` also matches newlines and `=~ "GET"`
 * matches only the whole value "GET", not "GET /users").
 *
 * Go's RE2 syntax mostly carries over. Two common Go spellings are translated: a leading
 * flag group such as `(?i)` becomes a JavaScript flag, and `(?P<name>` becomes `(?<name>`.
 * Throws the engine's SyntaxError when the pattern is invalid.
 */
export function compileRegex(pattern: string): RegExp {
  let body = pattern;
  let flags = 's';
  const leading = GO_FLAGS.exec(body);
  if (leading) {
    const wanted = leading[1] as string;
    const unsupported = wanted.replace(/[ims]/g, '');
    if (unsupported !== '') {
      throw new SyntaxError(`the flag ${unsupported} of (?${wanted}) has no JavaScript equivalent`);
    }
    if (wanted.includes('i')) flags += 'i';
    if (wanted.includes('m')) flags += 'm';
    body = body.slice(leading[0].length);
  }
  body = body.replace(/\(\?P</g, '(?<');
  // With (?m), ^ and $ match at line breaks, so whole-text anchors must be lookarounds.
  // Otherwise ^ and $ are kept: V8 then tries only the first position.
  const source = flags.includes('m') ? `(?<![\\s\\S])(?:${body})(?![\\s\\S])` : `^(?:${body})$`;
  try {
    // Unicode mode first: like RE2, `.` then matches a whole code point and \p{L} works.
    new RegExp(body, `${flags}u`); // alone, so that "a)(b" is not made valid by the wrapping
    return new RegExp(source, `${flags}u`);
  } catch {
    // Some patterns are valid only without it (identity escapes such as \- outside a class).
    new RegExp(body, flags);
    return new RegExp(source, flags);
  }
}
