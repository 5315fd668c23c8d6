/** Checkout: charge the customer through the payment gateway, then confirm the order. */

import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Charge, PaymentGatewayClient } from './payment-gateway-client';

const tracer = trace.getTracer('shop/checkout', '1.0.0');

export interface Cart {
  readonly orderId: string;
  readonly totalCents: number;
  readonly currency: string;
  readonly cardToken: string;
}

export class CheckoutService {
  constructor(private readonly payments: PaymentGatewayClient) {}

  /** Charge the cart's total; a failed charge fails the checkout (the caller shows an error). */
  async checkout(cart: Cart): Promise<Charge> {
    return tracer.startActiveSpan('Checkout', async (span) => {
      span.setAttribute('app.order.id', cart.orderId);
      try {
        return await this.payments.charge({
          amountCents: cart.totalCents,
          currency: cart.currency,
          source: cart.cardToken,
        });
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'payment failed' });
        throw error;
      } finally {
        span.end();
      }
    });
  }
}
