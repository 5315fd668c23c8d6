import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-pricing');

export interface Applicant {
  readonly age: number;
  readonly claimsLastFiveYears: number;
  readonly postcode: string;
}

export interface Vehicle {
  /** Insurance group, 1 (cheapest to insure) to 50. */
  readonly group: number;
}

export interface QuoteRequest {
  readonly applicant: Applicant;
  readonly vehicle: Vehicle;
}

export interface RiskFactor {
  /** `age`, `claims history`, `region`, `vehicle`. */
  readonly name: string;
  readonly multiplier: number;
}

/** A risk factor before it is assessed: its inputs (span attributes) and its table lookup. */
export interface FactorDefinition {
  readonly name: string;
  readonly input: Readonly<Record<string, string | number>>;
  readonly lookup: () => Promise<number>;
}

export interface Quote {
  readonly annualPremiumCents: number;
  readonly factors: readonly RiskFactor[];
}

/**
 * The actuaries' rating tables, held by a configuration service: each lookup is a remote
 * read (simulated latency).
 */
export class RatingTables {
  readonly #latencyMs: number;

  constructor(options: { latencyMs?: number } = {}) {
    this.#latencyMs = options.latencyMs ?? 5;
  }

  async ageMultiplier(age: number): Promise<number> {
    await this.#lookup();
    if (age < 25) return 1.6;
    if (age < 30) return 1.2;
    if (age >= 70) return 1.3;
    return 1;
  }

  async claimsMultiplier(claims: number): Promise<number> {
    await this.#lookup();
    return 1 + 0.25 * Math.min(claims, 4);
  }

  async regionMultiplier(postcode: string): Promise<number> {
    await this.#lookup();
    const area =
      postcode
        .trim()
        .toUpperCase()
        .match(/^[A-Z]+/)?.[0] ?? '';
    return ({ E: 1.3, N: 1.2, SW: 1.25, M: 1.15 } as Record<string, number>)[area] ?? 1;
  }

  async vehicleMultiplier(group: number): Promise<number> {
    await this.#lookup();
    return 1 + Math.max(0, group - 10) / 50;
  }

  #lookup(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
  }
}

/**
 * Calculates a motor insurance premium: the risk factors are looked up at the same time,
 * each in a span with its input and multiplier, and the policy is priced from them. The
 * result is an attribute of the `calculate premium` span.
 */
export class PremiumCalculator {
  readonly #tables: RatingTables;
  readonly #baseCents: number;

  constructor(tables: RatingTables, options: { baseCents?: number } = {}) {
    this.#tables = tables;
    this.#baseCents = options.baseCents ?? 50_000;
  }

  calculate(request: QuoteRequest): Promise<Quote> {
    return tracer.startActiveSpan('calculate premium', async (span) => {
      try {
        const factors = await tracer.startActiveSpan('assess risk', async (assess) => {
          try {
            // Started together: the lookups run at the same time.
            return await Promise.all(this.factors(request).map((f) => this.#assess(f)));
          } finally {
            assess.end();
          }
        });
        const annualPremiumCents = this.#price(factors);
        span.setAttributes({
          'insurance.premium.annual_cents': annualPremiumCents,
          'insurance.premium.currency': 'GBP',
        });
        return { annualPremiumCents, factors };
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** The risk factors of a request: what each one reads, and where it looks it up. */
  protected factors(request: QuoteRequest): FactorDefinition[] {
    const { applicant, vehicle } = request;
    const t = this.#tables;
    return [
      {
        name: 'age',
        input: { 'insurance.applicant.age': applicant.age },
        lookup: () => t.ageMultiplier(applicant.age),
      },
      {
        name: 'claims history',
        input: { 'insurance.applicant.claims_last_5y': applicant.claimsLastFiveYears },
        lookup: () => t.claimsMultiplier(applicant.claimsLastFiveYears),
      },
      {
        name: 'region',
        input: { 'insurance.applicant.postcode': applicant.postcode },
        lookup: () => t.regionMultiplier(applicant.postcode),
      },
      {
        name: 'vehicle',
        input: { 'insurance.vehicle.group': vehicle.group },
        lookup: () => t.vehicleMultiplier(vehicle.group),
      },
    ];
  }

  #assess(factor: FactorDefinition): Promise<RiskFactor> {
    const attributes = { 'insurance.risk.factor': factor.name, ...factor.input };
    return tracer.startActiveSpan(`${factor.name} factor`, { attributes }, async (span) => {
      try {
        const multiplier = await factor.lookup();
        span.setAttribute('insurance.risk.multiplier', multiplier);
        return { name: factor.name, multiplier };
      } finally {
        span.end();
      }
    });
  }

  #price(factors: readonly RiskFactor[]): number {
    return tracer.startActiveSpan('price policy', (span) => {
      const multiplier = factors.reduce((product, f) => product * f.multiplier, 1);
      const cents = Math.round((this.#baseCents * multiplier) / 100) * 100;
      span.setAttributes({
        'insurance.premium.base_cents': this.#baseCents,
        'insurance.premium.multiplier': Math.round(multiplier * 1e4) / 1e4,
      });
      span.end();
      return cents;
    });
  }
}
