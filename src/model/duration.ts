/**
 * Durations as people write them (`300ms`, `1.5s`, `250µs`) and as tracespec prints them.
 * Values are nanoseconds as numbers: exact for anything shorter than 104 days.
 */

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** The units a duration literal may carry, longest first so that `ms` wins over `m`. */
export const DURATION_UNITS: readonly string[] = Object.keys(UNIT_NS).sort(
  (a, b) => b.length - a.length,
);

const DURATION = /^(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)$/;

/**
 * Parse `300ms`, `1.5s`, `2m`, `250us` into nanoseconds; a bare number is milliseconds
 * when `bareNumberUnit` is `'ms'`. Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string | number, bareNumberUnit?: 'ms'): number | undefined {
  if (typeof text === 'number') {
    return bareNumberUnit === 'ms' && Number.isFinite(text) && text >= 0 ? text * 1e6 : undefined;
  }
  const trimmed = text.trim();
  const match = DURATION.exec(trimmed);
  if (!match) {
    if (bareNumberUnit === 'ms' && /^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1e6;
    return undefined;
  }
  return Math.round(Number(match[1]) * (UNIT_NS[match[2] as string] as number));
}

/** Short human form: `352ms`, `1.25s`, `45.2µs`, `800ns`. */
export function formatDuration(ns: number): string {
  const abs = Math.abs(ns);
  if (abs >= 60e9) return `${trim(ns / 60e9)}m`;
  if (abs >= 1e9) return `${trim(ns / 1e9)}s`;
  if (abs >= 1e6) return `${trim(ns / 1e6)}ms`;
  if (abs >= 1e3) return `${trim(ns / 1e3)}µs`;
  return `${Math.round(ns)}ns`;
}

function trim(value: number): string {
  // Three significant decimals at most, without trailing zeros: 352ms, 1.25s, 45.2µs.
  return String(+value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2));
}
