const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * The message of a failing assertion without colours, as a person reads it in a CI log.
 * Fails the test when the assertion passes.
 */
export function failureOf(assertion: () => unknown): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message.replace(ANSI, '');
  }
  throw new Error('expected the assertion to fail, but it passed');
}
