import { parseDuration } from '../model';
import type { Bound, Comparison, Metric } from './types';

/** What kind of number a budget bounds, which decides how its text is read. */
export type BudgetUnit = 'duration' | 'fraction' | 'count' | 'rate';

export function unitOf(metric: Metric): BudgetUnit {
  if (metric === 'error_rate') return 'fraction';
  if (metric === 'count') return 'count';
  if (metric === 'rate') return 'rate';
  return 'duration';
}

/**
 * Which side a bound limits. A budget written under `max` (or bare, as `p95: 300ms`) is an
 * upper bound and a bare value means `<=`; under `min`, a lower bound, a bare value `>=`.
 */
export type Side = 'max' | 'min' | 'any';

const COMPARISON = /^\s*(<=|>=|<|>|=<|=>|≤|≥|=)?\s*(.*?)\s*$/;

/**
 * Parse one budget as written in a spec (`300ms`, `'<300ms'`, `'>5ms, <1s'`, `1%`,
 * `'>=50/s'`, `100`) into bounds in canonical units. Returns the problem as a sentence
 * when the text does not read as a budget of this unit.
 */
export function parseBounds(
  written: string | number,
  unit: BudgetUnit,
  side: Side,
): { bounds: Bound[] } | { problem: string } {
  const parts = typeof written === 'number' ? [String(written)] : written.split(',');
  const bounds: Bound[] = [];
  for (const part of parts) {
    const match = COMPARISON.exec(part) as RegExpExecArray;
    const op = comparison(match[1], side);
    if (typeof op !== 'string') return op;
    const valueText = match[2] as string;
    const value =
      typeof written === 'number' && parts.length === 1
        ? numberValue(Number(valueText), unit)
        : textValue(valueText, unit);
    if (typeof value !== 'number') return value;
    bounds.push({ op, value, text: `${op} ${valueText}` });
  }
  return { bounds };
}

function comparison(written: string | undefined, side: Side): Comparison | { problem: string } {
  if (written === undefined) return side === 'min' ? '>=' : '<=';
  const fixed: Record<string, Comparison> = { '=<': '<=', '=>': '>=', '≤': '<=', '≥': '>=' };
  if (written === '=') {
    return { problem: 'a budget compares with <, <=, > or >=, not =; an exact count is `equals:`' };
  }
  const op = fixed[written];
  if (op) return { problem: `write ${op} instead of ${written}` };
  const c = written as Comparison;
  if (side === 'max' && (c === '>' || c === '>=')) {
    return {
      problem: `\`max\` is an upper bound: write it with < or <= (or use \`min\` for ${c})`,
    };
  }
  if (side === 'min' && (c === '<' || c === '<=')) {
    return { problem: `\`min\` is a lower bound: write it with > or >= (or use \`max\` for ${c})` };
  }
  return c;
}

/** A YAML number: milliseconds, a fraction, a count, or spans per second. */
function numberValue(n: number, unit: BudgetUnit): number | { problem: string } {
  if (!Number.isFinite(n) || n < 0)
    return { problem: `${n} is not a budget: it must be a number of at least 0` };
  if (unit === 'duration') return n * 1e6;
  if (unit === 'fraction' && n > 1) {
    return {
      problem: `an error rate of ${n} is more than 1: write a percentage (${n}%) or a fraction (${n / 100})`,
    };
  }
  if (unit === 'count' && !Number.isInteger(n))
    return { problem: `a count is a whole number, not ${n}` };
  return n;
}

function textValue(text: string, unit: BudgetUnit): number | { problem: string } {
  switch (unit) {
    case 'duration': {
      const ns = parseDuration(text);
      if (ns !== undefined) return ns;
      const spaced = /^(\d+(?:\.\d+)?)\s+([a-zµ]+)$/i.exec(text);
      if (spaced && parseDuration(`${spaced[1]}${spaced[2]}`) !== undefined) {
        return { problem: `write "${spaced[1]}${spaced[2]}" without the space` };
      }
      return /^\d+(?:\.\d+)?$/.test(text)
        ? { problem: `"${text}" has no unit: write ${text}ms (units: ns, us, µs, ms, s, m, h)` }
        : { problem: `"${text}" is not a duration such as 300ms or 1.5s` };
    }
    case 'fraction': {
      const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
      if (percent) {
        const value = Number(percent[1]) / 100;
        return value <= 1 ? value : { problem: `${text} is more than 100%` };
      }
      if (/^\d+(?:\.\d+)?$/.test(text)) return numberValue(Number(text), unit);
      return { problem: `"${text}" is not an error rate such as 1% or 0.01` };
    }
    case 'count':
      return /^\d+$/.test(text)
        ? Number(text)
        : { problem: `"${text}" is not a count of spans such as 100 or >=10` };
    case 'rate': {
      const rate = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|m|h))?$/.exec(text);
      if (!rate)
        return {
          problem: `"${text}" is not a rate such as 50/s or 3000/m (spans per second, minute or hour)`,
        };
      const per = rate[2] === 'h' ? 3600 : rate[2] === 'm' ? 60 : 1;
      return Number(rate[1]) / per;
    }
  }
}

/** A percentage (`10%`) or fraction (`0.1`) as a fraction. */
export function parsePercent(written: string | number): number | { problem: string } {
  if (typeof written === 'number') return written;
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(written);
  return match
    ? Number(match[1]) / 100
    : { problem: `"${written}" is not a percentage such as 10%` };
}

/** Whether `value` keeps `bound`. NaN (nothing measured) keeps no bound. */
export function holds(bound: Bound, value: number): boolean {
  switch (bound.op) {
    case '<':
      return value < bound.value;
    case '<=':
      return value <= bound.value;
    case '>':
      return value > bound.value;
    case '>=':
      return value >= bound.value;
  }
}
