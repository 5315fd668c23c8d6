import { formatDuration, type Span, type Trace } from '../../model';
import { compileSelector, type SpanMatcher } from '../../query';
import { errorReason, printable } from '../../report';
import { brokenBound } from './budget';
import type { MismatchKind, SpanExpectation } from './types';

/** What one line checks on one span, apart from its children. */

const compiled = new WeakMap<SpanExpectation, SpanMatcher>();

/** Name (as the reporter prints it) or selector, and service: what picks a span out. */
export function labelMatches(node: SpanExpectation, span: Span, trace: Trace): boolean {
  if (node.service !== undefined && span.service !== node.service) return false;
  const label = node.label;
  if (label.kind === 'name') return printable(span.name) === label.name;
  let matcher = compiled.get(node);
  if (!matcher) {
    matcher = compileSelector(label.selector);
    compiled.set(node, matcher);
  }
  return matcher.matches(span, trace);
}

export interface OwnProblem {
  readonly kind: Extract<MismatchKind, 'budget' | 'status'>;
  readonly reason: string;
  readonly label: string;
}

/** The budget and the error mark: what a span picked out by its label must also satisfy. */
export function ownProblem(node: SpanExpectation, span: Span): OwnProblem | undefined {
  const bound = brokenBound(node.budget, span.durationNs);
  if (bound) {
    const took = formatDuration(span.durationNs);
    return {
      kind: 'budget',
      reason: `${spanName(span)} took ${took}, which breaks its budget ${bound.text}`,
      label: `took ${took}`,
    };
  }
  const error = node.error;
  if (error) {
    if (!span.isError) {
      return {
        kind: 'status',
        reason: `${spanName(span)} has status ${span.status.code}; the line expects ✗ error`,
        label: `status ${span.status.code}`,
      };
    }
    const reason = printable(errorReason(span));
    if (error.reason !== undefined && reason !== error.reason) {
      const actual = reason === '' ? 'without a reason' : `with "${reason}"`;
      return {
        kind: 'status',
        reason: `${spanName(span)} failed ${actual}; the line expects "${error.reason}"`,
        label: `failed ${actual}`,
      };
    }
  }
  return undefined;
}

/** `"Order Service"`: a span as messages name it. */
export function spanName(span: Span): string {
  return `"${printable(span.name)}"`;
}

/** `"Payment Gateway API"`, `a span matching { kind = client }`, with ` in service "x"`. */
export function describeLine(node: SpanExpectation): string {
  const what =
    node.label.kind === 'name'
      ? `"${node.label.name}"`
      : `a span matching ${node.label.selector.text.trim()}`;
  return node.service === undefined ? what : `${what} in service "${node.service}"`;
}
