import { InputError } from '../errors';
import { DURATION_UNITS, parseDuration } from '../model';

/** A time budget as people write it: `'300ms'`, `'1.5s'`, or a number of milliseconds. */
export type Budget = string | number;

/**
 * A budget in nanoseconds. Throws an {@link InputError} that shows how to write it when
 * it is not a duration (`'300 ms'`, `'fast'`, `-1`).
 */
export function parseBudget(budget: Budget): number {
  const ns =
    typeof budget === 'string' || typeof budget === 'number'
      ? parseDuration(budget, 'ms')
      : undefined;
  if (ns !== undefined) return ns;
  throw new InputError({}, budgetProblem(budget));
}

function budgetProblem(budget: unknown): string {
  const examples = `write it as '300ms', '1.5s' or a number of milliseconds (units: ${DURATION_UNITS.join(', ')})`;
  if (typeof budget === 'number') {
    return `${budget} is not a budget: a number of milliseconds must be finite and not negative`;
  }
  if (typeof budget !== 'string') {
    return `a budget must be a string or a number, not ${budget === null ? 'null' : typeof budget}; ${examples}`;
  }
  const spaced = /^\s*(\d+(?:\.\d+)?)\s+([a-zµ]+)\s*$/i.exec(budget);
  if (spaced && parseDuration(`${spaced[1]}${spaced[2]}`) !== undefined) {
    return `${JSON.stringify(budget)} is not a duration: write it without the space, as ${JSON.stringify(`${spaced[1]}${spaced[2]}`)}`;
  }
  return `${JSON.stringify(budget)} is not a duration; ${examples}`;
}
