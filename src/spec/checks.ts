import { describeEdge, timeOnPath } from '../analyze';
import {
  type CapacityRule,
  checkAttributes,
  checkCapacity,
  checkDependencies,
  checkErrorOrigin,
  checkNoErrors,
  checkNoRepeatedSerialCalls,
  checkOnCriticalPath,
  checkSelfTime,
  checkSpanCount,
  describeCapacityRule,
  describeCapacityViolation,
  describeCountRange,
  matchTraceTree,
  nearestByName,
} from '../assert';
import { formatDuration, type Span, Trace } from '../model';
import { matches, type Selector, select } from '../query';
import { printable } from '../report';
import { plural, spanName } from '../report/text';
import { holds } from './budgets';
import type { CheckFailure, CheckResult } from './result';
import type { Assertion, Bound, CheckSpec } from './types';

/** One place a check looks at: a whole trace, or a span `for_each` matched with its subtree. */
interface Scope {
  /** What the assertions run on: the whole trace, or the subtree as a trace of its own. */
  readonly view: Trace;
  /** The trace as loaded, for reports. */
  readonly trace: Trace;
  readonly root: Span | undefined;
  /** Maps a span of `view` to the same span of `trace`. */
  readonly original: (span: Span) => Span;
}

/** A broken assertion in one scope, before it is tied to the scope's trace. */
interface Broken {
  readonly message: string;
  readonly spans: readonly Span[];
}

/** At most this many failures are kept per check: reports show a few, counts say the rest. */
const MAX_FAILURES = 100;

/**
 * Run one per-trace check on every scope: each trace, or each span `for_each` selects
 * (with its subtree, so "payment called once per checkout" counts inside each checkout).
 * Fewer scopes than `min_samples` fail the check: a `for_each` that matched nothing must
 * not pass as "every one of none was fine".
 */
export function runCheck(check: CheckSpec, traces: readonly Trace[]): CheckResult {
  if (check.scope === 'all') return runAcrossTraces(check, traces);
  const scopes = scopesOf(check.forEach, traces);
  const failures: CheckFailure[] = [];
  let failedScopes = 0;
  let originScopes = 0;
  for (const scope of scopes) {
    let failed = false;
    for (const assertion of check.assertions) {
      const broken = evaluate(assertion, scope, () => originScopes++);
      if (!broken) continue;
      failed = true;
      if (failures.length < MAX_FAILURES) {
        failures.push({
          assertion: assertion.kind,
          message: broken.message,
          trace: scope.trace,
          scope: check.forEach ? scope.root && scope.original(scope.root) : undefined,
          spans: broken.spans.map(scope.original),
          location: assertion.location,
        });
      }
    }
    if (failed) failedScopes++;
  }

  // An origin rule over scopes that all succeeded has checked nothing.
  const origin = check.assertions.find((a) => a.kind === 'error_origin');
  const vacuousOrigin = origin !== undefined && scopes.length > 0 && originScopes === 0;
  const tooFew = scopes.length < check.minSamples;
  const broken = failedScopes > 0 || tooFew || vacuousOrigin;
  return {
    name: check.name,
    forEach: check.forEach?.text,
    severity: check.severity,
    samples: scopes.length,
    minSamples: check.minSamples,
    assertions: check.assertions.map((a) => a.kind),
    tooFewSamples: tooFew ? { needed: check.minSamples } : undefined,
    failures:
      vacuousOrigin && origin
        ? [
            ...failures,
            {
              assertion: 'error_origin',
              message: `none of the ${scopes.length} scopes failed, so the error origin rule had nothing to check: run it on traces of a failure`,
              trace: undefined,
              scope: undefined,
              spans: [],
              location: origin.location,
            },
          ]
        : failures,
    failedScopes,
    verdict: broken ? check.severity : 'pass',
    location: check.location,
  };
}

/** A check over every trace at once (dependency rules): one scope, the whole set. */
function runAcrossTraces(check: CheckSpec, traces: readonly Trace[]): CheckResult {
  const failures: CheckFailure[] = [];
  const byId = new Map(traces.map((t) => [t.traceId, t]));
  for (const assertion of check.assertions) {
    if (assertion.kind === 'capacity') {
      failures.push(...capacityFailures(assertion.rules, traces, assertion.location));
      continue;
    }
    if (assertion.kind !== 'dependencies') continue;
    const result = checkDependencies(traces, assertion.rules);
    for (const rule of result.rules) {
      for (const unknown of rule.unknown.filter((u) => u.fatal)) {
        failures.push({
          assertion: 'dependencies',
          message: `${rule.description}: no service or peer named "${printable(unknown.name)}" in the traces${unknown.suggestion ? `; did you mean "${printable(unknown.suggestion)}"?` : ''}`,
          trace: undefined,
          scope: undefined,
          spans: [],
          location: assertion.location,
        });
      }
      for (const violation of rule.violations) {
        const example = violation.edge.examples[0];
        const trace = example ? byId.get(example.traceId) : undefined;
        const spans = example
          ? [example.spanId, example.calleeSpanId]
              .map((id) => (id ? trace?.spanById(id) : undefined))
              .filter((s): s is Span => s !== undefined)
          : [];
        failures.push({
          assertion: 'dependencies',
          message: `${rule.description}, but "${printable(violation.edge.from)}" calls "${printable(violation.edge.to)}" (${describeEdge(violation.edge)})`,
          trace,
          scope: undefined,
          spans,
          location: assertion.location,
        });
      }
    }
  }
  const tooFew = traces.length < check.minSamples;
  return {
    name: check.name,
    forEach: undefined,
    severity: check.severity,
    samples: traces.length,
    minSamples: check.minSamples,
    assertions: check.assertions.map((a) => a.kind),
    tooFewSamples: tooFew ? { needed: check.minSamples } : undefined,
    failures,
    // Failures of the set as a whole are not failures of any one trace.
    failedScopes: 0,
    verdict: failures.length > 0 || tooFew ? check.severity : 'pass',
    location: check.location,
  };
}

function capacityFailures(
  rules: readonly CapacityRule[],
  traces: readonly Trace[],
  location: CheckFailure['location'],
): CheckFailure[] {
  if (traces.length === 0) return [];
  const result = checkCapacity(traces, rules);
  const failure = (message: string, spans: readonly Span[] = []): CheckFailure => ({
    assertion: 'capacity',
    message,
    trace: undefined,
    scope: undefined,
    spans,
    location,
  });
  return result.rules.flatMap((r) => {
    if (r.unknown) {
      const hint = r.unknown.suggestion
        ? `; did you mean "${printable(r.unknown.suggestion)}"?`
        : '';
      return [failure(`no span belongs to service "${printable(r.unknown.service)}"${hint}`)];
    }
    return r.violations.map((v) =>
      failure(`${describeCapacityRule(r.rule)}, but ${describeCapacityViolation(v)}`),
    );
  });
}

function scopesOf(forEach: Selector | undefined, traces: readonly Trace[]): Scope[] {
  const scopes: Scope[] = [];
  for (const trace of traces) {
    if (!forEach) {
      scopes.push({ view: trace, trace, root: trace.root, original: (s) => s });
      continue;
    }
    for (const span of select(trace, forEach)) scopes.push(subtreeScope(trace, span));
  }
  return scopes;
}

/** The span and its descendants as a trace of their own, so every assertion sees only them. */
function subtreeScope(trace: Trace, root: Span): Scope {
  const originals = [root, ...trace.descendantsOf(root)];
  const back = new Map<Span, Span>();
  const copies = originals.map((s) => {
    const copy = s.detached();
    back.set(copy, s);
    return copy;
  });
  const view = Trace.from(copies);
  return { view, trace, root: copies[0], original: (s) => back.get(s) ?? s };
}

/** `sawFailure` is called when an error origin rule found a failed scope to check. */
function evaluate(assertion: Assertion, scope: Scope, sawFailure: () => void): Broken | undefined {
  const t = scope.view;
  switch (assertion.kind) {
    case 'exists': {
      const found = select(t, assertion.select);
      if (found.length > 0) return undefined;
      return {
        message: `no span matches ${assertion.select.text}${nearMisses(t, assertion.select)}`,
        spans: [],
      };
    }
    case 'absent': {
      const found = select(t, assertion.select);
      if (found.length === 0) return undefined;
      return {
        message: `${plural(found.length, 'span')} ${found.length === 1 ? 'matches' : 'match'} ${assertion.select.text}, expected none: ${names(found)}`,
        spans: found,
      };
    }
    case 'count': {
      const result = checkSpanCount(t, assertion.select, {
        min: assertion.min,
        max: assertion.max,
      });
      if (result.pass) return undefined;
      const range = describeCountRange(result.expected);
      return {
        message: `${assertion.select.text} matched ${plural(result.count, 'span')}, expected ${range}${result.count === 0 ? nearMisses(t, assertion.select) : `: ${names(result.matched.map((m) => m.span))}`}`,
        spans: result.matched.map((m) => m.span),
      };
    }
    case 'tree': {
      const expectation = assertion.expectation;
      const result = matchTraceTree(expectation, t, {
        strict: assertion.strict,
        ordered: assertion.ordered,
      });
      if (result.pass || !result.mismatch) return undefined;
      const line = expectation.lines.find((l) => l.line === result.mismatch?.expectedLine);
      return {
        message: `tree line ${JSON.stringify(line?.text.trim() ?? '')}: ${result.mismatch.reason}`,
        spans: result.mismatch.actualSpan ? [result.mismatch.actualSpan] : [],
      };
    }
    case 'duration': {
      const spans = assertion.select ? select(t, assertion.select) : scope.root ? [scope.root] : [];
      if (spans.length === 0) {
        return {
          message: `no span matches ${assertion.select?.text ?? 'the scope'}${assertion.select ? nearMisses(t, assertion.select) : ''}`,
          spans: [],
        };
      }
      const slow = spans.filter((s) => broken(assertion.bounds, s.durationNs) !== undefined);
      if (slow.length === 0) return undefined;
      const first = slow[0] as Span;
      const bound = broken(assertion.bounds, first.durationNs) as Bound;
      return {
        message: `${describeSpan(first)} took ${formatDuration(first.durationNs)}, outside the budget ${bound.text}${slow.length > 1 ? ` (and ${plural(slow.length - 1, 'more span')})` : ''}`,
        spans: slow,
      };
    }
    case 'attributes': {
      if (!assertion.select && !scope.root)
        return { message: 'the scope has no root span', spans: [] };
      // Without a selector the attributes are the scope's root span's own.
      const result = checkAttributes(
        assertion.select ? t : (scope.root as Span),
        assertion.select,
        assertion.expected,
      );
      if (result.noMatch)
        return {
          message: `no span matches ${result.noMatch.selector}${nearMisses(t, assertion.select as Selector)}`,
          spans: [],
        };
      const wrong = result.compared.filter((c) => c.mismatches.length > 0);
      if (wrong.length === 0) return undefined;
      const first = wrong[0];
      const detail = first?.mismatches
        .map(
          (m) =>
            `${m.key} is ${m.actual === undefined ? 'missing' : JSON.stringify(m.actual)}, expected ${JSON.stringify(m.expected)}`,
        )
        .join('; ');
      return {
        message: `${first ? describeSpan(first.span) : 'a span'}: ${detail}${wrong.length > 1 ? ` (and ${plural(wrong.length - 1, 'more span')})` : ''}`,
        spans: wrong.map((w) => w.span),
      };
    }
    case 'no_errors': {
      const result = checkNoErrors(t);
      const ignore = assertion.ignore;
      const failed = result.failures.filter((f) => !(ignore && matches(f.span, f.trace, ignore)));
      if (failed.length === 0) return undefined;
      const first = failed[0];
      const reason = first ? errorText(first.span) : '';
      return {
        message: `${plural(failed.length, 'span')} failed: ${first ? describeSpan(first.span) : ''}${reason}${failed.length > 1 ? `, and ${failed.length - 1} more` : ''}`,
        spans: failed.map((f) => f.span),
      };
    }
    case 'critical_path': {
      const result = checkOnCriticalPath(t, assertion.select);
      if (result.pass) return undefined;
      if (result.noMatch)
        return {
          message: `no span matches ${assertion.select.text}${nearMisses(t, assertion.select)}`,
          spans: [],
        };
      const path = result.paths[0];
      const onPath = path
        ? [...timeOnPath(path)].filter(([, ns]) => ns > 0).sort((a, b) => b[1] - a[1])
        : [];
      const through = onPath
        .slice(0, 3)
        .map(([span, ns]) => `${describeSpan(span)} ${formatDuration(ns)}`)
        .join(', ');
      return {
        message: `no span matching ${assertion.select.text} is on the critical path; the time went to ${through}`,
        spans: onPath.slice(0, 3).map(([span]) => span),
      };
    }
    case 'self_time': {
      const result = checkSelfTime(t, `${assertion.maxNs}ns`, {
        by: assertion.by,
        ...(assertion.select ? { select: assertion.select } : {}),
      });
      if (result.pass) return undefined;
      if (result.noMatch)
        return { message: `no span matches ${result.noMatch.selector}`, spans: [] };
      const worst = result.over[0];
      if (!worst) return { message: 'nothing was measured', spans: [] };
      const who = worst.span ? describeSpan(worst.span) : `service "${printable(worst.service)}"`;
      return {
        message: `${who} spent ${formatDuration(worst.selfNs)} in its own code, over ${formatDuration(assertion.maxNs)}${result.over.length > 1 ? ` (and ${result.over.length - 1} more)` : ''}`,
        spans: worst.spans,
      };
    }
    case 'no_repeated_serial_calls': {
      const result = checkNoRepeatedSerialCalls(t, {
        ...(assertion.minCount !== undefined ? { minCount: assertion.minCount } : {}),
        ...(assertion.select ? { select: assertion.select } : {}),
        ...(assertion.ignore ? { ignore: assertion.ignore } : {}),
      });
      if (result.pass) return undefined;
      if (result.noMatch)
        return { message: `no span matches ${result.noMatch.selector}`, spans: [] };
      const groups = result.groups.map(
        (g) =>
          `${g.count} × ${describeSpan(g.spans[0] as Span)} one after another under "${printable(g.parent.name)}": ${formatDuration(g.wallNs)} wall, ${formatDuration(g.sumNs)} summed, ${plural(g.overlappingPairs, 'overlapping pair')}`,
      );
      return { message: groups.join('; '), spans: result.groups.flatMap((g) => g.spans) };
    }
    case 'response':
    case 'trace_arrived':
      // Checked as the traces come in, in live.ts.
      return undefined;
    case 'capacity':
    case 'dependencies':
      // Checked once over every trace, in runAcrossTraces.
      return undefined;
    case 'error_origin': {
      const result = checkErrorOrigin(t, assertion.select);
      if (result.origins.length === 0) return undefined;
      sawFailure();
      if (result.elsewhere.length === 0 && result.matched.length > 0) return undefined;
      const origin = result.elsewhere[0] ?? result.origins[0];
      const at = origin
        ? describeSpan(origin.origin) + errorText(origin.origin)
        : 'an unmatched span';
      return {
        message: `the failure started at ${at}, not at a span matching ${assertion.select.text}`,
        spans: origin ? [origin.origin] : [],
      };
    }
  }
}

function broken(bounds: readonly Bound[], ns: number): Bound | undefined {
  return bounds.find((b) => !holds(b, ns));
}

function describeSpan(span: Span): string {
  return `${spanName(span)} (span ${span.spanId})`;
}

function errorText(span: Span): string {
  return span.status.message ? ` (${printable(span.status.message)})` : '';
}

/** `"A" ×3, "B"`: names with their counts, the most frequent first, a few at most. */
function names(spans: readonly Span[]): string {
  const counts = new Map<string, number>();
  for (const span of spans) counts.set(span.name, (counts.get(span.name) ?? 0) + 1);
  const shown = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, n]) => `"${printable(name)}"${n > 1 ? ` ×${n}` : ''}`);
  return counts.size > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** Spans named like the ones a selector asks for: the usual reason it matched nothing is a typo. */
function nearMisses(trace: Trace, selector: Selector): string {
  const candidates = nearestByName([trace], selector);
  if (candidates.length === 0) return '';
  return `; nearest: ${candidates.map((c) => `"${printable(c.span.name)}"`).join(', ')}`;
}
