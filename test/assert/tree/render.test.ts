import { describe, expect, test } from '@jest/globals';
import {
  matchTraceTree,
  parseTreeExpectation,
  renderTreeMatch,
  renderTreeMismatch,
} from '../../../src/assert/tree';
import { checkoutTrace } from './build';

const EXPECTED = `
  POST /api/checkout
  └── Order Service (<400ms)
      ├── Inventory Service
      └── Payment Gateway API (<300ms)
`;

function failure(width: number, options: { strict?: boolean } = {}) {
  const expectation = parseTreeExpectation(EXPECTED);
  const result = matchTraceTree(expectation, checkoutTrace({ payment: 412 }), options);
  return renderTreeMismatch(expectation, result, { width });
}

describe('renderTreeMismatch', () => {
  test('side by side when it fits: the failing line marked ✗, its span marked ◀', () => {
    expect(failure(160).split('\n')).toEqual([
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
    ]);
  });

  test('one above the other when the width does not allow both', () => {
    expect(failure(100).split('\n')).toEqual([
      'First difference, line 5: "Payment Gateway API" took 412ms, which breaks its budget <300ms',
      '',
      'Expected',
      'POST /api/checkout',
      '└── Order Service (<400ms)',
      '    ├── Inventory Service',
      '    └── Payment Gateway API (<300ms)  ✗ took 412ms',
      '',
      'Received: trace 0af76519, 8 spans',
      'POST /api/checkout [api-gateway] (352ms)',
      '└── Order Service [order-service] (350ms)',
      '    ├── Inventory Service [inventory-service] (45ms)',
      '    │   └── SELECT stock (12ms)',
      '    ├── Payment Gateway API (412ms)  ✗ error: card declined  ◀ line 5',
      '    │   ├── redis GET [payments] (2ms)',
      '    │   └── charge card [payments] (250ms)',
      '    └── Notification Service (25ms)',
    ]);
  });

  test('a strict failure marks the parent line and the unlisted span', () => {
    const text = failure(200, { strict: true });
    expect(text.split('\n')[0]).toBe(
      'First difference, line 4: "Inventory Service" has a child "SELECT stock" that the tree does not list (strict: every child of a listed span must be listed too; list it, or add a ... line to allow others)',
    );
    expect(text).toContain('├── Inventory Service  ✗ unlisted child "SELECT stock"');
    expect(text).toContain('│   └── SELECT stock (12ms)  ◀ line 4');
  });

  test('a missing child marks the span it was expected under', () => {
    const expectation = parseTreeExpectation(
      'POST /api/checkout\n└── Order Service\n    └── Audit Log',
    );
    const result = matchTraceTree(expectation, checkoutTrace());
    const text = renderTreeMismatch(expectation, result, { width: 160 });
    expect(text).toContain('    └── Audit Log  ✗ missing');
    expect(text).toContain('└── Order Service [order-service] (350ms)  ◀ line 3');
  });

  test('colours each column without breaking the alignment', () => {
    const expectation = parseTreeExpectation(EXPECTED);
    const result = matchTraceTree(expectation, checkoutTrace({ payment: 412 }));
    const text = renderTreeMismatch(expectation, result, {
      width: 160,
      expectedColor: (s) => `<g>${s}</g>`,
      receivedColor: (s) => `<r>${s}</r>`,
    });
    const lines = text.split('\n');
    expect(lines[2]).toBe(
      'Expected                                              Received: trace 0af76519, 8 spans',
    );
    expect(lines[3]).toBe(
      `<g>POST /api/checkout</g>${' '.repeat(32)}    <r>POST /api/checkout [api-gateway] (352ms)</r>`,
    );
    expect(lines[7]).toBe(
      `${' '.repeat(50)}    <r>    ├── Payment Gateway API (412ms)  ✗ error: card declined  ◀ line 5</r>`,
    );
  });

  test('names the closest of several traces', () => {
    const expectation = parseTreeExpectation(EXPECTED);
    const traces = [
      checkoutTrace({ payment: 412 }),
      checkoutTrace({ payment: 500, traceId: 'b'.repeat(32) }),
    ];
    const text = renderTreeMismatch(expectation, matchTraceTree(expectation, traces), {
      width: 160,
    });
    expect(text).toContain('Received: trace 0af76519, 8 spans (the closest of 2 traces)');
  });

  test('a big trace is cut, but never above the marked span', () => {
    const expectation = parseTreeExpectation('...\n└── Notification Service (<1ms)');
    const result = matchTraceTree(expectation, checkoutTrace());
    const text = renderTreeMismatch(expectation, result, { width: 160, maxSpans: 2 });
    expect(text).toContain('Notification Service (25ms)  ◀ line 2');
  });
});

describe('renderTreeMatch', () => {
  test('marks the span each line matched, for .not', () => {
    const expectation = parseTreeExpectation(EXPECTED);
    const result = matchTraceTree(expectation, checkoutTrace());
    expect(renderTreeMatch(expectation, result, { width: 160 }).split('\n')).toEqual([
      'Expected                                Received: trace 0af76519, 8 spans',
      'POST /api/checkout                      POST /api/checkout [api-gateway] (352ms)  ◀ line 2',
      '└── Order Service (<400ms)              └── Order Service [order-service] (350ms)  ◀ line 3',
      '    ├── Inventory Service                   ├── Inventory Service [inventory-service] (45ms)  ◀ line 4',
      '    └── Payment Gateway API (<300ms)        │   └── SELECT stock (12ms)',
      '                                            ├── Payment Gateway API (280ms)  ✗ error: card declined  ◀ line 5',
      '                                            │   ├── redis GET [payments] (2ms)',
      '                                            │   └── charge card [payments] (250ms)',
      '                                            └── Notification Service (25ms)',
    ]);
    const several = matchTraceTree(expectation, [checkoutTrace({ payment: 412 }), checkoutTrace()]);
    expect(renderTreeMatch(expectation, several, { width: 160 })).toContain(
      'Received: trace 0af76519, 8 spans (one of 2 traces)',
    );
  });

  test('no traces at all', () => {
    const expectation = parseTreeExpectation(EXPECTED);
    expect(renderTreeMismatch(expectation, matchTraceTree(expectation, []))).toBe(
      'There are no traces to match the tree against.',
    );
  });
});
