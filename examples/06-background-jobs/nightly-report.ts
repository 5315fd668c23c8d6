import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Job } from './job-runner';

const tracer = trace.getTracer('example-reports');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Sale {
  readonly sku: string;
  readonly quantity: number;
  readonly amountCents: number;
}

/** The sales database: one query for a day's sales. */
export class SalesWarehouse {
  readonly #sales: readonly Sale[];
  readonly #latencyMs: number;

  constructor(sales: readonly Sale[], options: { latencyMs?: number } = {}) {
    this.#sales = sales;
    this.#latencyMs = options.latencyMs ?? 10;
  }

  salesOf(day: string): Promise<readonly Sale[]> {
    const attributes = {
      'db.system.name': 'postgresql',
      'db.operation.name': 'SELECT',
      'db.collection.name': 'sales',
      'report.day': day,
    };
    return tracer.startActiveSpan(
      'SELECT sales',
      { kind: SpanKind.CLIENT, attributes },
      async (span) => {
        await sleep(this.#latencyMs);
        span.setAttribute('db.response.returned_rows', this.#sales.length);
        span.end();
        return this.#sales;
      },
    );
  }
}

/** Object storage for finished reports; `failures` uploads fail before they start succeeding. */
export class ReportStorage {
  readonly uploaded = new Map<string, string>();
  #failures: number;

  constructor(options: { failures?: number } = {}) {
    this.#failures = options.failures ?? 0;
  }

  put(key: string, body: string): Promise<void> {
    const attributes = {
      'http.request.method': 'PUT',
      'url.full': `https://reports.internal/${key}`,
      'server.address': 'reports.internal',
    };
    return tracer.startActiveSpan('PUT', { kind: SpanKind.CLIENT, attributes }, async (span) => {
      await sleep(5);
      try {
        if (this.#failures > 0) {
          this.#failures--;
          span.setAttribute('http.response.status_code', 503);
          span.setAttribute('error.type', '503');
          throw new Error(`storage unavailable: PUT ${key} returned 503`);
        }
        span.setAttribute('http.response.status_code', 201);
        this.uploaded.set(key, body);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}

export interface Summary {
  readonly day: string;
  readonly orders: number;
  readonly revenueCents: number;
  readonly bySku: Readonly<Record<string, number>>;
}

export function summarize(day: string, sales: readonly Sale[]): Summary {
  const bySku: Record<string, number> = {};
  let revenueCents = 0;
  for (const sale of sales) {
    bySku[sale.sku] = (bySku[sale.sku] ?? 0) + sale.quantity;
    revenueCents += sale.amountCents;
  }
  return { day, orders: sales.length, revenueCents, bySku };
}

export interface NightlyReportOptions {
  readonly warehouse: SalesWarehouse;
  readonly storage: ReportStorage;
  /** The day to report on (the scheduler passes yesterday). */
  readonly day: () => string;
  /** How long rendering one format takes (simulated). */
  readonly renderMs?: number;
  /** Render the formats at the same time (default), or one after another to save memory. */
  readonly parallelRendering?: boolean;
  readonly budgetMs?: number;
  readonly maxAttempts?: number;
}

/**
 * The nightly sales report: extract the day's sales, aggregate them, render a PDF and a
 * CSV at the same time, and upload both.
 */
export function nightlyReport(options: NightlyReportOptions): Job {
  const renderMs = options.renderMs ?? 20;
  const render = async (format: 'pdf' | 'csv', summary: Summary): Promise<string> => {
    await sleep(renderMs);
    return `${format}:${JSON.stringify(summary)}`;
  };
  return {
    name: 'nightly-report',
    budgetMs: options.budgetMs ?? 5_000,
    maxAttempts: options.maxAttempts ?? 3,
    async run({ step }) {
      const day = options.day();
      const sales = await step('extract sales', () => options.warehouse.salesOf(day));
      const summary = await step('aggregate', async () => summarize(day, sales));
      let pdf: string;
      let csv: string;
      if (options.parallelRendering === false) {
        pdf = await step('render pdf', () => render('pdf', summary));
        csv = await step('render csv', () => render('csv', summary));
      } else {
        [pdf, csv] = await Promise.all([
          step('render pdf', () => render('pdf', summary)),
          step('render csv', () => render('csv', summary)),
        ]);
      }
      await step('upload report', async () => {
        await options.storage.put(`sales/${day}.pdf`, pdf);
        await options.storage.put(`sales/${day}.csv`, csv);
      });
    },
  };
}
