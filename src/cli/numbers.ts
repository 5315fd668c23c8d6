import { InvalidArgumentError } from 'commander';

/** A commander option parser for a whole number of at least `min` (`hint` says what 0 means, if anything). */
export function wholeNumber(min: number, hint = ''): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new InvalidArgumentError(
        `expected a whole number${min > 0 ? ` of at least ${min}` : ''}${hint}`,
      );
    }
    return Number(value);
  };
}
