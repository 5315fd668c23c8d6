import { expect, test } from '@jest/globals';
import { parseSelector, printSelector } from '../../src/query';

/** Every selector written in the design document must keep working: users copy them. */
test.each([
  '{ name = "Payment Gateway API" }',
  '{ resource.service.name = "checkout" && kind = client && duration > 300ms }',
  '{ span.db.system.name = "postgresql" } | count() > 3',
  '{ name = "POST /api/checkout" } >> { status = error }',
  '{ name = "Order Service" } > { name =~ "Inventory.*" }',
  '{ type = database } | count() < 5',
  '{ name = "POST /api/checkout" && kind = server }',
])('%s', (text) => {
  const selector = parseSelector(text);
  expect(printSelector(selector.ast)).toBe(text);
});
