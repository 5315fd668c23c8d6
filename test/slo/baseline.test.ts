import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { InputError } from '../../src/errors';
import {
  BASELINE_UNITS,
  createBaseline,
  evaluateSlo,
  parseBaseline,
  readBaseline,
  writeBaseline,
} from '../../src/slo';
import type { SloResult, SpecResult } from '../../src/spec/result';
import { METRICS } from '../../src/spec/types';
import { budget, contextOf, samples, sloOf, tracesOf } from './build';

const dir = mkdtempSync(join(tmpdir(), 'tracespec-slo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function specResult(name: string, slos: SloResult[], file = `specs/${name}.yaml`): SpecResult {
  return {
    name,
    file,
    sources: [],
    traceCount: 0,
    spanCount: 0,
    window: undefined,
    slos,
    checks: [],
    verdict: 'pass',
  };
}

const byService = evaluateSlo(
  sloOf({ name: 'latency by service', select: '{ }', groupBy: ['service'] }),
  tracesOf([
    { name: 'pay', service: 'payments', start: 0, end: 300, error: true },
    { name: 'pay', service: 'payments', start: 0, end: 100 },
    { name: 'reserve', service: 'inventory', start: 0, end: 40 },
  ]),
  contextOf(),
);
const nothing = evaluateSlo(
  sloOf({
    name: 'nothing selected',
    select: '{ name = "nope" }',
    budgets: [budget('p95', ['<=', 1])],
  }),
  samples([5]),
  contextOf(),
);
const checkout = specResult('checkout', [byService, nothing]);
const CREATED = new Date('2026-03-01T12:00:00.000Z');

describe('createBaseline', () => {
  test('stores every group: key, samples and each measured value, in canonical units', () => {
    const file = createBaseline([checkout], CREATED);
    expect(file).toEqual({
      tracespec: 'baseline',
      version: 1,
      createdAt: '2026-03-01T12:00:00.000Z',
      units: BASELINE_UNITS,
      specs: {
        checkout: {
          'latency by service': [
            {
              key: ['inventory'],
              samples: 1,
              values: expect.objectContaining({ p95: 40e6, error_rate: 0, count: 1, rate: 0.1 }),
            },
            {
              key: ['payments'],
              samples: 2,
              values: expect.objectContaining({
                min: 100e6,
                max: 300e6,
                avg: 200e6,
                error_rate: 0.5,
              }),
            },
          ],
          // Nothing measured: only what a count of nothing can say; JSON has no NaN.
          'nothing selected': [{ key: [], samples: 0, values: { count: 0, rate: 0 } }],
        },
      },
    });
    const payments = file.specs.checkout?.['latency by service']?.[1];
    expect(Object.keys(payments?.values ?? {}).sort()).toEqual([...METRICS].sort());
  });

  test('refuses two specs of one name: their SLOs could not be told apart', () => {
    const twin = specResult('checkout', [], 'specs/other/checkout.yaml');
    expect(() => createBaseline([checkout, twin])).toThrow(InputError);
    expect(() => createBaseline([checkout, twin])).toThrow(
      'specs/other/checkout.yaml: spec "checkout" has the same name as the spec in specs/checkout.yaml; a baseline stores SLOs by spec name, so give each spec its own name',
    );
  });

  test('refuses two SLOs of one name in a spec', () => {
    expect(() => createBaseline([specResult('checkout', [nothing, nothing])])).toThrow(
      /^specs\/checkout\.yaml:4:5: two SLOs of spec "checkout" are named "nothing selected"/,
    );
  });
});

describe('writeBaseline and readBaseline', () => {
  test('round trip: every stored value reads back for its spec, SLO, group and metric', async () => {
    const path = join(dir, 'nested', 'folder', 'baseline.json');
    const file = createBaseline([checkout, specResult('__proto__', [byService])], CREATED);
    await writeBaseline(path, file);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(file);
    expect(readdirSync(join(dir, 'nested', 'folder'))).toEqual(['baseline.json']);

    const baseline = await readBaseline(path);
    expect(baseline.source).toBe(path);
    for (const spec of ['checkout', '__proto__']) {
      for (const group of byService.groups) {
        for (const metric of METRICS) {
          expect(baseline.lookup(spec, 'latency by service', group.key, metric)).toBe(
            group.measured[metric],
          );
        }
      }
    }
    expect(baseline.lookup('checkout', 'nothing selected', [], 'count')).toBe(0);
    expect(baseline.lookup('checkout', 'nothing selected', [], 'p95')).toBeUndefined();
    expect(baseline.lookup('checkout', 'latency by service', ['search'], 'p95')).toBeUndefined();
    expect(baseline.lookup('payments', 'latency by service', ['payments'], 'p95')).toBeUndefined();
  });

  test('overwrites an earlier baseline', async () => {
    const path = join(dir, 'again.json');
    await writeBaseline(path, createBaseline([checkout], new Date(0)));
    await writeBaseline(path, createBaseline([checkout], CREATED));
    expect(JSON.parse(readFileSync(path, 'utf8')).createdAt).toBe('2026-03-01T12:00:00.000Z');
  });

  test('a file that cannot be written is an input error naming it', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file, not a folder');
    const path = join(blocker, 'baseline.json');
    await expect(writeBaseline(path, createBaseline([checkout]))).rejects.toThrow(
      `${path}: cannot write the baseline file: `,
    );
  });
});

describe('readBaseline errors', () => {
  const valid = createBaseline([checkout], CREATED);

  async function readText(text: string): Promise<unknown> {
    const path = join(dir, `case-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, text);
    try {
      return await readBaseline(path);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      throw new Error((error as Error).message.replace(path, 'baseline.json'));
    }
  }
  const withChange = (change: (file: Record<string, unknown>) => void) => {
    const copy = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
    change(copy);
    return readText(JSON.stringify(copy, null, 2));
  };

  test('a missing file says how to create one', async () => {
    const path = join(dir, 'missing.json');
    await expect(readBaseline(path)).rejects.toThrow(InputError);
    await expect(readBaseline(path)).rejects.toThrow(
      `${path}: the baseline file does not exist; create one with --save-baseline (run the specs on the version to compare with), or leave out --baseline`,
    );
  });

  test('a folder', async () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path);
    await expect(readBaseline(path)).rejects.toThrow(
      `${path}: is a folder; --baseline takes a baseline file`,
    );
  });

  test('an empty file', async () => {
    await expect(readText('  \n')).rejects.toThrow(
      'baseline.json: the baseline file is empty; save it again with --save-baseline',
    );
  });

  test('invalid JSON, with its line and column', async () => {
    await expect(readText('{\n  "tracespec": "baseline",\n  "version": 1,,\n}')).rejects.toThrow(
      /^baseline\.json:3:16: not valid JSON \(.+\); baselines are written by --save-baseline, and a file edited by hand must stay valid JSON$/,
    );
  });

  test('a file cut off while it was written', async () => {
    const text = JSON.stringify(valid, null, 2);
    await expect(readText(text.slice(0, text.length / 2))).rejects.toThrow(
      /^baseline\.json:\d+:\d+: the baseline file ends in the middle of a value: it was cut off while being written; save it again with --save-baseline$/,
    );
  });

  test('JSON that is not a baseline', async () => {
    await expect(readText('[1, 2]')).rejects.toThrow(
      'baseline.json: not a tracespec baseline: the file holds an array, not an object; baselines are written by --save-baseline',
    );
    await expect(readText('{ "version": 1 }')).rejects.toThrow(
      'baseline.json: not a tracespec baseline: it has no "tracespec": "baseline" field; baselines are written by --save-baseline',
    );
    await expect(readText('{ "resourceSpans": [] }')).rejects.toThrow(
      'baseline.json: this is a trace file, not a baseline; --baseline takes a file written by --save-baseline',
    );
  });

  test('a baseline from a newer tracespec', async () => {
    await expect(withChange((f) => Object.assign(f, { version: 2 }))).rejects.toThrow(
      'baseline.json (at version): written by a newer tracespec (baseline version 2; this tracespec reads version 1); upgrade tracespec, or save a new baseline with this one (--save-baseline)',
    );
  });

  test('a version that never existed', async () => {
    await expect(withChange((f) => Object.assign(f, { version: '1' }))).rejects.toThrow(
      'baseline.json (at version): unknown baseline version "1" (this tracespec reads version 1)',
    );
    await expect(withChange((f) => Object.assign(f, { version: undefined }))).rejects.toThrow(
      'unknown baseline version nothing',
    );
  });

  test('a createdAt that is not a date', async () => {
    await expect(withChange((f) => Object.assign(f, { createdAt: 'yesterday' }))).rejects.toThrow(
      'baseline.json (at createdAt): createdAt must be an ISO 8601 date, not "yesterday"',
    );
  });

  test('units other than tracespec writes: durations in ms would compare a million times off', async () => {
    await expect(
      withChange((f) => Object.assign(f, { units: { ...BASELINE_UNITS, p95: 'ms' } })),
    ).rejects.toThrow(
      'baseline.json (at units.p95): the unit of p95 is "ms", but tracespec stores p95 in "ns"',
    );
    await expect(withChange((f) => Object.assign(f, { units: { p50: 'ns' } }))).rejects.toThrow(
      'baseline.json (at units.p90): the unit of p90 is missing',
    );
    await expect(withChange((f) => Object.assign(f, { units: undefined }))).rejects.toThrow(
      'baseline.json (at units): units must be an object giving the unit of each metric, not nothing',
    );
  });

  test('malformed specs, SLOs and groups, each with its path', async () => {
    const cases: [unknown, string][] = [
      [[], 'baseline.json (at specs): specs must be an object of spec names, not an array'],
      [
        { checkout: 3 },
        'baseline.json (at specs["checkout"]): must be an object of SLO names, not 3',
      ],
      [
        { checkout: { p95: {} } },
        'baseline.json (at specs["checkout"]["p95"]): must be an array of groups, not an object',
      ],
      [
        { checkout: { p95: [null] } },
        'baseline.json (at specs["checkout"]["p95"][0]): a group must be an object, not null',
      ],
      [
        { checkout: { p95: [{ key: [1], samples: 1, values: {} }] } },
        'baseline.json (at specs["checkout"]["p95"][0].key): key must be an array of strings (the group_by values), not an array',
      ],
      [
        { checkout: { p95: [{ key: [], samples: -1, values: {} }] } },
        'baseline.json (at specs["checkout"]["p95"][0].samples): samples must be a count of spans, not -1',
      ],
      [
        { checkout: { p95: [{ key: [], samples: 1 }] } },
        'baseline.json (at specs["checkout"]["p95"][0].values): values must be an object of metrics, not nothing',
      ],
      [
        { checkout: { p95: [{ key: [], samples: 1, values: { errorrate: 1 } }] } },
        'baseline.json (at specs["checkout"]["p95"][0].values): unknown metric "errorrate"; did you mean "error_rate"? Metrics are p50, p90, p95, p99, p999, min, max, avg, error_rate, count, rate',
      ],
      [
        { checkout: { p95: [{ key: [], samples: 1, values: { p95: 'NaN' } }] } },
        'baseline.json (at specs["checkout"]["p95"][0].values.p95): must be a finite number, not "NaN"',
      ],
      [
        {
          checkout: {
            p95: [
              { key: ['a'], samples: 1, values: {} },
              { key: ['a'], samples: 2, values: {} },
            ],
          },
        },
        'baseline.json (at specs["checkout"]["p95"][1].key): a second group with key ["a"]',
      ],
    ];
    for (const [specs, message] of cases) {
      await expect(withChange((f) => Object.assign(f, { specs }))).rejects.toThrow(message);
    }
  });

  test('a baseline with no SLO values at all is refused: it would compare nothing', async () => {
    for (const specs of [{}, { checkout: {} }, { checkout: { p95: [] } }]) {
      await expect(withChange((f) => Object.assign(f, { specs }))).rejects.toThrow(
        'baseline.json (at specs): the baseline holds no SLO values, so a regression budget would have nothing to compare with; save it from a run of specs that have SLOs (--save-baseline)',
      );
    }
  });

  test('a byte-order mark is fine', () => {
    const baseline = parseBaseline(`\uFEFF${JSON.stringify(valid)}`, 'baseline.json');
    expect(baseline.lookup('checkout', 'latency by service', ['payments'], 'max')).toBe(300e6);
  });
});
