// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders that form the VS Code layer; everything else under src/ must run in plain Node. */
const VSCODE_LAYER = ['src/extension.ts', 'src/collectors/**', 'src/ui/**', 'src/vscode/**', 'src/commands/**', 'src/views/**'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', 'test/fixtures/**', 'media/dist/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: VSCODE_LAYER,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only the VS Code layer (extension.ts, collectors/, ui/, vscode/, commands/, views/) may import vscode; this module must run in plain Node.' }] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly', URL: 'readonly', Buffer: 'readonly' },
    },
  },
);
