import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';
import { ANSI, STACK_LINE } from './patterns';
import { runCli } from './run-cli';

const TRACES = join(PROJECT_ROOT, 'examples/traces');
const CHECKOUT = join(TRACES, 'checkout.json');
const CHECKOUT_ID = '5b8efff798038103d269b633813fc60c';
const USERS_ID = '7e3a1c9f2b4d4e8a9c6f0d1e2a3b4c5d';

describe('tracespec (no command), --help, --version', () => {
  test('--help lists both commands with an example each and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: tracespec /);
    expect(stdout).toMatch(/^ {2}show .*print traces as trees/m);
    expect(stdout).toMatch(/^ {2}query .*TraceQL/m);
    expect(stdout).toMatch(/^ {2}\$ tracespec show \S+/m);
    expect(stdout).toMatch(/^ {2}\$ tracespec query \S+ --select '\{ status = error \}'/m);
  });

  test('each command has its own help with examples', async () => {
    for (const command of ['show', 'query']) {
      const { code, stdout } = await runCli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(
        new RegExp(`^Usage: tracespec ${command} \\[options\\] <files\\.\\.\\.>`),
      );
      expect(stdout).toContain(`$ tracespec ${command} `);
      expect(stdout).toContain('--select <query>');
    }
  });

  test('with no command, prints the usage to stderr and exits 2', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Usage: tracespec /);
    expect(stderr).toContain('show');
    expect(stderr).toContain('query');
  });

  test('--version prints the version in package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${pkg.version}\n`);
  });
});

describe('usage errors exit 2 with one readable message', () => {
  test.each([
    [['show', CHECKOUT, '--bogus'], /^tracespec: unknown option '--bogus'/],
    [['frobnicate'], /^tracespec: unknown command 'frobnicate'/],
    [['show'], /^tracespec: missing required argument 'files'/],
    [['query', CHECKOUT], /^tracespec: required option '--select <query>' not specified/],
    [
      ['show', CHECKOUT, '--format', 'xml'],
      /^tracespec: option '--format <format>' argument 'xml' is invalid/,
    ],
    [
      ['show', CHECKOUT, '--max-spans', 'ten'],
      /^tracespec: option '--max-spans <n>' argument 'ten' is invalid/,
    ],
    [
      ['show', CHECKOUT, '--trace', 'xyz'],
      /^tracespec: --trace expects a trace id or the start of one/,
    ],
  ])('%j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  test('a missing file names the file', async () => {
    const missing = join(TRACES, 'no-such-file.json');
    const { code, stdout, stderr } = await runCli(['show', missing]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tracespec: .*no-such-file\.json/);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  test('a bad selector shows the query with a caret under the problem', async () => {
    const { code, stdout, stderr } = await runCli(['query', CHECKOUT, '--select', '{ name = }']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tracespec: /);
    expect(stderr).toContain('{ name = }');
    expect(stderr).toMatch(/^\s*\^/m);
    expect(stderr).not.toMatch(STACK_LINE);
    // show parses the same query the same way.
    const viaShow = await runCli(['show', CHECKOUT, '--select', '{ name = }']);
    expect(viaShow.code).toBe(2);
    expect(viaShow.stderr).toBe(stderr);
  });
});

describe('tracespec show', () => {
  test('prints the header, the tree and no warnings for a clean trace', async () => {
    const { code, stdout, stderr } = await runCli(['show', CHECKOUT]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      [
        `trace ${CHECKOUT_ID} · 6 spans · 352ms · services: api-gateway, order-service, inventory-service`,
        'POST /api/checkout [api-gateway] (352ms)',
        '└── Order Service [order-service] (350ms)',
        '    ├── Inventory Service [inventory-service] (45ms)',
        '    │   └── SELECT inventory.stock (34ms)',
        '    ├── Payment Gateway API (280ms)  ✗ error: card declined',
        '    └── Notification Service (24ms)',
        '',
      ].join('\n'),
    );
  });

  test('--trace selects traces by id prefix; an unknown id exits 2 and names it', async () => {
    const one = await runCli(['show', TRACES, '--trace', USERS_ID.slice(0, 6).toUpperCase()]);
    expect(one.code).toBe(0);
    expect(one.stdout.match(/^trace /gm)).toHaveLength(1);
    expect(one.stdout).toContain(`trace ${USERS_ID}`);

    const unknown = await runCli(['show', TRACES, '--trace', 'deadbeef']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(
      /^tracespec: no trace with id "deadbeef" in the input; it holds traces /,
    );
    expect(unknown.stderr).toContain(CHECKOUT_ID.slice(0, 8));
  });

  test('--select shows only traces with a match, marks the matches and says how many', async () => {
    const { code, stdout } = await runCli(['show', TRACES, '--select', '{ status = error }']);
    expect(code).toBe(0);
    expect(stdout.match(/^trace /gm)).toEqual(['trace ']);
    expect(stdout).toContain('Payment Gateway API (280ms)  ✗ error: card declined  ◀ match');
    expect(stdout.match(/ ◀ match$/gm)).toHaveLength(1);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(
      '1 of 3 traces has spans matching { status = error } (1 span, marked ◀ match)',
    );
  });

  test('--select that matches nothing exits 1', async () => {
    const { code, stdout } = await runCli(['show', TRACES, '--select', '{ name = "nope" }']);
    expect(code).toBe(1);
    expect(stdout).toBe('no span matches { name = "nope" } in 3 traces\n');
  });

  test('--max-spans cuts long trees', async () => {
    const { code, stdout } = await runCli(['show', CHECKOUT, '--max-spans', '2']);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').slice(1)).toEqual([
      'POST /api/checkout [api-gateway] (352ms)',
      '└── Order Service [order-service] (350ms)',
      '… 4 more spans',
    ]);
  });
});

describe('input without spans', () => {
  test('loader warnings go to stderr, prefixed; nothing to show or match exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracespec-cli-'));
    try {
      const empty = join(dir, 'empty.json');
      writeFileSync(empty, '{"resourceSpans": []}\n');
      const shown = await runCli(['show', empty]);
      expect(shown.code).toBe(1);
      expect(shown.stdout).toBe('');
      expect(shown.stderr).toBe(
        `tracespec: warning: ${empty}: no spans in this file\n` +
          `tracespec: no traces found in ${empty}\n`,
      );
      const queried = await runCli(['query', empty, '--select', '{ status = error }']);
      expect(queried.code).toBe(1);
      expect(queried.stdout).toBe('no span matched { status = error } in 0 traces\n');
      expect(queried.stderr).toMatch(
        /^tracespec: warning: .*empty\.json: no spans in this file\n$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tracespec query', () => {
  test('one line per matching span and a summary; exit 0', async () => {
    const { code, stdout, stderr } = await runCli([
      'query',
      TRACES,
      '--select',
      '{ name = "GET /api/users/123" } >> { span.db.system.name = "redis" }',
    ]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.split('\n')).toEqual([
      '7e3a1c9f  auth-service  get  client  900µs  unset',
      '7e3a1c9f  user-api      GET  client  900µs  unset',
      '7e3a1c9f  user-api      SET  client  900µs  unset',
      '',
      '3 spans matched in 1 of 3 traces',
      '',
    ]);
  });

  test('nothing matched: a summary and exit 1', async () => {
    const { code, stdout } = await runCli(['query', TRACES, '--select', '{ duration > 1h }']);
    expect(code).toBe(1);
    expect(stdout).toBe('no span matched { duration > 1h } in 3 traces\n');
  });

  test('--json prints one array of spans with exactly the documented fields', async () => {
    const { code, stdout } = await runCli([
      'query',
      CHECKOUT,
      '--select',
      '{ status = error }',
      '--json',
    ]);
    expect(code).toBe(0);
    const spans = JSON.parse(stdout);
    expect(spans).toEqual([
      {
        traceId: CHECKOUT_ID,
        spanId: 'e4d3c2b1a0f9e8d7',
        parentSpanId: '1f2e3d4c5b6a7980',
        name: 'Payment Gateway API',
        service: 'order-service',
        kind: 'client',
        durationMs: 280,
        status: { code: 'error', message: 'card declined' },
        attributes: {
          'http.request.method': 'POST',
          'url.full': 'https://api.payments.example.com/v1/charges',
          'server.address': 'api.payments.example.com',
          'server.port': 443,
          'http.response.status_code': 402,
          'payment.provider': 'examplepay',
        },
      },
    ]);
  });

  test('--json with no match prints [] and exits 1', async () => {
    const { code, stdout } = await runCli([
      'query',
      TRACES,
      '--select',
      '{ name = "nope" }',
      '--json',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual([]);
  });

  test('pipelines filter whole traces: more than two PostgreSQL calls is the N+1 trace', async () => {
    const { code, stdout } = await runCli([
      'query',
      TRACES,
      '--select',
      '{ span.db.system.name = "postgresql" } | count() > 2',
      '--json',
    ]);
    expect(code).toBe(0);
    const spans = JSON.parse(stdout) as { traceId: string; name: string }[];
    expect(spans.length).toBe(7);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(
      new Set(['c1d2e3f4a5b6478899aabbccddeeff00']),
    );
  });
});

describe('colours', () => {
  const argv = ['show', CHECKOUT];

  test('a terminal gets colours', async () => {
    expect((await runCli(argv, { isTTY: true })).stdout).toMatch(ANSI);
    expect(
      (await runCli(['query', CHECKOUT, '--select', '{ status = error }'], { isTTY: true })).stdout,
    ).toMatch(ANSI);
  });

  test('a pipe, or NO_COLOR in a terminal, gets none', async () => {
    expect((await runCli(argv, { isTTY: false })).stdout).not.toMatch(ANSI);
    expect((await runCli(argv, { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
  });

  test('FORCE_COLOR colours a pipe', async () => {
    expect((await runCli(argv, { isTTY: false, env: { FORCE_COLOR: '1' } })).stdout).toMatch(ANSI);
  });

  test('--json is never coloured', async () => {
    const { stdout } = await runCli(
      ['query', CHECKOUT, '--select', '{ status = error }', '--json'],
      {
        isTTY: true,
        env: { FORCE_COLOR: '1' },
      },
    );
    expect(stdout).not.toMatch(ANSI);
  });
});
