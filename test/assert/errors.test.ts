import { describe, expect, test } from '@jest/globals';
import {
  checkErrorOrigin,
  checkErrorPropagation,
  checkNoErrors,
  checkRecordedException,
} from '../../src/assert';
import { checkoutTrace, names, spanNamed, traceOf } from './build';

const layered = () =>
  traceOf([
    { id: '1', name: 'POST /api/checkout', start: 0, end: 100, status: 'error' },
    { id: '2', parent: '1', name: 'Order Service', start: 1, end: 99, status: 'error' },
    { id: '3', parent: '2', name: 'OrderRepository.save', start: 5, end: 50, status: 'error' },
    {
      id: '4',
      parent: '3',
      name: 'INSERT orders',
      start: 6,
      end: 45,
      status: 'error',
      message: 'deadlock detected',
    },
    { id: '5', parent: '1', name: 'audit', start: 2, end: 4 },
  ]);

describe('checkNoErrors', () => {
  test('lists failed spans with how each was seen to fail', () => {
    const trace = traceOf([
      { id: '1', name: 'root', start: 0, end: 10, status: 'error' },
      { id: '2', parent: '1', name: 'threw', start: 1, end: 2, exceptions: [{ type: 'E' }] },
      { id: '3', parent: '1', name: 'fine', start: 3, end: 4 },
    ]);
    const result = checkNoErrors(trace);
    expect(result.pass).toBe(false);
    expect(result.failures.map((f) => [f.span.name, f.signal])).toEqual([
      ['root', 'status'],
      ['threw', 'exception'],
    ]);
    expect(checkNoErrors(trace, { ignoreRecordedExceptions: true }).failures).toHaveLength(1);
  });

  test('takes a span, and every trace of a list', () => {
    const trace = checkoutTrace();
    expect(checkNoErrors(spanNamed(trace, 'Order Service')).pass).toBe(true);
    expect(checkNoErrors(spanNamed(trace, 'Payment Gateway API')).pass).toBe(false);
    expect(checkNoErrors([traceOf([{ id: '1', start: 0, end: 1 }]), trace]).failures).toHaveLength(
      1,
    );
  });
});

describe('checkErrorOrigin', () => {
  test('passes for the span where the failure started, not where it propagated', () => {
    expect(checkErrorOrigin(layered(), '{ name = "INSERT orders" }').pass).toBe(true);
    const result = checkErrorOrigin(layered(), '{ name = "Order Service" }');
    expect(result.pass).toBe(false);
    expect(result.elsewhere[0]?.origin.name).toBe('INSERT orders');
  });

  test('fails when nothing failed, and reports a selector that matches nothing', () => {
    const clean = traceOf([{ id: '1', name: 'a', start: 0, end: 1 }]);
    expect(checkErrorOrigin(clean, '{ name = "a" }')).toMatchObject({
      pass: false,
      origins: [],
      clean: [clean],
    });
    expect(
      checkErrorOrigin(layered(), '{ name = "INSERT order" }').noMatch?.candidates.map(
        (c) => c.span.name,
      ),
    ).toEqual(['INSERT orders']);
  });

  test('over a list, every failed trace must have started failing there', () => {
    const clean = traceOf([{ id: '1', name: 'INSERT orders', start: 0, end: 1 }], 'b'.repeat(32));
    expect(checkErrorOrigin([layered(), clean], '{ name = "INSERT orders" }').pass).toBe(true);
    expect(
      checkErrorOrigin([layered(), checkoutTrace()], '{ name = "INSERT orders" }').elsewhere,
    ).toHaveLength(1);
  });
});

describe('checkErrorPropagation', () => {
  test('ERROR on from, to and everything between', () => {
    const result = checkErrorPropagation(layered(), {
      from: '{ name = "INSERT orders" }',
      to: '{ name = "Order Service" }',
    });
    expect(result.pass).toBe(true);
    expect(names(result.path)).toEqual(['INSERT orders', 'OrderRepository.save', 'Order Service']);
    expect(
      checkErrorPropagation(layered(), { from: '{ name = "INSERT orders" }' }).path,
    ).toHaveLength(4);
  });

  test('reports where the error was handled', () => {
    const trace = traceOf([
      { id: '1', name: 'root', start: 0, end: 100 },
      { id: '2', parent: '1', name: 'service', start: 1, end: 99 },
      { id: '3', parent: '2', name: 'retrying client', start: 2, end: 90, status: 'ok' },
      { id: '4', parent: '3', name: 'attempt', start: 3, end: 10, status: 'error' },
    ]);
    const result = checkErrorPropagation(trace, {
      from: '{ name = "attempt" }',
      to: '{ name = "root" }',
    });
    expect(result.pass).toBe(false);
    expect(names(result.handledAt)).toEqual(['retrying client', 'service', 'root']);
  });

  test('picks the failed match of from, when several match', () => {
    const trace = traceOf([
      { id: '1', name: 'root', start: 0, end: 100, status: 'error' },
      { id: '2', parent: '1', name: 'attempt', start: 1, end: 10 },
      { id: '3', parent: '1', name: 'attempt', start: 11, end: 20, status: 'error' },
    ]);
    const result = checkErrorPropagation(trace, { from: '{ name = "attempt" }' });
    expect(result.pass).toBe(true);
    expect(result.path[0]?.spanId).toBe('0000000000000003');
  });

  test('fails when no from span sits under a to span', () => {
    const result = checkErrorPropagation(layered(), {
      from: '{ name = "audit" }',
      to: '{ name = "Order Service" }',
    });
    expect(result).toMatchObject({ pass: false, path: [] });
  });

  test('reports which selector matched nothing, and refuses a bad expectation', () => {
    expect(checkErrorPropagation(layered(), { from: '{ name = "nope" }' }).noMatch?.argument).toBe(
      'from',
    );
    expect(
      checkErrorPropagation(layered(), { from: '{ }', to: '{ name = "nope" }' }).noMatch?.argument,
    ).toBe('to');
    expect(() => checkErrorPropagation(layered(), {} as never)).toThrow(/needs \{ from, to\? \}/);
    expect(() => checkErrorPropagation([layered(), layered()], { from: '{ }' })).toThrow(
      /array of 2 traces/,
    );
  });
});

describe('checkRecordedException', () => {
  const trace = checkoutTrace();
  const payment = '{ name = "Payment Gateway API" }';

  test('type exactly, message as a substring, or a RegExp', () => {
    expect(checkRecordedException(trace, payment, { type: 'CardError' }).pass).toBe(true);
    expect(checkRecordedException(trace, payment, { type: 'Card' }).pass).toBe(false);
    expect(checkRecordedException(trace, payment, { message: 'insufficient' }).pass).toBe(true);
    expect(checkRecordedException(trace, payment, { message: /^card declined/ }).pass).toBe(true);
    expect(
      checkRecordedException(trace, payment, { type: 'CardError', message: 'expired' }).pass,
    ).toBe(false);
    expect(checkRecordedException(trace, payment).pass).toBe(true);
    expect(checkRecordedException(trace, '{ name = "Order Service" }').pass).toBe(false);
  });

  test('checks a span by itself when given one', () => {
    const span = spanNamed(trace, 'Payment Gateway API');
    const result = checkRecordedException(span, undefined, { type: 'CardError' });
    expect(result.pass).toBe(true);
    expect(result.fitting[0]?.exceptions[0]?.message).toBe('card declined: insufficient funds');
  });

  test('uses the given equality for anything else (asymmetric matchers)', () => {
    const startsWithCard = {
      asymmetricMatch: (v: unknown) => typeof v === 'string' && v.startsWith('Card'),
    };
    expect(checkRecordedException(trace, payment, { type: startsWithCard }).pass).toBe(true);
  });

  test('refuses unknown keys', () => {
    expect(() => checkRecordedException(trace, payment, { name: 'CardError' } as never)).toThrow(
      /unknown key "name"/,
    );
  });
});
