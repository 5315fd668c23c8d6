import { parseDuration } from '../../model';
import type { BudgetBound } from './types';

/**
 * Budgets as a line writes them in parentheses: `<300ms`, `<=1s`, `>5ms`, or several
 * separated by commas (`>5ms, <300ms`). `parse` returns the bounds, or the problem and
 * where it is (an offset into `text`).
 */
export function parseBudget(
  text: string,
): { bounds: BudgetBound[] } | { problem: string; offset: number; width: number } {
  const bounds: BudgetBound[] = [];
  let offset = 0;
  for (const part of text.split(',')) {
    const lead = part.length - part.trimStart().length;
    const item = part.trim();
    const at = offset + lead;
    offset += part.length + 1;
    const match = /^(<=|>=|<|>|=|≤|≥)\s*(.*)$/.exec(item);
    if (!match) {
      return {
        problem: `expected a budget such as <300ms, >5ms or <=1s, not "${item}"`,
        offset: at,
        width: Math.max(1, item.length),
      };
    }
    const op = match[1] as string;
    const value = match[2] as string;
    const valueAt = at + item.length - value.length;
    if (op === '=' || op === '≤' || op === '≥') {
      const hint = op === '≤' ? '<=' : op === '≥' ? '>=' : '< or <=';
      return {
        problem: `a budget compares with <, <=, > or >=, not ${op}; write ${hint}${value || '300ms'}`,
        offset: at,
        width: op.length,
      };
    }
    const ns = parseDuration(value);
    if (ns === undefined) {
      const bare = /^\d+(?:\.\d+)?$/.test(value);
      return {
        problem: bare
          ? `the budget "${op}${value}" has no unit; write it as ${op}${value}ms (units: ns, us, µs, ms, s, m, h)`
          : `expected a duration such as 300ms after ${op}, not "${value}"`,
        offset: value === '' ? at + op.length : valueAt,
        width: Math.max(1, value.length),
      };
    }
    bounds.push({ op: op as BudgetBound['op'], ns, text: `${op}${value}` });
  }
  return { bounds };
}

/** The first bound `durationNs` breaks, or undefined when it keeps them all. */
export function brokenBound(
  bounds: readonly BudgetBound[],
  durationNs: number,
): BudgetBound | undefined {
  for (const bound of bounds) {
    const ok =
      bound.op === '<'
        ? durationNs < bound.ns
        : bound.op === '<='
          ? durationNs <= bound.ns
          : bound.op === '>'
            ? durationNs > bound.ns
            : durationNs >= bound.ns;
    if (!ok) return bound;
  }
  return undefined;
}
