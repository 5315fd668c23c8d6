import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import type { Span } from '../../src/model';
import { checkoutTrace, nPlusOneTrace, spanNamed } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

const trace = checkoutTrace();

describe('toHaveSpan', () => {
  test('passes when a span matches a query, an object or a predicate', () => {
    expect(trace).toHaveSpan('{ name = "Payment Gateway API" && kind = client }');
    expect(trace).toHaveSpan({ name: 'Payment Gateway API', kind: 'client' });
    expect(trace).toHaveSpan((span: Span) => span.durationMs > 300);
    expect(trace).not.toHaveSpan('{ name = "GET /health" }');
  });

  test('takes a list of traces: a match in any will do', () => {
    expect([nPlusOneTrace(1), trace]).toHaveSpan('{ name = "SELECT stock" }');
    expect([nPlusOneTrace(1)]).not.toHaveSpan('{ name = "SELECT stock" }');
  });

  test('asymmetric matchers work inside an object selector', () => {
    expect(trace).toHaveSpan({
      name: expect.stringContaining('Payment') as never,
      attributes: {
        'http.response.status_code': expect.any(Number),
        'peer.service': expect.stringMatching(/^str/),
      },
    });
    expect(trace).not.toHaveSpan({
      attributes: { 'http.response.status_code': expect.any(String) },
    });
  });

  test('the failure prints the nearest candidates by name and the trace tree', () => {
    const message = failureOf(() => expect(trace).toHaveSpan('{ name = "Paymnt Gateway API" }'));
    expect(message).toBe(
      [
        'expect(trace).toHaveSpan(selector) // { name = "Paymnt Gateway API" }',
        '',
        'Expected: a span to match the selector',
        'Received: none of 6 spans matched',
        '',
        'Nearest by name:',
        '  "Payment Gateway API" [order-service] client, 280ms, status error',
        '',
        'Trace:',
        'POST /api/checkout [api-gateway] (352ms)',
        '└── Order Service [order-service] (350ms)',
        '    ├── Inventory Service [inventory-service] (45ms)',
        '    │   └── SELECT stock (12ms)',
        '    ├── Payment Gateway API (280ms)  ✗ error: card declined',
        '    └── Notification Service (25ms)',
      ].join('\n'),
    );
  });

  test('a near miss with the same name says something else in the selector differs', () => {
    const message = failureOf(() =>
      expect(trace).toHaveSpan({ name: 'Payment Gateway API', kind: 'server' }),
    );
    expect(message).toMatch(
      /\/\/ \{ name: "Payment Gateway API", kind: "server" \}[\s\S]*"Payment Gateway API" \[order-service\] client, 280ms, status error \(same name: something else in the selector differs\)/,
    );
  });

  test('.not lists the spans that matched and marks them in the tree', () => {
    const message = failureOf(() => expect(trace).not.toHaveSpan('{ kind = client }'));
    expect(message).toContain('expect(trace).not.toHaveSpan(selector) // { kind = client }');
    expect(message).toContain(
      'Expected: no span to match the selector\nReceived: 2 spans matched:\n',
    );
    expect(message).toMatch(/SELECT stock\s+client\s+12ms\s+unset/);
    expect(message).toContain('    │   └── SELECT stock (12ms)  ◀ match');
    expect(message).toContain(
      '    ├── Payment Gateway API (280ms)  ✗ error: card declined  ◀ match',
    );
  });

  test('says what it received when it is not a trace', () => {
    const undefinedTrace = failureOf(() => expect(undefined).toHaveSpan('{ }'));
    expect(undefinedTrace).toContain(
      'Matcher error: received value must be a Trace (from captureTrace() or loadTraces()) or an array of them',
    );
    expect(undefinedTrace).toContain('Received undefined. Is the variable assigned?');
    expect(undefinedTrace).toContain('Received has value: undefined');

    expect(failureOf(() => expect(Promise.resolve(trace)).toHaveSpan('{ }'))).toContain(
      'Received a Promise. Await it first: `const trace = await captureTrace(fn)`.',
    );
    // A span is summed up in a line, not dumped field by field.
    const span = failureOf(() => expect(spanNamed(trace, 'SELECT stock')).toHaveSpan('{ }'));
    expect(span).toContain('expect(span).toHaveSpan(selector)');
    expect(span).toContain('A span does not know the trace it belongs to; pass the trace instead.');
    expect(span).toContain('Received: Span "SELECT stock" [inventory-service]');
  });

  test('works on a promise through .resolves, and says so in the hint', async () => {
    await expect(Promise.resolve(trace)).resolves.toHaveSpan('{ name = "Order Service" }');
    const failed = await expect(Promise.resolve(trace))
      .resolves.toHaveSpan('{ name = "x" }')
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(
      failureOf(() => {
        throw failed;
      }),
    ).toContain('expect(trace).resolves.toHaveSpan(selector)');
  });

  test('the received value is checked with .not too: a wrong value never passes', () => {
    expect(() => expect(undefined).not.toHaveSpan('{ }')).toThrow(/Matcher error/);
  });

  test('a bad selector is a SelectorError message with a caret under the problem', () => {
    const message = failureOf(() => expect(trace).toHaveSpan('{ name "x" }'));
    expect(message).toBe(
      [
        'expect(trace).toHaveSpan(selector) // { name "x" }',
        '',
        'Matcher error: expected an operator such as = or =~ after "name"',
        '  { name "x" }',
        '         ^^^',
      ].join('\n'),
    );
    expect(failureOf(() => expect(trace).toHaveSpan({ nme: 'x' } as never))).toContain(
      'unknown key "nme" in a span filter; did you mean "name"?',
    );
  });
});
