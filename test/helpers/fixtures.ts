import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The project's root, whatever the depth of the test file that asks. */
export const PROJECT_ROOT = resolve(__dirname, '../..');

/**
 * A real trace file from `../shared/fixtures/real/` (see its README), read by path and
 * never copied into the repo. Throws when the shared folder is not beside the checkout,
 * so that a missing fixture fails the test instead of skipping it.
 */
export function realFixture(relativePath: string): string {
  const path = resolve(PROJECT_ROOT, '../shared/fixtures/real', relativePath);
  if (!existsSync(path)) {
    throw new Error(
      `real fixture ${path} is missing: tracespec's tests expect ../shared beside the checkout`,
    );
  }
  return path;
}
