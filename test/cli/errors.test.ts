import { describe, expect, test } from '@jest/globals';
import { reportError } from '../../src/cli/errors';
import { InputError } from '../../src/errors';
import { STACK_LINE } from './patterns';

function capture(env: NodeJS.ProcessEnv = {}) {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    env,
  };
  return { io, out };
}

describe('reportError', () => {
  test('prints bad input as one line prefixed tracespec: and exits 2', () => {
    const { io, out } = capture();
    const code = reportError(
      new InputError({ file: 'a.json', line: 3, column: 7 }, 'expected a span'),
      io,
    );
    expect(code).toBe(2);
    expect(out.stderr).toBe('tracespec: a.json:3:7: expected a span\n');
    expect(out.stdout).toBe('');
  });

  test('prints any other error as an internal error with a hint, not a stack trace', () => {
    const { io, out } = capture();
    expect(reportError(new TypeError('x is undefined'), io)).toBe(2);
    expect(out.stderr).toBe(
      'tracespec: internal error: x is undefined\n' +
        'tracespec: this is a bug; set TRACESPEC_DEBUG=1 to see the stack trace\n',
    );
    expect(out.stderr).not.toMatch(STACK_LINE);
  });

  test('prints the stack when TRACESPEC_DEBUG is set', () => {
    const { io, out } = capture({ TRACESPEC_DEBUG: '1' });
    reportError(new TypeError('x is undefined'), io);
    expect(out.stderr).toMatch(
      /^tracespec: internal error: x is undefined\nTypeError: x is undefined\n/,
    );
    expect(out.stderr).toMatch(STACK_LINE);
  });

  test('copes with a thrown non-Error', () => {
    const { io, out } = capture();
    expect(reportError('just a string', io)).toBe(2);
    expect(out.stderr).toMatch(/^tracespec: internal error: just a string\n/);
  });
});
