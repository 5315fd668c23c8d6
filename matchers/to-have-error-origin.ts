import type { MatcherContext } from 'expect';
import type { ErrorOrigin } from '../src/analyze';
import { checkErrorOrigin } from '../src/assert';
import { describeSelector, type SelectorInput } from '../src/query';
import { shortTraceId } from '../src/report';
import {
  count,
  equalsOf,
  expectedReceived,
  failureText,
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
 * ancestors the error propagated to, nor later failures it caused (see `findErrorOrigin`).
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

/** Where it started, how, where it went, and what else failed. */
function explainOrigin(o: ErrorOrigin, several: boolean): string {
  const lines = [
    several ? `In trace ${shortTraceId(o.trace.traceId)}:` : '',
    `${label('Origin')}${spanName(o.origin)}: ${failureText(o.origin, o.signal)}`,
    `${label('Path')}${o.chain.map((s) => `${s.name}${s.isError ? ' ✗' : ''}`).join(' → ')}`,
    o.fallout.length > 0
      ? `${label('Fallout')}${o.fallout.map(spanName).join(', ')} (failed later, not on the path)`
      : '',
  ];
  return lines.filter((l) => l !== '').join('\n');
}
