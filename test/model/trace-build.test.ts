import { describe, expect, test } from '@jest/globals';
import { Span, Trace } from '../../src/model';

const T = 'b'.repeat(32);
const span = (id: string, parent: string | undefined, start: number) =>
  new Span({
    traceId: T,
    spanId: id.padStart(16, '0'),
    parentSpanId: parent?.padStart(16, '0'),
    name: `op-${id}`,
    startTimeUnixNano: BigInt(start),
    endTimeUnixNano: BigInt(start + 100),
  });
const names = (spans: readonly Span[]) => spans.map((s) => s.name);

describe('building a trace', () => {
  test('siblings out of order are sorted; equal starts keep their input order', () => {
    const trace = Trace.from([
      span('1', undefined, 0),
      span('5', '1', 30),
      span('2', '1', 10),
      span('4', '1', 10),
      span('3', '1', 5),
      span('9', undefined, -1 + 1),
      span('6', '5', 31),
    ]);
    expect(names(trace.roots)).toEqual(['op-1', 'op-9']);
    expect(names(trace.spans)).toEqual(['op-1', 'op-3', 'op-2', 'op-4', 'op-5', 'op-6', 'op-9']);
    const root = trace.spans[0] as Span;
    expect(names(trace.childrenOf(root))).toEqual(['op-3', 'op-2', 'op-4', 'op-5']);
    expect(trace.childrenOf(root)).toBe(trace.childrenOf(root));
    expect(trace.childrenOf(trace.spans[1] as Span)).toEqual([]);
    expect(trace.spans.map((s) => s.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('siblings already in order, and a long chain', () => {
    const list = [span('1', undefined, 0)];
    for (let i = 2; i <= 2000; i++) list.push(span(String(i), String(i - 1), i));
    const trace = Trace.from(list.reverse());
    expect(trace.spans[0]?.name).toBe('op-1');
    expect(trace.depthOf(trace.spans[1999] as Span)).toBe(1999);
    expect(names(trace.childrenOf(trace.spans[5] as Span))).toEqual(['op-7']);
  });
});
