/**
 * `node -r ./test/receiver/register-ts.js src/cli/main.ts ...` runs the TypeScript sources
 * as they are, with no build: every `.ts` file node requires is compiled on the fly by
 * @swc/core, with the settings Jest's transform uses.
 */

const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
