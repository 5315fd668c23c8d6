/** Check results as the reporters describe them: samples in words, failures by scope. */

import type { Span, Trace } from '../../model';
import type { CheckFailure, CheckResult } from '../../spec/result';
import { plural, printable } from '../text';
import { tooFewSamplesText } from './format';

/** One scope (a trace, or a `for_each` span) with every assertion it broke. */
export interface FailedScope {
  /** Undefined for failures of the traces as a set (dependency rules, capacity limits). */
  readonly trace: Trace | undefined;
  readonly scope: Span | undefined;
  readonly failures: readonly CheckFailure[];
}

/** Failures grouped by scope, in result order, at most `limit` scopes; `more` counts the rest. */
export function failedScopes(
  check: CheckResult,
  limit: number,
): { scopes: FailedScope[]; more: number } {
  const byScope = new Map<string, CheckFailure[]>();
  for (const failure of check.failures) {
    const key = `${failure.trace?.traceId ?? ''}/${failure.scope?.spanId ?? ''}`;
    const list = byScope.get(key);
    if (list) list.push(failure);
    else byScope.set(key, [failure]);
  }
  const scopes: FailedScope[] = [];
  for (const failures of byScope.values()) {
    if (scopes.length === limit) break;
    const first = failures[0] as CheckFailure;
    scopes.push({ trace: first.trace, scope: first.scope, failures });
  }
  // The runner may keep fewer failures than scopes broke: failedScopes is the true count.
  const total = Math.max(check.failedScopes, byScope.size);
  return { scopes, more: total - scopes.length };
}

/** What a check's scopes are called: spans `for_each` matched, or whole traces. */
export function scopeNoun(check: CheckResult): string {
  return check.forEach === undefined ? 'trace' : 'span';
}

/** `checked 120 spans`, `3 of 120 traces failed`. */
export function samplesText(check: CheckResult): string {
  const noun = scopeNoun(check);
  if (check.failedScopes > 0) {
    return `${check.failedScopes} of ${plural(check.samples, noun)} failed`;
  }
  return `checked ${plural(check.samples, noun)}`;
}

/** `for_each selected 0 spans; needs at least 1`, or undefined when there were enough. */
export function checkTooFewText(check: CheckResult): string | undefined {
  if (!check.tooFewSamples) return undefined;
  const text = tooFewSamplesText(check.samples, check.tooFewSamples.needed, scopeNoun(check));
  return check.forEach === undefined ? text : `for_each ${check.forEach} ${text}`;
}

/** How a failure points at its scope: `trace 0af7…` or `trace 0af7… span 00f0… "name"`. */
export function scopeText(scope: FailedScope): string {
  if (!scope.trace) return 'over all traces';
  const trace = `trace ${scope.trace.traceId}`;
  if (!scope.scope) return trace;
  return `${trace} span ${scope.scope.spanId} "${printable(scope.scope.name)}"`;
}
