const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      // Fixture projects under test/ are run by their own child Jest processes.
      testPathIgnorePatterns: ['/fixtures/'],
      transform,
    },
    {
      // The examples are written as a user writes them with `preset: 'tracespec'`, whose two
      // keys are spelled out here to point at the sources: tracespec's Jest runtime (which
      // applies the instrumentations of examples/support/instrumentation.ts to the modules
      // Jest loads) and `tracespec/jest` in setupFilesAfterEnv.
      displayName: 'examples',
      testEnvironment: 'node',
      roots: ['<rootDir>/examples'],
      testMatch: ['**/*.test.ts'],
      runtime: '<rootDir>/test/helpers/source-runtime.js',
      setupFilesAfterEnv: [
        '<rootDir>/src/jest.ts',
        '<rootDir>/examples/support/instrumentation.ts',
      ],
      moduleNameMapper: {
        '^tracespec$': '<rootDir>/src/index.ts',
        '^tracespec/jest$': '<rootDir>/src/jest.ts',
      },
      transform,
    },
  ],
};
