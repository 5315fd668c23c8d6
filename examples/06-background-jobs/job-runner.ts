import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-jobs');

/** What a job's code sees while it runs: its run, its attempt, and `step` to do its work in. */
export interface JobContext {
  readonly runId: string;
  readonly attempt: number;
  /**
   * Runs one step of the job in a span of its own. A step that completed in an earlier
   * attempt of the same run is not run again: its checkpointed result is returned.
   */
  step<T>(name: string, work: () => Promise<T>): Promise<T>;
}

export interface Job {
  readonly name: string;
  /** How long a run may take, for the `job.budget_ms` attribute and the tests' checks. */
  readonly budgetMs: number;
  /** Attempts per run, the first one included. */
  readonly maxAttempts: number;
  run(context: JobContext): Promise<void>;
}

/** Completed steps of a run with their results, kept so that a retry can resume. */
export class CheckpointStore {
  readonly #saved = new Map<string, Map<string, unknown>>();
  readonly #latencyMs: number;

  constructor(options: { latencyMs?: number } = {}) {
    this.#latencyMs = options.latencyMs ?? 5;
  }

  completed(runId: string, step: string): { value: unknown } | undefined {
    const steps = this.#saved.get(runId);
    return steps?.has(step) ? { value: steps.get(step) } : undefined;
  }

  /** Persists a completed step: a database write, with its client span. */
  save(runId: string, step: string, value: unknown): Promise<void> {
    const attributes = {
      'db.system.name': 'postgresql',
      'db.operation.name': 'INSERT',
      'db.collection.name': 'job_checkpoints',
      'job.run_id': runId,
      'job.step': step,
    };
    return tracer.startActiveSpan(
      'INSERT job_checkpoints',
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        await new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
        const steps = this.#saved.get(runId) ?? new Map<string, unknown>();
        steps.set(step, value);
        this.#saved.set(runId, steps);
        span.end();
      },
    );
  }
}

export interface JobRunResult {
  readonly runId: string;
  readonly succeeded: boolean;
  readonly attempts: number;
}

export interface JobRunnerOptions {
  readonly checkpoints?: CheckpointStore;
  /** Wait before attempt n+1: `backoffMs * 2^(n-1)`. */
  readonly backoffMs?: number;
  /** How the runner waits between attempts (real time by default). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs jobs. Every run is a new trace (`job <name>` is always a root span, whatever
 * context the run was started from), with one `attempt` span per attempt and the job's
 * steps under it. A failed attempt is retried after a backoff, resuming after the last
 * checkpointed step; the run fails when its attempts are used up.
 */
export class JobRunner {
  readonly #checkpoints: CheckpointStore;
  readonly #backoffMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  #runs = 0;

  constructor(options: JobRunnerOptions = {}) {
    this.#checkpoints = options.checkpoints ?? new CheckpointStore();
    this.#backoffMs = options.backoffMs ?? 1000;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  run(job: Job): Promise<JobRunResult> {
    const runId = `${job.name}-${++this.#runs}`;
    const attributes = {
      'job.name': job.name,
      'job.run_id': runId,
      'job.budget_ms': job.budgetMs,
      'job.max_attempts': job.maxAttempts,
    };
    return tracer.startActiveSpan(
      `job ${job.name}`,
      { root: true, attributes },
      async (span): Promise<JobRunResult> => {
        const startedAt = Date.now();
        let attempt = 0;
        let succeeded = false;
        let lastError: Error | undefined;
        while (!succeeded && attempt < job.maxAttempts) {
          attempt++;
          if (attempt > 1) await this.#sleep(this.#backoffMs * 2 ** (attempt - 2));
          try {
            await this.#attempt(job, runId, attempt);
            succeeded = true;
          } catch (error) {
            lastError = error as Error;
          }
        }
        span.setAttributes({
          'job.attempts': attempt,
          'job.outcome': succeeded ? 'succeeded' : 'failed',
          'job.over_budget': Date.now() - startedAt > job.budgetMs,
        });
        if (!succeeded) {
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: `failed after ${attempt} attempts: ${lastError?.message}`,
          });
        }
        span.end();
        return { runId, succeeded, attempts: attempt };
      },
    );
  }

  #attempt(job: Job, runId: string, attempt: number): Promise<void> {
    return tracer.startActiveSpan('attempt', { attributes: { 'job.attempt': attempt } }, (span) =>
      job
        .run({ runId, attempt, step: (name, work) => this.#step(runId, name, work) })
        .catch((error: Error) => {
          fail(span, error);
          throw error;
        })
        .finally(() => span.end()),
    );
  }

  async #step<T>(runId: string, name: string, work: () => Promise<T>): Promise<T> {
    const done = this.#checkpoints.completed(runId, name);
    if (done) return done.value as T;
    const value = await tracer.startActiveSpan(name, { attributes: { 'job.step': name } }, (span) =>
      work()
        .catch((error: Error) => {
          fail(span, error);
          throw error;
        })
        .finally(() => span.end()),
    );
    await this.#checkpoints.save(runId, name, value);
    return value;
  }
}

function fail(span: Span, error: Error): void {
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}
