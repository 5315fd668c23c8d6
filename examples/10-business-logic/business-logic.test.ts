import './tracing';
import { describe, expect, test } from '@jest/globals';
import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { captureTrace } from 'tracespec';
import { type Cart, CartValidator, defaultRules } from './cart';
import {
  type FactorDefinition,
  PremiumCalculator,
  type QuoteRequest,
  RatingTables,
} from './premium';

const YOUNG_DRIVER: QuoteRequest = {
  applicant: { age: 22, claimsLastFiveYears: 1, postcode: 'E1 6AN' },
  vehicle: { group: 30 },
};

describe('calculate insurance premium', () => {
  const calculator = new PremiumCalculator(new RatingTables(), { baseCents: 50_000 });

  test('each risk factor is a span with its input and multiplier; the result is on the root', async () => {
    const trace = await captureTrace(() => calculator.calculate(YOUNG_DRIVER));

    expect(trace).toMatchTraceTree(
      `
      calculate premium [pricing]
      ├── assess risk
      │   ├── age factor
      │   ├── claims history factor
      │   ├── region factor
      │   └── vehicle factor
      └── price policy
    `,
      { strict: true },
    );
    expect(trace).toHaveAttributes('{ name = "age factor" }', {
      'insurance.applicant.age': 22,
      'insurance.risk.multiplier': 1.6,
    });
    expect(trace).toHaveAttributes('{ name = "claims history factor" }', {
      'insurance.risk.multiplier': 1.25,
    });
    expect(trace).toHaveAttributes('{ name = "region factor" }', {
      'insurance.applicant.postcode': 'E1 6AN',
      'insurance.risk.multiplier': 1.3,
    });
    expect(trace).toHaveAttributes('{ name = "vehicle factor" }', {
      'insurance.vehicle.group': 30,
      'insurance.risk.multiplier': 1.4,
    });
    expect(trace).toHaveAttributes('{ name = "price policy" }', {
      'insurance.premium.multiplier': 3.64,
    });
    // 500.00 × 1.6 × 1.25 × 1.3 × 1.4
    expect(trace).toHaveAttributes('{ name = "calculate premium" }', {
      'insurance.premium.annual_cents': 182_000,
      'insurance.premium.currency': 'GBP',
    });
    // The four lookups run at the same time, not one after another.
    expect(trace).toHaveSpansInParallel([
      '{ name = "age factor" }',
      '{ name = "claims history factor" }',
      '{ name = "region factor" }',
      '{ name = "vehicle factor" }',
    ]);
    expect(trace).toHaveSpanCount(
      '{ name = "assess risk" } > { span.insurance.risk.factor != nil }',
      4,
    );
    expect(trace).toHaveNoErrors();
  });

  test('the calculation has the shape of its snapshot', async () => {
    const trace = await captureTrace(() =>
      calculator.calculate({
        applicant: { age: 45, claimsLastFiveYears: 0, postcode: 'M1 1AE' },
        vehicle: { group: 10 },
      }),
    );

    // Names, services and errors only: no ids, no timings. Concurrent siblings (the
    // factors) are stored sorted, so the order they happened to start in does not matter.
    expect(trace).toMatchTraceSnapshot();
    expect(trace).toHaveAttributes('{ name = "calculate premium" }', {
      'insurance.premium.annual_cents': 57_500,
    });
  });
});

describe('validate shopping cart', () => {
  const validator = new CartValidator(
    defaultRules(
      new Map([
        ['sku-1', 50],
        ['sku-2', 3],
      ]),
      new Set(['SUMMER10']),
    ),
  );
  const cart = (items: Cart['items'], couponCode?: string): Cart => ({
    id: 'cart-1',
    items,
    ...(couponCode === undefined ? {} : { couponCode }),
  });

  test('a valid cart passes every rule', async () => {
    const trace = await captureTrace(() =>
      validator.validate(cart([{ sku: 'sku-1', quantity: 2, unitPriceCents: 1_000 }], 'SUMMER10')),
    );

    expect(trace).toHaveSpanCount('{ name =~ "rule .*" && span.cart.rule.passed = true }', 4);
    expect(trace).toHaveAttributes('{ name = "validate cart" }', {
      'cart.valid': true,
      'cart.total_cents': 2_000,
    });
    expect(trace).toHaveNoErrors();
  });

  test('a rejected cart: error status on the failing rule only', async () => {
    const trace = await captureTrace(() =>
      validator.validate(cart([{ sku: 'sku-1', quantity: 12, unitPriceCents: 1_000 }])),
    );

    expect(trace).toMatchTraceTree(
      `
      validate cart
      ├── rule cart not empty
      ├── rule coupon valid
      ├── rule quantity limit  ✗ error: sku-1: 12 items, the limit is 10
      └── rule stock available
    `,
      { strict: true, ordered: true },
    );
    expect(trace).toHaveErrorOrigin('{ name = "rule quantity limit" }');
    expect(trace).toHaveSpanCount('{ status = error }', 1);
    // The validation worked; the cart was rejected: a result, not an error.
    expect(trace).toHaveAttributes('{ name = "validate cart" && status != error }', {
      'cart.valid': false,
      'cart.rejected_by': ['quantity limit'],
    });
  });
});

describe('the same expectations catch broken business logic', () => {
  /** Forgets the claims history: every driver with claims pays too little. */
  class ForgetfulCalculator extends PremiumCalculator {
    protected override factors(request: QuoteRequest): FactorDefinition[] {
      return super.factors(request).filter((factor) => factor.name !== 'claims history');
    }
  }

  test('a calculation that leaves out a risk factor', async () => {
    const calculator = new ForgetfulCalculator(new RatingTables(), { baseCents: 50_000 });

    const trace = await captureTrace(() => calculator.calculate(YOUNG_DRIVER));

    expect(() =>
      expect(trace).toMatchTraceTree(`
        calculate premium
        └── assess risk
            ├── age factor
            ├── claims history factor
            ├── region factor
            └── vehicle factor
      `),
    ).toThrow(/no span named "claims history factor" under "assess risk"/);
    expect(() =>
      expect(trace).toHaveAttributes('{ name = "calculate premium" }', {
        'insurance.premium.annual_cents': 182_000,
      }),
    ).toThrow(/182000[\s\S]*145600/);
  });

  /** Reports a rejection on the cart's span instead of on the rule that rejected it. */
  class CoarseCartValidator extends CartValidator {
    protected override reject(): void {}
    protected override rejectCart(cartSpan: Span, violations: readonly { rule: string }[]): void {
      cartSpan.setStatus({
        code: SpanStatusCode.ERROR,
        message: `rejected by ${violations.map((v) => v.rule).join(', ')}`,
      });
    }
  }

  test('a validator that marks the cart instead of the rule', async () => {
    const coarse = new CoarseCartValidator(defaultRules(new Map([['sku-1', 50]]), new Set()));

    const trace = await captureTrace(() =>
      coarse.validate({ id: 'cart-2', items: [{ sku: 'sku-1', quantity: 12, unitPriceCents: 1 }] }),
    );

    expect(() => expect(trace).toHaveErrorOrigin('{ name = "rule quantity limit" }')).toThrow(
      /the failure to start at a span matching the selector[\s\S]*it started at "validate cart"/,
    );
  });
});
