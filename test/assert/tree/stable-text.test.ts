import { describe, expect, test } from '@jest/globals';
import { stableTreeText } from '../../../src/assert/tree';
import { checkoutTrace, type SpanSpec, TRACE_ID, traceOf } from './build';

describe('stableTreeText', () => {
  test('names, services where they change, ✗ error; no ids, no timings, no error messages', () => {
    const trace = checkoutTrace();
    const text = stableTreeText(trace);
    expect(text).toBe(
      [
        'POST /api/checkout [api-gateway]',
        '└── Order Service [order-service]',
        '    ├── Inventory Service [inventory-service]',
        '    │   └── SELECT stock',
        '    ├── Payment Gateway API  ✗ error',
        '    │   ├── redis GET [payments]',
        '    │   └── charge card [payments]',
        '    └── Notification Service',
      ].join('\n'),
    );
    expect(text).not.toMatch(/\d/);
    expect(text).not.toContain('card declined');
    for (const span of trace.spans) expect(text).not.toContain(span.spanId);
    expect(text).not.toContain(TRACE_ID);
  });

  test('the same text however long each span took, and whenever the trace ran', () => {
    const fast = traceOf([
      { id: '1', name: 'job', start: 0, end: 10 },
      { id: '2', parent: '1', name: 'step 1', start: 1, end: 2 },
      { id: '3', parent: '1', name: 'step 2', start: 3, end: 4 },
    ]);
    const slow = traceOf(
      [
        { id: 'a', name: 'job', start: 5000, end: 9000 },
        { id: 'b', parent: 'a', name: 'step 1', start: 5001, end: 6000 },
        { id: 'c', parent: 'a', name: 'step 2', start: 6000, end: 8999 },
      ],
      'ffffffffffffffffffffffffffffffff',
    );
    expect(stableTreeText(slow)).toBe(stableTreeText(fast));
    expect(stableTreeText(fast)).toBe('job [svc]\n├── step 1\n└── step 2');
  });

  test('the SDK default service name is the same however Jest started node', () => {
    const inBand = traceOf([
      { id: '1', name: 'job', service: 'unknown_service:node', start: 0, end: 1 },
    ]);
    const worker = traceOf([
      { id: '1', name: 'job', service: 'unknown_service:/usr/bin/node', start: 0, end: 1 },
    ]);
    expect(stableTreeText(inBand)).toBe('job [unknown_service]');
    expect(stableTreeText(worker)).toBe(stableTreeText(inBand));
  });

  test('siblings that ran one after another keep their start order, not alphabetical', () => {
    const trace = traceOf([
      { id: '1', name: 'job', start: 0, end: 10 },
      { id: '2', parent: '1', name: 'zeta', start: 1, end: 2 },
      { id: '3', parent: '1', name: 'alpha', start: 2, end: 3 },
    ]);
    expect(stableTreeText(trace)).toBe('job [svc]\n├── zeta\n└── alpha');
  });

  test('concurrent siblings are listed by name, so their racing starts cannot flake', () => {
    const run = (first: string, second: string) =>
      traceOf([
        { id: '1', name: 'Promise.all', start: 0, end: 100 },
        { id: '2', parent: '1', name: first, start: 1, end: 50 },
        { id: '3', parent: '1', name: second, start: 1.2, end: 40 },
        { id: '4', parent: '1', name: 'after', start: 60, end: 70 },
      ]);
    const expected = 'Promise.all [svc]\n├── fetch prices\n├── fetch stock\n└── after';
    expect(stableTreeText(run('fetch stock', 'fetch prices'))).toBe(expected);
    expect(stableTreeText(run('fetch prices', 'fetch stock'))).toBe(expected);
  });

  test('ties on start time and name are broken by service, status, then the subtree', () => {
    const specs = (swap: boolean): SpanSpec[] => {
      const [x, y] = swap ? ['3', '2'] : ['2', '3'];
      return [
        { id: '1', name: 'p', start: 0, end: 10 },
        { id: x, parent: '1', name: 'call', start: 1, end: 5 },
        { id: '4', parent: x, name: 'retry', start: 2, end: 3 },
        { id: y, parent: '1', name: 'call', start: 1, end: 5 },
        { id: '5', parent: y, name: 'ok', start: 2, end: 3 },
        { id: '6', parent: '1', name: 'call', service: 'other', start: 1, end: 5 },
        { id: '7', parent: '1', name: 'call', start: 1, end: 5, error: 'boom' },
      ];
    };
    const expected = [
      'p [svc]',
      '├── call [other]',
      '├── call',
      '│   └── ok',
      '├── call',
      '│   └── retry',
      '└── call  ✗ error',
    ].join('\n');
    expect(stableTreeText(traceOf(specs(false)))).toBe(expected);
    expect(stableTreeText(traceOf(specs(true)))).toBe(expected);
  });

  test('several roots (a lost parent), and names that need the service shown', () => {
    const trace = traceOf([
      { id: '1', name: 'GET /items[0]', start: 0, end: 10 },
      { id: '2', parent: '1', name: 'read [cache]', start: 1, end: 2 },
      { id: '3', parent: 'f', name: 'orphan', start: 20, end: 21 },
    ]);
    expect(stableTreeText(trace)).toBe('GET /items[0] [svc]\n└── read [cache] [svc]\norphan [svc]');
  });

  test('control characters in names are escaped, so every span stays on one line', () => {
    const trace = traceOf([{ id: '1', name: 'a\nb', start: 0, end: 1 }]);
    expect(stableTreeText(trace)).toBe('a\\nb [svc]');
  });

  test('several traces: ordered like siblings, separated by a blank line', () => {
    const one = (name: string, id: string, start: number) =>
      traceOf([{ id: '1', name, start, end: start + 10 }], id.repeat(32));
    const a = one('GET /b', 'a', 0);
    const b = one('GET /a', 'b', 5);
    const c = one('GET /c', 'c', 100);
    expect(stableTreeText([c, b, a])).toBe('GET /a [svc]\n\nGET /b [svc]\n\nGET /c [svc]');
  });

  test('a deep chain: one guide column per level, walked without recursion', () => {
    const specs: SpanSpec[] = Array.from({ length: 1_500 }, (_, i) => ({
      id: (i + 1).toString(16),
      ...(i > 0 ? { parent: i.toString(16) } : {}),
      name: 'frame',
      start: i,
      end: 20_000 - i,
    }));
    const lines = stableTreeText(traceOf(specs)).split('\n');
    expect(lines).toHaveLength(1_500);
    expect(lines[1_499]).toBe(`${'    '.repeat(1_498)}└── frame`);
  });
});
