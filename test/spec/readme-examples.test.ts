import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';
import { useTempDir } from '../ingest/tmp-dir';
import { tryLoad, writeFiles } from './write-spec';

const dir = useTempDir();

/** The YAML blocks of one section of the README, in order. */
function readmeYaml(heading = '## Trace specs in CI'): string[] {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const end = section.indexOf('\n## ', 5);
  return [...section.slice(0, end).matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

async function valid(text: string): Promise<void> {
  writeFiles(dir.path, { 'spec.yaml': text });
  const result = await tryLoad(dir.path, { env: { BUILD_ID: '7' } });
  expect(result.problems ?? []).toEqual([]);
}

// Users copy these; each must stay valid as the format changes.
test('the README spec examples are valid specs', async () => {
  const [full, slo, check, dependencies, capacity, ...rest] = readmeYaml();
  expect(rest).toEqual([]);
  await valid(`name: dependencies example\n${dependencies}`);
  await valid(`name: capacity example\n${capacity}`);
  await valid(full as string);
  const indent = (text: string) => text.replace(/^(?=.)/gm, '  ');
  await valid(`name: slo example\nslos:\n${indent(slo as string)}`);
  await valid(`name: check example\nchecks:\n${indent(check as string)}`);
});

test('the README triggered spec is valid', async () => {
  const [live, ...rest] = readmeYaml('## Live traces');
  expect(rest).toEqual([]);
  await valid(live as string);
});
