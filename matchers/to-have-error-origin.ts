import type { MatcherContext } from 'expect';
import { describeFailure, type ErrorOrigin } from '../src/analyze';
import { checkErrorOrigin } from '../src/assert';
import { describeSelector, type SelectorInput } from '../src/query';
import { shortTraceId } from '../src/report';
import {
  count,
  equalsOf,
  expectedReceived,
  hint,
  isOneOf,
  label,
  type MatcherResult,
  noMatchError,
  run,
  sections,
  spanName,
  targetOf,
  treesSection,
} from './utils';

/**
 * The failure started at a span `selector` matches: the deepest failed span, not the
 * ancestors the error propagated to, nor later failures it caused; or, when a span gave up
 * waiting (a timeout), the span its time went to, even if that one did not fail (see
 * `findErrorOrigin`). The failure message prints the rule's own explanation.
 */
export function toHaveErrorOrigin(
  this: MatcherContext,
  received: unknown,
  selector: SelectorInput,
): MatcherResult {
  const hintLine = () =>
    hint(this, 'toHaveErrorOrigin', received, 'selector', { comment: describeSelector(selector) });
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () =>
    checkErrorOrigin(target, selector, { equals: equalsOf(this) }),
  );
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  const several = target.traces.length > 1;
  return {
    pass: result.pass,
    message: () => {
      const shown = this.isNot ? result.origins : result.elsewhere;
      let received: string;
      if (result.origins.length === 0)
        received = several ? 'no span failed in any trace' : 'no span failed';
      else if (!several) received = `it started at ${spanName((shown[0] as ErrorOrigin).origin)}`;
      else if (this.isNot) received = `in ${count(shown.length, 'failed trace')} it started there`;
      else
        received = `in ${shown.length} of ${count(result.origins.length, 'failed trace')} it started elsewhere`;
      return sections(
        hintLine(),
        expectedReceived(
          this,
          `the failure ${this.isNot ? 'not ' : ''}to start at a span matching the selector`,
          received,
        ),
        ...shown.slice(0, 2).map((o) => explainOrigin(o, several)),
        treesSection(
          this,
          shown.length > 0 ? shown.map((o) => o.trace) : target.traces,
          isOneOf(result.matched),
        ),
      );
    },
  };
}

/**
 * Where it started, how, why there (the rule's own sentence, which names the span that
 * timed out when a timeout hid the origin), where it went, and what else failed.
 */
function explainOrigin(o: ErrorOrigin, several: boolean): string {
  // ✗ by the analysis' own idea of failed (an exception or error tag counts), not status alone.
  const failed = new Set(o.failures.map((f) => f.span));
  const lines = [
    several ? `In trace ${shortTraceId(o.trace.traceId)}:` : '',
    `${label('Origin')}${originText(o)}`,
    `${label('Why')}${o.because}`,
    `${label('Path')}${o.chain.map((s) => `${s.name}${failed.has(s) ? ' ✗' : ''}`).join(' → ')}`,
    o.fallout.length > 0
      ? `${label('Fallout')}${o.fallout.map(spanName).join(', ')} (failed too, not on the path)`
      : '',
  ];
  return lines.filter((l) => l !== '').join('\n');
}

/** `"INSERT orders" [db]: status ERROR: deadlock detected`; a masked origin may not have failed. */
function originText(o: ErrorOrigin): string {
  const how = o.signal
    ? describeFailure(o.origin, o.signal)
    : `did not fail (status ${o.origin.status.code.toUpperCase()}); the time went there`;
  return `${spanName(o.origin)}: ${how}`;
}
