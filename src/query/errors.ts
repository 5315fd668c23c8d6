import { InputError } from '../errors';

/** Where in a selector's text a problem is: offsets into the text, end exclusive. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/**
 * A selector that cannot be parsed or makes no sense (an unknown intrinsic, a string
 * compared with a duration, a regex that does not compile).
 *
 * The message is written for someone reading a CI log: the problem on the first line,
 * then the selector with a caret under the offending part:
 *
 * ```
 * expected an operator such as = or =~ after "name"
 *   { name "checkout" }
 *          ^
 * ```
 */
export class SelectorError extends InputError {
  /** The selector text, or undefined for a plain-object selector. */
  readonly selector: string | undefined;
  /** Offset of the offending part in `selector`; -1 when there is no text. */
  readonly offset: number;
  /** The problem in one line, without the excerpt. */
  readonly problem: string;

  constructor(problem: string, selector?: string, range?: TextRange) {
    const at = selector !== undefined && range ? lineAndColumn(selector, range.start) : undefined;
    const multiline = selector?.includes('\n') ?? false;
    super(
      // The line only matters for a selector written over several lines (a YAML block).
      at ? { line: multiline ? at.line : undefined, column: at.column } : {},
      selector !== undefined && range ? `${problem}\n${excerpt(selector, range)}` : problem,
    );
    this.selector = selector;
    this.offset = range ? range.start : -1;
    this.problem = problem;
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** `column 7`, or `line 2, column 7` in a selector written over several lines. */
export function positionOf(text: string, offset: number): string {
  const { line, column } = lineAndColumn(text, offset);
  return text.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
}

/**
 * The line of `text` that holds `range.start`, indented, with carets under the range
 * (one caret for an empty range, e.g. the end of the text).
 */
export function excerpt(text: string, range: TextRange): string {
  const lineStart = text.lastIndexOf('\n', range.start - 1) + 1;
  let lineEnd = text.indexOf('\n', range.start);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  // Keep tabs in the padding so that the caret lines up under a tab-indented selector.
  const pad = line.slice(0, range.start - lineStart).replace(/[^\t]/g, ' ');
  const width = Math.max(1, Math.min(range.end, lineEnd) - range.start);
  return `  ${line}\n  ${pad}${'^'.repeat(width)}`;
}

/**
 * The candidate nearest to `word` by edit distance (transpositions count once, case is
 * ignored), or undefined when nothing is close enough to be a plausible typo.
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  // Three rows are enough: the transposition looks two rows back.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prev2[j - 2] as number) + 1);
      }
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] as number;
}

/** ` or "x"` / `did you mean "x"?` helpers keep messages uniform. */
export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
}

/** `a, b or c` */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
