import { describe, expect, test } from '@jest/globals';
import { colorEnabled } from '../../src/cli/io';

const io = (env: NodeJS.ProcessEnv, isTTY: boolean) => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  env,
  isTTY,
});

describe('colorEnabled', () => {
  test('colours a terminal, never a pipe', () => {
    expect(colorEnabled(io({}, true))).toBe(true);
    expect(colorEnabled(io({}, false))).toBe(false);
  });

  test('NO_COLOR with any non-empty value turns colours off', () => {
    expect(colorEnabled(io({ NO_COLOR: '1' }, true))).toBe(false);
    expect(colorEnabled(io({ NO_COLOR: 'false' }, true))).toBe(false);
    // no-color.org: only a present, non-empty NO_COLOR counts.
    expect(colorEnabled(io({ NO_COLOR: '' }, true))).toBe(true);
  });

  test('FORCE_COLOR forces colours on, even into a pipe, and 0 or false forces them off', () => {
    expect(colorEnabled(io({ FORCE_COLOR: '1' }, false))).toBe(true);
    expect(colorEnabled(io({ FORCE_COLOR: '' }, false))).toBe(true);
    expect(colorEnabled(io({ FORCE_COLOR: '0' }, true))).toBe(false);
    expect(colorEnabled(io({ FORCE_COLOR: 'false' }, true))).toBe(false);
  });
});
