/**
 * `npm run test:cluster`: the production-like stack (Temporal on PostgreSQL, worker processes) run
 * for real. Not part of `npm test`: its first run builds the Temporal server, and it takes minutes.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
module.exports = {
  displayName: 'cluster',
  testEnvironment: 'node',
  testTimeout: 600_000,
  transform,
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
};
