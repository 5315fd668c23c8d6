import { InputError } from '../../errors';

/**
 * An expectation tree that cannot be read: bad indentation, a malformed budget, an
 * unterminated or invalid `{ selector }`. The message is the problem, then the offending
 * line with a caret under the spot:
 *
 * ```
 * line 4, column 33: the budget "<300" has no unit; write it as <300ms (units: ns, us, µs, ms, s, m, h)
 *       └── Payment Gateway API (<300)
 *                                  ^^^
 * ```
 *
 * Positions are in the expectation text as given (line 1 is the text's first line, even
 * when it is the empty line after a template literal's backtick), so that the YAML spec
 * runner can shift them by where its block starts.
 */
export class TreeSyntaxError extends InputError {
  override readonly name: string = 'TreeSyntaxError';
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters of the original line. */
  readonly column: number;
  /** The problem in one line, without position or excerpt. */
  readonly problem: string;

  constructor(
    problem: string,
    at: { line: number; column: number; text: string; width?: number },
    options?: { cause?: unknown },
  ) {
    super(
      { line: at.line, column: at.column },
      `${problem}\n${caret(at.text, at.column, at.width)}`,
      options,
    );
    this.line = at.line;
    this.column = at.column;
    this.problem = problem;
  }
}

function caret(text: string, column: number, width = 1): string {
  // Keep tabs in the padding so that the caret lines up under tab-indented text.
  const pad = text.slice(0, column - 1).replace(/[^\t]/g, ' ');
  return `  ${text}\n  ${pad}${'^'.repeat(Math.max(1, width))}`;
}
