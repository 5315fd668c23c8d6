import { trace } from '@opentelemetry/api';
import type { Job, JobRunner } from './job-runner';

const tracer = trace.getTracer('example-jobs');

/** The timer functions the scheduler uses: the global ones unless a test passes its own. */
export interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const globalTimers: Timers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/**
 * Runs jobs at a fixed interval. A run that is still going when its next tick comes is
 * not started twice. `stop()` clears every interval; `whenIdle()` waits for runs in flight.
 */
export class Scheduler {
  readonly #runner: JobRunner;
  readonly #timers: Timers;
  readonly #schedule: { job: Job; everyMs: number }[] = [];
  readonly #handles: unknown[] = [];
  readonly #running = new Map<string, Promise<unknown>>();

  constructor(runner: JobRunner, timers: Timers = globalTimers) {
    this.#runner = runner;
    this.#timers = timers;
  }

  every(everyMs: number, job: Job): this {
    this.#schedule.push({ job, everyMs });
    return this;
  }

  start(): void {
    const attributes = { 'scheduler.jobs': this.#schedule.map((s) => s.job.name) };
    tracer.startActiveSpan('scheduler start', { attributes }, (span) => {
      for (const { job, everyMs } of this.#schedule) {
        this.#handles.push(this.#timers.setInterval(() => this.#tick(job), everyMs));
      }
      span.end();
    });
  }

  stop(): void {
    for (const handle of this.#handles.splice(0)) this.#timers.clearInterval(handle);
  }

  async whenIdle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  #tick(job: Job): void {
    if (this.#running.has(job.name)) return;
    const run = this.#runner.run(job).finally(() => this.#running.delete(job.name));
    this.#running.set(job.name, run);
  }
}
