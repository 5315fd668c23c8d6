import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import { parseTraces } from '../../src/ingest';
import { createInterner } from '../../src/ingest/context';
import type { Span } from '../../src/model';
import { RequestReader } from '../../src/receiver/intake';
import { jsonRequest, jsonSpan, TRACE_A, TRACE_B } from './helpers';

const read = (value: unknown, specEncoded = false) =>
  new RequestReader(createInterner()).read(value, specEncoded);

describe('which spans a request keeps', () => {
  test('a clean request keeps every span, in order', () => {
    const intake = read(
      jsonRequest([jsonSpan(TRACE_A, '0000000000000001'), jsonSpan(TRACE_B, '0000000000000002')]),
    );
    expect(intake.spans.map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000002']);
    expect(intake.rejected).toBe(0);
    expect(intake.rejections).toEqual([]);
  });

  test('bad spans are rejected one by one, each reason naming its place; the rest are kept', () => {
    const intake = read(
      jsonRequest([
        jsonSpan(TRACE_A, '0000000000000001'),
        jsonSpan(TRACE_A, 'xyz'),
        jsonSpan(TRACE_A, '0000000000000003', {
          startTimeUnixNano: '1767225600005000000',
          endTimeUnixNano: '1767225600000000000',
        }),
        jsonSpan('0'.repeat(32), '0000000000000004'),
        jsonSpan(TRACE_A, '0'.repeat(16)),
        jsonSpan(TRACE_A, '0000000000000006'),
      ]),
    );
    expect(intake.spans.map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000006']);
    expect(intake.rejected).toBe(4);
    // The first three reasons; the count says how many more.
    expect(intake.rejections).toEqual([
      'resourceSpans[0].scopeSpans[0].spans[1].spanId: spanId "xyz" is neither 16 hex digits nor base64 of 8 bytes',
      'resourceSpans[0].scopeSpans[0].spans[2].endTimeUnixNano (span 0000000000000003): the span ends before it starts: endTimeUnixNano 1767225600000000000 < startTimeUnixNano 1767225600005000000',
      'resourceSpans[0].scopeSpans[0].spans[3]: traceId is all zeros, which OTLP defines as invalid',
    ]);
    // The request written out holds only what was kept.
    const spans = (intake.request as ReturnType<typeof jsonRequest>).resourceSpans[0]?.scopeSpans[0]
      ?.spans as { spanId: string }[];
    expect(spans.map((s) => s.spanId)).toEqual(['0000000000000001', '0000000000000006']);
  });

  test('a broken resource rejects the spans under it, not those of other resources', () => {
    const good = jsonRequest([jsonSpan(TRACE_A, '0000000000000001')]).resourceSpans[0];
    const bad = {
      resource: { attributes: 'not a list' },
      scopeSpans: [{ spans: [jsonSpan(TRACE_A, '0000000000000002')] }],
    };
    const intake = read({ resourceSpans: [bad, good] });
    expect(intake.spans.map((s) => s.spanId)).toEqual(['0000000000000001']);
    expect(intake.rejected).toBe(1);
    expect(intake.rejections[0]).toMatch(/^resourceSpans\[0\]\.resource\.attributes: /);
  });

  test('a structure broken above the spans refuses the whole request, naming the place', () => {
    expect(() => read([])).toThrow(
      'the body is not an OTLP ExportTraceServiceRequest: expected a JSON object with "resourceSpans", found an array',
    );
    expect(() => read({ resourceSpans: {} })).toThrow(
      'at resourceSpans: "resourceSpans" must be an array, not an object',
    );
    expect(() => read({ resourceSpans: [{ scopeSpans: [1] }] })).toThrow(
      'at resourceSpans[0].scopeSpans[0]: expected a ScopeSpans object, found a number',
    );
    expect(() => read({ resourceSpans: [{ scopeSpans: [{ spans: 'x' }] }] })).toThrow(InputError);
  });

  test('an empty request, and one that is not OTLP at all, carry no spans; the latter says so', () => {
    expect(read({})).toMatchObject({ spans: [], request: undefined, warnings: [] });
    const jaeger = read({ data: [{ traceID: 'abc', spans: [] }] });
    expect(jaeger.spans).toEqual([]);
    expect(jaeger.warnings).toEqual([
      'the request has no "resourceSpans" (its keys: data), so it carries no spans; is the exporter sending OTLP?',
    ]);
  });
});

describe('the request as written out: the specification JSON encoding', () => {
  test('tolerated variants are respelled: base64 and upper-case ids, enum names, numbers for times', () => {
    const base64Trace = Buffer.from(TRACE_A, 'hex').toString('base64');
    const request = {
      batches: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'tempo' } }] },
          instrumentationLibrarySpans: [
            {
              instrumentationLibrary: { name: 'old' },
              spans: [
                {
                  traceId: base64Trace,
                  spanId: '00F067AA0BA902B7',
                  parentSpanId: '0000000000000000',
                  name: 'GET /',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: 1767225600000000,
                  endTimeUnixNano: 1767225600005000,
                  attributes: [
                    { key: 'n', value: { intValue: 5 } },
                    { key: 'list', value: { arrayValue: { values: [{ intValue: 7 }] } } },
                  ],
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                  events: [{ name: 'e', timeUnixNano: 1767225600001000 }],
                  links: [{ traceId: TRACE_B.toUpperCase(), spanId: 'AAAAAAAAAAE=' }],
                },
              ],
            },
          ],
        },
      ],
    };
    const intake = read(request);
    expect(intake.rejected).toBe(0);
    expect(intake.verbatim).toBe(false);
    expect(intake.request).toEqual({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'tempo' } }] },
          scopeSpans: [
            {
              scope: { name: 'old' },
              spans: [
                {
                  traceId: TRACE_A,
                  spanId: '00f067aa0ba902b7',
                  name: 'GET /',
                  kind: 2,
                  startTimeUnixNano: '1767225600000000',
                  endTimeUnixNano: '1767225600005000',
                  // As sent: protobuf's JSON mapping takes numbers for int64 too.
                  attributes: [
                    { key: 'n', value: { intValue: 5 } },
                    { key: 'list', value: { arrayValue: { values: [{ intValue: 7 }] } } },
                  ],
                  status: { code: 2, message: 'boom' },
                  events: [{ name: 'e', timeUnixNano: '1767225600001000' }],
                  links: [{ traceId: TRACE_B, spanId: '0000000000000001' }],
                },
              ],
            },
          ],
        },
      ],
    });
    // And it reads back to the same spans.
    const facts = (s: Span) => [
      s.traceId,
      s.spanId,
      s.kind,
      s.status,
      s.attributes,
      s.events,
      s.links,
      s.startTimeUnixNano,
      s.durationNs,
    ];
    const again = parseTraces(JSON.stringify(intake.request)).flatMap((t) => [...t.spans]);
    expect(again.map(facts)).toEqual(intake.spans.map(facts));
  });

  test('a request already in the specification encoding can be written as it came', () => {
    const clean = read(
      jsonRequest([
        jsonSpan(TRACE_A, '0000000000000001', {
          attributes: [{ key: 'n', value: { intValue: 5 } }],
        }),
      ]),
    );
    expect(clean.verbatim).toBe(true);
    const upper = read(jsonRequest([jsonSpan(TRACE_A.toUpperCase(), '0000000000000001')]));
    expect(upper.verbatim).toBe(false);
    const partly = read(
      jsonRequest([jsonSpan(TRACE_A, '0000000000000001'), jsonSpan(TRACE_A, 'bad')]),
    );
    expect(partly.verbatim).toBe(false);
  });

  test('protobuf-decoded requests are left as they are', () => {
    const request = jsonRequest([
      jsonSpan(TRACE_A, '0000000000000001', { kind: 'SPAN_KIND_CLIENT' }),
    ]);
    const intake = read(request, true);
    expect(
      (intake.request as ReturnType<typeof jsonRequest>).resourceSpans[0]?.scopeSpans[0]?.spans[0],
    ).toMatchObject({ kind: 'SPAN_KIND_CLIENT' });
  });
});
