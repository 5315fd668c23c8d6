import { TreeSyntaxError } from './errors';

/** One non-blank line of an expectation, and which line is its parent. */
export interface OutlineLine {
  /** 1-based line in the text. */
  readonly line: number;
  /** The line as written. */
  readonly raw: string;
  /** The line without the common indentation, trailing spaces trimmed. */
  readonly text: string;
  /** Offset in `raw` where the content (name, selector, `...`) starts. */
  readonly contentStart: number;
  /** The content, trailing spaces trimmed. */
  readonly content: string;
  /** Index in the outline of the parent line; -1 for a top-level line. */
  readonly parent: number;
}

// One guide at a time: whitespace, a box-drawing guide, an ASCII branch (`|--`, `` `-- ``,
// `+--`) or an ASCII pipe (a `|` followed by whitespace, so that a name may start with `|x`).
const GUIDE = /[ \t│]|[├└]─*|[|`+]-+|\|(?=[ \t]|$)/y;
/** A line of guides alone (`│`) is a spacer some people leave between branches. */
const BLANK = /^[\s│|]*$/;
const TAB_STOP = 4;
const UNITS = [2, 3, 4];

/**
 * The shape of an expectation text before its lines are read: which line is whose child.
 *
 * Depth comes from the column where a line's content starts, after dedenting the text
 * (template literals in tests are indented with the code) and skipping the tree guides.
 * Guides are indentation and nothing more: `├── `, `└── `, `│   ` as the reporter draws
 * them, the ASCII `|-- `, `` `-- ``, `+-- `, `|   ` of `tree --charset=ascii`, or plain
 * spaces. How far a child is indented is learnt from the first indented line (2, 3 or 4
 * columns) and then holds for the whole text, so that a line indented two levels at once is
 * caught rather than read as a child.
 */
export function outline(text: string): OutlineLine[] {
  const rawLines = text.split(/\r?\n/);
  const numbered: { line: number; raw: string }[] = [];
  rawLines.forEach((raw, i) => {
    if (!BLANK.test(raw)) numbered.push({ line: i + 1, raw: raw.replace(/\s+$/, '') });
  });
  const indent = commonIndent(numbered.map((l) => l.raw));

  const out: OutlineLine[] = [];
  // Columns of the open ancestors of the next line, innermost last, with their outline index.
  const stack: { column: number; index: number }[] = [];
  let unit: number | undefined;

  for (const { line, raw } of numbered) {
    const text = raw.slice(indent.length);
    const { length: prefixLength, column } = guides(text);
    const contentStart = indent.length + prefixLength;
    const content = raw.slice(contentStart);
    const at = { line, text: raw, column: contentStart + 1 };

    let popped: { column: number; index: number } | undefined;
    while (stack.length > 0 && (stack[stack.length - 1] as { column: number }).column > column) {
      popped = stack.pop();
    }
    const top = stack[stack.length - 1];
    let parent = -1;
    if (top && top.column === column) {
      stack.pop();
      parent = stack.length > 0 ? (stack[stack.length - 1] as { index: number }).index : -1;
    } else if (top) {
      if (popped) {
        throw new TreeSyntaxError(
          `bad indentation: this line starts left of ${quote(out[popped.index])} (line ${out[popped.index]?.line}) and right of ${quote(out[top.index])} (line ${out[top.index]?.line}); line it up with a sibling, or indent it ${unit ?? 4} columns more than its parent`,
          at,
        );
      }
      const step = column - top.column;
      const parentLine = out[top.index] as OutlineLine;
      if (unit === undefined) {
        if (!UNITS.includes(step)) {
          throw new TreeSyntaxError(
            `bad indentation: this line is indented ${columns(step)} more than its parent ${quote(parentLine)} (line ${parentLine.line}); indent a child by 2 or 4 spaces, or with the ├── guides`,
            at,
          );
        }
        unit = step;
      } else if (step >= 2 * unit) {
        throw new TreeSyntaxError(
          `this line is indented ${columns(step)} more than ${quote(parentLine)} (line ${parentLine.line}), which jumps ${step % unit === 0 ? `${step / unit} levels` : 'more than one level'}; a child is indented ${columns(unit)} more than its parent (use ... for "any spans in between")`,
          at,
        );
      } else if (step !== unit) {
        throw new TreeSyntaxError(
          `bad indentation: this line is indented ${columns(step)} more than its parent ${quote(parentLine)} (line ${parentLine.line}), but children in this tree are indented ${columns(unit)} more than their parent`,
          at,
        );
      }
      parent = top.index;
    } else if (column > 0) {
      throw new TreeSyntaxError(
        'bad indentation: this line is indented, but there is no line above it to be its parent; a tree starts with its root (or ...) at the left',
        at,
      );
    }
    stack.push({ column, index: out.length });
    out.push({ line, raw, text, contentStart, content, parent });
  }
  return out;
}

/** The longest run of leading spaces and tabs that every line shares. */
function commonIndent(lines: readonly string[]): string {
  let common: string | undefined;
  for (const line of lines) {
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (common === undefined) {
      common = lead;
      continue;
    }
    let i = 0;
    while (i < common.length && i < lead.length && common[i] === lead[i]) i++;
    common = common.slice(0, i);
  }
  return common ?? '';
}

/** Length of the guides at the start of `text`, and the column its content starts at. */
function guides(text: string): { length: number; column: number } {
  let at = 0;
  let column = 0;
  for (;;) {
    GUIDE.lastIndex = at;
    const match = GUIDE.exec(text);
    if (!match) break;
    for (const ch of match[0])
      column = ch === '\t' ? (Math.floor(column / TAB_STOP) + 1) * TAB_STOP : column + 1;
    at += match[0].length;
  }
  return { length: at, column };
}

function quote(line: OutlineLine | undefined): string {
  const content = line?.content ?? '';
  return `"${content.length > 40 ? `${content.slice(0, 39)}…` : content}"`;
}

function columns(n: number): string {
  return n === 1 ? '1 column' : `${n} columns`;
}
