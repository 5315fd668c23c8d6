import { formatDuration } from '../model';
import { DURATION_METRICS, type DurationMetric, type Metric } from '../spec/types';

export function isDurationMetric(metric: Metric): metric is DurationMetric {
  return (DURATION_METRICS as readonly string[]).includes(metric);
}

/** A metric's value in the unit people read it in: `312ms`, `1.5%`, `42`, `12.5/s`. */
export function formatMetric(metric: Metric, value: number): string {
  if (Number.isNaN(value)) return 'not measured';
  if (isDurationMetric(metric)) return formatDuration(value);
  switch (metric) {
    case 'error_rate':
      return `${significant(value * 100)}%`;
    case 'count':
      return significant(value);
    case 'rate':
      return `${significant(value)}/s`;
  }
}

/**
 * How far apart two values of a metric are, as a positive amount: `12ms`, `3`, `10/s`,
 * and for error rates `0.5 percentage points` (an error rate of 1.5% is not "0.5% over"
 * a budget of 1%: that would read as a relative change).
 */
export function formatGap(metric: Metric, gap: number): string {
  const abs = Math.abs(gap);
  if (metric === 'error_rate') return `${significant(abs * 100)} percentage points`;
  return formatMetric(metric, abs);
}

/**
 * Two values of a metric for one sentence (`p95 300.4ms > 300ms`): printed as
 * {@link formatMetric} does, with more digits when that would make them read the same.
 */
export function formatPair(metric: Metric, a: number, b: number): [string, string] {
  const short: [string, string] = [formatMetric(metric, a), formatMetric(metric, b)];
  if (short[0] !== short[1] || a === b || Number.isNaN(a) || Number.isNaN(b)) return short;
  return [precise(metric, a, b), precise(metric, b, b)];
}

/** `value` in the unit `formatMetric` picks for `scale`, with up to nine significant digits. */
function precise(metric: Metric, value: number, scale: number): string {
  if (!isDurationMetric(metric)) {
    const digits = String(+(metric === 'error_rate' ? value * 100 : value).toPrecision(9));
    return metric === 'error_rate' ? `${digits}%` : metric === 'rate' ? `${digits}/s` : digits;
  }
  const [unit, ns] = DURATION_UNIT.find(([, size]) => Math.abs(scale) >= size) ?? ['ns', 1];
  return `${+(value / ns).toPrecision(9)}${unit}`;
}

const DURATION_UNIT: readonly (readonly [string, number])[] = [
  ['m', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['µs', 1e3],
];

/** A fraction as a percentage: `0.1` → `10%`. */
export function formatPercent(fraction: number): string {
  return `${significant(fraction * 100)}%`;
}

// Four significant digits keep a written budget such as 99.95% intact and cut noise such as
// 33.33333...% down to size.
function significant(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(+value.toPrecision(4));
}
