import { describe, expect, test } from '@jest/globals';
import { matchers } from '../../matchers';
import { checkoutTrace, nPlusOneTrace, spanNamed } from '../assert/build';
import { failureOf } from './helpers';

expect.extend(matchers);

const trace = checkoutTrace();
const payment = '{ name = "Payment Gateway API" }';

describe('toHaveAttributes', () => {
  test('a matching span carries the attributes (its resource’s count too)', () => {
    expect(trace).toHaveAttributes(payment, {
      'http.response.status_code': 402,
      'peer.service': 'stripe',
    });
    expect(trace).toHaveAttributes({ kind: 'client' }, { 'db.system.name': 'postgresql' });
    expect(trace).toHaveAttributes(payment, { 'service.name': 'order-service' });
    expect([nPlusOneTrace(1), trace]).toHaveAttributes(payment, { 'peer.service': 'stripe' });
  });

  test('asymmetric matchers work inside the expected attributes', () => {
    expect(trace).toHaveAttributes(payment, {
      'http.response.status_code': expect.any(Number),
      'peer.service': expect.stringMatching(/^str/),
      'http.request.method': expect.anything(),
    });
    expect(trace).toHaveAttributes('{ name = "SELECT stock" }', {
      'db.query.text': expect.stringContaining('FROM stock'),
    });
    expect(trace).not.toHaveAttributes(payment, {
      'http.response.status_code': expect.any(String),
    });
  });

  test('undefined asks for an absent attribute: no span leaks a password', () => {
    expect(trace).toHaveAttributes(payment, { 'user.password': undefined });
    expect(trace).not.toHaveAttributes('{ }', { 'user.password': expect.anything() });
  });

  test('the failure diffs the expected attributes against the span’s, as Jest diffs objects', () => {
    const message = failureOf(() =>
      expect(trace).toHaveAttributes(payment, {
        'http.response.status_code': 200,
        'peer.service': expect.stringMatching(/^str/),
      }),
    );
    expect(message).toContain(
      [
        'expect(trace).toHaveAttributes(selector, expected) // { name = "Payment Gateway API" }',
        '',
        'Expected: a span matching the selector to have these attributes',
        'Received: the one matching span differs:',
        '',
        '"Payment Gateway API" [order-service]:',
        '- Expected  - 1',
        '+ Received  + 1',
        '',
        '  Object {',
        '-   "http.response.status_code": 200,',
        '+   "http.response.status_code": 402,',
        // The asymmetric matcher that matched is not reported as a difference.
        '    "peer.service": StringMatching /^str/,',
        '  }',
      ].join('\n'),
    );
  });

  test('.not lists the spans that carry them', () => {
    const message = failureOf(() =>
      expect(trace).not.toHaveAttributes('{ kind = client }', {
        'db.system.name': expect.any(String),
      }),
    );
    expect(message).toContain(
      'Expected: a span matching the selector not to have these attributes\nReceived: 1 matching span does:\n\n"SELECT stock" [inventory-service]:\n{"db.system.name": "postgresql"}',
    );
  });

  test('a span is checked by itself, with the attributes as the only argument', () => {
    const span = spanNamed(trace, 'SELECT stock');
    expect(span).toHaveAttributes({ 'db.system.name': 'postgresql' });
    expect(failureOf(() => expect(span).toHaveAttributes({ 'db.system.name': 'mysql' }))).toBe(
      [
        'expect(span).toHaveAttributes(expected)',
        '',
        'Expected: the span to have these attributes',
        'Received: the span differs:',
        '',
        '- Expected  - 1',
        '+ Received  + 1',
        '',
        '  Object {',
        '-   "db.system.name": "mysql",',
        '+   "db.system.name": "postgresql",',
        '  }',
      ].join('\n'),
    );
  });

  test('on a trace, the attributes alone are a mistake that is explained', () => {
    expect(failureOf(() => expect(trace).toHaveAttributes({ 'peer.service': 'stripe' }))).toContain(
      'Matcher error: on a trace, toHaveAttributes takes a selector, then the attributes',
    );
  });

  test('a selector that matches nothing is an error in both directions', () => {
    expect(
      failureOf(() => expect(trace).not.toHaveAttributes('{ name = "Paymnt" }', { a: 1 })),
    ).toContain('Matcher error: the selector matched no span');
  });
});
