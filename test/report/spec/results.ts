/**
 * Run results written by hand, as the runner would produce them for the checkout spec of
 * DESIGN.md: every verdict, too few samples, group_by groups, a regression budget with its
 * baseline, and check failures on real (hand-built) traces.
 */

import type { Span, Trace } from '../../../src/model';
import type {
  BudgetOutcome,
  CheckFailure,
  CheckResult,
  RunResult,
  SloGroupResult,
  SloResult,
  SpecResult,
  Verdict,
} from '../../../src/spec/result';
import { METRICS, type Metric, type SpecLocation } from '../../../src/spec/types';
import { traceOf } from '../../helpers/traces';

export const CWD = '/repo';
export const SPEC_FILE = '/repo/specs/checkout.yaml';

export const at = (line: number, column = 3, file = SPEC_FILE): SpecLocation => ({
  file,
  line,
  column,
});

/** The checkout of DESIGN.md with its own trace id; the payment call fails. */
export function checkoutTrace(traceId: string): Trace {
  return traceOf(
    [
      {
        id: '1',
        name: 'POST /api/checkout',
        service: 'api-gateway',
        kind: 'server',
        start: 0,
        end: 352,
      },
      { id: '2', parent: '1', name: 'Order Service', service: 'order-service', start: 1, end: 351 },
      { id: '3', parent: '2', name: 'Inventory Service', service: 'inventory', start: 3, end: 48 },
      {
        id: '4',
        parent: '2',
        name: 'Payment Gateway API',
        service: 'order-service',
        kind: 'client',
        start: 50,
        end: 330,
        error: 'card declined',
      },
      {
        id: '5',
        parent: '2',
        name: 'Notification Service',
        service: 'order-service',
        start: 331,
        end: 350,
      },
    ],
    traceId,
  );
}

export function spanNamed(trace: Trace, name: string): Span {
  const span = trace.spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name}`);
  return span;
}

export const traceIds = [
  'aaaa0000000000000000000000000001',
  'bbbb0000000000000000000000000002',
  'cccc0000000000000000000000000003',
  'dddd0000000000000000000000000004',
];

function measured(values: Partial<Record<Metric, number>>): Record<Metric, number> {
  const out = {} as Record<Metric, number>;
  for (const metric of METRICS) out[metric] = values[metric] ?? Number.NaN;
  return out;
}

export function budget(
  outcome: Partial<BudgetOutcome> & Pick<BudgetOutcome, 'metric' | 'budget' | 'measured'>,
): BudgetOutcome {
  return { pass: true, ...outcome };
}

export function group(
  g: Partial<SloGroupResult> & Pick<SloGroupResult, 'budgets'>,
): SloGroupResult {
  return {
    key: [],
    samples: 480,
    verdict: 'pass',
    measured: measured({}),
    examples: [],
    ...g,
  };
}

export function slo(s: Partial<SloResult> & Pick<SloResult, 'name' | 'groups'>): SloResult {
  return {
    selector: `{ name = "${s.name}" }`,
    severity: 'fail',
    groupBy: [],
    minSamples: 1,
    verdict: 'pass',
    location: at(5),
    ...s,
  };
}

export function check(c: Partial<CheckResult> & Pick<CheckResult, 'name'>): CheckResult {
  return {
    forEach: '{ name = "POST /api/checkout" && kind = server }',
    severity: 'fail',
    samples: 120,
    minSamples: 1,
    assertions: ['count'],
    failures: [],
    failedScopes: 0,
    verdict: 'pass',
    location: at(30),
    ...c,
  };
}

export function spec(s: Partial<SpecResult> & Pick<SpecResult, 'slos' | 'checks'>): SpecResult {
  return {
    name: 'checkout',
    file: SPEC_FILE,
    sources: ['/repo/traces/checkout-run.jsonl'],
    traceCount: 120,
    spanCount: 600,
    window: { startNs: 1_767_225_600_000_000_001n, endNs: 1_767_225_900_123_456_789n },
    verdict: 'pass',
    ...s,
  };
}

export function run(specs: SpecResult[], warnOnly = false): RunResult {
  const verdicts = specs.map((s) => s.verdict);
  const verdict: Verdict = verdicts.includes('fail')
    ? 'fail'
    : verdicts.includes('warn')
      ? 'warn'
      : 'pass';
  return { specs, verdict, warnOnly };
}

export const paymentSlo = slo({
  name: 'payment gateway under 300ms',
  minSamples: 50,
  location: at(6),
  groups: [
    group({
      measured: measured({ p95: 212e6, max: 950e6, count: 480 }),
      budgets: [
        budget({ metric: 'p95', budget: '<= 300ms', measured: 212e6 }),
        budget({ metric: 'max', budget: '<= 1s', measured: 950e6 }),
      ],
    }),
  ],
});

export const errorRateSlo = slo({
  name: 'checkout error rate',
  location: at(12),
  verdict: 'fail',
  groups: [
    group({
      samples: 400,
      verdict: 'fail',
      measured: measured({ error_rate: 0.025, count: 400 }),
      budgets: [
        budget({
          metric: 'error_rate',
          budget: '< 1%',
          measured: 0.025,
          pass: false,
          reason: 'error_rate = 2.5%, over the budget of 1% by 1.5%',
        }),
      ],
      examples: [
        {
          traceId: traceIds[0] as string,
          spanId: '0000000000000001',
          name: 'POST /api/checkout',
          service: 'api-gateway',
          durationNs: 352e6,
        },
      ],
    }),
  ],
});

/** group_by with one group inside its budget and one over a warn-only budget. */
export const byServiceSlo = slo({
  name: 'latency by service',
  severity: 'warn',
  groupBy: ['resource.service.name'],
  location: at(16),
  verdict: 'warn',
  groups: [
    group({
      key: ['cart'],
      samples: 200,
      budgets: [budget({ metric: 'p99', budget: '<= 500ms', measured: 120.5e6 })],
    }),
    group({
      key: ['payment'],
      samples: 80,
      verdict: 'warn',
      budgets: [
        budget({
          metric: 'p99',
          budget: '<= 500ms',
          measured: 1.25e9,
          pass: false,
          reason: 'p99 = 1.25s, over the budget of 500ms by 750ms',
        }),
      ],
    }),
  ],
});

export const tooFewSlo = slo({
  name: 'search latency',
  minSamples: 50,
  location: at(21),
  verdict: 'fail',
  groups: [
    group({
      samples: 0,
      verdict: 'fail',
      tooFewSamples: {
        needed: 50,
        reason: '{ name = "search" } selected no spans in 2 traces; min_samples needs at least 50',
      },
      budgets: [
        budget({
          metric: 'p95',
          budget: '<= 200ms',
          measured: Number.NaN,
          pass: false,
          reason: 'p95 has no samples',
        }),
      ],
    }),
  ],
});

export const regressionSlo = slo({
  name: 'p95 no worse than last release',
  location: at(25),
  verdict: 'fail',
  groups: [
    group({
      samples: 300,
      verdict: 'fail',
      measured: measured({ p95: 230e6, rate: 12.5 }),
      budgets: [
        budget({
          metric: 'p95',
          budget: '+10% over baseline',
          measured: 230e6,
          baseline: 200e6,
          pass: false,
          reason: 'p95 = 230ms, 15% over the baseline of 200ms (allowed: +10%)',
        }),
        budget({ metric: 'rate', budget: '>= 10/s', measured: 12.5 }),
      ],
    }),
  ],
});

export const passingCheck = check({ name: 'payment called once per checkout', location: at(30) });

/** Four checkouts broke the shape; the first broke two assertions, listed one after the other. */
export function shapeCheck(): CheckResult {
  const traces = traceIds.map(checkoutTrace);
  const failures: CheckFailure[] = traces.map((trace, i) => {
    const scope = spanNamed(trace, 'POST /api/checkout');
    return {
      assertion: 'count',
      message: `expected 1 span matching { name = "Payment Gateway API" }, found ${i + 2}`,
      trace,
      scope,
      spans: [spanNamed(trace, 'Payment Gateway API')],
      location: at(37, 5),
    };
  });
  const first = traces[0] as Trace;
  failures.splice(1, 0, {
    assertion: 'duration',
    message: 'Payment Gateway API took 280ms, over the budget of 250ms',
    trace: first,
    scope: spanNamed(first, 'POST /api/checkout'),
    spans: [spanNamed(first, 'Payment Gateway API')],
    location: at(39, 5),
  });
  return check({
    name: 'checkout shape',
    assertions: ['count', 'duration'],
    failures,
    failedScopes: 4,
    verdict: 'fail',
    location: at(34),
  });
}

/** A whole-trace check of severity warn. */
export function errorsCheck(): CheckResult {
  const trace = checkoutTrace(traceIds[3] as string);
  return check({
    name: 'no errors',
    forEach: undefined,
    severity: 'warn',
    assertions: ['no_errors'],
    samples: 120,
    failures: [
      {
        assertion: 'no_errors',
        message: 'span "Payment Gateway API" failed: card declined',
        trace,
        scope: undefined,
        spans: [spanNamed(trace, 'Payment Gateway API')],
        location: at(44),
      },
    ],
    failedScopes: 1,
    verdict: 'warn',
    location: at(42),
  });
}

export const tooFewCheck = check({
  name: 'search traces exist',
  forEach: '{ name = "GET /search" }',
  samples: 0,
  minSamples: 5,
  tooFewSamples: { needed: 5 },
  verdict: 'fail',
  location: at(48),
});

/** The checkout spec with a bit of everything; fails. */
export function mixedSpec(): SpecResult {
  return spec({
    verdict: 'fail',
    slos: [paymentSlo, errorRateSlo, byServiceSlo, tooFewSlo, regressionSlo],
    checks: [passingCheck, shapeCheck(), errorsCheck(), tooFewCheck],
  });
}

/** A spec where everything passes. */
export function passingSpec(): SpecResult {
  return spec({
    name: 'inventory',
    file: '/repo/specs/inventory.yaml',
    sources: [],
    traceCount: 10,
    spanCount: 40,
    slos: [paymentSlo],
    checks: [passingCheck],
  });
}

/** What --warn-only makes of the error-rate SLO: reported as a warning. */
export function warnOnlyRun(): RunResult {
  const downgraded = slo({
    ...errorRateSlo,
    verdict: 'warn',
    groups: errorRateSlo.groups.map((g) => ({ ...g, verdict: 'warn' as const })),
  });
  return run(
    [spec({ verdict: 'warn', slos: [paymentSlo, downgraded], checks: [passingCheck] })],
    true,
  );
}
