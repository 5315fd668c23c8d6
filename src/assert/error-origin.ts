import { type ErrorOrigin, findErrorOrigin } from '../analyze';
import type { Trace } from '../model';
import { compileSelector, describeSelector, type SelectorInput } from '../query';
import { type CheckOptions, type NoMatch, noMatch, type SpanRef, selectIn } from './selection';
import { type AssertTarget, CheckTarget } from './target';

export interface ErrorOriginResult {
  /** At least one trace failed, and in every failed trace the failure started at a matching span. */
  readonly pass: boolean;
  readonly selector: string;
  /** The origin of each trace that failed, in the order the traces were given. */
  readonly origins: readonly ErrorOrigin[];
  /** The origins that the selector does not match. */
  readonly elsewhere: readonly ErrorOrigin[];
  /** Traces in which no span failed. */
  readonly clean: readonly Trace[];
  /** The spans the selector matches (where the failure was expected to start). */
  readonly matched: readonly SpanRef[];
  /** Set when the selector matched nothing. */
  readonly noMatch?: NoMatch;
}

/**
 * The failure started at a span `selector` matches: not at one of the ancestors it
 * propagated to, and not at a later failure it caused; when a span gave up waiting, at the
 * span its time went to (see {@link findErrorOrigin}).
 */
export function checkErrorOrigin(
  target: AssertTarget,
  selector: SelectorInput,
  options: CheckOptions = {},
): ErrorOriginResult {
  const t = CheckTarget.of(target);
  const description = describeSelector(selector);
  const compiled = compileSelector(selector, { equals: options.equals });
  const matched = selectIn(t, selector, options);
  const origins: ErrorOrigin[] = [];
  const clean: Trace[] = [];
  for (const trace of t.traces) {
    const found = findErrorOrigin(trace);
    if (found) origins.push(found);
    else clean.push(trace);
  }
  const elsewhere = origins.filter((o) => !compiled.matches(o.origin, o.trace));
  return {
    pass: matched.length > 0 && origins.length > 0 && elsewhere.length === 0,
    selector: description,
    origins,
    elsewhere,
    clean,
    matched,
    ...(matched.length === 0 ? { noMatch: noMatch(t, selector, description) } : {}),
  };
}
