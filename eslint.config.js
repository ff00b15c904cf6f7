// ESLint: TypeScript rules everywhere, and determinism rules for the state machine
// (x/, runtime/, app/, store/, types/); tests and generated code are exempt from the latter.
'use strict';
const tseslint = require('typescript-eslint');
const determinism = require('./eslint/determinism.js');
const layers = require('./eslint/layers.js');

const stateMachine = ['x/**/*.ts', 'runtime/**/*.ts', 'app/**/*.ts', 'store/**/*.ts', 'types/**/*.ts'];
const exempt = ['**/*.test.ts', '**/test/**', 'proto/gen/**'];

// ---- Layers: which top-level folder may import which (the table and rule are in eslint/layers.js,
// test/lint/layers.test.ts pins them and checks the folder graph has no cycle). Tests obey it too.
const layerRules = {
  files: ['**/*.ts', '**/*.tsx'],
  plugins: { layers: layers.plugin },
  rules: { 'layers/no-layer-violation': ['error', layers.table], 'layers/no-module-internals': 'error' },
};
// ---- end of layers

module.exports = tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'proto/gen/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    plugins: { determinism: determinism.plugin },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-console': 'off',
    },
  },
  {
    files: stateMachine,
    ignores: exempt,
    rules: {
      'no-restricted-syntax': ['error', ...determinism.restrictedSyntax],
      'determinism/no-float-division': 'error',
      'determinism/no-unordered-iteration': 'error',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  layerRules,
);
