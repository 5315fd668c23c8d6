import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@jest/globals';
import { PROJECT_ROOT } from '../helpers/fixtures';

// The checkout runs that specs/ reads are committed so that `tracespec run specs/` works
// on a fresh clone; this keeps them exactly what their generator writes.
test('examples/runs/checkout-*.jsonl are what checkout-runs.js generates', () => {
  const { runs } = require(join(PROJECT_ROOT, 'examples/runs/checkout-runs.js')) as {
    runs(): Record<string, string>;
  };
  const generated = runs();
  expect(Object.keys(generated).sort()).toEqual(['checkout-degraded.jsonl', 'checkout-run.jsonl']);
  for (const [name, text] of Object.entries(generated)) {
    expect(readFileSync(join(PROJECT_ROOT, 'examples/runs', name), 'utf8')).toBe(text);
  }
});
