/** Anything with `write(text)`: process.stdout, or a test's string collector. */
export interface WritableLike {
  write(text: string): unknown;
}

/** Everything the CLI touches outside itself, so that it runs in-process under tests. */
export interface CliIO {
  readonly stdout: WritableLike;
  readonly stderr: WritableLike;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal. Colours are only ever written to one. */
  readonly isTTY?: boolean;
}

/**
 * Whether to colour stdout. FORCE_COLOR decides when set (`0` or `false` force colours off,
 * anything else on), as in Node.js itself; otherwise colours need a terminal and no
 * non-empty NO_COLOR (https://no-color.org: "regardless of its value").
 */
export function colorEnabled(io: CliIO): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.isTTY === true;
}
