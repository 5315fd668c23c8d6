import type { MatcherContext } from 'expect';
import type { CallExample, DependencyEdge } from '../src/analyze/dependencies';
import { describeEdge } from '../src/analyze/dependencies-render';
import {
  checkDependencies,
  type DependencyRuleResult,
  type DependencyRules,
  type UnknownName,
} from '../src/assert';
import type { Trace } from '../src/model';
import { printable, shortTraceId } from '../src/report';
import {
  count,
  expectedReceived,
  hint,
  type MatcherResult,
  run,
  sections,
  targetOf,
} from './utils';

/** Edges of the whole map listed under the rules before the rest are counted. */
const MAX_LISTED_EDGES = 20;
/** Names of the map listed in a matcher error before the rest are counted. */
const MAX_LISTED_NAMES = 30;

/**
 * The service dependency map (see `buildDependencyMap`) obeys every rule: who may call
 * whom. A rule whose service appears nowhere in the traces is a matcher error, whether
 * or not `.not` is used: a typo must not pass.
 */
export function toHaveDependencies(
  this: MatcherContext,
  received: unknown,
  rules: DependencyRules,
): MatcherResult {
  const hintLine = () => hint(this, 'toHaveDependencies', received, 'rules');
  const target = targetOf(this, hintLine, received);
  const result = run(this, hintLine, () => checkDependencies(target, rules));
  const typos = result.rules.flatMap((r, i) =>
    r.unknown.filter((u) => u.fatal).map((u) => ({ rule: i, unknown: u })),
  );
  if (typos.length > 0) {
    const known = result.map.nodes.slice(0, MAX_LISTED_NAMES).map((n) => `"${printable(n.id)}"`);
    if (result.map.nodes.length > MAX_LISTED_NAMES) {
      known.push(`… and ${result.map.nodes.length - MAX_LISTED_NAMES} more`);
    }
    const first = typos[0] as { rule: number; unknown: UnknownName };
    throw new Error(
      this.utils.matcherErrorMessage(
        hintLine(),
        `${ruleLabel(first.rule, result.rules.length)} names "${printable(first.unknown.name)}", which appears nowhere in the traces`,
        sections(
          typos
            .map(({ rule, unknown }) => {
              const where = `${ruleLabel(rule, result.rules.length)}, ${unknown.role}: "${printable(unknown.name)}"`;
              return `  ${where}${unknown.suggestion ? `; did you mean "${printable(unknown.suggestion)}"?` : ''}`;
            })
            .join('\n'),
          `Services and peers in the traces: ${known.length > 0 ? known.join(', ') : 'none'}`,
        ),
      ),
    );
  }
  const broken = result.rules.filter((r) => !r.pass);
  const total = count(result.rules.length, 'rule');
  return {
    pass: result.pass,
    message: () =>
      sections(
        hintLine(),
        this.isNot
          ? expectedReceived(
              this,
              'some dependency rule to be broken',
              `${result.rules.length === 1 ? 'the rule holds' : `all ${total} hold`}`,
            )
          : expectedReceived(
              this,
              'every dependency rule to hold',
              `${broken.length} of ${total} broken`,
            ),
        result.rules.map((r) => ruleSection(r, target.traces)).join('\n'),
        edgesSection(result.map.edges),
      ),
  };
}

function ruleLabel(index: number, total: number): string {
  return total === 1 ? 'the rule' : `rule [${index}]`;
}

/** `✗ "checkout" may call only "payment"` and the edges that break it, with examples. */
function ruleSection(result: DependencyRuleResult, traces: readonly Trace[]): string {
  const lines = [`${result.pass ? '✓' : '✗'} ${printable(result.description)}`];
  for (const v of result.violations) {
    const denied = v.denied === undefined ? '' : ` (matches "${printable(v.denied)}")`;
    lines.push(`    ${edgeLine(v.edge)}${denied}`);
    for (const example of v.edge.examples) lines.push(`      e.g. ${exampleText(example, traces)}`);
  }
  if (!result.pass) {
    for (const u of result.unknown) {
      lines.push(`    note: "${printable(u.name)}" appears nowhere in the traces`);
    }
  }
  return lines.join('\n');
}

function edgesSection(edges: readonly DependencyEdge[]): string {
  if (edges.length === 0) return 'Dependencies: none (no span calls another service or a peer)';
  const lines = edges.slice(0, MAX_LISTED_EDGES).map((e) => `  ${edgeLine(e)}`);
  if (edges.length > MAX_LISTED_EDGES) {
    lines.push(`  … and ${count(edges.length - MAX_LISTED_EDGES, 'more edge')}`);
  }
  return `Dependencies:\n${lines.join('\n')}`;
}

function edgeLine(edge: DependencyEdge): string {
  return `${printable(edge.from)} → ${printable(edge.to)}: ${describeEdge(edge)}`;
}

/** `trace 0af76519: "charge" (00000000000000a2) → "Charge" (00000000000000a3)` */
function exampleText(example: CallExample, traces: readonly Trace[]): string {
  const trace = traces.find((t) => t.traceId === example.traceId);
  const named = (spanId: string) => {
    const span = trace?.spanById(spanId);
    return span ? `"${printable(span.name)}" (${spanId})` : spanId;
  };
  const callee = example.calleeSpanId === undefined ? '' : ` → ${named(example.calleeSpanId)}`;
  return `trace ${shortTraceId(example.traceId)}: ${named(example.spanId)}${callee}`;
}
