/**
 * Where a JSON syntax error is. V8's `JSON.parse` says "at position N" for most errors but
 * not all ("Unexpected token 'a', "abc" is not valid JSON" has none), so when it does not,
 * a small scanner finds the offset itself. Runs only after a parse has failed.
 */

export interface JsonErrorSpot {
  /** Offset into the text (UTF-16 code units). */
  readonly offset: number;
  /** The text ended in the middle of a value: a file cut off while it was being written. */
  readonly truncated: boolean;
  /** V8's description without the position and the quoted snippet. */
  readonly reason: string;
}

const POSITION = / in JSON at position (\d+)/;
const SNIPPET = /, (?:\.\.\.)?"[\s\S]*is not valid JSON$/;

export function locateJsonError(text: string, error: unknown): JsonErrorSpot {
  const message = error instanceof Error ? error.message : String(error);
  const match = POSITION.exec(message);
  let offset: number;
  if (match) offset = Number(match[1]);
  else if (message.startsWith('Unexpected end of JSON input')) offset = text.length;
  else offset = Math.max(0, scanForError(text));
  let reason = match ? message.slice(0, match.index) : message;
  // "Unexpected token 'x', ..."snippet"... is not valid JSON": the snippet (with its line
  // breaks) is noise in a one-line message that already has a line and column.
  reason = reason.replace(SNIPPET, '');
  return { offset, truncated: onlyWhitespaceFrom(text, offset), reason };
}

/** 1-based line and column of an offset, counting lines from `firstLine`. */
export function lineAndColumn(
  text: string,
  offset: number,
  firstLine = 1,
): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

function onlyWhitespaceFrom(text: string, offset: number): boolean {
  for (let i = offset; i < text.length; i++) if (!isWhitespace(text.charCodeAt(i))) return false;
  return true;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * The offset of the first JSON syntax error in `text` (its length when the text ends too
 * early). Iterative, so that deep nesting cannot overflow the stack.
 */
export function scanForError(text: string): number {
  const n = text.length;
  const closers: number[] = []; // 93 `]` or 125 `}` for each open container
  let i = skip(text, 0);
  for (;;) {
    // A value starts at i.
    if (i >= n) return n;
    const c = text.charCodeAt(i);
    if (c === 123 /* { */ || c === 91 /* [ */) {
      const close = c === 123 ? 125 : 93;
      i = skip(text, i + 1);
      if (text.charCodeAt(i) === close) i++;
      else {
        closers.push(close);
        if (close === 125) {
          i = key(text, i);
          if (i < 0) return -i - 1;
        }
        continue;
      }
    } else if (c === 34 /* " */) {
      i = string(text, i);
      if (i < 0) return -i - 1;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return i;
      i = NUMBER.lastIndex;
    }
    // After a value: a separator, closers, or the end.
    for (;;) {
      i = skip(text, i);
      const close = closers[closers.length - 1];
      if (close === undefined) return i < n ? i : -1;
      if (i >= n) return n;
      const d = text.charCodeAt(i);
      if (d === close) {
        closers.pop();
        i++;
      } else if (d === 44 /* , */) {
        i = skip(text, i + 1);
        if (close === 125) {
          i = key(text, i);
          if (i < 0) return -i - 1;
        }
        break;
      } else return i;
    }
  }
}

/** Reads `"key" :` and returns the offset after the colon, or -(error offset) - 1. */
function key(text: string, at: number): number {
  if (at >= text.length) return -text.length - 1;
  if (text.charCodeAt(at) !== 34) return -at - 1;
  let i = string(text, at);
  if (i < 0) return i;
  i = skip(text, i);
  if (i >= text.length) return -text.length - 1;
  if (text.charCodeAt(i) !== 58 /* : */) return -i - 1;
  return skip(text, i + 1);
}

/** Reads a string starting at its quote; returns the offset after it, or -(error offset) - 1. */
function string(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) return -i - 1;
    if (c === 92 /* \ */) {
      const e = text.charCodeAt(i + 1);
      if (e === 117 /* u */) {
        for (let k = 2; k <= 5; k++) {
          const h = text.charCodeAt(i + k);
          if (!((h >= 48 && h <= 57) || (h >= 97 && h <= 102) || (h >= 65 && h <= 70))) {
            return -Math.min(i + k, text.length) - 1;
          }
        }
        i += 5;
      } else if ('"\\/bfnrt'.includes(text[i + 1] ?? '?')) i++;
      else return -Math.min(i + 1, text.length) - 1;
    }
  }
  return -text.length - 1;
}

function skip(text: string, at: number): number {
  let i = at;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
}
