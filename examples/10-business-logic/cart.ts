import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('example-cart');

export interface CartItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export interface Cart {
  readonly id: string;
  readonly items: readonly CartItem[];
  readonly couponCode?: string;
}

export interface Rule {
  readonly name: string;
  /** Undefined when the cart passes, else why it does not. */
  check(cart: Cart): string | undefined;
}

export interface Validation {
  readonly valid: boolean;
  readonly violations: readonly { rule: string; reason: string }[];
}

export const MAX_QUANTITY_PER_ITEM = 10;

/** The shop's rules, in the order they are checked. */
export function defaultRules(
  stock: ReadonlyMap<string, number>,
  coupons: ReadonlySet<string>,
): Rule[] {
  return [
    {
      name: 'cart not empty',
      check: (cart) => (cart.items.length === 0 ? 'the cart is empty' : undefined),
    },
    {
      name: 'coupon valid',
      check: (cart) =>
        cart.couponCode === undefined || coupons.has(cart.couponCode)
          ? undefined
          : `unknown coupon ${cart.couponCode}`,
    },
    {
      name: 'quantity limit',
      check: (cart) => {
        const over = cart.items.find((item) => item.quantity > MAX_QUANTITY_PER_ITEM);
        return over
          ? `${over.sku}: ${over.quantity} items, the limit is ${MAX_QUANTITY_PER_ITEM}`
          : undefined;
      },
    },
    {
      name: 'stock available',
      check: (cart) => {
        const short = cart.items.find((item) => (stock.get(item.sku) ?? 0) < item.quantity);
        return short ? `${short.sku}: only ${stock.get(short.sku) ?? 0} in stock` : undefined;
      },
    },
  ];
}

/**
 * Validates a cart against every rule, each in a span `rule <name>` with `cart.rule.passed`.
 * A rule the cart breaks gets ERROR status with the reason; the `validate cart` span does
 * not (the validation itself worked: rejecting a cart is one of its outcomes) and carries
 * the result as `cart.valid`.
 */
export class CartValidator {
  readonly #rules: readonly Rule[];

  constructor(rules: readonly Rule[]) {
    this.#rules = rules;
  }

  validate(cart: Cart): Validation {
    const attributes = {
      'cart.id': cart.id,
      'cart.items': cart.items.length,
      'cart.total_cents': cart.items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0),
    };
    return tracer.startActiveSpan('validate cart', { attributes }, (span) => {
      const violations: { rule: string; reason: string }[] = [];
      for (const rule of this.#rules) {
        const reason = tracer.startActiveSpan(
          `rule ${rule.name}`,
          { attributes: { 'cart.rule.name': rule.name } },
          (ruleSpan) => {
            const reason = rule.check(cart);
            ruleSpan.setAttribute('cart.rule.passed', reason === undefined);
            if (reason !== undefined) this.reject(ruleSpan, reason);
            ruleSpan.end();
            return reason;
          },
        );
        if (reason !== undefined) violations.push({ rule: rule.name, reason });
      }
      span.setAttribute('cart.valid', violations.length === 0);
      if (violations.length > 0) this.rejectCart(span, violations);
      span.end();
      return { valid: violations.length === 0, violations };
    });
  }

  /** Marks the span of a rule the cart breaks. */
  protected reject(ruleSpan: Span, reason: string): void {
    ruleSpan.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  }

  /** Records a rejection on the cart's span: the rules it broke, not an error status. */
  protected rejectCart(cartSpan: Span, violations: readonly { rule: string }[]): void {
    cartSpan.setAttribute(
      'cart.rejected_by',
      violations.map((v) => v.rule),
    );
  }
}
