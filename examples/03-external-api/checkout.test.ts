/**
 * Calls to an external API: the payment gateway, stood in by a real local HTTP server
 * whose latency and failures the tests set, called through the real HTTP instrumentation.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { captureTrace, formatDuration, type Span, type Trace } from 'tracespec';
import { httpInstrumentation } from '../support/instrumentation';
import { type Cart, CheckoutService } from './checkout-service';
import { type FakeGateway, startFakeGateway } from './fake-gateway';
import { PaymentGatewayClient, PaymentGatewayError } from './payment-gateway-client';

let gateway: FakeGateway;

beforeAll(async () => {
  gateway = await startFakeGateway();
  // The gateway is a third party: its server side is not ours to trace. Without this, the
  // stand-in's own server spans would show up under our client span.
  httpInstrumentation.setConfig({
    ignoreIncomingRequestHook: (req) => req.socket.localPort === gateway?.port,
  });
});

afterAll(() => {
  httpInstrumentation.setConfig({});
  return gateway?.close();
});

beforeEach(() => {
  gateway.configure({ latencyMs: 20 });
  gateway.received.length = 0;
});

const CART: Cart = { orderId: 'ord-42', totalCents: 2599, currency: 'EUR', cardToken: 'tok_visa' };

function checkoutWith(client: PaymentGatewayClient) {
  return new CheckoutService(client).checkout(CART);
}

function spanNamed(trace: Trace, name: string): Span {
  const span = trace.spans.find((s) => s.name === name);
  if (!span) throw new Error(`no span named ${name}`);
  return span;
}

describe('a successful charge', () => {
  test('is one client span under the gateway call, with trace context sent along', async () => {
    const trace = await captureTrace(() => checkoutWith(new PaymentGatewayClient(gateway.url)));

    expect(trace).toMatchTraceTree(
      `
      Checkout
      └── Payment Gateway API
          └── POST
      `,
      { strict: true },
    );
    expect(trace).toHaveAttributes('{ kind = client && type = http }', {
      'http.request.method': 'POST',
      'url.full': `${gateway.url}/v1/charges`,
      'server.address': '127.0.0.1',
      'http.response.status_code': 201,
    });
    expect(trace).toHaveAttributes('{ name = "Payment Gateway API" }', {
      'app.payment.amount_cents': 2599,
      'app.payment.charge_id': expect.stringMatching(/^ch_/),
    });
    expect(trace).toHaveNoErrors();
    // The W3C traceparent the gateway received names our trace and our client span: the
    // provider's support can find this call from our trace id.
    const client = spanNamed(trace, 'POST');
    expect(gateway.received[0]?.headers.traceparent).toBe(
      `00-${trace.traceId}-${client.spanId}-01`,
    );
  });

  test('stays within the gateway budget', async () => {
    const trace = await captureTrace(() => checkoutWith(new PaymentGatewayClient(gateway.url)));

    expect(trace).toHaveSpanWithin('{ name = "Payment Gateway API" }', '300ms');
  });
});

describe('a slow gateway', () => {
  test('breaks the budget, and the message names the span and its duration', async () => {
    gateway.configure({ latencyMs: 400 });
    const trace = await captureTrace(() => checkoutWith(new PaymentGatewayClient(gateway.url)));

    const call = spanNamed(trace, 'Payment Gateway API');
    expect(call.durationNs).toBeGreaterThan(300e6);
    expect(() =>
      expect(trace).toHaveSpanWithin('{ name = "Payment Gateway API" }', '300ms'),
    ).toThrow(
      new RegExp(
        `every matching span within 300ms[\\s\\S]*1 span of 1 took longer:[\\s\\S]*Payment Gateway API.*${formatDuration(call.durationNs)}`,
      ),
    );
  });
});

describe('a gateway failure (502)', () => {
  beforeEach(() => gateway.configure({ latencyMs: 20, failWith: 502 }));

  test('starts at the HTTP call and propagates up to the checkout', async () => {
    const trace = await captureTrace(() =>
      expect(checkoutWith(new PaymentGatewayClient(gateway.url))).rejects.toThrow(
        PaymentGatewayError,
      ),
    );

    // The instrumentation marks a 5xx response as an error on the client span.
    expect(trace).toHaveAttributes('{ kind = client && type = http }', {
      'http.response.status_code': 502,
    });
    expect(trace).toHaveErrorOrigin('{ kind = client && span.http.response.status_code = 502 }');
    expect(trace).toPropagateError({
      from: '{ span.http.response.status_code = 502 }',
      to: '{ name = "Checkout" }',
    });
    expect(trace).toHaveRecordedException('{ name = "Payment Gateway API" }', {
      type: 'PaymentGatewayError',
      message: 'payment gateway answered 502',
    });
  });

  test('a client that ignores the status code fails the propagation check', async () => {
    /** The bug: any answer is taken for a charge. */
    class LenientGatewayClient extends PaymentGatewayClient {
      protected override checkResponse(): void {}
    }
    const trace = await captureTrace(() => checkoutWith(new LenientGatewayClient(gateway.url)));

    expect(() =>
      expect(trace).toPropagateError({
        from: '{ span.http.response.status_code = 502 }',
        to: '{ name = "Checkout" }',
      }),
    ).toThrow(/"Payment Gateway API" \[[^\]]*\] handled it: its status is UNSET/);
  });
});
