import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import { parseTraces } from '../../src/ingest';
import { CHILD_ID, child, type Json, line, ROOT_ID, request, span } from './otlp-build';

/** The InputError `fn` throws; fails the test when it throws nothing or something else. */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

/**
 * A JSON Lines file whose third line holds, in its second scopeSpans, a bad span at index 3:
 * the error must name the file, the line, the JSON path and, when it can, the span id.
 */
function badSpanIn(bad: Json): InputError {
  const good = (id: string) => child({ spanId: id });
  const third = {
    resourceSpans: [
      {
        resource: {},
        scopeSpans: [
          { spans: [good('1000000000000001')] },
          {
            spans: [
              good('1000000000000002'),
              good('1000000000000003'),
              good('1000000000000004'),
              bad,
            ],
          },
        ],
      },
    ],
  };
  const text = [line([span()]), '', JSON.stringify(third), line([good('1000000000000005')])].join(
    '\n',
  );
  return inputError(() => parseTraces(text, { file: 'traces/ci.jsonl' }));
}

const AT = 'resourceSpans[0].scopeSpans[1].spans[3]';

describe('OTLP/JSON errors name the file, line, JSON path and span', () => {
  test.each([
    [
      'a trace id of the wrong length',
      { traceId: 'abc123' },
      'traceId "abc123" has 6 hex digits; a trace id has exactly 32 (16 bytes)',
      'traceId',
    ],
    [
      'a trace id that is not hex',
      { traceId: 'z'.repeat(32) },
      `traceId "${'z'.repeat(32)}" is neither 32 hex digits nor base64 of 16 bytes`,
      'traceId',
    ],
    ['a missing trace id', { traceId: undefined }, 'the span has no traceId', 'traceId'],
    [
      'a trace id that is a number',
      { traceId: 12 },
      'traceId must be a hex string, not a number',
      'traceId',
    ],
    [
      'a parent id of the wrong length',
      { parentSpanId: 'b7ad6b716920333' },
      'parentSpanId "b7ad6b716920333" has 15 hex digits; a span id has exactly 16 (8 bytes)',
      'parentSpanId',
    ],
    [
      'an end before the start',
      { startTimeUnixNano: '1700000000000000002', endTimeUnixNano: '1700000000000000001' },
      'the span ends before it starts: endTimeUnixNano 1700000000000000001 < startTimeUnixNano 1700000000000000002',
      'endTimeUnixNano',
    ],
    [
      'a missing start time',
      { startTimeUnixNano: undefined },
      'the span has no startTimeUnixNano (nanoseconds since the Unix epoch)',
      'startTimeUnixNano',
    ],
    [
      'a missing end time',
      { endTimeUnixNano: undefined },
      'the span has no endTimeUnixNano (nanoseconds since the Unix epoch)',
      'endTimeUnixNano',
    ],
    [
      'a time that is not a number',
      { startTimeUnixNano: '2024-01-01T00:00:00Z' },
      'startTimeUnixNano "2024-01-01T00:00:00Z" is not a non-negative integer of nanoseconds since the Unix epoch',
      'startTimeUnixNano',
    ],
    [
      'a negative time',
      { endTimeUnixNano: -5 },
      'endTimeUnixNano -5 is not a non-negative integer of nanoseconds since the Unix epoch',
      'endTimeUnixNano',
    ],
    [
      'a fractional time',
      { endTimeUnixNano: '17.5' },
      'endTimeUnixNano "17.5" is not a non-negative integer of nanoseconds since the Unix epoch',
      'endTimeUnixNano',
    ],
    [
      'an intValue that is not an integer',
      { attributes: [{ key: 'http.status_code', value: { intValue: '200 OK' } }] },
      'attribute "http.status_code": intValue "200 OK" is not an integer',
      'attributes[0].value',
    ],
    [
      'a nested doubleValue that is not a number',
      {
        attributes: [
          { key: 'a', value: { stringValue: 'ok' } },
          {
            key: 'ratios',
            value: { arrayValue: { values: [{ doubleValue: 0.5 }, { doubleValue: 'half' }] } },
          },
        ],
      },
      'attribute "ratios": doubleValue "half" is not a number',
      'attributes[1].value',
    ],
    [
      'an attribute without a key',
      { attributes: [{ value: { stringValue: 'x' } }] },
      'attributes[0] has no string "key"',
      'attributes[0]',
    ],
    [
      'an event without a time',
      { events: [{ name: 'retry' }] },
      'the event has no timeUnixNano',
      'events[0]',
    ],
    [
      'a link with a bad span id',
      { links: [{ traceId: '1'.repeat(32), spanId: 'nothex!!nothex!!' }] },
      'link spanId "nothex!!nothex!!" is neither 16 hex digits nor base64 of 8 bytes',
      'links[0].spanId',
    ],
  ])('%s', (_what, overrides, reason, field) => {
    const error = badSpanIn(child({ spanId: 'ABCDEF0123456789', ...overrides }));
    const path = `${AT}.${field}`;
    expect(error.reason).toBe(reason);
    expect(error.location).toEqual({
      file: 'traces/ci.jsonl',
      line: 3,
      path,
      spanId: 'abcdef0123456789',
    });
    expect(error.message).toBe(`traces/ci.jsonl:3 (at ${path}, span abcdef0123456789): ${reason}`);
  });

  test('a missing or bad span id: the span is named by its position only', () => {
    const missing = badSpanIn(child({ spanId: undefined }));
    expect(missing.message).toBe(`traces/ci.jsonl:3 (at ${AT}.spanId): the span has no spanId`);
    const short = badSpanIn(child({ spanId: 'abc' }));
    expect(short.message).toBe(
      `traces/ci.jsonl:3 (at ${AT}.spanId): spanId "abc" has 3 hex digits; a span id has exactly 16 (8 bytes)`,
    );
  });

  test('in a whole (pretty-printed) document the path locates the span, without a line', () => {
    const doc = request([span(), child({ endTimeUnixNano: 'soon' })]);
    const error = inputError(() =>
      parseTraces(JSON.stringify(doc, null, 2), { file: 'trace.json' }),
    );
    expect(error.location).toEqual({
      file: 'trace.json',
      line: undefined,
      path: 'resourceSpans[0].scopeSpans[0].spans[1].endTimeUnixNano',
      spanId: CHILD_ID,
    });
  });

  test('paths through the variants: arrays of requests, result, batches, instrumentationLibrarySpans', () => {
    const bad = child({ traceId: 'short' });
    const inArray = inputError(() => parseTraces([request([span()]), request([bad])]));
    expect(inArray.location.path).toBe('[1].resourceSpans[0].scopeSpans[0].spans[0].traceId');
    const inResult = inputError(() => parseTraces({ result: request([span(), bad]) }));
    expect(inResult.location.path).toBe('result.resourceSpans[0].scopeSpans[0].spans[1].traceId');
    const legacy = inputError(() =>
      parseTraces({ batches: [{ instrumentationLibrarySpans: [{ spans: [bad] }] }] }),
    );
    expect(legacy.location.path).toBe('batches[0].instrumentationLibrarySpans[0].spans[0].traceId');
  });

  test('structural problems: wrong types where arrays and objects belong', () => {
    expect(inputError(() => parseTraces({ resourceSpans: [{ scopeSpans: {} }] })).message).toBe(
      'at resourceSpans[0].scopeSpans: "scopeSpans" must be an array, not an object',
    );
    expect(
      inputError(() => parseTraces({ resourceSpans: [{ scopeSpans: [{ spans: [42] }] }] })).message,
    ).toBe('at resourceSpans[0].scopeSpans[0].spans[0]: expected a Span object, found a number');
    expect(
      inputError(() =>
        parseTraces({
          resourceSpans: [{ resource: { attributes: 'service.name=x' }, scopeSpans: [] }],
        }),
      ).message,
    ).toBe(
      'at resourceSpans[0].resource.attributes: "resource.attributes" must be an array of { key, value }, not a string',
    );
  });

  test('an error in one line stops the load: nothing half-read is returned', () => {
    const text = [line([span()]), line([child({ spanId: ROOT_ID.slice(1) })])].join('\n');
    expect(() => parseTraces(text)).toThrow(
      'line 2 (at resourceSpans[0].scopeSpans[0].spans[0].spanId)',
    );
  });
});
