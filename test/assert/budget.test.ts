import { describe, expect, test } from '@jest/globals';
import { parseBudget } from '../../src/assert';
import { InputError } from '../../src/errors';

describe('parseBudget', () => {
  test('reads durations with units and numbers of milliseconds', () => {
    expect(parseBudget('300ms')).toBe(300e6);
    expect(parseBudget('1.5s')).toBe(1.5e9);
    expect(parseBudget('250us')).toBe(250e3);
    expect(parseBudget(250)).toBe(250e6);
    expect(parseBudget(0)).toBe(0);
    expect(parseBudget('120')).toBe(120e6);
  });

  test('explains how to write what it cannot read', () => {
    expect(() => parseBudget('300 ms')).toThrow(
      '"300 ms" is not a duration: write it without the space, as "300ms"',
    );
    expect(() => parseBudget('fast')).toThrow(
      /"fast" is not a duration; write it as '300ms', '1.5s' or a number of milliseconds \(units: /,
    );
    expect(() => parseBudget(-1)).toThrow(
      /-1 is not a budget: a number of milliseconds must be finite and not negative/,
    );
    expect(() => parseBudget(Number.NaN)).toThrow(/NaN is not a budget/);
    expect(() => parseBudget(null as never)).toThrow(
      /a budget must be a string or a number, not null/,
    );
    expect(() => parseBudget('fast')).toThrow(InputError);
  });
});
