import { DEFAULT_MIN_REPEATED_CALLS, findRepeatedCalls, type RepeatedCallGroup } from '../analyze';
import { InputError } from '../errors';
import type { Span } from '../model';
import { compileSelector, describeSelector, type SelectorInput } from '../query';
import { type CheckOptions, type NoMatch, noMatch } from './selection';
import { type AssertTarget, CheckTarget } from './target';

export interface NoRepeatedCallsOptions extends CheckOptions {
  /** The fewest calls of one operation under one parent that count as repeated; default 5. */
  readonly minCount?: number;
  /**
   * Only spans this selects can be calls, e.g. `'{ type = database }'`. Selecting nothing
   * is an error, as with every selector: a typo must not pass as "no repeats".
   */
  readonly select?: SelectorInput;
  /** Spans this selects are never calls: a loop that is serial on purpose. */
  readonly ignore?: SelectorInput;
}

export interface NoRepeatedCallsResult {
  /** No group of repeated calls ran one after another. */
  readonly pass: boolean;
  readonly minCount: number;
  /** The `select` selector as messages show it, when one was given. */
  readonly select: string | undefined;
  readonly ignore: string | undefined;
  /** Groups whose calls waited for each other (the N+1s), traces in the given order. */
  readonly groups: readonly RepeatedCallGroup[];
  /** Groups as large whose calls ran concurrently: not N+1s, kept to say why they passed. */
  readonly concurrent: readonly RepeatedCallGroup[];
  /** Spans that could be calls (not roots, selected, not ignored), over every trace. */
  readonly searched: number;
  /** Set when `select` selected nothing. */
  readonly noMatch?: NoMatch;
}

const KNOWN_OPTIONS = new Set(['minCount', 'select', 'ignore', 'equals']);

/**
 * No operation is called `minCount` or more times under one parent, one call after
 * another: the N+1 pattern (see `findRepeatedCalls` for what counts as one operation and
 * as serial). The same calls made concurrently pass.
 */
export function checkNoRepeatedSerialCalls(
  target: AssertTarget,
  options: NoRepeatedCallsOptions = {},
): NoRepeatedCallsResult {
  checkOptions(options);
  const t = CheckTarget.of(target);
  const selectOptions = { equals: options.equals };
  const select =
    options.select === undefined ? undefined : compileSelector(options.select, selectOptions);
  const ignore =
    options.ignore === undefined ? undefined : compileSelector(options.ignore, selectOptions);
  const groups: RepeatedCallGroup[] = [];
  const concurrent: RepeatedCallGroup[] = [];
  let selected = 0;
  let searched = 0;
  for (const trace of t.traces) {
    const include = (span: Span): boolean => {
      if (select && !select.matches(span, trace)) return false;
      selected++;
      if (ignore?.matches(span, trace)) return false;
      searched++;
      return true;
    };
    for (const group of findRepeatedCalls(trace, { minCount: options.minCount, include })) {
      (group.serial ? groups : concurrent).push(group);
    }
  }
  const description = options.select === undefined ? undefined : describeSelector(options.select);
  // Roots are never calls, so they were not offered to `select`; a selector that picks
  // only the root did select something, and is not a typo.
  const missing =
    select && selected === 0 && select.select(t.traces).length === 0
      ? noMatch(t, options.select as SelectorInput, description as string, 'select')
      : undefined;
  return {
    pass: groups.length === 0 && missing === undefined,
    minCount: options.minCount ?? DEFAULT_MIN_REPEATED_CALLS,
    select: description,
    ignore: options.ignore === undefined ? undefined : describeSelector(options.ignore),
    groups,
    concurrent,
    searched,
    ...(missing ? { noMatch: missing } : {}),
  };
}

function checkOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InputError(
      {},
      `the options must be an object such as { minCount: 5, select: '{ type = database }' }, not ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new InputError(
        {},
        `unknown option ${JSON.stringify(key)}; the options are minCount, select and ignore`,
      );
    }
  }
}
