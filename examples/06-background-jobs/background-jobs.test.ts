import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { captureTrace, captureTraces, type Trace } from 'tracespec';
import { CheckpointStore, JobRunner } from './job-runner';
import {
  type NightlyReportOptions,
  nightlyReport,
  ReportStorage,
  SalesWarehouse,
} from './nightly-report';
import { Scheduler } from './scheduler';

const SALES = [
  { sku: 'sku-1', quantity: 2, amountCents: 4_000 },
  { sku: 'sku-2', quantity: 1, amountCents: 1_500 },
  { sku: 'sku-1', quantity: 1, amountCents: 2_000 },
];

const DAY_MS = 24 * 60 * 60 * 1000;

function reportJob(options: Partial<NightlyReportOptions> = {}) {
  return nightlyReport({
    warehouse: new SalesWarehouse(SALES),
    storage: new ReportStorage(),
    day: () => '2025-06-30',
    ...options,
  });
}

/** A runner that retries quickly: the backoff is real time, kept short for the tests. */
function runner() {
  return new JobRunner({ checkpoints: new CheckpointStore(), backoffMs: 10 });
}

describe('a run of the nightly report', () => {
  test('runs its steps in order, and renders both formats at the same time', async () => {
    const run = await captureTrace(() => runner().run(reportJob()));

    expect(run).toMatchTraceTree(`
      job nightly-report
      └── attempt
          ├── extract sales
          │   └── SELECT sales
          ├── aggregate
          ├── render pdf
          ├── render csv
          └── upload report
              ├── PUT
              └── PUT
    `);
    expect(run).toHaveSpansInOrder([
      '{ name = "extract sales" }',
      '{ name = "aggregate" }',
      '{ name = "render pdf" }',
      '{ name = "upload report" }',
    ]);
    expect(run).toHaveSpansInParallel(['{ name = "render pdf" }', '{ name = "render csv" }']);
    // Each completed step is checkpointed, so that a retry can resume after it.
    expect(run).toHaveSpanCount('{ name = "attempt" } > { name = "INSERT job_checkpoints" }', 5);
    expect(run).toHaveAttributes('{ name = "job nightly-report" }', {
      'job.attempts': 1,
      'job.outcome': 'succeeded',
      'job.over_budget': false,
    });
    expect(run).toHaveNoErrors();
  });

  test('stays within its budget', async () => {
    const job = reportJob({ budgetMs: 5_000 });

    const run = await captureTrace(() => runner().run(job));

    expect(run).toCompleteWithin(job.budgetMs);
    expect(run).toHaveSpanWithin('{ name =~ "render .*" }', '2s');
  });

  test('a failed attempt is retried, resuming after the last completed step', async () => {
    const storage = new ReportStorage({ failures: 1 });

    const run = await captureTrace(() => runner().run(reportJob({ storage })));

    expect(run).toMatchTraceTree(
      `
      job nightly-report
      ├── attempt  ✗ error
      │   └── upload report  ✗ error
      │       └── PUT  ✗ error
      └── attempt
          └── upload report
    `,
      { ordered: true },
    );
    // The second attempt did not extract, aggregate or render again.
    expect(run).toHaveSpanCount('{ name = "extract sales" }', 1);
    expect(run).toHaveSpanCount('{ name =~ "render .*" }', 2);
    expect(run).toHaveSpanCount('{ name = "upload report" }', 2);
    expect(run).toHaveSpansInOrder([
      '{ name = "attempt" && span.job.attempt = 1 }',
      '{ name = "attempt" && span.job.attempt = 2 }',
    ]);
    expect(run).toHaveErrorOrigin('{ name = "PUT" }');
    expect(run).toHaveRecordedException('{ name = "upload report" }', { message: /503/ });
    expect(run).toHaveAttributes('{ name = "job nightly-report" }', {
      'job.attempts': 2,
      'job.outcome': 'succeeded',
    });
    expect(storage.uploaded.size).toBe(2);
  });

  test('a run that keeps failing stops after its last attempt', async () => {
    const run = await captureTrace(() =>
      runner().run(reportJob({ storage: new ReportStorage({ failures: 100 }), maxAttempts: 3 })),
    );

    expect(run).toHaveSpanCount('{ name = "attempt" && status = error }', 3);
    expect(run).toHaveAttributes('{ name = "job nightly-report" }', {
      'job.attempts': 3,
      'job.outcome': 'failed',
    });
    expect(run).toPropagateError({ from: '{ name = "PUT" }', to: '{ name = "attempt" }' });
    expect(run.root?.status.code).toBe('error');
  });
});

describe('the scheduler', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  test('every run is a new trace, not a child of the code that started the scheduler', async () => {
    // Fake timers drive the interval; capture does not depend on timers, so it sees
    // everything. The job's own latencies (setTimeout) are faked too and run as the clock
    // advances, so this test checks structure, not timing (see the README).
    jest.useFakeTimers();
    const scheduler = new Scheduler(runner()).every(DAY_MS, reportJob());

    const traces = await captureTraces(async () => {
      scheduler.start();
      await jest.advanceTimersByTimeAsync(2 * DAY_MS + 60_000);
      scheduler.stop();
      await scheduler.whenIdle();
    });

    expect(traces.map((t) => t.root?.name)).toEqual([
      'scheduler start',
      'job nightly-report',
      'job nightly-report',
    ]);
    const [start, ...runs] = traces as [Trace, ...Trace[]];
    expect(start).toHaveSpanCount('{ }', 1);
    for (const run of runs) {
      expect(run).toMatchTraceTree(`
        job nightly-report
        └── attempt
            ├── extract sales
            ├── aggregate
            ├── render pdf
            ├── render csv
            └── upload report
      `);
      expect(run.root?.parentSpanId).toBeUndefined();
    }
    expect(runs).toHaveSpanCount('{ name = "job nightly-report" }', 2);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('the same expectations catch broken jobs', () => {
  test('rendering one format after the other', async () => {
    const run = await captureTrace(() => runner().run(reportJob({ parallelRendering: false })));

    expect(() =>
      expect(run).toHaveSpansInParallel(['{ name = "render pdf" }', '{ name = "render csv" }']),
    ).toThrow(
      /the spans to overlap in time[\s\S]*"render pdf" \[[^\]]*\] ended .* before "render csv"/,
    );
  });

  test('a run over its budget', async () => {
    // The warehouse query is slow today: far beyond the job's budget.
    const job = reportJob({
      warehouse: new SalesWarehouse(SALES, { latencyMs: 400 }),
      budgetMs: 100,
    });

    const run = await captureTrace(() => runner().run(job));

    expect(() => expect(run).toCompleteWithin(job.budgetMs)).toThrow(
      /at most 100ms[\s\S]*over\)[\s\S]*SELECT sales/,
    );
    expect(run).toHaveAttributes('{ name = "job nightly-report" }', { 'job.over_budget': true });
  });
});
