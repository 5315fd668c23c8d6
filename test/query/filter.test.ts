import { describe, expect, test } from '@jest/globals';
import { select } from '../../src/query';
import { checkoutTrace, names, traceOf } from './helpers';

const trace = checkoutTrace();
const pick = (selector: string) => names(select(trace, selector));

describe('spanset filter: intrinsics', () => {
  test('{ } selects every span in trace order', () => {
    expect(pick('{ }')).toHaveLength(8);
    expect(pick('{}')).toEqual(names(trace.spans));
    expect(pick('{ true }')).toHaveLength(8);
    expect(pick('{ false }')).toEqual([]);
  });

  test.each([
    ['{ name = "Order Service" }', ['Order Service']],
    ['{ span:name = "Order Service" }', ['Order Service']],
    ['{ name != "Order Service" && kind = internal }', ['charge card']],
    ['{ status = error }', ['Payment Gateway API', 'charge card']],
    ['{ span:status = ok }', ['Notification Service']],
    ['{ status = unset && kind = server }', ['POST /api/checkout']],
    ['{ status != error && kind = client }', ['Inventory Service', 'SELECT stock', 'redis GET']],
    ['{ statusMessage = "card declined" }', ['Payment Gateway API']],
    ['{ span:statusMessage =~ "card.*" }', ['Payment Gateway API']],
    ['{ kind = server }', ['POST /api/checkout']],
    ['{ span:kind = producer }', ['Notification Service']],
    ['{ kind = consumer || kind = unspecified }', []],
    ['{ duration > 300ms }', ['POST /api/checkout', 'Order Service']],
    ['{ span:duration <= 12ms }', ['SELECT stock', 'redis GET']],
    ['{ duration = 45ms }', ['Inventory Service']],
    ['{ duration >= 0.25s && duration < 281ms }', ['Payment Gateway API', 'charge card']],
    ['{ duration > 2000us && duration < 12000000ns }', []],
    ['{ duration > 1999µs && duration < 2001μs }', ['redis GET']],
    ['{ traceDuration = 355ms && kind = server }', ['POST /api/checkout']],
    ['{ trace:duration > 1m }', []],
    ['{ rootName = "POST /api/checkout" && kind = producer }', ['Notification Service']],
    ['{ trace:rootName != "POST /api/checkout" }', []],
    ['{ rootServiceName = "frontend" && name = "redis GET" }', ['redis GET']],
    ['{ trace:rootService = "frontend" && name = "redis GET" }', ['redis GET']],
    ['{ childCount = 3 }', ['Order Service']],
    ['{ span:childCount > 1 }', ['Order Service', 'Payment Gateway API']],
    ['{ span:id = "0000000000000004" }', ['SELECT stock']],
    ['{ span:parentID = "0000000000000005" }', ['redis GET', 'charge card']],
    ['{ span:parentID = nil }', ['POST /api/checkout']],
    ['{ trace:id = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" && kind = server }', ['POST /api/checkout']],
  ])('%s', (selector, expected) => {
    expect(pick(selector)).toEqual(expected);
  });

  test('type: the kind of work a span does, from semantic conventions', () => {
    expect(pick('{ type = http }')).toEqual([
      'POST /api/checkout',
      'Inventory Service',
      'Payment Gateway API',
    ]);
    expect(pick('{ type = database }')).toEqual(['SELECT stock']);
    expect(pick('{ type = cache }')).toEqual(['redis GET']);
    expect(pick('{ type = messaging }')).toEqual(['Notification Service']);
    expect(pick('{ type = general }')).toEqual(['Order Service', 'charge card']);
    expect(pick('{ type = rpc || type = faas }')).toEqual([]);
    expect(pick('{ type != general && type != http }')).toEqual([
      'SELECT stock',
      'redis GET',
      'Notification Service',
    ]);
  });

  test('instrumentation scope', () => {
    const t = traceOf([{ id: '1' }]);
    expect(names(select(t, '{ instrumentation:name = "" }'))).toEqual(['op-1']);
    expect(names(select(t, '{ instrumentation:version = nil }'))).toEqual(['op-1']);
  });
});

describe('spanset filter: attributes', () => {
  test('span., resource. and unscoped (span first, then resource)', () => {
    const t = traceOf([
      { id: '1', attributes: { region: 'span-side' }, resource: { region: 'eu-west-1' } },
      { id: '2', parent: '1', resource: { region: 'eu-west-1' } },
      { id: '3', parent: '1', attributes: { region: 'eu-west-1' } },
    ]);
    expect(names(select(t, '{ span.region = "eu-west-1" }'))).toEqual(['op-3']);
    expect(names(select(t, '{ resource.region = "eu-west-1" }'))).toEqual(['op-1', 'op-2']);
    expect(names(select(t, '{ .region = "eu-west-1" }'))).toEqual(['op-2', 'op-3']);
    expect(names(select(t, '{ .region = "span-side" }'))).toEqual(['op-1']);
  });

  test('dotted names and resource.service.name', () => {
    expect(pick('{ span.http.request.method = "POST" }')).toEqual([
      'POST /api/checkout',
      'Payment Gateway API',
    ]);
    expect(pick('{ resource.service.name = "payments" && kind = client }')).toEqual([
      'Payment Gateway API',
      'redis GET',
    ]);
  });

  test('quoted names hold any character', () => {
    const t = traceOf([
      { id: '1', attributes: { 'my attr': 'x', 'a"b': 1, 'k8s.pod-name': 'api-1' } },
      { id: '2', parent: '1' },
    ]);
    expect(names(select(t, '{ span."my attr" = "x" }'))).toEqual(['op-1']);
    expect(names(select(t, '{ ."my attr" != nil }'))).toEqual(['op-1']);
    expect(names(select(t, '{ span."a\\"b" = 1 }'))).toEqual(['op-1']);
    expect(names(select(t, '{ span.k8s.pod-name = "api-1" }'))).toEqual(['op-1']);
  });

  test('a missing attribute compares false with every operator but nil', () => {
    expect(pick('{ span.db.rows = 3 }')).toEqual(['SELECT stock']);
    expect(pick('{ span.db.rows != 3 }')).toEqual([]);
    expect(pick('{ span.db.rows != 4 }')).toEqual(['SELECT stock']);
    expect(pick('{ span.db.rows < 100 }')).toEqual(['SELECT stock']);
    expect(pick('{ span.db.rows !~ "x" }')).toEqual([]);
    expect(pick('{ span.db.rows = nil }')).toHaveLength(7);
    expect(pick('{ span.db.rows != nil }')).toEqual(['SELECT stock']);
    expect(pick('{ nil != span.db.rows }')).toEqual(['SELECT stock']);
  });

  test('values of another type never compare, != included', () => {
    expect(pick('{ span.db.rows = "3" }')).toEqual([]);
    expect(pick('{ span.db.rows != "3" }')).toEqual([]);
    expect(pick('{ span.http.request.method != 1 }')).toEqual([]);
    expect(pick('{ span.cache.hit = true }')).toEqual(['redis GET']);
    expect(pick('{ span.cache.hit != false }')).toEqual(['redis GET']);
    expect(pick('{ span.cache.hit = "true" }')).toEqual([]);
  });

  test('numbers: ints, floats and int64 bigints compare by value', () => {
    expect(pick('{ span.payment.amount > 12 }')).toEqual(['Payment Gateway API']);
    expect(pick('{ span.payment.amount = 12.5 }')).toEqual(['Payment Gateway API']);
    expect(pick('{ span.payment.amount >= 1.25e1 }')).toEqual(['Payment Gateway API']);
    expect(pick('{ span.payment.retries = 1 }')).toEqual(['Payment Gateway API']);
    expect(pick('{ span.payment.retries > 0.5 }')).toEqual(['Payment Gateway API']);
    expect(pick('{ span.retry.count > -1 && span.retry.count <= 2 }')).toEqual([
      'Inventory Service',
    ]);
    const big = traceOf([{ id: '1', attributes: { n: 9007199254740993n, m: 2 ** 53 } }]);
    expect(select(big, '{ span.n = 9007199254740993 }')).toHaveLength(1);
    expect(select(big, '{ span.n > 9007199254740992 }')).toHaveLength(1);
    expect(select(big, '{ span.m = 9007199254740993 }')).toHaveLength(0);
  });

  test('strings order by code unit', () => {
    expect(pick('{ name > "S" && name < "T" }')).toEqual(['SELECT stock']);
    expect(pick('{ span.http.request.method >= "POST" }')).toEqual([
      'POST /api/checkout',
      'Payment Gateway API',
    ]);
  });

  test('arrays match when any element does; != and !~ when none does', () => {
    expect(pick('{ span.card.tags = "visa" }')).toEqual(['charge card']);
    expect(pick('{ span.card.tags != "visa" }')).toEqual([]);
    expect(pick('{ span.card.tags != "amex" }')).toEqual(['charge card']);
    expect(pick('{ span.card.tags =~ "deb.*" }')).toEqual(['charge card']);
    expect(pick('{ span.card.tags !~ "v.*" }')).toEqual([]);
  });

  test('two attributes compare with each other when of one type', () => {
    const t = traceOf([
      { id: '1', attributes: { a: 'x', b: 'x', n: 2, m: 3 } },
      { id: '2', parent: '1', attributes: { a: 'x', b: 1 } },
    ]);
    expect(names(select(t, '{ .a = .b }'))).toEqual(['op-1']);
    expect(names(select(t, '{ .n < .m }'))).toEqual(['op-1']);
    expect(names(select(t, '{ .a != .b }'))).toEqual([]);
    expect(names(select(t, '{ name != .a }'))).toEqual(['op-1', 'op-2']);
  });

  test('a bare boolean attribute is a condition; ! of it matches false only', () => {
    const t = traceOf([
      { id: '1', attributes: { hit: true } },
      { id: '2', parent: '1', attributes: { hit: false } },
      { id: '3', parent: '1' },
    ]);
    expect(names(select(t, '{ span.hit }'))).toEqual(['op-1']);
    expect(names(select(t, '{ !span.hit }'))).toEqual(['op-2']);
    expect(names(select(t, '{ !(span.hit = true) }'))).toEqual(['op-2', 'op-3']);
  });
});

describe('spanset filter: operators and literals', () => {
  test('&&, || and ! with parentheses', () => {
    expect(pick('{ kind = client && (status = error || duration < 10ms) }')).toEqual([
      'Payment Gateway API',
      'redis GET',
    ]);
    expect(pick('{ (kind = client && status = error) || duration < 10ms }')).toEqual([
      'Payment Gateway API',
      'redis GET',
    ]);
    expect(pick('{ !(kind = client) && status = error }')).toEqual(['charge card']);
    expect(pick('{ !!(name = "charge card") }')).toEqual(['charge card']);
    expect(pick('{ kind = client && status = error && duration > 1ms }')).toEqual([
      'Payment Gateway API',
    ]);
    expect(pick('{ name = "a" || name = "b" || name = "redis GET" }')).toEqual(['redis GET']);
    expect(pick('{ status = error && kind = client || kind = server }')).toEqual([
      'POST /api/checkout',
      'Payment Gateway API',
    ]);
  });

  test('a literal may come first: 5 < x reads as x > 5', () => {
    expect(pick('{ 300ms < duration }')).toEqual(['POST /api/checkout', 'Order Service']);
    expect(pick('{ "Order Service" = name }')).toEqual(['Order Service']);
    expect(pick('{ 3 = span.db.rows }')).toEqual(['SELECT stock']);
    expect(pick('{ 1 = 1 && name = "redis GET" }')).toEqual(['redis GET']);
    expect(pick('{ "a" > "b" }')).toEqual([]);
  });

  test('regexes are anchored at both ends, as in Tempo', () => {
    expect(pick('{ name =~ "Payment" }')).toEqual([]);
    expect(pick('{ name =~ "Payment.*" }')).toEqual(['Payment Gateway API']);
    expect(pick('{ name =~ ".*Service" }')).toEqual([
      'Order Service',
      'Inventory Service',
      'Notification Service',
    ]);
    expect(pick('{ name =~ "Order Service|charge card" }')).toEqual([
      'Order Service',
      'charge card',
    ]);
    expect(pick('{ name !~ ".* .*" }')).toEqual([]);
    expect(pick('{ name !~ ".*Service" && kind = client }')).toEqual([
      'SELECT stock',
      'Payment Gateway API',
      'redis GET',
    ]);
  });

  test('regex flags and syntax carried over from Go', () => {
    expect(pick('{ name =~ "(?i)order service" }')).toEqual(['Order Service']);
    expect(pick('{ name =~ "(?P<verb>POST) .*" }')).toEqual(['POST /api/checkout']);
    expect(pick('{ span.db.query.text =~ `SELECT \\* FROM \\w+` }')).toEqual(['SELECT stock']);
    expect(pick('{ span.db.query.text =~ "SELECT \\\\* FROM \\\\w+" }')).toEqual(['SELECT stock']);
    expect(pick('{ name =~ "\\\\p{Lu}.*" && kind = internal }')).toEqual(['Order Service']);
    const multi = traceOf([{ id: '1', attributes: { sql: 'SELECT 1\nFROM t' } }]);
    expect(select(multi, '{ span.sql =~ "SELECT.*t" }')).toHaveLength(1);
    expect(select(multi, '{ span.sql =~ "(?m)^FROM t$" }')).toHaveLength(0);
    expect(select(multi, '{ span.sql =~ "(?m).*^FROM t$" }')).toHaveLength(1);
  });

  test('strings: double quotes with escapes, backticks raw', () => {
    const t = traceOf([
      { id: '1', name: 'say "hi"\n\ttwice \\ é 😀' },
      { id: '2', parent: '1', name: 'a\\d' },
    ]);
    expect(select(t, '{ name = "say \\"hi\\"\\n\\ttwice \\\\ \\u00e9 \\U0001F600" }')).toHaveLength(
      1,
    );
    expect(select(t, '{ name = "say \\x22hi\\042\\n\\ttwice \\\\ é 😀" }')).toHaveLength(1);
    expect(select(t, '{ name = `a\\d` }')).toHaveLength(1);
    expect(select(t, '{ name = "a\\\\d" }')).toHaveLength(1);
  });

  test('durations: units, fractions, compound forms', () => {
    const t = traceOf([{ id: '1', durationMs: 5_400_000 }]);
    expect(select(t, '{ duration = 1h30m }')).toHaveLength(1);
    expect(select(t, '{ duration = 1.5h }')).toHaveLength(1);
    expect(select(t, '{ duration = 90m }')).toHaveLength(1);
    expect(select(t, '{ duration = 5400s }')).toHaveLength(1);
    expect(select(t, '{ duration > -1ms }')).toHaveLength(1);
  });

  test('comments are skipped, as Tempo skips them', () => {
    expect(pick('{ name = "Order Service" // the middle tier\n}')).toEqual(['Order Service']);
    expect(pick('/* errors */ { status = error /* only */ && kind = internal }')).toEqual([
      'charge card',
    ]);
  });

  test('whitespace and newlines are free', () => {
    expect(pick('{\n  kind = server\n}')).toEqual(['POST /api/checkout']);
    expect(pick('{kind=server}')).toEqual(['POST /api/checkout']);
    expect(pick('{.db.rows=3}')).toEqual(['SELECT stock']);
    expect(pick('{span.db.rows>=3&&kind=client}')).toEqual(['SELECT stock']);
  });
});
