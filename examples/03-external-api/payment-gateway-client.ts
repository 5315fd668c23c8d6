/**
 * The application's client for the payment provider's API. Its own span, "Payment Gateway
 * API", stands for the whole call as the business sees it (the request, reading the
 * answer, deciding whether it was a success); the HTTP instrumentation adds the `POST`
 * client span under it and the `traceparent` header to the request.
 */

import http from 'node:http';
import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('shop/payments', '1.0.0');

export interface ChargeRequest {
  readonly amountCents: number;
  readonly currency: string;
  /** A card token from the checkout page. */
  readonly source: string;
}

export interface Charge {
  readonly id: string;
  readonly status: string;
}

/** The provider refused or failed the charge; `status` is its HTTP status. */
export class PaymentGatewayError extends Error {
  override readonly name = 'PaymentGatewayError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class PaymentGatewayClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 2000,
  ) {}

  async charge(request: ChargeRequest): Promise<Charge> {
    const url = new URL('/v1/charges', this.baseUrl);
    return tracer.startActiveSpan(
      'Payment Gateway API',
      {
        attributes: {
          'server.address': url.hostname,
          'server.port': Number(url.port),
          'app.payment.amount_cents': request.amountCents,
          'app.payment.currency': request.currency,
        },
      },
      async (span) => {
        try {
          const response = await this.post(url, {
            amount: request.amountCents,
            currency: request.currency,
            source: request.source,
          });
          this.checkResponse(response.status);
          const charge = JSON.parse(response.body) as Charge;
          span.setAttribute('app.payment.charge_id', charge.id);
          return charge;
        } catch (error) {
          const failure = error as Error;
          span.recordException(failure);
          span.setAttribute('error.type', failure.name);
          span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** Anything but a 2xx is a failed charge. */
  protected checkResponse(status: number): void {
    if (status < 200 || status > 299) {
      throw new PaymentGatewayError(`payment gateway answered ${status}`, status);
    }
  }

  private post(url: URL, body: unknown): Promise<{ status: number; body: string }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`payment gateway did not answer within ${this.timeoutMs}ms`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
