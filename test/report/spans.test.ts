import { describe, expect, test } from '@jest/globals';
import { Span, Trace } from '../../src/model';
import { formatSpanList, shortTraceId } from '../../src/report';
import { checkoutTrace } from './build';

describe('formatSpanList', () => {
  test('one aligned line per span: trace, service, name, kind, duration, status', () => {
    const trace = checkoutTrace();
    expect(formatSpanList(trace.spans.slice(2))).toBe(
      [
        '0af76519  inventory-service  Inventory Service     server     45ms  unset',
        '0af76519  order-service      Payment Gateway API   client    280ms  error: card declined',
        '0af76519  order-service      Notification Service  producer   25ms  unset',
      ].join('\n'),
    );
  });

  test('is empty for no spans', () => {
    expect(formatSpanList([])).toBe('');
  });
});

describe('shortTraceId', () => {
  test('skips the zero padding of a 64-bit id', () => {
    expect(shortTraceId('0af7651916cd43dd8448eb211c80319c')).toBe('0af76519');
    expect(shortTraceId('0000000000000000463ac35c9f6413ad')).toBe('463ac35c');
  });

  test('spans of a 64-bit trace read by their own digits in a list', () => {
    const s = new Span({
      traceId: '0000000000000000463ac35c9f6413ad',
      spanId: '0000000000000001',
      name: 'x',
      startTimeUnixNano: 0n,
      endTimeUnixNano: 1000n,
    });
    expect(formatSpanList(Trace.from([s]).spans)).toMatch(/^463ac35c {2}unknown_service {2}x/);
  });
});
