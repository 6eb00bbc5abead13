// ESLint with typescript-eslint over the whole repository (`npm run lint`, part of `npm test`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/tmp/**', 'coverage/**', '.data/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
      // Nest resolves a constructor's parameters from their emitted types: a type-only import there would break
      // injection, so consistent-type-imports leaves files with decorators alone.
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    rules: {
      // Unused names are an error, except the `_`-prefixed ones kept on purpose (ignored arguments, rest siblings).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // The packages take their settings as options: only the apps (libs/server) read the environment.
    files: ['libs/{core,nestjs,rabbitmq,nats}/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Take the setting as an option; the apps read the environment.',
        },
      ],
    },
  },
  {
    // The definition builder starts from `{}`, the data before any step: `{} & Output` is `Output`.
    files: ['libs/core/src/definition/**/*.ts'],
    rules: { '@typescript-eslint/no-empty-object-type': 'off' },
  },
  {
    // Suites, the bench and scripts report what they measured or skipped on the console.
    files: ['test/**', 'bench/**', 'scripts/**', 'tools/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The explorer runs in the browser, as plain ES modules.
    files: ['apps/api/explorer/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'module' },
  },
  {
    // Command-line scripts and configuration files speak to the console and load with require().
    files: ['scripts/**/*.js', '**/*.config.js', '.dependency-cruiser.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
