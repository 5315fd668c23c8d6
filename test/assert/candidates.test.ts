import { describe, expect, test } from '@jest/globals';
import { nearestByName, wantedNames } from '../../src/assert';
import { checkoutTrace, names } from './build';

const traces = [checkoutTrace()];
const nearest = (selector: Parameters<typeof nearestByName>[1]) =>
  names(nearestByName(traces, selector).map((c) => c.span));

describe('wantedNames', () => {
  test('reads names from queries, objects and regexes; none from predicates', () => {
    expect(wantedNames('{ name = "Payment" && kind = client }')).toEqual(['Payment']);
    // A structural selector returns its right-hand side: that is the span to suggest for.
    expect(wantedNames('{ name = "Order Service" } >> { span:name = "charge" }')).toEqual([
      'charge',
    ]);
    expect(wantedNames('{ name = "Order Service" } >> { kind = client }')).toEqual([
      'Order Service',
    ]);
    expect(wantedNames('{ name =~ "Inventory.*" }')).toEqual(['Inventory']);
    expect(wantedNames('{ name != "x" }')).toEqual([]);
    expect(wantedNames({ name: 'charge' })).toEqual(['charge']);
    expect(wantedNames({ name: /^Payment.*API$/ })).toEqual(['Payment']);
    expect(wantedNames(() => true)).toEqual([]);
    expect(wantedNames('{ name = ')).toEqual([]);
  });
});

describe('nearestByName', () => {
  test('finds typos, different case and names that hold the wanted one', () => {
    expect(nearest('{ name = "Paymnt Gateway API" }')).toEqual(['Payment Gateway API']);
    expect(nearest('{ name = "payment gateway api" && kind = server }')).toEqual([
      'Payment Gateway API',
    ]);
    expect(nearest({ name: 'Inventory' })).toEqual(['Inventory Service']);
  });

  test('ranks an exact name first: then the rest of the selector is what differs', () => {
    const [first] = nearestByName(traces, '{ name = "Order Service" && kind = client }');
    expect(first).toMatchObject({ distance: 0, wanted: 'Order Service' });
  });

  test('suggests nothing far-fetched', () => {
    expect(nearest('{ name = "GET /health" }')).toEqual([]);
    expect(nearest('{ kind = consumer }')).toEqual([]);
  });

  test('counts the spans that share a name', () => {
    const [candidate] = nearestByName(traces.concat(checkoutTrace()), '{ name = "SELECT stok" }');
    expect(candidate?.count).toBe(2);
  });
});
