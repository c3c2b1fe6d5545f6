// Type-aware lint: the rules that catch unawaited promises and non-exhaustive switches matter
// most in a server that juggles database, storage and job queues.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import moduleWalls from './eslint/module-walls.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'scratch/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test queues these itself; awaiting them would serialise nothing useful.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'test', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Fastify plugins and test doubles are async by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Modules meet only through their index.ts; platform/ and db/ know no module; production
    // code imports no test helper (eslint/module-walls.js, test/lint/module-walls.test.ts).
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { walls: { rules: { 'module-walls': moduleWalls } } },
    rules: { 'walls/module-walls': 'error' },
  },
  {
    // A job is added and handled through its definition (platform/jobs/job.ts: defineJob), never
    // by a bare name string: addJob and defineTask belong to platform/jobs alone.
    files: ['src/**/*.ts', 'src/**/*.tsx', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/platform/jobs/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/jobs/queue.js'],
              importNames: ['addJob'],
              message: 'Add a job through its definition: defineJob(…).add (platform/jobs/job.ts).',
            },
            {
              group: ['**/jobs/task.js'],
              importNames: ['defineTask'],
              message: "Declare a job's handler through its definition: defineJob(…).task.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js', 'eslint/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Browser scripts: plain scripts outside the TypeScript project.
    files: ['src/public/**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', fetch: 'readonly' },
    },
  },
);
