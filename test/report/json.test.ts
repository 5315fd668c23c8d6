import { describe, expect, test } from '@jest/globals';
import { Trace } from '../../src/model';
import { jsonAttributeValue, spanToJson } from '../../src/report';
import { span, TRACE_ID } from './build';

describe('spanToJson', () => {
  test('has exactly the documented fields, with null for a root’s parent', () => {
    const trace = Trace.from([
      span({
        id: '1',
        service: 'web',
        kind: 'server',
        start: 0,
        end: 12.5,
        attributes: { 'http.route': '/x' },
      }),
      span({
        id: '2',
        parent: '1',
        service: 'web',
        start: 1,
        end: 2,
        status: { code: 'error', message: 'boom' },
      }),
    ]);
    const [root, child] = trace.spans.map(spanToJson);
    expect(root).toEqual({
      traceId: TRACE_ID,
      spanId: '0000000000000001',
      parentSpanId: null,
      name: 'op-1',
      service: 'web',
      kind: 'server',
      durationMs: 12.5,
      status: { code: 'unset', message: '' },
      attributes: { 'http.route': '/x' },
    });
    expect(child?.parentSpanId).toBe('0000000000000001');
    expect(child?.status).toEqual({ code: 'error', message: 'boom' });
  });

  test('turns values JSON cannot carry into strings, so the output always parses back', () => {
    const attributes = {
      big: 9_007_199_254_740_993n,
      bytes: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      list: [1n, 'a', true, null],
      map: { inner: 2n },
    };
    const json = spanToJson(span({ id: '1', start: 0, end: 1, attributes }));
    expect(JSON.parse(JSON.stringify(json)).attributes).toEqual({
      big: '9007199254740993',
      bytes: '3q2+7w==',
      nan: 'NaN',
      inf: '-Infinity',
      list: ['1', 'a', true, null],
      map: { inner: '2' },
    });
    expect(jsonAttributeValue(1.5)).toBe(1.5);
  });
});
