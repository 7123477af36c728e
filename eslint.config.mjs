import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import boundaries from './eslint-rules/package-boundary.mjs';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** The orchestrator reaches the platform through src/platform, never through the local fleet package. */
const localFleetImports = {
  group: ['@staged-release/local-fleet', '@staged-release/local-fleet/*', '**/packages/**'],
  message:
    'The orchestrator talks to the platform through src/platform; only the dev stack, the test harness, benches and scripts start the local fleet.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A workspace package is a project of its own: nothing from the orchestrator, tests included.
    files: ['packages/**/*.ts'],
    plugins: { boundaries },
    rules: { 'boundaries/package-boundary': 'error' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/dev-stack/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [localFleetImports] }] },
  },
  {
    // Workflow code is replayed deterministically in a sandbox; the domain is shared with it.
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow and domain code must not use Node built-ins.',
          })),
          patterns: [
            {
              group: ['**/activities/**', '**/platform/**', '**/config/**', '**/logging/**'],
              message: 'Workflows and the domain do no I/O.',
            },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'pino'],
              message: 'Not usable inside workflow code.',
            },
            localFleetImports,
          ],
        },
      ],
    },
  },
);
