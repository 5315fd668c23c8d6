/**
 * tracespec's Jest runtime from the TypeScript sources, for this repository's own Jest
 * projects (the examples). Jest loads a `runtime` with Node's plain `require`, outside its
 * transforms, and a checkout has no dist/ until it is built; users get the built
 * `dist/src/jest-runtime.js` through `preset: 'tracespec'` instead.
 */
const { readFileSync } = require('node:fs');
const { resolve, sep } = require('node:path');
const { transformSync } = require('@swc/core');

const SOURCES = resolve(__dirname, '../../src') + sep;
const previous = require.extensions['.ts'];

// Only tracespec's own sources, so that nothing else Jest's process loads changes.
require.extensions['.ts'] = (module, filename) => {
  if (!filename.startsWith(SOURCES)) {
    if (previous) return previous(module, filename);
    throw new Error(`source-runtime: cannot load ${filename} (not a tracespec source)`);
  }
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};

module.exports = require('../../src/jest-runtime.ts');
