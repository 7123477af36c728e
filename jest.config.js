/**
 * Unit tests (fast, no servers) and integration tests (each file starts its own real servers on
 * free ports), two files at a time (`npm test` passes --maxWorkers=2), the longest first (see
 * test/harness/sequencer.js). Workspace packages' tests run here too.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
module.exports = {
  testTimeout: 120_000,
  transform,
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  testSequencer: '<rootDir>/test/harness/sequencer.js',
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/packages/*/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/packages/*/test/integration/**/*.test.ts'],
    },
  ],
};
