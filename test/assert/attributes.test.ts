import { describe, expect, test } from '@jest/globals';
import { checkAttributes } from '../../src/assert';
import { checkoutTrace, spanNamed } from './build';

const trace = checkoutTrace();

describe('checkAttributes', () => {
  test('some matching span carries every expected attribute', () => {
    const result = checkAttributes(trace, '{ kind = client }', { 'db.system.name': 'postgresql' });
    expect(result.pass).toBe(true);
    expect(result.compared).toHaveLength(2);
    expect(result.having.map((h) => h.span.name)).toEqual(['SELECT stock']);
  });

  test('reports what each matching span has instead', () => {
    const result = checkAttributes(trace, '{ name = "Payment Gateway API" }', {
      'http.response.status_code': 200,
      'peer.service': 'stripe',
      'retry.count': 0,
    });
    expect(result.pass).toBe(false);
    expect(result.compared[0]?.actual).toEqual({
      'http.response.status_code': 402,
      'peer.service': 'stripe',
    });
    expect(result.compared[0]?.mismatches).toEqual([
      { key: 'http.response.status_code', expected: 200, actual: 402 },
      { key: 'retry.count', expected: 0, actual: undefined },
    ]);
  });

  test('looks on the resource too, takes RegExps, and undefined means absent', () => {
    expect(
      checkAttributes(trace, '{ name = "Order Service" }', { 'service.name': 'order-service' })
        .pass,
    ).toBe(true);
    expect(
      checkAttributes(trace, '{ name = "SELECT stock" }', { 'db.query.text': /FROM stock/ }).pass,
    ).toBe(true);
    expect(
      checkAttributes(trace, '{ name = "SELECT stock" }', { 'user.password': undefined }).pass,
    ).toBe(true);
  });

  test('checks a span by itself, and passes values through the given equality', () => {
    const span = spanNamed(trace, 'Payment Gateway API');
    const anyNumber = { asymmetricMatch: (v: unknown) => typeof v === 'number' };
    expect(checkAttributes(span, undefined, { 'http.response.status_code': anyNumber }).pass).toBe(
      true,
    );
  });

  test('a selector that matches nothing is reported, not passed over', () => {
    const result = checkAttributes(trace, '{ name = "Paymnt" }', {});
    expect(result.pass).toBe(false);
    expect(result.noMatch?.selector).toBe('{ name = "Paymnt" }');
    expect(() => checkAttributes(trace, '{ }', null as never)).toThrow(
      /must be an object of attribute names to values, not null/,
    );
  });
});
