import { InputError } from '../errors';
import { lineAndColumn, locateJsonError } from './json-error';

/**
 * Turns JSON text into the JSON values it holds, and explains syntax errors by file,
 * line and column. Text is JSON Lines when its first non-empty line is a complete JSON
 * value on its own (the Collector's file exporter); otherwise it is one document.
 */

/** Every value in in-memory text; `line` is undefined for a whole document. */
export function forEachJsonValue(
  text: string,
  file: string | undefined,
  onValue: (value: unknown, line: number | undefined) => void,
): void {
  const lines = new LineCursor(stripBom(text));
  const first = lines.nextNonBlank();
  if (first === undefined) return;
  const firstValue = tryParse(first.text);
  if (firstValue === FAILED) {
    const body = lines.text.slice(first.start);
    onValue(parseDocument(body, file, first.line), undefined);
    return;
  }
  onValue(firstValue, first.line);
  for (let next = lines.nextNonBlank(); next !== undefined; next = lines.nextNonBlank()) {
    const value = tryParse(next.text);
    if (value === FAILED) {
      throw jsonError(next.text, lastError, file, next.line, lines.atEnd());
    }
    onValue(value, next.line);
  }
}

/** Parses a whole document whose first line is `firstLine` of the file. */
export function parseDocument(text: string, file: string | undefined, firstLine: number): unknown {
  const value = tryParse(text);
  if (value === FAILED) throw jsonError(text, lastError, file, firstLine, true);
  return value;
}

/**
 * The error for text that failed to parse: `file:line:column: ...`. `last` says whether
 * nothing but blank lines follows it, which is when a value cut short means a truncated
 * file rather than a broken line in the middle.
 */
export function jsonError(
  text: string,
  error: unknown,
  file: string | undefined,
  firstLine: number,
  last: boolean,
): InputError {
  const spot = locateJsonError(text, error);
  const { line, column } = lineAndColumn(text, spot.offset, firstLine);
  let reason: string;
  if (spot.truncated && last) {
    reason = `the file ends in the middle of a JSON value: truncated? (${spot.reason})`;
  } else if (spot.truncated) {
    reason = `this line ends in the middle of a JSON value (${spot.reason}): cut off while it was written?`;
  } else reason = `invalid JSON: ${spot.reason}`;
  return new InputError({ file, line, column }, reason, { cause: error });
}

/** Marks a failed parse without a try/catch at every call site; the error is in `lastError`. */
export const FAILED: unique symbol = Symbol('failed');
let lastError: unknown;

/** The error of the last `tryParse` that returned FAILED. */
export function lastParseError(): unknown {
  return lastError;
}

export function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    lastError = error;
    return FAILED;
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return false;
  }
  return true;
}

class LineCursor {
  readonly text: string;
  #pos = 0;
  #line = 0;

  constructor(text: string) {
    this.text = text;
  }

  nextNonBlank(): { text: string; line: number; start: number } | undefined {
    const t = this.text;
    while (this.#pos < t.length) {
      const start = this.#pos;
      const nl = t.indexOf('\n', start);
      const end = nl === -1 ? t.length : nl;
      this.#pos = end + 1;
      this.#line++;
      const line = t.slice(start, end);
      if (!isBlank(line)) return { text: line, line: this.#line, start };
    }
    return undefined;
  }

  /** Only blank lines remain. */
  atEnd(): boolean {
    return isBlank(this.text.slice(this.#pos));
  }
}
