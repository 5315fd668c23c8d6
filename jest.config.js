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
      // The examples are written as a user writes them: `import ... from 'tracespec'` and
      // `tracespec/jest` in setupFilesAfterEnv, resolved here to the sources.
      displayName: 'examples',
      testEnvironment: 'node',
      roots: ['<rootDir>/examples'],
      testMatch: ['**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/src/jest.ts'],
      moduleNameMapper: {
        '^tracespec$': '<rootDir>/src/index.ts',
        '^tracespec/jest$': '<rootDir>/src/jest.ts',
      },
      transform,
    },
  ],
};
