import type { MatcherContext } from 'expect';
import {
  matchTraceTree,
  parseTreeExpectation,
  renderTreeMatch,
  renderTreeMismatch,
  type TreeMatchOptions,
} from '../src/assert/tree';
import { shortTraceId } from '../src/report';
import { hint, type MatcherResult, run, sections, targetOf, useColor } from './utils';

const OPTIONS = ['strict', 'ordered'];

/**
 * The trace has the shape drawn in tree notation (DESIGN.md, "Trace trees as assertions"):
 * one line per span, `(<300ms)` budgets, `...` for spans in between; partial unless
 * `strict`, any sibling order unless `ordered`. A failure shows the expected tree beside
 * the received one with the first difference marked on both.
 */
export function toMatchTraceTree(
  this: MatcherContext,
  received: unknown,
  text: string,
  options?: TreeMatchOptions,
): MatcherResult {
  const hintLine = () =>
    hint(
      this,
      'toMatchTraceTree',
      received,
      'tree',
      options === undefined ? {} : { secondArgument: 'options' },
    );
  if (typeof text !== 'string') {
    throw new Error(
      this.utils.matcherErrorMessage(
        hintLine(),
        `${this.utils.EXPECTED_COLOR('tree')} must be a string in the tree notation, e.g. \`POST /api/checkout\\n└── Order Service (<400ms)\``,
        this.utils.printWithType('Tree', text, this.utils.printExpected),
      ),
    );
  }
  checkOptions(this, hintLine, options);
  const target = targetOf(this, hintLine, received);
  const expectation = run(this, hintLine, () => parseTreeExpectation(text));
  const result = matchTraceTree(expectation, target.traces, options);

  const render = {
    width: process.stdout.columns || 160,
    ...(useColor(this)
      ? { expectedColor: this.utils.EXPECTED_COLOR, receivedColor: this.utils.RECEIVED_COLOR }
      : {}),
  };
  return {
    pass: result.pass,
    message: () =>
      this.isNot
        ? sections(
            hintLine(),
            `Expected no trace to have this shape, but trace ${shortTraceId(result.trace?.traceId ?? '')} matches every line:`,
            renderTreeMatch(expectation, result, render),
          )
        : sections(hintLine(), renderTreeMismatch(expectation, result, render)),
  };
}

/** An option name with a typo would otherwise be ignored, and the check silently weaker. */
function checkOptions(ctx: MatcherContext, hintLine: () => string, options: unknown): void {
  if (options === undefined) return;
  const problem =
    typeof options !== 'object' || options === null || Array.isArray(options)
      ? 'must be an object such as { strict: true, ordered: true }'
      : Object.entries(options)
          .map(([key, value]) =>
            !OPTIONS.includes(key)
              ? `has an unknown option "${key}" (the options are strict and ordered)`
              : value !== undefined && typeof value !== 'boolean'
                ? `has ${key}: ${ctx.utils.stringify(value)}, which must be true or false`
                : '',
          )
          .find((p) => p !== '');
  if (problem) {
    throw new Error(
      ctx.utils.matcherErrorMessage(
        hintLine(),
        `${ctx.utils.EXPECTED_COLOR('options')} ${problem}`,
        ctx.utils.printWithType('Options', options, ctx.utils.printExpected),
      ),
    );
  }
}
