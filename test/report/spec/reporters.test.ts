import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../../src/errors';
import { createReporters, type ReporterIO, type RunReportJson } from '../../../src/report/spec';
import { useTempDir } from '../../ingest/tmp-dir';
import { mixedSpec, passingSpec, run } from './results';

const version = (
  JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }
).version;

function io(overrides: Partial<ReporterIO> = {}): ReporterIO & { out: () => string } {
  let text = '';
  return {
    stdout: { write: (chunk: string) => (text += chunk) },
    env: {},
    color: false,
    cwd: '/repo',
    quiet: false,
    out: () => text,
    ...overrides,
  };
}

function parseError(specs: string[]): InputError {
  try {
    createReporters(specs, io());
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`no error for ${specs.join(' ')}`);
}

describe('createReporters: --reporter values', () => {
  test('console on stdout when none is given', () => {
    expect(createReporters([], io()).map((r) => r.name)).toEqual(['console']);
  });

  test('names each reporter by its value', () => {
    const names = createReporters(
      ['console', 'json=out/r.json', 'junit=report.xml', 'github', 'console=log.txt'],
      io(),
    ).map((r) => r.name);
    expect(names).toEqual([
      'console',
      'json=out/r.json',
      'junit=report.xml',
      'github',
      'console=log.txt',
    ]);
  });

  test('an unknown name suggests the nearest one and lists them all', () => {
    expect(parseError(['jnuit=report.xml']).message).toBe(
      '--reporter "jnuit=report.xml": unknown reporter "jnuit"; did you mean "junit"? (reporters: console, console=<file>, json, json=<file>, junit=<file> or github)',
    );
    expect(parseError(['JSON']).message).toContain('did you mean "json"?');
    expect(parseError(['tap']).message).not.toContain('did you mean');
    expect(parseError(['=x.json']).message).toContain('no reporter name');
  });

  test('junit needs a file, and says how to give one', () => {
    expect(parseError(['junit']).message).toBe(
      '--reporter "junit": junit writes a file; give it one: --reporter junit=report.xml',
    );
    expect(parseError(['json=']).message).toContain(
      'no file after "="; write --reporter json=tracespec.json',
    );
    expect(parseError(['junit=reports/']).message).toContain(
      '"reports/" is a folder; name the file in it: --reporter junit=reports/report.xml',
    );
  });

  test('github takes no file', () => {
    expect(parseError(['github=a.txt']).message).toMatch(
      /write --reporter github, without a file$/,
    );
  });

  test('a JSON document shares stdout with nothing; console and annotations may', () => {
    expect(parseError(['console', 'json']).message).toBe(
      '--reporter json and --reporter console both write to stdout, where the JSON would not parse; give json a file: --reporter json=tracespec.json',
    );
    expect(parseError(['json', 'github']).message).toContain('give json a file');
    expect(parseError(['console', 'console']).message).toContain('is given twice');
    expect(parseError(['console', ' console=a.txt', 'console ']).message).toContain(
      'is given twice',
    );
    expect(createReporters(['console', 'github'], io())).toHaveLength(2);
    expect(createReporters(['json', 'console=log.txt'], io())).toHaveLength(2);
  });

  test('two reporters may not write one file', () => {
    expect(parseError(['json=out.json', 'console=./out.json']).message).toBe(
      '--reporter json=out.json and --reporter console=./out.json both write ./out.json; give each its own file',
    );
  });
});

describe('reporters at work', () => {
  const dir = useTempDir();
  const result = run([mixedSpec(), passingSpec()]);

  test('console on stdout, coloured as asked; in a file, never coloured', async () => {
    const target = io({ color: true, cwd: dir.path });
    for (const r of createReporters(['console', 'console=logs/deep/run.txt'], target)) {
      await r.report(result);
    }
    expect(target.out()).toContain('\u001b[31m');
    const file = readFileSync(join(dir.path, 'logs/deep/run.txt'), 'utf8');
    expect(file).not.toContain('\u001b[');
    expect(file.trimEnd().split('\n').at(-1)).toBe(
      '✗ failed: 2 specs, 6 SLOs, 5 checks — 5 failed, 2 warnings',
    );
  });

  test('quiet reaches the console reporter', async () => {
    const target = io({ quiet: true });
    await createReporters(['console'], target)[0]?.report(run([passingSpec()]));
    expect(target.out()).toBe('✓ passed: 1 spec, 1 SLO, 1 check — all passed\n');
  });

  test('json on stdout is one document that parses, with the package version', async () => {
    const target = io();
    await createReporters(['json'], target)[0]?.report(result);
    const doc = JSON.parse(target.out()) as RunReportJson;
    expect(doc.tracespec).toBe(version);
    expect(doc.verdict).toBe('fail');
    expect(doc.specs).toHaveLength(2);
  });

  test('json and junit files are written whole, in folders created for them, replacing old ones', async () => {
    const target = io({ cwd: dir.path });
    writeFileSync(join(dir.path, 'old.json'), 'x'.repeat(100_000));
    for (const r of createReporters(['json=old.json', 'junit=out/junit/report.xml'], target)) {
      await r.report(result);
    }
    expect(target.out()).toBe('');
    expect(
      (JSON.parse(readFileSync(join(dir.path, 'old.json'), 'utf8')) as RunReportJson).verdict,
    ).toBe('fail');
    const xml = readFileSync(join(dir.path, 'out/junit/report.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  test('a file that cannot be written is an InputError naming the file', async () => {
    writeFileSync(join(dir.path, 'not-a-folder'), '');
    const [reporter] = createReporters(['junit=not-a-folder/report.xml'], io({ cwd: dir.path }));
    await expect(reporter?.report(result)).rejects.toThrow(InputError);
    await expect(reporter?.report(result)).rejects.toThrow(
      /^not-a-folder\/report\.xml: cannot write the JUnit report: E\w+/,
    );
  });

  test('github: annotations on stdout, and the step summary appended, never overwritten', async () => {
    const summary = join(dir.path, 'step/summary.md');
    const target = io({ cwd: '/repo', env: { GITHUB_STEP_SUMMARY: summary } });
    const [github] = createReporters(['github'], target);
    await github?.report(result);
    await github?.report(run([passingSpec()]));
    expect(
      target
        .out()
        .split('\n')
        .filter((l) => l.startsWith('::error ')),
    ).toHaveLength(6);
    const text = readFileSync(summary, 'utf8');
    expect(text.match(/^## /gm)).toHaveLength(2);
    expect(text.indexOf('## ✗ tracespec failed')).toBeLessThan(
      text.indexOf('## ✓ tracespec passed'),
    );
  });

  test('github without GITHUB_STEP_SUMMARY writes only annotations', async () => {
    const target = io({ cwd: dir.path });
    await createReporters(['github'], target)[0]?.report(result);
    expect(target.out()).toMatch(/^::error /);
  });
});
