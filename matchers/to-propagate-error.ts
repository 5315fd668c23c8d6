import type { MatcherContext } from 'expect';
import { type ErrorOrigin, failureSignal } from '../src/analyze';
import { checkErrorPropagation, type PropagationExpectation } from '../src/assert';
import type { Span } from '../src/model';
import { describeSelector } from '../src/query';
import { errorReason, printable } from '../src/report';
import {
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
 * The error that started at a span `from` matches reached a span `to` matches (the root
 * when `to` is left out): ERROR status on both and on every span between them, so nothing
 * on the way handled it.
 */
export function toPropagateError(
  this: MatcherContext,
  received: unknown,
  expectation: PropagationExpectation,
): MatcherResult {
  const comment = () =>
    expectation && typeof expectation === 'object' && expectation.from !== undefined
      ? `${describeSelector(expectation.from)} up to ${expectation.to === undefined ? 'the root' : describeSelector(expectation.to)}`
      : '';
  const hintLine = () =>
    hint(this, 'toPropagateError', received, '{ from, to }', { comment: comment() });
  const target = targetOf(this, hintLine, received, { singleTrace: true });
  const result = run(this, hintLine, () =>
    checkErrorPropagation(target, expectation, { equals: equalsOf(this) }),
  );
  if (result.noMatch) throw noMatchError(this, hintLine(), result.noMatch, target.traces);
  const top = result.to === undefined ? 'the root' : 'the `to` span';
  return {
    pass: result.pass,
    message: () => {
      let received: string;
      if (result.path.length === 0) {
        received = `no span matching \`from\` has an ancestor matching \`to\``;
      } else if (this.isNot) {
        received = `every span from ${spanName(result.path[0] as Span)} up to ${spanName(result.path[result.path.length - 1] as Span)} has ERROR status`;
      } else {
        const stop = result.handledAt[0] as Span;
        received =
          stop === result.path[0]
            ? `${spanName(stop)} itself does not have ERROR status`
            : `${spanName(stop)} handled it: its status is ${stop.status.code.toUpperCase()}`;
      }
      return sections(
        hintLine(),
        expectedReceived(
          this,
          this.isNot
            ? `a span between \`from\` and ${top} to handle the error`
            : `ERROR status on \`from\` and every span up to ${top}`,
          received,
        ),
        result.path.length > 0 && `Path, bottom up:\n${result.path.map(pathLine).join('\n')}`,
        result.origin && originSection(result.origin),
        treesSection(this, [result.trace], isOneOf(result.path)),
      );
    },
  };
}

/**
 * Where the trace's failure started, by the same analysis as `toHaveErrorOrigin`: when the
 * path checked is not the one the failure took, this is the line that says so.
 */
function originSection(o: ErrorOrigin): string {
  const timeout = o.timeout ? `, where ${spanName(o.timeout.span)} gave up waiting` : '';
  return `${label('Origin')}${spanName(o.origin)}${timeout}\n${label('Why')}${o.because}`;
}

/** `  ✗ charge card [payments]: card declined` or `  ✓ Order Service [orders]: status UNSET`. */
function pathLine(span: Span): string {
  if (span.isError) {
    const reason = printable(errorReason(span));
    return `  ✗ ${spanName(span)}${reason ? `: ${reason}` : ''}`;
  }
  const signal = failureSignal(span);
  const unlabelled =
    signal === 'exception'
      ? ' (it recorded an exception: set ERROR status where the error is not handled)'
      : signal === 'error-tag'
        ? ' (it is tagged error=true: set ERROR status where the error is not handled)'
        : '';
  return `  ✓ ${spanName(span)}: status ${span.status.code.toUpperCase()}${unlabelled}`;
}
