import { describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import { parseSelector, printSelector, Selector, SelectorError } from '../../src/query';

function errorOf(text: string): SelectorError {
  try {
    parseSelector(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SelectorError);
    return error as SelectorError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

/** The problem line, and the column the caret points at. */
function problemOf(text: string): [string, number | undefined] {
  const error = errorOf(text);
  return [error.problem, error.location.column];
}

describe('parseSelector', () => {
  test('keeps the text, prints as it, and is cached by text', () => {
    const s = parseSelector('{ name = "x" }');
    expect(s).toBeInstanceOf(Selector);
    expect(s.text).toBe('{ name = "x" }');
    expect(String(s)).toBe('{ name = "x" }');
    expect(JSON.stringify({ s })).toBe('{"s":"{ name = \\"x\\" }"}');
    expect(parseSelector('{ name = "x" }')).toBe(s);
  });

  test('builds a tree of plain data', () => {
    expect(parseSelector('{ name = "x" && span.a > 1 } >> { } | count() > 2').ast).toEqual({
      kind: 'pipeline',
      source: {
        kind: 'structural',
        op: '>>',
        left: {
          kind: 'filter',
          where: {
            kind: 'logic',
            op: '&&',
            left: {
              kind: 'compare',
              op: '=',
              left: { kind: 'intrinsic', name: 'name' },
              right: { kind: 'literal', type: 'string', value: 'x' },
            },
            right: {
              kind: 'compare',
              op: '>',
              left: { kind: 'attribute', scope: 'span', name: 'a' },
              right: { kind: 'literal', type: 'int', value: 1 },
            },
          },
        },
        right: { kind: 'filter', where: undefined },
      },
      stages: [
        {
          kind: 'aggregate',
          fn: 'count',
          field: undefined,
          op: '>',
          value: { kind: 'literal', type: 'int', value: 2 },
        },
      ],
    });
  });

  test('literals', () => {
    const where = (text: string) => {
      const ast = parseSelector(`{ span.x = ${text} }`).ast;
      return ast.kind === 'filter' && ast.where?.kind === 'compare' ? ast.where.right : undefined;
    };
    expect(where('"a"')).toEqual({ kind: 'literal', type: 'string', value: 'a' });
    expect(where('`a\\n`')).toEqual({ kind: 'literal', type: 'string', value: 'a\\n' });
    expect(where('42')).toEqual({ kind: 'literal', type: 'int', value: 42 });
    expect(where('-42')).toEqual({ kind: 'literal', type: 'int', value: -42 });
    expect(where('12345678901234567890')).toEqual({
      kind: 'literal',
      type: 'int',
      value: 12345678901234567890n,
    });
    expect(where('4.5')).toEqual({ kind: 'literal', type: 'float', value: 4.5 });
    expect(where('1e3')).toEqual({ kind: 'literal', type: 'float', value: 1000 });
    expect(where('-2.5E-1')).toEqual({ kind: 'literal', type: 'float', value: -0.25 });
    expect(where('true')).toEqual({ kind: 'literal', type: 'bool', value: true });
    expect(where('nil')).toEqual({ kind: 'literal', type: 'nil', value: null });
  });

  test.each([
    ['300ms', 300e6],
    ['1.5s', 1.5e9],
    ['250us', 250e3],
    ['250µs', 250e3],
    ['7ns', 7],
    ['2m', 120e9],
    ['1h30m', 5400e9],
    ['-5ms', -5e6],
  ])('duration %s', (text, ns) => {
    const ast = parseSelector(`{ duration > ${text} }`).ast;
    expect(ast.kind === 'filter' && ast.where?.kind === 'compare' && ast.where.right).toEqual({
      kind: 'literal',
      type: 'duration',
      value: ns,
    });
  });

  test('enum words are literals of their kind', () => {
    const right = (text: string) => {
      const ast = parseSelector(text).ast;
      return ast.kind === 'filter' && ast.where?.kind === 'compare' ? ast.where.right : undefined;
    };
    expect(right('{ kind = consumer }')).toEqual({
      kind: 'literal',
      type: 'kind',
      value: 'consumer',
    });
    expect(right('{ status = unset }')).toEqual({
      kind: 'literal',
      type: 'status',
      value: 'unset',
    });
    expect(right('{ type = faas }')).toEqual({ kind: 'literal', type: 'spanType', value: 'faas' });
  });

  test('! binds tighter than a comparison, as in Tempo', () => {
    expect(parseSelector('{ !span.a = true }').ast).toEqual({
      kind: 'filter',
      where: {
        kind: 'compare',
        op: '=',
        left: { kind: 'not', operand: { kind: 'attribute', scope: 'span', name: 'a' } },
        right: { kind: 'literal', type: 'bool', value: true },
      },
    });
  });
});

describe('printSelector', () => {
  test.each([
    ['{}', '{ }'],
    ['{name="x"}', '{ name = "x" }'],
    ['{ (name = "x") }', '{ name = "x" }'],
    ['{ (span.b = 1) || (.c = 2) }', '{ span.b = 1 || .c = 2 }'],
    ['{ (.a = 1 || .b = 2) && .c = 3 }', '{ (.a = 1 || .b = 2) && .c = 3 }'],
    ['{ .a = 1 || (.b = 2 && .c = 3) }', '{ .a = 1 || (.b = 2 && .c = 3) }'],
    ['{ !(.a = 1) }', '{ !(.a = 1) }'],
    ['{ span."my attr" = `x` }', '{ span."my attr" = "x" }'],
    ['{ duration > 1.5s }', '{ duration > 1500ms }'],
    ['{ .x = 2.0 }', '{ .x = 2.0 }'],
    ['{ } >> { } > { }', '{ } >> { } > { }'],
    ['{ } >> ({ } > { })', '{ } >> ({ } > { })'],
    ['({ } && { }) >> { }', '({ } && { }) >> { }'],
    ['{ } && { } >> { }', '{ } && { } >> { }'],
    ['({ } | count() > 1) | avg(duration) < 2s', '({ } | count() > 1) | avg(duration) < 2s'],
    ['{ } | count() > 1 | { kind = server }', '{ } | count() > 1 | { kind = server }'],
  ])('%s prints as %s', (input, printed) => {
    const ast = parseSelector(input).ast;
    expect(printSelector(ast)).toBe(printed);
    expect(parseSelector(printed).ast).toEqual(ast);
  });
});

describe('errors say what was expected and point at it', () => {
  test('the message shows the selector with a caret under the offending token', () => {
    const error = errorOf('{ name "checkout" }');
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      [
        'expected an operator such as = or =~ after "name"',
        '  { name "checkout" }',
        '         ^^^^^^^^^^',
      ].join('\n'),
    );
    expect(error.location).toEqual({ column: 8 });
    expect(error.offset).toBe(7);
    expect(error.selector).toBe('{ name "checkout" }');
  });

  test('a selector over several lines names the line', () => {
    const error = errorOf('{ span.x = "a" }\n| count() > 1\n| { name = 1 }');
    expect(error.location).toEqual({ line: 3, column: 12 });
    expect(error.message).toBe(
      [
        'line 3, column 12: cannot compare name (a string) with 1 (a number); a string needs quotes: "1"',
        '  | { name = 1 }',
        '             ^',
      ].join('\n'),
    );
  });

  test('tabs before the offending token are kept so that the caret lines up', () => {
    expect(errorOf('{\tname\t"x" }').message.split('\n')[2]).toBe('   \t    \t^^^');
  });

  test.each([
    // the unknown, with a suggestion by edit distance
    ['{ nmae = "x" }', 'unknown intrinsic "nmae"; did you mean "name"?', 3],
    [
      '{ statusmessage = "x" }',
      'unknown intrinsic "statusmessage"; did you mean "statusMessage"?',
      3,
    ],
    [
      '{ trace:durtion > 1s }',
      'unknown intrinsic "trace:durtion"; did you mean "trace:duration"?',
      3,
    ],
    [
      '{ foo = 1 }',
      'unknown intrinsic "foo"; attributes are written span.foo, resource.foo or .foo',
      3,
    ],
    [
      '{ http.method = "GET" }',
      'unknown intrinsic "http.method"; an attribute needs a scope: span.http.method, resource.http.method or .http.method',
      3,
    ],
    ['{ spna.x = 1 }', 'unknown scope "spna"; did you mean "span.x"?', 3],
    [
      '{ status = eror }',
      'unknown status "eror"; did you mean "error"? status is one of error, ok or unset',
      12,
    ],
    [
      '{ kind = sever }',
      'unknown kind "sever"; did you mean "server"? kind is one of server, client, producer, consumer, internal or unspecified',
      10,
    ],
    [
      '{ type = db }',
      'unknown type "db"; type is one of http, database, messaging, rpc, cache, faas or general',
      10,
    ],
    ['{ name = foo }', 'unknown word "foo"; a string needs quotes: "foo"', 10],
    [
      '{ name = nmae }',
      'unknown word "nmae"; did you mean "name"? (a string needs quotes: "nmae")',
      10,
    ],
    // unterminated things say where they began
    ['{ name = "x }', 'unterminated string: the quote at column 10 is never closed', 10],
    [
      '{ name = "x\n" }',
      'unterminated string: the quote at line 1, column 10 is never closed on its line',
      10,
    ],
    ['{ .a = `x }', 'unterminated string: the backtick at column 8 is never closed', 8],
    ['{ name = "x"', 'unterminated {: the brace at column 1 is never closed', 1],
    ['{ } >> ( { name = "x" }', 'unterminated (: the parenthesis at column 8 is never closed', 8],
    ['{ (name = "x" }', 'expected ) to close the ( at column 3, found "}"', 15],
    [
      '{ name = "x" /* oops }',
      'unterminated comment: the /* at column 14 is never closed with */',
      14,
    ],
    // syntax
    ['', 'the selector is empty; write { } to select every span', 1],
    ['name = "x"', 'expected { : a spanset filter is written in braces, e.g. { name = "x" }', 1],
    ['}', 'expected a spanset such as { name = "x" }, found "}"', 1],
    ['{ } )', 'unexpected ): there is no ( for it to close', 5],
    ['{ } }', 'unexpected }: there is no { for it to close', 5],
    [
      '{ name = "x" } { }',
      'expected an operator between spansets (>, >>, <, <<, ~, && or ||), a | or the end of the selector',
      16,
    ],
    ['{ } >>', 'expected a spanset such as { name = "x" } after ">>"', 7],
    ['{ name = }', 'expected a value after "=", found "}"', 10],
    ['{ name = "x" && }', 'expected a condition after "&&", found "}"', 17],
    ['{ name = "x" "y" }', 'expected &&, || or } after "x", found "y"', 14],
    ['{ name = "x" ) }', 'expected &&, || or } after "x", found ")"', 14],
    ['{ "x" "y" }', 'expected an operator such as = or =~ after "x"', 7],
    ['{ { } }', 'spanset filters do not nest: close the { } first', 3],
    ['{ .a = 1 = 2 }', 'comparisons do not chain; join them with &&, e.g. a > 1 && a < 5', 10],
    ["{ name = 'x' }", 'strings are written in double quotes or backticks, not single quotes', 10],
    ['{ .a & .b }', 'expected && (a single & is not an operator)', 6],
    ['{ span. = 1 }', 'expected an attribute name after "."', 7],
    [
      '{ name = "a\\d" }',
      'unknown escape \\d in a string; for a regex write a double backslash ("\\\\d+") or use backticks (`\\d+`)',
      12,
    ],
    ['{ name = "\\u12" }', '\\u needs 4 hex digits', 11],
    [
      '{ .a = 5sec }',
      '"5sec" is not a duration; write a number with a unit: ns, us, µs, ms, s, m or h (300ms, 1.5s, 1h30m)',
      8,
    ],
    [
      '{ name = "x" } | ',
      'expected count(), avg(), min(), max(), sum() or a { } filter after "|"',
      18,
    ],
    ['{ } | count(.a) > 1', 'count() takes no argument', 13],
    ['{ } | count > 1', 'expected ( after count: write count()', 13],
    ['{ } | max(5) > 1', 'max() needs a field such as duration or span.x', 11],
    ['{ duration > 5 ms }', 'a duration is written without a space: 5ms', 14],
    ['{ name = "\\U00110000" }', '\\U00110000 is not a Unicode code point', 11],
    ['{ name = "\\08" }', 'an octal escape needs 3 digits, e.g. \\012', 11],
    ['{ } | avg() > 1', 'avg() needs a field, e.g. avg(duration) or avg(span.db.rows)', 11],
    ['{ } | count() 1', 'expected a comparison such as > after count(), e.g. | count() > 3', 15],
    ['{ } | count() > "1"', 'expected a number or a duration after ">"', 17],
    [
      '{ count() > 1 }',
      'count() is an aggregate: write it after a pipe, e.g. { } | count() > 1',
      3,
    ],
    [
      '{ .a = 1 || .b = 2 && .c = 3 }',
      '&& after || needs parentheses: Tempo reads a || b && c as (a || b) && c, unlike most languages; write (a || b) && c or a || (b && c)',
      20,
    ],
    [
      '{ .a = 1 } || { .b = 2 } && { .c = 3 }',
      '&& after || needs parentheses: Tempo reads a || b && c as (a || b) && c, unlike most languages; write (a || b) && c or a || (b && c)',
      26,
    ],
    // Tempo features outside the subset
    ['{ .a + 1 > 2 }', 'arithmetic (+) is not supported by tracespec selectors', 6],
    ['{ -.a > 2 }', 'a minus sign is only supported in front of a number or a duration', 3],
    [
      '{ } !>> { }',
      'the structural operator !>> is not supported by tracespec; use >, >>, <, << or ~',
      5,
    ],
    [
      '{ } &> { }',
      'the structural operator &> is not supported by tracespec; use >, >>, <, << or ~',
      5,
    ],
    [
      '{ } | by(.a)',
      'by() is not supported by tracespec; after | write count(), avg(), min(), max(), sum() or a { } filter',
      7,
    ],
    [
      '{ parent.x = 1 }',
      'parent. attributes are not supported by tracespec; the scopes are span., resource. and . (span, then resource)',
      3,
    ],
    [
      '{ event:name = "x" }',
      '"event:name" is a Tempo intrinsic that tracespec does not support',
      3,
    ],
  ])('%s', (text, problem, column) => {
    expect(problemOf(text)).toEqual([problem, column]);
  });
});

describe('errors about meaning', () => {
  test.each([
    [
      '{ status = "error" }',
      'status is compared with a bare word, not a string: status = error',
      12,
    ],
    ['{ kind = "server" }', 'kind is compared with a bare word, not a string: kind = server', 10],
    [
      '{ status = server }',
      'server is a span kind, not a status; status is one of error, ok or unset',
      12,
    ],
    ['{ status = "bad" }', '"bad" is not a status; status is one of error, ok or unset', 12],
    ['{ kind > server }', 'span kind values are compared with = or != only', 10],
    ['{ duration > 100 }', 'duration is a duration: compare it with a duration such as 100ms', 14],
    ['{ duration > "5" }', 'duration is a duration: compare it with a duration such as 300ms', 14],
    [
      '{ name > 5 }',
      'cannot compare name (a string) with 5 (a number); a string needs quotes: "5"',
      10,
    ],
    [
      '{ name = http }',
      'cannot compare name (a string) with http (a span type); a string needs quotes: "http"',
      10,
    ],
    [
      '{ span.x = error }',
      'an attribute is never a status; to compare span.x with the text, quote it: span.x = "error"',
      12,
    ],
    [
      '{ span.x > 5ms }',
      "attributes hold numbers, not durations: compare span.x with a number in the attribute's unit",
      12,
    ],
    ['{ span.x > true }', 'booleans are compared with = or != only', 12],
    [
      '{ !name = "x" }',
      '! applies to name alone here; to negate the comparison write !(name = "x")',
      3,
    ],
    ['{ !duration }', '! needs a condition or a boolean; duration is a duration', 4],
    [
      '{ name }',
      'a condition must be a comparison such as name = "x" or a boolean; name is a string',
      3,
    ],
    [
      '{ "x" }',
      'a condition must be a comparison such as name = "x" or a boolean; "x" is a string',
      3,
    ],
    ['{ .a = nil && .b > nil }', 'nil is compared with = or != only', 15],
    [
      '{ nil = nil }',
      'nil tests whether an attribute is present: write span.x = nil or span.x != nil',
      3,
    ],
    ['{ "x" =~ name }', 'the regex goes on the right of =~: name =~ "x"', 3],
    ['{ name =~ 5 }', '=~ needs a regex in quotes on its right, e.g. name =~ "GET .*"', 11],
    ['{ duration =~ "x" }', '=~ matches strings; duration is a duration', 3],
    ['{ name =~ "([a-z" }', 'invalid regular expression "([a-z": Unterminated character class', 11],
    ['{ name =~ "a)(b" }', 'invalid regular expression "a)(b": Unmatched \')\'', 11],
    [
      '{ name !~ "(?U)x" }',
      'invalid regular expression "(?U)x": the flag U of (?U) has no JavaScript equivalent',
      11,
    ],
    [
      '{ } | avg(duration) > 5',
      'avg(duration) is a duration: compare it with a duration such as 300ms',
      23,
    ],
    [
      '{ } | sum(span.x) > 5ms',
      'sum(span.x) is a number (attributes hold numbers, not durations): compare it with a number',
      21,
    ],
    ['{ } | count() > 5ms', 'count() is a number of spans: compare it with a number such as 3', 17],
    ['{ } | avg(name) > 5', 'avg() needs a numeric field such as duration; name is a string', 11],
  ])('%s', (text, problem, column) => {
    expect(problemOf(text)).toEqual([problem, column]);
  });
});
