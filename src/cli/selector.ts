import { InputError } from '../errors';
import { parseSelector, type Selector } from '../query';

/**
 * Parse a `--select` value. The parser's message names the problem and points at it with a
 * caret; the flag's name is added so that a CI log shows where the query came from.
 */
export function parseSelectOption(text: string): Selector {
  try {
    return parseSelector(text);
  } catch (error) {
    if (error instanceof InputError) {
      throw new InputError({}, `--select: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
