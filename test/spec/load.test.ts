import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';
import { useTempDir } from '../ingest/tmp-dir';
import { tryLoad, writeFiles } from './write-spec';

const dir = useTempDir();

async function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  writeFiles(dir.path, { 'spec.yaml': text });
  const result = await tryLoad(dir.path, { env });
  if (!result.problems) throw new Error(`expected the spec to be rejected:\n${text}`);
  return result.problems;
}

async function specOf(text: string, env: NodeJS.ProcessEnv = {}) {
  writeFiles(dir.path, { 'spec.yaml': text });
  const result = await tryLoad(dir.path, { env });
  if (!result.spec) throw new Error(`expected a valid spec, got:\n${result.problems?.join('\n')}`);
  return result.spec;
}

describe('the YAML sketch of DESIGN.md', () => {
  test('validates as written, with every key it uses', async () => {
    const design = readFileSync(join(PROJECT_ROOT, '../shared/DESIGN.md'), 'utf8');
    const sketch = /```yaml\n([\s\S]*?)```/.exec(design)?.[1] as string;
    expect(sketch).toContain('min_samples: 50');
    const spec = await specOf(sketch, { BUILD_ID: '1234' });
    expect(spec.name).toBe('checkout');
    expect(spec.traces?.paths).toEqual([join(dir.path, 'traces/1234/checkout.jsonl')]);
    const [payment, errors] = spec.slos;
    expect(payment?.budgets.map((b) => [b.metric, b.bounds.map((x) => [x.op, x.value])])).toEqual([
      ['p95', [['<=', 300e6]]],
      ['max', [['<=', 1e9]]],
    ]);
    expect(payment?.minSamples).toBe(50);
    expect(errors?.budgets[0]?.bounds).toEqual([{ op: '<=', value: 0.01, text: '<= 1%' }]);
    expect(
      spec.checks.map((c) => [c.name, c.forEach?.text, c.assertions.map((a) => a.kind)]),
    ).toEqual([
      [
        'payment called once per checkout',
        '{ name = "POST /api/checkout" && kind = server }',
        ['count'],
      ],
      ['checkout shape', '{ name = "POST /api/checkout" && kind = server }', ['tree']],
    ]);
  });
});

describe('budgets', () => {
  test.each([
    ['300ms', [['<=', 300e6]]],
    ["'<300ms'", [['<', 300e6]]],
    [
      "'>5ms, <1s'",
      [
        ['>', 5e6],
        ['<', 1e9],
      ],
    ],
    ['250', [['<=', 250e6]]],
    [
      '{ max: 300ms, min: 5ms }',
      [
        ['>=', 5e6],
        ['<=', 300e6],
      ],
    ],
    ["{ max: '<300ms' }", [['<', 300e6]]],
  ])('p95: %s', async (written, bounds) => {
    const spec = await specOf(`name: x\nslos:\n  - select: '{}'\n    p95: ${written}\n`);
    expect(spec.slos[0]?.budgets[0]?.bounds.map((b) => [b.op, b.value])).toEqual(bounds);
  });

  test.each([
    ['error_rate: 1%', 'error_rate', [['<=', 0.01]]],
    ["error_rate: '<0.5%'", 'error_rate', [['<', 0.005]]],
    ['error_rate: 0.02', 'error_rate', [['<=', 0.02]]],
    ['count: 100', 'count', [['<=', 100]]],
    ["count: '>=10'", 'count', [['>=', 10]]],
    [
      'count: { equals: 3 }',
      'count',
      [
        ['>=', 3],
        ['<=', 3],
      ],
    ],
    ["rate: '>=50/s'", 'rate', [['>=', 50]]],
    ['rate: { min: 3000/m }', 'rate', [['>=', 50]]],
    ['rate: 2', 'rate', [['<=', 2]]],
  ])('%s', async (line, metric, bounds) => {
    const spec = await specOf(`name: x\nslos:\n  - select: '{}'\n    ${line}\n`);
    const budget = spec.slos[0]?.budgets[0];
    expect(budget?.metric).toBe(metric);
    expect(budget?.bounds.map((b) => [b.op, b.value])).toEqual(bounds);
  });

  test('a regression budget keeps its allowance and what to do without a baseline', async () => {
    const spec = await specOf(
      "name: x\nslos:\n  - select: '{}'\n    p95: { max: 300ms, regression: 10% }\n    rate: { regression: 0.2, if_no_baseline: pass }\n",
    );
    const [p95, rate] = spec.slos[0]?.budgets ?? [];
    expect(p95?.regression).toEqual({ allowed: 0.1, text: '10%', withoutBaseline: 'fail' });
    expect(rate?.bounds).toEqual([]);
    expect(rate?.regression?.withoutBaseline).toBe('pass');
  });
});

describe('every invalid spec names the file, line and column', () => {
  test.each([
    [
      'bad YAML',
      'name: x\nslos:\n  - select: "{}"\n    p95: [1, 2\n',
      'spec.yaml:5:1: invalid YAML: flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'an unknown key, with the nearest valid one',
      'name: x\nslos:\n  - selct: "{}"\n    p95: 300ms\n',
      'spec.yaml:3:5: unknown key `selct` in `slos[0]`; did you mean "select"?',
    ],
    [
      'an unknown top-level key',
      'nam: x\n',
      'spec.yaml:1:1: unknown key `nam` in a spec; did you mean "name"?',
    ],
    [
      'an unknown key inside a count',
      'name: x\nchecks:\n  - count: { select: "{}", equal: 1 }\n',
      'spec.yaml:3:28: unknown key `equal` in `checks[0].count`; did you mean "equals"?',
    ],
    ['a missing name', 'slos: []\n', 'spec.yaml:1:1: the spec is missing `name`'],
    [
      'an SLO without a budget',
      'name: x\nslos:\n  - select: "{}"\n',
      'spec.yaml:3:5: `slos[0]` needs at least one of `p50`, `p90`, `p95`, `p99`, `p999`, `min`, `max`, `avg`, `error_rate`, `count` or `rate`',
    ],
    [
      'a check without an assertion',
      'name: x\nchecks:\n  - name: c\n',
      'spec.yaml:3:5: `checks[0]` needs at least one of `exists`, `absent`, `count`, `tree`, `duration`, `attributes`, `no_errors`, `error_origin`, `critical_path`, `self_time` or `no_repeated_serial_calls`',
    ],
    [
      'a budget that is not a duration',
      'name: x\nslos:\n  - select: "{}"\n    p95: 300 msec\n',
      'spec.yaml:4:10: `slos[0].p95`: "300 msec" is not valid. A duration: \'300ms\'',
    ],
    [
      'a budget with a space',
      'name: x\nslos:\n  - select: "{}"\n    p95: 300 ms\n',
      'spec.yaml:4:10: `slos[0].p95`: write "300ms" without the space',
    ],
    [
      'a severity that does not exist',
      'name: x\nslos:\n  - select: "{}"\n    p95: 1s\n    severity: eror\n',
      'spec.yaml:5:15: `slos[0].severity` must be "fail" or "warn", not "eror"',
    ],
    [
      'bounds that exclude each other',
      'name: x\nslos:\n  - select: "{}"\n    p95: { min: 500ms, max: 300ms }\n',
      'spec.yaml:4:10: `slos[0].p95`: no value is >= 500ms and <= 300ms at once',
    ],
    [
      'a lower bound under max',
      'name: x\nslos:\n  - select: "{}"\n    p95: { max: ">300ms" }\n',
      'spec.yaml:4:17: `slos[0].p95.max`: `max` is an upper bound',
    ],
    [
      'an error rate over 1',
      'name: x\nslos:\n  - select: "{}"\n    error_rate: 5\n',
      'spec.yaml:4:17: `slos[0].error_rate` must be <= 1, not 5.',
    ],
    [
      'min_samples of 0',
      'name: x\nslos:\n  - select: "{}"\n    p95: 1s\n    min_samples: 0\n',
      'spec.yaml:5:18: `slos[0].min_samples` must be >= 1, not 0.',
    ],
    [
      'a list where a mapping is expected',
      'name: x\ntraces: { files: a.json }\n',
      'spec.yaml:2:18: `traces.files` must be a list, not "a.json"',
    ],
    [
      'an unknown group_by intrinsic',
      'name: x\nslos:\n  - select: "{}"\n    p95: 1s\n    group_by: nmae\n',
      'spec.yaml:5:15: `slos[0].group_by`: unknown group_by key "nmae"; did you mean "name"?',
    ],
    [
      'equals with min',
      'name: x\nchecks:\n  - count: { select: "{}", equals: 1, min: 1 }\n',
      'spec.yaml:3:12: `checks[0].count`: `equals` already fixes the count',
    ],
  ])('%s', async (_, text, message) => {
    const problems = await problemsOf(text);
    expect(problems[0]?.startsWith(message)).toBe(true);
  });

  test('a selector that does not parse: the position of the offending token, and a caret under it', async () => {
    const problems = await problemsOf(
      'name: x\nslos:\n  - select: \'{ name = "a" && }\'\n    p95: 1s\n',
    );
    expect(problems).toEqual([
      'spec.yaml:3:30: `slos[0].select`: expected a condition after "&&", found "}"\n  { name = "a" && }\n                  ^',
    ]);
    const block = await problemsOf(
      'name: x\nslos:\n  - select: |\n      { name = "a" }\n        >> { stauts = error }\n    p95: 1s\n',
    );
    expect(block[0]).toMatch(
      /^spec\.yaml:5:14: `slos\[0\]\.select`: unknown intrinsic "stauts"; did you mean "status"\?/,
    );
  });

  test('a tree error points into the block, at the file line and column', async () => {
    const problems = await problemsOf(
      'name: x\nchecks:\n  - tree: |\n      A\n      └── B (<300)\n',
    );
    expect(problems[0]).toMatch(/^spec\.yaml:5:15: in the tree: the budget "<300" has no unit/);
    const nested = await problemsOf(
      'name: x\nchecks:\n  - tree: |\n      A\n      └── B\n          └── C (<300)\n',
    );
    expect(nested[0]).toMatch(/^spec\.yaml:6:19: in the tree: the budget "<300" has no unit/);
  });

  test('every problem of a file is listed, in file order: schema first, then meaning', async () => {
    const at = (problems: string[]) => problems.map((p) => p.split(':').slice(0, 3).join(':'));
    const shapes =
      'name: x\nslos:\n  - select: "{}"\n    p95: 1 sec\n  - select: "{}"\n    p99: fast\n    severity: high\n';
    expect(at(await problemsOf(shapes))).toEqual([
      'spec.yaml:4:10',
      'spec.yaml:6:10',
      'spec.yaml:7:15',
    ]);
    const meaning =
      'name: x\nslos:\n  - select: "{ nme = 1 }"\n    p95: 1s\nchecks:\n  - for_each: "{"\n    exists: "{}"\n';
    expect(at(await problemsOf(meaning))).toEqual(['spec.yaml:3:16', 'spec.yaml:6:17']);
  });

  test('a value merged in with `<<` is located where it was written', async () => {
    const problems = await problemsOf(
      'name: x\ndefinitions:\n  b: &b { p95: 300ms, min_samples: 0 }\nslos:\n  - select: "{}"\n    <<: *b\n',
    );
    expect(problems[0]).toMatch(/^spec\.yaml:3:36: `slos\[0\]\.min_samples` must be >= 1/);
  });

  test('an empty file and a missing file', async () => {
    expect(await problemsOf('')).toEqual([
      'spec.yaml: the spec file is empty: it needs at least a `name`',
    ]);
    const missing = await tryLoad(dir.path, {}, 'nope.yaml');
    expect(missing.problems).toEqual(['nope.yaml: no such spec file']);
  });
});

describe('${VAR} interpolation', () => {
  test('values come from the environment; defaults apply when unset or empty; $$ is a $', async () => {
    const spec = await specOf(
      "name: 'run ${BUILD_ID}'\ndescription: 'costs $$5 in ${REGION:-eu}'\ntraces: 'traces/${BUILD_ID}/${KIND:-checkout}.jsonl'\n",
      { BUILD_ID: '42', KIND: '' },
    );
    expect(spec.name).toBe('run 42');
    expect(spec.description).toBe('costs $5 in eu');
    expect(spec.traces?.paths).toEqual([join(dir.path, 'traces/42/checkout.jsonl')]);
  });

  test('an unset variable without a default is an error at its line, not an empty string', async () => {
    expect(await problemsOf('name: x\ntraces: "t/${BUILD_ID}.json"\n')).toEqual([
      'spec.yaml:2:9: environment variable BUILD_ID is not set (used as `${BUILD_ID}`): set it, or give a default with ${BUILD_ID:-value}',
    ]);
    expect((await problemsOf('name: "${1X}"\n'))[0]).toMatch(
      /^spec\.yaml:1:7: `\$\{1X\}` is not a variable reference/,
    );
  });

  test('keys are never interpolated, so YAML structure cannot be injected', async () => {
    const spec = await specOf("name: x\nslos:\n  - select: '${Q}'\n    p95: 1s\n", {
      Q: '{ name = "a: b" }',
    });
    expect(spec.slos[0]?.select.text).toBe('{ name = "a: b" }');
  });
});

describe('anchors, aliases and includes', () => {
  test('anchors in definitions are reused with aliases and merge keys', async () => {
    const spec = await specOf(
      [
        'name: x',
        'definitions:',
        '  fast: &fast { p95: 300ms, min_samples: 5 }',
        '  db: &db \'{ span.db.system = "postgresql" }\'',
        'slos:',
        '  - select: *db',
        '    <<: *fast',
        '  - select: *db',
        '    <<: *fast',
        '    p95: 1s',
        'x-notes: ignored',
      ].join('\n'),
    );
    expect(
      spec.slos.map((s) => [s.select.text, s.minSamples, s.budgets[0]?.bounds[0]?.value]),
    ).toEqual([
      ['{ span.db.system = "postgresql" }', 5, 300e6],
      ['{ span.db.system = "postgresql" }', 5, 1e9],
    ]);
  });

  test("an include adds the other file's SLOs and checks, and its traces when the spec has none", async () => {
    writeFiles(dir.path, {
      'shared/base.yaml':
        "traces: ../base.jsonl\nslos:\n  - name: shared\n    select: '{}'\n    max: 1s\ninclude: deeper.yaml\n",
      'shared/deeper.yaml': "checks:\n  - name: deep\n    exists: '{}'\n",
    });
    const spec = await specOf(
      "name: x\ninclude: [shared/base.yaml]\nslos:\n  - name: own\n    select: '{}'\n    max: 2s\n",
    );
    expect(spec.slos.map((s) => s.name)).toEqual(['own', 'shared']);
    expect(spec.checks.map((c) => c.name)).toEqual(['deep']);
    expect(spec.traces?.paths).toEqual([join(dir.path, 'base.jsonl')]);
  });

  test('problems in an included file name that file', async () => {
    writeFiles(dir.path, { 'bad-include.yaml': "slos:\n  - select: '{}'\n    p95: soon\n" });
    const problems = await problemsOf('name: x\ninclude: bad-include.yaml\n');
    expect(problems[0]).toMatch(/^bad-include\.yaml:3:10: `slos\[0\]\.p95`/);
  });

  test('an include loop is an error naming the chain', async () => {
    writeFiles(dir.path, { 'a.yaml': 'include: b.yaml\n', 'b.yaml': 'include: a.yaml\n' });
    const problems = await problemsOf('name: x\ninclude: a.yaml\n');
    expect(problems).toEqual(['b.yaml:1:10: include loop: spec.yaml → a.yaml → b.yaml → a.yaml']);
  });

  test('a missing include is named', async () => {
    expect(await problemsOf('name: x\ninclude: gone.yaml\n')).toEqual([
      'gone.yaml: no such spec file',
    ]);
  });
});

describe('${VAR} in unquoted values', () => {
  test('reads as the value written in place: numbers and booleans; quoted stays a string', async () => {
    const spec = await specOf(
      "name: '${N}'\nslos:\n  - select: '{}'\n    p95: 1s\n    min_samples: ${N}\n",
      { N: '7' },
    );
    expect(spec.name).toBe('7');
    expect(spec.slos[0]?.minSamples).toBe(7);
  });
});
