import { parseDuration } from '../model';
import { positionOf, SelectorError } from './errors';

/**
 * Tokens of the selector language. The lexer follows Tempo's: attribute names run until
 * whitespace or one of `{ } ( ) = ~ ! < > & | ^ ,` (so `span.http.status_code` and
 * `.k8s.pod-name` are single names), quoted parts allow any character (`span."my attr"`),
 * and `//` and `/* *\/` comments are skipped.
 */
export type Token =
  | { readonly type: 'punct'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly type: 'word'; readonly value: string; readonly start: number; readonly end: number }
  | {
      readonly type: 'attribute';
      /** `''` for an unscoped `.name`; otherwise the word before the dot, as written. */
      readonly scope: string;
      readonly name: string;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly type: 'string';
      readonly value: string;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly type: 'number';
      readonly numberType: 'int' | 'float';
      readonly value: number | bigint;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly type: 'duration';
      readonly value: number;
      readonly start: number;
      readonly end: number;
    }
  | { readonly type: 'eof'; readonly start: number; readonly end: number };

// Longest first, so that `>>` wins over `>` and `!>>` over `!>`.
const PUNCTUATION = [
  '!>>',
  '!<<',
  '&>>',
  '&<<',
  '||',
  '&&',
  '!=',
  '=~',
  '!~',
  '>=',
  '>>',
  '<=',
  '<<',
  '!>',
  '!<',
  '&>',
  '&<',
  '&~',
  '{',
  '}',
  '(',
  ')',
  ',',
  '|',
  '!',
  '=',
  '>',
  '<',
  '~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
];

const ATTRIBUTE_STOP = new Set(['{', '}', '(', ')', '=', '~', '!', '<', '>', '&', '|', '^', ',']);

const DURATION_TEXT = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|μs|ms|s|m|h))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g;

export function tokenize(text: string): Token[] {
  return new Lexer(text).run();
}

class Lexer {
  readonly #text: string;
  #pos = 0;
  readonly #tokens: Token[] = [];

  constructor(text: string) {
    this.#text = text;
  }

  run(): Token[] {
    for (;;) {
      this.#skipSpaceAndComments();
      if (this.#pos >= this.#text.length) break;
      this.#tokens.push(this.#next());
    }
    this.#tokens.push({ type: 'eof', start: this.#text.length, end: this.#text.length });
    return this.#tokens;
  }

  #fail(problem: string, start: number, end = start + 1): never {
    throw new SelectorError(problem, this.#text, { start, end });
  }

  #skipSpaceAndComments(): void {
    const t = this.#text;
    while (this.#pos < t.length) {
      const c = t[this.#pos] as string;
      if (/\s/.test(c)) this.#pos++;
      else if (t.startsWith('//', this.#pos)) {
        const nl = t.indexOf('\n', this.#pos);
        this.#pos = nl < 0 ? t.length : nl + 1;
      } else if (t.startsWith('/*', this.#pos)) {
        const close = t.indexOf('*/', this.#pos + 2);
        if (close < 0) {
          this.#fail(
            `unterminated comment: the /* at ${positionOf(t, this.#pos)} is never closed with */`,
            this.#pos,
            this.#pos + 2,
          );
        }
        this.#pos = close + 2;
      } else break;
    }
  }

  #next(): Token {
    const t = this.#text;
    const start = this.#pos;
    const c = t[start] as string;
    if (c === '"') return { type: 'string', value: this.#quoted(), start, end: this.#pos };
    if (c === '`') return { type: 'string', value: this.#raw(), start, end: this.#pos };
    if (isDigit(c) || (c === '-' && isDigit(t[start + 1]))) return this.#number();
    if (isWordStart(c)) return this.#word();
    if (c === '.') {
      this.#pos++;
      return {
        type: 'attribute',
        scope: '',
        name: this.#attributeName(start),
        start,
        end: this.#pos,
      };
    }
    for (const p of PUNCTUATION) {
      if (t.startsWith(p, start)) {
        this.#pos += p.length;
        return { type: 'punct', value: p, start, end: this.#pos };
      }
    }
    if (c === '&') this.#fail('expected && (a single & is not an operator)', start);
    if (c === "'") {
      this.#fail('strings are written in double quotes or backticks, not single quotes', start);
    }
    return this.#fail(`unexpected character "${c}"`, start);
  }

  /** A double-quoted string with Go's escapes, as Tempo reads it. Leaves #pos after it. */
  #quoted(): string {
    const t = this.#text;
    const open = this.#pos;
    let out = '';
    let i = open + 1;
    for (;;) {
      if (i >= t.length || t[i] === '\n') {
        this.#fail(
          `unterminated string: the quote at ${positionOf(t, open)} is never closed${i >= t.length ? '' : ' on its line'}`,
          open,
        );
      }
      const c = t[i] as string;
      if (c === '"') break;
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const e = t[i + 1];
      const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = t.slice(i + 2, i + 2 + digits);
        if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) {
          this.#fail(`\\${e} needs ${digits} hex digits`, i, i + 2);
        }
        const code = Number.parseInt(hex, 16);
        if (code > 0x10ffff)
          this.#fail(`\\${e}${hex} is not a Unicode code point`, i, i + 2 + digits);
        out += String.fromCodePoint(code);
        i += 2 + digits;
      } else if (e !== undefined && e >= '0' && e <= '7') {
        const oct = t.slice(i + 1, i + 4);
        if (!/^[0-7]{3}$/.test(oct))
          this.#fail('an octal escape needs 3 digits, e.g. \\012', i, i + 2);
        out += String.fromCharCode(Number.parseInt(oct, 8));
        i += 4;
      } else {
        this.#fail(
          `unknown escape \\${e ?? ''} in a string; for a regex write a double backslash ("\\\\d+") or use backticks (\`\\d+\`)`,
          i,
          i + 2,
        );
      }
    }
    this.#pos = i + 1;
    return out;
  }

  /** A backtick string: raw, no escapes, may span lines (Go's raw strings). */
  #raw(): string {
    const open = this.#pos;
    const close = this.#text.indexOf('`', open + 1);
    if (close < 0)
      this.#fail(
        `unterminated string: the backtick at ${positionOf(this.#text, open)} is never closed`,
        open,
      );
    this.#pos = close + 1;
    return this.#text.slice(open + 1, close);
  }

  #number(): Token {
    const t = this.#text;
    const start = this.#pos;
    let i = start;
    if (t[i] === '-') i++;
    while (isDigit(t[i])) i++;
    let float = false;
    if (t[i] === '.' && isDigit(t[i + 1])) {
      float = true;
      i++;
      while (isDigit(t[i])) i++;
    }
    if (
      (t[i] === 'e' || t[i] === 'E') &&
      (isDigit(t[i + 1]) || (/[+-]/.test(t[i + 1] ?? '') && isDigit(t[i + 2])))
    ) {
      float = true;
      i += 2;
      while (isDigit(t[i])) i++;
    } else if (i < t.length && /[A-Za-zµμ]/.test(t[i] as string)) {
      // A number followed by letters is a duration: 300ms, 1.5s, 1h30m.
      while (i < t.length && /[A-Za-z0-9.µμ]/.test(t[i] as string)) i++;
      this.#pos = i;
      return this.#duration(start, i);
    }
    this.#pos = i;
    const text = t.slice(start, i);
    if (float) return { type: 'number', numberType: 'float', value: Number(text), start, end: i };
    const n = Number(text);
    const value = Number.isSafeInteger(n) ? n : BigInt(text);
    return { type: 'number', numberType: 'int', value, start, end: i };
  }

  #duration(start: number, end: number): Token {
    const text = this.#text.slice(start, end);
    const negative = text.startsWith('-');
    const body = negative ? text.slice(1) : text;
    if (!DURATION_TEXT.test(body)) {
      this.#fail(
        `"${text}" is not a duration; write a number with a unit: ns, us, µs, ms, s, m or h (300ms, 1.5s, 1h30m)`,
        start,
        end,
      );
    }
    let ns = 0;
    for (const [, amount, unit] of body.matchAll(DURATION_PART)) {
      ns += parseDuration(`${amount}${unit === 'μs' ? 'µs' : unit}`) as number;
    }
    return { type: 'duration', value: negative ? -ns : ns, start, end };
  }

  #word(): Token {
    const t = this.#text;
    const start = this.#pos;
    let i = start + 1;
    while (isWordPart(t[i])) i++;
    // Tempo's scoped intrinsics: span:name, trace:duration, event:name.
    if (t[i] === ':' && isWordStart(t[i + 1])) {
      i += 2;
      while (isWordPart(t[i])) i++;
      this.#pos = i;
      return { type: 'word', value: t.slice(start, i), start, end: i };
    }
    const word = t.slice(start, i);
    if (t[i] === '.') {
      // span.x, resource.x, and anything else with a dot (checked by the parser, which can
      // say "attributes need a scope" for `http.method`).
      this.#pos = i + 1;
      const name = this.#attributeName(i);
      return { type: 'attribute', scope: word, name, start, end: this.#pos };
    }
    this.#pos = i;
    return { type: 'word', value: word, start, end: i };
  }

  /** The name after `scope.`; #pos is just after the dot. */
  #attributeName(dotAt: number): string {
    const t = this.#text;
    let name = '';
    while (this.#pos < t.length) {
      const c = t[this.#pos] as string;
      if (c === '"') name += this.#quoted();
      else if (isAttributeChar(c)) {
        name += c;
        this.#pos++;
      } else break;
    }
    if (name === '') {
      this.#fail('expected an attribute name after "."', dotAt, this.#pos + 1);
    }
    return name;
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isWordStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_]/.test(c);
}

function isWordPart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/** Whether `c` may appear unquoted in an attribute name (Tempo's isAttributeRune). */
export function isAttributeChar(c: string): boolean {
  return !ATTRIBUTE_STOP.has(c) && c !== '"' && !/\s/.test(c);
}
