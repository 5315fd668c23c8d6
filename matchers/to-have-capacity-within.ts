import type { MatcherContext } from 'expect';
import {
  type CapacityRule,
  checkCapacity,
  describeCapacityRule,
  describeCapacityViolation,
} from '../src/assert';
import { printable } from '../src/report';
import { expectedReceived, hint, type MatcherResult, run, sections, targetOf } from './utils';

/**
 * The services keep their share of the work within limits (see `measureCapacity`):
 * `{ service: 'order-service', maxSelfShare: 0.8 }`, `{ service: '*', maxErrorRate: 0.01 }`.
 * A rule naming a service with no spans is a matcher error: a typo must not pass.
 */
export function toHaveCapacityWithin(
  this: MatcherContext,
  received: unknown,
  rules: CapacityRule | readonly CapacityRule[],
): MatcherResult {
  const hintLine = () => hint(this, 'toHaveCapacityWithin', received, 'rules');
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () => checkCapacity(target, rules));
  const typo = result.rules.find((r) => r.unknown);
  if (typo?.unknown) {
    const services = result.capacity.services.map((s) => `"${printable(s.service)}"`).join(', ');
    throw new Error(
      this.utils.matcherErrorMessage(
        hintLine(),
        `no span belongs to service "${printable(typo.unknown.service)}"${typo.unknown.suggestion ? `; did you mean "${printable(typo.unknown.suggestion)}"?` : ''}`,
        `Services in the traces: ${services || 'none'}`,
      ),
    );
  }
  const table = result.capacity.services
    .map(
      (s) =>
        `  ${printable(s.service)}: self share ${(s.selfShare * 100).toFixed(1)}%, error rate ${(s.errorRate * 100).toFixed(1)}%, ${s.throughputPerSecond === null ? 'no throughput' : `${s.throughputPerSecond.toPrecision(3)}/s`}`,
    )
    .join('\n');
  const lines = result.rules.flatMap((r) => [
    `${r.pass ? '✓' : '✗'} ${printable(describeCapacityRule(r.rule))}`,
    ...r.violations.map((v) => `    ${printable(describeCapacityViolation(v))}`),
  ]);
  return {
    pass: result.pass,
    message: () =>
      sections(
        hintLine(),
        this.isNot
          ? expectedReceived(this, 'some capacity limit to be exceeded', 'every limit holds')
          : expectedReceived(
              this,
              'every capacity limit to hold',
              `${result.rules.filter((r) => !r.pass).length} of ${result.rules.length} broken`,
            ),
        lines.join('\n'),
        `Services:\n${table}`,
      ),
  };
}
