import { Readable } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { lineAndColumn, locateJsonError, scanForError } from '../../src/ingest/json-error';
import { readLines } from '../../src/ingest/lines';
import { isJsonText } from '../../src/ingest/sources';

async function collect(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const l of readLines(Readable.from(chunks, { objectMode: false }))) out.push(l);
  return out;
}

/** Cuts `bytes` at the given fractions: chunk boundaries anywhere, even inside a character. */
function cut(bytes: Buffer, fractions: number[]): Buffer[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))].sort(
    (a, b) => a - b,
  );
  const chunks: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    if (p > start) chunks.push(bytes.subarray(start, p));
    start = Math.max(start, p);
  }
  chunks.push(bytes.subarray(start));
  return chunks.filter((c) => c.length > 0);
}

describe('readLines', () => {
  test('yields the lines, without \\n or \\r\\n, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: 'grapheme' }).map((s) => s.replace(/[\r\n]/g, '')),
          { minLength: 1, maxLength: 20 },
        ),
        fc.boolean(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        async (lines, crlf, fractions) => {
          const text = lines.join(crlf ? '\r\n' : '\n');
          const got = await collect(cut(Buffer.from(text, 'utf8'), fractions));
          // Text after the last line break is a line; an empty one is not.
          const expected = lines.at(-1) === '' ? lines.slice(0, -1) : lines;
          expect(got).toEqual(expected);
        },
      ),
    );
  });
});

describe('JSON syntax error positions', () => {
  test('valid JSON has no error', () => {
    fc.assert(fc.property(fc.json(), (text) => expect(scanForError(text)).toBe(-1)));
  });

  test('a document cut short is reported as ending early, at its end', () => {
    fc.assert(
      fc.property(
        fc.json().filter((t) => t.length > 1),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (text, f) => {
          const prefix = text.slice(0, Math.max(1, Math.floor(f * (text.length - 1))));
          let parsed = true;
          try {
            JSON.parse(prefix);
          } catch (error) {
            parsed = false;
            const spot = locateJsonError(prefix, error);
            // A number cut short is still a number; anything else ends in the middle.
            if (!/^\s*-?[\d.eE+-]*$/.test(prefix)) expect(spot.truncated).toBe(true);
          }
          if (parsed) expect(scanForError(prefix)).toBe(-1);
        },
      ),
    );
  });

  test("the scanner agrees with V8's position where V8 gives one", () => {
    const cases = [
      '{"a":1,}',
      '[1,2',
      '{"a" 1}',
      '{"a":1} x',
      '{"a":"b\u0001"}',
      '[1 2]',
      '{,}',
      '{"a":01}',
      '"\\x"',
      '{"a":1 "b":2}',
    ];
    for (const text of cases) {
      let message = '';
      try {
        JSON.parse(text);
      } catch (error) {
        message = (error as Error).message;
      }
      const v8 = /position (\d+)/.exec(message);
      expect(v8).not.toBeNull();
      expect(scanForError(text)).toBe(Number(v8?.[1]));
    }
  });

  test('positions V8 does not give are found by the scanner', () => {
    const text = '{\n  "kind": tru,\n  "x": 1\n}';
    let error: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      error = e;
    }
    const spot = locateJsonError(text, error);
    expect(lineAndColumn(text, spot.offset)).toEqual({ line: 2, column: 11 });
    expect(spot.reason).toBe("Unexpected token ','");
    expect(spot.truncated).toBe(false);
  });

  test('line and column count from the given first line', () => {
    expect(lineAndColumn('ab\ncd\nef', 7, 10)).toEqual({ line: 12, column: 2 });
    expect(lineAndColumn('abc', 0)).toEqual({ line: 1, column: 1 });
  });
});

describe('content or path', () => {
  test('text starting with { or [ after whitespace is content; anything else a path', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', ' ', '\n\t ', '\uFEFF'),
        fc.constantFrom('{', '['),
        fc.string(),
        (ws, open, rest) => {
          expect(isJsonText(ws + open + rest)).toBe(true);
        },
      ),
    );
    for (const path of ['traces/a.jsonl', './{a,b}.json', '*.json', '', '   ', 'C:\\x.json']) {
      expect(isJsonText(path)).toBe(false);
    }
  });
});
