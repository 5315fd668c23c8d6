import { describe, expect, test } from '@jest/globals';
import { groupTraces, Span, type SpanInit, Trace } from '../../src/model';

const T = 'a'.repeat(32);
function span(
  id: string,
  parent: string | undefined,
  startMs: number,
  endMs: number,
  extra: Partial<SpanInit> = {},
): Span {
  return new Span({
    traceId: T,
    spanId: id.padStart(16, '0'),
    parentSpanId: parent?.padStart(16, '0'),
    name: `op-${id}`,
    startTimeUnixNano: BigInt(startMs) * 1_000_000n,
    endTimeUnixNano: BigInt(endMs) * 1_000_000n,
    ...extra,
  });
}
const names = (spans: readonly Span[]) => spans.map((s) => s.name);

describe('Trace', () => {
  test('orders spans in pre-order with siblings by start time, whatever the input order', () => {
    const trace = Trace.from([
      span('3', '1', 20, 30),
      span('2', '1', 10, 15),
      span('4', '2', 11, 12),
      span('1', undefined, 0, 40),
    ]);
    expect(names(trace.spans)).toEqual(['op-1', 'op-2', 'op-4', 'op-3']);
    const [root, a, aa, b] = trace.spans as Span[];
    expect(trace.root).toBe(root);
    expect(names(trace.childrenOf(root as Span))).toEqual(['op-2', 'op-3']);
    expect(trace.parentOf(aa as Span)).toBe(a);
    expect(trace.depthOf(aa as Span)).toBe(2);
    expect(trace.isAncestor(root as Span, aa as Span)).toBe(true);
    expect(trace.isAncestor(b as Span, aa as Span)).toBe(false);
    expect(names(trace.descendantsOf(a as Span))).toEqual(['op-4']);
    expect(names(trace.ancestorsOf(aa as Span))).toEqual(['op-2', 'op-1']);
    expect(trace.durationNs).toBe(40_000_000);
    expect(trace.issues).toEqual([]);
  });

  test('keeps a span whose parent is missing as a flagged orphan root', () => {
    const trace = Trace.from([span('1', undefined, 0, 10), span('2', '9', 1, 2)]);
    expect(trace.roots).toHaveLength(2);
    const orphan = trace.spanById('0000000000000002') as Span;
    expect(trace.isOrphan(orphan)).toBe(true);
    expect(trace.issues).toEqual([
      expect.objectContaining({ kind: 'orphan', parentSpanId: '0000000000000009' }),
    ]);
  });

  test('cuts a parent cycle at its earliest span and reports it', () => {
    const trace = Trace.from([span('1', '3', 5, 10), span('2', '1', 6, 9), span('3', '2', 7, 8)]);
    expect(names(trace.spans)).toEqual(['op-1', 'op-2', 'op-3']);
    expect(trace.roots.map((s) => s.name)).toEqual(['op-1']);
    expect(trace.issues).toEqual([
      expect.objectContaining({
        kind: 'cycle',
        spanIds: expect.arrayContaining(['0000000000000001']),
      }),
    ]);
  });

  test('a span that is its own parent is a cycle of one', () => {
    const trace = Trace.from([span('1', '1', 0, 1)]);
    expect(trace.roots).toHaveLength(1);
    expect(trace.issues[0]?.kind).toBe('cycle');
  });

  test('nests the shared server half of a Zipkin RPC under its client half', () => {
    const trace = Trace.from([
      span('1', undefined, 0, 100),
      span('2', '1', 12, 80, { kind: 'server', shared: true }),
      span('2', '1', 10, 90, { kind: 'client' }),
      span('3', '2', 20, 30),
    ]);
    expect(trace.spans.map((s) => `${s.name}:${s.kind}:${trace.depthOf(s)}`)).toEqual([
      'op-1:unspecified:0',
      'op-2:client:1',
      'op-2:server:2',
      'op-3:unspecified:3',
    ]);
    expect(trace.issues).toEqual([]);
  });

  test('reports duplicate ids that no shared flag explains, keeping both spans', () => {
    const trace = Trace.from([span('1', undefined, 0, 10), span('1', undefined, 1, 5)]);
    expect(trace.spans).toHaveLength(2);
    expect(trace.issues).toEqual([
      expect.objectContaining({ kind: 'duplicate-span-id', count: 2 }),
    ]);
  });

  test('reports a child that starts before its parent without moving it', () => {
    const trace = Trace.from([span('1', undefined, 10, 50), span('2', '1', 7, 20)]);
    expect(names(trace.spans)).toEqual(['op-1', 'op-2']);
    expect(trace.issues).toEqual([
      expect.objectContaining({ kind: 'clock-skew', skewNs: 3_000_000 }),
    ]);
  });

  test('handles a chain 100k spans deep without recursion', () => {
    const spans = [span('1', undefined, 0, 1e6)];
    for (let i = 2; i <= 100_000; i++)
      spans.push(span(i.toString(16), (i - 1).toString(16), i, 1e6 - i));
    const trace = Trace.from(spans);
    expect(trace.depthOf(trace.spans[99_999] as Span)).toBe(99_999);
  });

  test('durations are exact to the nanosecond', () => {
    const s = new Span({
      traceId: T,
      spanId: '1'.repeat(16),
      name: 'x',
      startTimeUnixNano: 1700000000123456789n,
      endTimeUnixNano: 1700000000123457790n,
    });
    expect(s.durationNs).toBe(1001);
  });

  test('groupTraces splits by trace id in order of first appearance', () => {
    const other = new Span({
      traceId: 'b'.repeat(32),
      spanId: '1'.repeat(16),
      name: 'b',
      startTimeUnixNano: 0n,
      endTimeUnixNano: 1n,
    });
    const traces = groupTraces([span('1', undefined, 0, 1), other, span('2', '1', 0, 1)]);
    expect(traces.map((t) => [t.traceId[0], t.spans.length])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});
