// ESLint flat config: `npm run lint:eslint` (part of `npm run lint`, which .ci/run calls).
//
// - @eslint/js and typescript-eslint "recommended" on every TypeScript file of the tree.
// - Two type-aware rules, on every TypeScript file: an un-awaited or mis-passed promise loses an
//   error or a write silently in the functions and scripts, and in a test it is an assertion
//   that cannot fail (`expect(…).rejects` without await). They need the TypeScript program
//   (projectService), which roughly doubles the lint time; the whole `npm run lint` stays under
//   a minute on the 2-core CI machine. The rest of recommended-type-checked is not enabled: on
//   this tree (2026-12) it reports ~200 no-unsafe-* findings (JSON.parse, Google client
//   responses, test doubles), ~50 require-await and ~50 unnecessary assertions, and its two
//   await-thenable hits are harmless; a later pass may adopt it rule by rule.
// - A local rule, no-short-names (eslint-rules/no-short-names.js): one- and two-letter names
//   outside tiny lambdas become words.
// - eslint-config-prettier last: formatting belongs to Prettier (`npm run lint:format`).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import localRules from './eslint-rules/index.js';

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      // scripts/build.ts writes the deployable package here; tsc's outDir too.
      'dist/',
      // The local stack's state and logs.
      '.local/',
      'out/',
      'bench/results/',
      // The benchmark's deploy builds (bench/import-cost.ts).
      'bench/.build/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { local: localRules },
    rules: {
      // An unused parameter or binding whose name starts with _ is deliberate (a callback's shape,
      // a destructured value left out of a rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'local/no-short-names': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  prettier,
);
