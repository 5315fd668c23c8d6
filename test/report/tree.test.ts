import { describe, expect, test } from '@jest/globals';
import { parseTreeExpectation } from '../../src/assert/tree/parse';
import { type Span, Trace } from '../../src/model';
import { formatTraceHeader, formatTraceIssues, formatTraceTree } from '../../src/report';
import { checkoutTrace, span, TRACE_ID } from './build';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\u001b\[/;

describe('formatTraceTree', () => {
  test('draws the checkout the way DESIGN.md does, with services where they change', () => {
    expect(formatTraceTree(checkoutTrace())).toBe(
      [
        'POST /api/checkout [api-gateway] (352ms)',
        '└── Order Service [order-service] (350ms)',
        '    ├── Inventory Service [inventory-service] (45ms)',
        '    ├── Payment Gateway API (280ms)  ✗ error: card declined',
        '    └── Notification Service (25ms)',
      ].join('\n'),
    );
  });

  test('continues │ below an ancestor that has later siblings, and not below a last child', () => {
    const trace = Trace.from([
      span({ id: '1', start: 0, end: 100 }),
      span({ id: '2', parent: '1', start: 1, end: 50 }),
      span({ id: '3', parent: '2', start: 2, end: 10 }),
      span({ id: '4', parent: '3', start: 3, end: 4 }),
      span({ id: '5', parent: '2', start: 20, end: 30 }),
      span({ id: '6', parent: '1', start: 60, end: 90 }),
      span({ id: '7', parent: '6', start: 61, end: 62 }),
    ]);
    expect(formatTraceTree(trace)).toBe(
      [
        'op-1 [unknown_service] (100ms)',
        '├── op-2 (49ms)',
        '│   ├── op-3 (8ms)',
        '│   │   └── op-4 (1ms)',
        '│   └── op-5 (10ms)',
        '└── op-6 (30ms)',
        '    └── op-7 (1ms)',
      ].join('\n'),
    );
  });

  test('orders siblings by start time, not by input order', () => {
    const trace = Trace.from([
      span({ id: '1', start: 0, end: 10, service: 'a' }),
      span({ id: '4', parent: '1', start: 7, end: 8, service: 'a' }),
      span({ id: '2', parent: '1', start: 1, end: 2, service: 'a' }),
      span({ id: '3', parent: '1', start: 4, end: 5, service: 'a' }),
    ]);
    expect(formatTraceTree(trace).split('\n')).toEqual([
      'op-1 [a] (10ms)',
      '├── op-2 (1ms)',
      '├── op-3 (1ms)',
      '└── op-4 (1ms)',
    ]);
  });

  test('shows the service again when a child goes back to the grandparent’s service', () => {
    const trace = Trace.from([
      span({ id: '1', service: 'web', start: 0, end: 10 }),
      span({ id: '2', parent: '1', service: 'auth', start: 1, end: 5 }),
      span({ id: '3', parent: '2', service: 'web', start: 2, end: 3 }),
    ]);
    expect(formatTraceTree(trace).split('\n')).toEqual([
      'op-1 [web] (10ms)',
      '└── op-2 [auth] (4ms)',
      '    └── op-3 [web] (1ms)',
    ]);
  });

  test('error marks fall back to the exception message, its type, then the HTTP status', () => {
    const exception = (attributes: Record<string, string>) => ({
      name: 'exception',
      timeUnixNano: 0n,
      attributes,
    });
    const trace = Trace.from([
      span({ id: '1', start: 0, end: 10 }),
      span({
        id: '2',
        parent: '1',
        start: 1,
        end: 2,
        status: { code: 'error', message: '' },
        events: [
          exception({
            'exception.type': 'TimeoutError',
            'exception.message': 'timed out after 5s',
          }),
        ],
      }),
      span({
        id: '3',
        parent: '1',
        start: 3,
        end: 4,
        status: { code: 'error', message: '' },
        events: [exception({ 'exception.type': 'ECONNRESET' })],
      }),
      span({
        id: '4',
        parent: '1',
        start: 5,
        end: 6,
        status: { code: 'error', message: '' },
        attributes: { 'http.response.status_code': 503 },
      }),
      span({ id: '5', parent: '1', start: 7, end: 8, status: { code: 'error', message: '' } }),
      // An exception event alone does not make an error (recordException does not set status).
      span({
        id: '6',
        parent: '1',
        start: 8,
        end: 9,
        events: [exception({ 'exception.message': 'retried' })],
      }),
    ]);
    expect(formatTraceTree(trace).split('\n').slice(1)).toEqual([
      '├── op-2 (1ms)  ✗ error: timed out after 5s',
      '├── op-3 (1ms)  ✗ error: ECONNRESET',
      '├── op-4 (1ms)  ✗ error: HTTP 503',
      '├── op-5 (1ms)  ✗ error',
      '└── op-6 (1ms)',
    ]);
  });

  test('marks orphans as roots that name their missing parent, after the real root', () => {
    const trace = Trace.from([
      span({ id: '1', service: 'web', start: 0, end: 10 }),
      span({ id: '2', parent: '1', start: 1, end: 2, service: 'web' }),
      span({ id: '3', parent: 'dead', service: 'db', start: 5, end: 6 }),
      span({ id: '4', parent: '3', service: 'db', start: 5.5, end: 5.75 }),
    ]);
    expect(formatTraceTree(trace)).toBe(
      [
        'op-1 [web] (10ms)',
        '└── op-2 (1ms)',
        'op-3 [db] (1ms)  ⚠ orphan: parent 000000000000dead is not in the trace',
        '└── op-4 (250µs)',
      ].join('\n'),
    );
  });

  test('marks the span where a parent loop was cut', () => {
    const trace = Trace.from([
      span({ id: '1', parent: '2', service: 's', start: 0, end: 10 }),
      span({ id: '2', parent: '1', service: 's', start: 1, end: 2 }),
    ]);
    expect(formatTraceTree(trace).split('\n')).toEqual([
      'op-1 [s] (10ms)  ⚠ parent loop cut here',
      '└── op-2 (1ms)',
    ]);
  });

  test('keeps names verbatim, escaping only control characters, and disambiguates a trailing ]', () => {
    const trace = Trace.from([
      span({ id: '1', name: 'GET /items/{id} (v2)', service: 'api', start: 0, end: 10 }),
      span({ id: '2', parent: '1', name: 'SELECT 1\nFROM dual', service: 'api', start: 1, end: 2 }),
      span({ id: '3', parent: '1', name: 'cache.get items[0]', service: 'api', start: 3, end: 4 }),
    ]);
    expect(formatTraceTree(trace).split('\n')).toEqual([
      'GET /items/{id} (v2) [api] (10ms)',
      '├── SELECT 1\\nFROM dual (1ms)',
      '└── cache.get items[0] [api] (1ms)',
    ]);
  });

  test('marks highlighted spans and only those', () => {
    const trace = checkoutTrace();
    const text = formatTraceTree(trace, { highlight: (s) => s.name.endsWith('Service') });
    expect(text.split('\n')).toEqual([
      'POST /api/checkout [api-gateway] (352ms)',
      '└── Order Service [order-service] (350ms)  ◀ match',
      '    ├── Inventory Service [inventory-service] (45ms)  ◀ match',
      '    ├── Payment Gateway API (280ms)  ✗ error: card declined',
      '    └── Notification Service (25ms)  ◀ match',
    ]);
  });

  test('prints a mark note after the spans it chooses, after the error mark', () => {
    const trace = checkoutTrace();
    const mark = (s: Span) =>
      s.name === 'Payment Gateway API' ? 'duration' : s.name === 'Order Service' ? 'for_each' : '';
    expect(formatTraceTree(trace, { mark }).split('\n')).toEqual([
      'POST /api/checkout [api-gateway] (352ms)',
      '└── Order Service [order-service] (350ms)  ◀ for_each',
      '    ├── Inventory Service [inventory-service] (45ms)',
      '    ├── Payment Gateway API (280ms)  ✗ error: card declined  ◀ duration',
      '    └── Notification Service (25ms)',
    ]);
    // Notes are escaped like names: one span, one line.
    expect(formatTraceTree(trace, { mark: () => 'a\nb', maxSpans: 1 })).toBe(
      'POST /api/checkout [api-gateway] (352ms)  ◀ a\\nb\n… 4 more spans (4 of them marked ◀)',
    );
  });

  test('notes do not stop a pasted tree from reading back as an expectation', () => {
    const text = formatTraceTree(checkoutTrace(), { mark: () => 'for_each; count' });
    // Durations are what a user replaces with budgets; the notes may stay.
    const pasted = text.replace(/ \(\d+ms\)/g, '');
    expect(pasted).toContain('◀ for_each; count');
    expect(parseTreeExpectation(pasted).lines).toHaveLength(5);
  });

  test('says how many hidden spans are marked, beside how many match', () => {
    const trace = checkoutTrace();
    const text = formatTraceTree(trace, {
      maxSpans: 2,
      highlight: (s) => s.isError,
      mark: (s) => (s.name.endsWith('Service') ? 'x' : undefined),
    });
    expect(text.split('\n').at(-1)).toBe('… 3 more spans (1 of them matches, 2 of them marked ◀)');
  });

  test('truncates after maxSpans in tree order and says how many spans and matches are hidden', () => {
    const trace = checkoutTrace();
    expect(formatTraceTree(trace, { maxSpans: 2 })).toBe(
      [
        'POST /api/checkout [api-gateway] (352ms)',
        '└── Order Service [order-service] (350ms)',
        '… 3 more spans',
      ].join('\n'),
    );
    expect(formatTraceTree(trace, { maxSpans: 4 }).split('\n').at(-1)).toBe('… 1 more span');
    expect(
      formatTraceTree(trace, { maxSpans: 2, highlight: (s) => s.isError })
        .split('\n')
        .at(-1),
    ).toBe('… 3 more spans (1 of them matches)');
    expect(formatTraceTree(trace, { maxSpans: 5 })).toBe(formatTraceTree(trace));
    expect(() => formatTraceTree(trace, { maxSpans: 0 })).toThrow(RangeError);
  });

  test('writes no ANSI codes by default or with color: false, and colours when asked', () => {
    const trace = checkoutTrace();
    const plain = formatTraceTree(trace, { highlight: () => true });
    expect(plain).not.toMatch(ANSI);
    expect(formatTraceTree(trace, { color: false, highlight: () => true })).toBe(plain);

    const colored = formatTraceTree(trace, { color: true, highlight: () => true });
    expect(colored).toMatch(ANSI);
    // Same text once the escapes are removed: colour never changes the layout.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    const paymentLine = colored.split('\n')[3] as string;
    expect(paymentLine).toContain('\u001b[31m'); // red
    expect(colored.split('\n')[0]).toContain('\u001b[2m[api-gateway]'); // dim service
  });
});

describe('formatTraceHeader', () => {
  test('names the trace, its size, duration and services in tree order', () => {
    expect(formatTraceHeader(checkoutTrace())).toBe(
      `trace ${TRACE_ID} · 5 spans · 356ms · services: api-gateway, order-service, inventory-service`,
    );
  });

  test('counts services beyond the limit instead of listing them', () => {
    const spans = [span({ id: '1', service: 's0', start: 0, end: 10 })];
    for (let i = 2; i <= 12; i++)
      spans.push(span({ id: String(i), parent: '1', service: `s${i}`, start: i, end: i + 1 }));
    expect(formatTraceHeader(Trace.from(spans))).toMatch(
      / · services: s0, s2, s3, s4, s5, s6, s7, s8 and 4 more$/,
    );
  });
});

describe('formatTraceIssues', () => {
  test('is empty for a clean trace', () => {
    expect(formatTraceIssues(checkoutTrace())).toBe('');
  });

  test('lists each issue the model reported as a warning', () => {
    const trace = Trace.from([
      span({ id: '1', service: 'web', start: 10, end: 20 }),
      span({ id: '2', parent: '1', service: 'db', start: 5, end: 12 }),
      span({ id: '3', parent: 'gone', service: 'db', start: 15, end: 16 }),
    ]);
    const lines = formatTraceIssues(trace).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(
      expect.stringMatching(/^warning: span "op-3" .* names parent 0{12}gone/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^warning: span "op-2" \(db\) starts 5ms before its parent "op-1" \(web\)/,
      ),
    );
  });

  test('caps a long list with a count of the rest', () => {
    const spans = [span({ id: '1', start: 0, end: 100 })];
    for (let i = 2; i <= 14; i++)
      spans.push(span({ id: String(i), parent: `f${i}`, start: i, end: i + 1 }));
    const lines = formatTraceIssues(Trace.from(spans), { maxIssues: 10 }).split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe('… 3 more warnings about this trace');
  });
});
