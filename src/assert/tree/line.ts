import { parseSelector, SelectorError } from '../../query';
import { parseBudget } from './budget';
import { TreeSyntaxError } from './errors';
import type { OutlineLine } from './outline';
import type { BudgetBound, GapExpectation, SpanExpectation } from './types';

/** A line read on its own, before its children are attached. */
export type LineHead = Omit<SpanExpectation, 'children'> | Omit<GapExpectation, 'children'>;

/**
 * One line's content, read from the right as the reporter's tree is: marks after the
 * first `✗`/`⚠`/`◀`, then a `(budget)`, then a ` [service]`, and what is left is the name
 * (verbatim) or a `{ selector }`.
 *
 * - A trailing `( ... )` is a budget only when it starts with a comparison (`<`, `>`), so
 *   `resize (v2)` stays a name. A bare duration such as `(352ms)` is refused rather than
 *   ignored: it is what the reporter prints, and a reader would think it is checked.
 * - A trailing `[...]` after a space is the service, as the reporter prints it; the
 *   reporter always adds the service after a name that itself ends in `]`, so a pasted
 *   `GET [id] [api]` reads back right. Write `{ name = "GET [id]" }` otherwise.
 * - Marks: `✗ error` and `✗ error: <reason>` expect error status (and that reason, as the
 *   reporter prints it); `⚠ ...` and `◀ ...` are the reporter's notes and are ignored.
 */
export function parseLine(line: OutlineLine): LineHead {
  const start = line.contentStart;
  const content = line.content;
  const fail = (problem: string, offset: number, width = 1, cause?: unknown): never => {
    throw new TreeSyntaxError(
      problem,
      { line: line.line, column: start + offset + 1, text: line.raw, width },
      cause === undefined ? undefined : { cause },
    );
  };
  const column = start + 1;

  if (content === '...' || content === '…') {
    return { kind: 'gap', line: line.line, column };
  }
  if (/^… \d+ more spans?\b/.test(content)) {
    fail(
      'this is the note the reporter prints when it shortens a tree, not a span; write ... for "any spans in between"',
      0,
      content.length,
    );
  }

  if (/^(?:\.\.\.|…)\s/.test(content)) {
    fail(
      'a ... line stands for any spans in between: it takes no name, budget or service; put the span on the next line, indented under the ...',
      content.indexOf(' ') + 1,
    );
  }
  // Marks.
  let end = content.length;
  let error: SpanExpectation['error'];
  const markAt = /\s[✗⚠◀](?=\s|$)/.exec(content);
  if (markAt) {
    end = markAt.index;
    const marks = content.slice(markAt.index);
    const pieces = /[✗⚠◀][^✗⚠◀]*/g;
    for (let m = pieces.exec(marks); m; m = pieces.exec(marks)) {
      const mark = m[0].trim();
      if (!mark.startsWith('✗')) continue;
      const expected = /^✗\s*error(?::\s*(.*))?$/.exec(mark);
      if (!expected) {
        fail(
          `unknown mark "${mark}": a line expects an error with "✗ error" or "✗ error: <reason>"`,
          markAt.index + m.index,
          mark.length,
        );
      }
      error = { reason: expected?.[1] || undefined };
    }
  }
  let rest = content.slice(0, end).trimEnd();

  // Budget.
  let budget: readonly BudgetBound[] = [];
  if (rest.endsWith(')')) {
    const open = rest.lastIndexOf('(');
    const inner = rest.slice(open + 1, -1);
    if (open >= 0 && /^\s*[<>=≤≥]/.test(inner)) {
      const parsed = parseBudget(inner);
      if ('problem' in parsed) fail(parsed.problem, open + 1 + parsed.offset, parsed.width);
      else budget = parsed.bounds;
      rest = rest.slice(0, open).trimEnd();
    } else if (open >= 0 && /^\s*\d+(?:\.\d+)?\s*(?:ns|us|µs|ms|s|m|h)\s*$/.test(inner)) {
      fail(
        `a budget needs a comparison: write (<${inner.trim()}) for "under ${inner.trim()}" or (>${inner.trim()}) for "over"; a bare duration is what the reporter prints, and is not checked (if "(${inner.trim()})" is part of the span name, write { name = "..." })`,
        open + 1,
        inner.length,
      );
    }
  } else {
    const unclosed = /\(\s*[<>][^()]*$/.exec(rest);
    if (unclosed)
      fail('this budget has no closing )', unclosed.index, rest.length - unclosed.index);
  }

  // Service.
  let service: string | undefined;
  if (rest.endsWith(']')) {
    const open = rest.lastIndexOf(' [');
    if (open > 0) {
      service = rest.slice(open + 2, -1).trim();
      if (service === '') fail('the service in [ ] is empty', open + 1, 2);
      rest = rest.slice(0, open).trimEnd();
    }
  }

  if (rest === '') {
    fail('expected a span name or a { selector } at the start of the line', 0, Math.max(1, end));
  }

  let label: SpanExpectation['label'];
  if (rest.startsWith('{')) {
    const unclosed = unclosedBrace(rest);
    if (unclosed !== undefined) {
      fail('unterminated {: the selector that starts here has no closing }', unclosed);
    }
    try {
      label = { kind: 'selector', selector: parseSelector(rest) };
    } catch (cause) {
      if (!(cause instanceof SelectorError)) throw cause;
      return fail(
        `in the selector: ${cause.problem}`,
        Math.max(0, Math.min(cause.offset, rest.length)),
        1,
        cause,
      );
    }
  } else {
    label = { kind: 'name', name: rest };
  }

  return { kind: 'span', line: line.line, column, label, service, budget, error };
}

/**
 * Offset of the first `{` still open at the end of `text`, skipping quoted strings; undefined
 * when every brace closes or a string is left open (the selector parser explains that better).
 */
function unclosedBrace(text: string): number | undefined {
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) return undefined;
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) return undefined;
      i = close;
    } else if (c === '{') open.push(i);
    else if (c === '}') open.pop();
  }
  return open[0];
}
