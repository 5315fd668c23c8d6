import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { toMatchTraceSnapshot } from '../../matchers/to-match-trace-snapshot';
import { toMatchTraceTree } from '../../matchers/to-match-trace-tree';
import { checkoutTrace, traceOf } from '../assert/tree/build';

expect.extend({ toMatchTraceTree, toMatchTraceSnapshot });

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The message of a failing assertion, without colours, as a CI log shows it. */
function failureOf(assertion: () => unknown): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message.replace(ANSI, '');
  }
  throw new Error('expected the assertion to fail, but it passed');
}

// The side-by-side view depends on the terminal's width; pin it so that the test does not
// depend on where it runs (a pipe in CI, a narrow terminal on a laptop).
const columns = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
beforeAll(() => {
  Object.defineProperty(process.stdout, 'columns', { value: 160, configurable: true });
});
afterAll(() => {
  if (columns) Object.defineProperty(process.stdout, 'columns', columns);
  else Reflect.deleteProperty(process.stdout, 'columns');
});

const DESIGN_EXAMPLE = `
  POST /api/checkout
  └── Order Service (<400ms)
      ├── Inventory Service
      └── Payment Gateway API (<300ms)
`;

describe('toMatchTraceTree', () => {
  test('the DESIGN.md example', () => {
    expect(checkoutTrace()).toMatchTraceTree(DESIGN_EXAMPLE);
    expect(checkoutTrace({ payment: 412 })).not.toMatchTraceTree(DESIGN_EXAMPLE);
  });

  test('a failure: the first difference, then expected beside received', () => {
    expect(
      failureOf(() => expect(checkoutTrace({ payment: 412 })).toMatchTraceTree(DESIGN_EXAMPLE)),
    ).toBe(
      [
        'expect(trace).toMatchTraceTree(tree)',
        '',
        'First difference, line 5: "Payment Gateway API" took 412ms, which breaks its budget <300ms',
        '',
        'Expected                                              Received: trace 0af76519, 8 spans',
        'POST /api/checkout                                    POST /api/checkout [api-gateway] (352ms)',
        '└── Order Service (<400ms)                            └── Order Service [order-service] (350ms)',
        '    ├── Inventory Service                                 ├── Inventory Service [inventory-service] (45ms)',
        '    └── Payment Gateway API (<300ms)  ✗ took 412ms        │   └── SELECT stock (12ms)',
        '                                                          ├── Payment Gateway API (412ms)  ✗ error: card declined  ◀ line 5',
        '                                                          │   ├── redis GET [payments] (2ms)',
        '                                                          │   └── charge card [payments] (250ms)',
        '                                                          └── Notification Service (25ms)',
      ].join('\n'),
    );
  });

  test('.not: says that it matched, and which span each line matched', () => {
    const message = failureOf(() => expect(checkoutTrace()).not.toMatchTraceTree(DESIGN_EXAMPLE));
    expect(message.split('\n').slice(0, 4)).toEqual([
      'expect(trace).not.toMatchTraceTree(tree)',
      '',
      'Expected no trace to have this shape, but trace 0af76519 matches every line:',
      '',
    ]);
    expect(message).toContain(
      '└── Order Service (<400ms)              └── Order Service [order-service] (350ms)  ◀ line 3',
    );
  });

  test('strict and ordered, with the options in the hint', () => {
    const exact = `
      POST /api/checkout
      └── Order Service
          ├── Inventory Service
          │   └── SELECT stock
          ├── Payment Gateway API
          │   ├── redis GET
          │   └── charge card
          └── Notification Service
    `;
    expect(checkoutTrace()).toMatchTraceTree(exact, { strict: true, ordered: true });
    expect(checkoutTrace()).not.toMatchTraceTree(DESIGN_EXAMPLE, { strict: true });
    const message = failureOf(() =>
      expect(checkoutTrace()).toMatchTraceTree(DESIGN_EXAMPLE, { strict: true }),
    );
    expect(message).toContain('expect(trace).toMatchTraceTree(tree, options)');
    expect(message).toContain(
      'First difference, line 4: "Inventory Service" has a child "SELECT stock" that the tree does not list',
    );
    const swapped =
      'POST /api/checkout\n└── Order Service\n    ├── Payment Gateway API\n    └── Inventory Service';
    expect(checkoutTrace()).toMatchTraceTree(swapped);
    expect(
      failureOf(() => expect(checkoutTrace()).toMatchTraceTree(swapped, { ordered: true })),
    ).toContain(
      'First difference, line 4: "Inventory Service" started at +3ms, before "Payment Gateway API" (line 3) at +50ms',
    );
  });

  test('several traces: any one may match; a failure shows the closest', () => {
    const health = traceOf([{ id: '1', name: 'GET /health', start: 0, end: 1 }], 'b'.repeat(32));
    expect([health, checkoutTrace()]).toMatchTraceTree(DESIGN_EXAMPLE);
    const message = failureOf(() =>
      expect([health, checkoutTrace({ payment: 412 })]).toMatchTraceTree(DESIGN_EXAMPLE),
    );
    expect(message.split('\n')[0]).toBe('expect(traces).toMatchTraceTree(tree)');
    expect(message).toContain('First difference, line 5: "Payment Gateway API" took 412ms');
    expect(message).toContain('Received: trace 0af76519, 8 spans (the closest of 2 traces)');
  });

  test('a narrow terminal gets the trees one above the other', () => {
    Object.defineProperty(process.stdout, 'columns', { value: 80, configurable: true });
    try {
      const message = failureOf(() =>
        expect(checkoutTrace({ payment: 412 })).toMatchTraceTree(DESIGN_EXAMPLE),
      );
      expect(message).toContain(
        '    └── Payment Gateway API (<300ms)  ✗ took 412ms\n\nReceived: trace 0af76519, 8 spans\nPOST /api/checkout [api-gateway] (352ms)',
      );
    } finally {
      Object.defineProperty(process.stdout, 'columns', { value: 160, configurable: true });
    }
  });
});

describe('toMatchTraceTree: usage errors fail with or without .not', () => {
  test('a tree that cannot be read: the line, the column, a caret', () => {
    const tree = 'POST /api/checkout\n└── Payment Gateway API (<300)';
    for (const assertion of [
      () => expect(checkoutTrace()).toMatchTraceTree(tree),
      () => expect(checkoutTrace()).not.toMatchTraceTree(tree),
    ]) {
      expect(failureOf(assertion)).toContain(
        [
          'Matcher error: line 2, column 27: the budget "<300" has no unit; write it as <300ms (units: ns, us, µs, ms, s, m, h)',
          '  └── Payment Gateway API (<300)',
          `  ${' '.repeat(26)}^^^`,
        ].join('\n'),
      );
    }
  });

  test('a tree that is not a string', () => {
    expect(
      failureOf(() => expect(checkoutTrace()).toMatchTraceTree(42 as unknown as string)),
    ).toContain('Matcher error: tree must be a string in the tree notation');
  });

  test('an unknown option, or an option that is not a boolean', () => {
    expect(
      failureOf(() =>
        expect(checkoutTrace()).not.toMatchTraceTree(DESIGN_EXAMPLE, { ordred: true } as never),
      ),
    ).toContain(
      'Matcher error: options has an unknown option "ordred" (the options are strict and ordered)',
    );
    expect(
      failureOf(() =>
        expect(checkoutTrace()).toMatchTraceTree(DESIGN_EXAMPLE, { strict: 'yes' } as never),
      ),
    ).toContain('Matcher error: options has strict: "yes", which must be true or false');
  });

  test('nothing captured is an error, not a silent pass of .not', () => {
    for (const assertion of [
      () => expect([]).toMatchTraceTree(DESIGN_EXAMPLE),
      () => expect([]).not.toMatchTraceTree(DESIGN_EXAMPLE),
    ]) {
      expect(failureOf(assertion)).toContain('Matcher error: received value must be');
    }
    expect(failureOf(() => expect(undefined).toMatchTraceTree(DESIGN_EXAMPLE))).toContain(
      'Matcher error: received value must be',
    );
  });
});
