// ESLint flat config: type-checked rules, and the layering rules of DESIGN.md at `error`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersPlugin } from './build/eslint-layers.js';

// Flat config replaces a rule per file block, so every block states its full set of restrictions.
const nodeProtocol = {
  regex: '^(fs|path|os|net|child_process|crypto|stream|events|util|url|http|https|readline|process|timers|worker_threads|zlib|buffer|dgram|tls)(/.*)?$',
  message: 'Use the node: protocol.',
};
const noElectron = { name: 'electron', message: 'Only main/app, main/ipc, main/preload and main/index.ts may import electron (DESIGN.md).' };
const noIpcPrimitives = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'ipcMain/ipcRenderer are used only in main/ipc/handle.ts and main/preload (STYLE.md).',
};
const noRenderer = { group: ['**/renderer/**'], message: 'main/ never imports the renderer.' };
const restrict = (paths, patterns) => ['error', { paths, patterns: [nodeProtocol, ...patterns] }];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'release/**', 'eslint.config.js', 'build/eslint-layers.js', 'main/policy/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': true, 'ts-nocheck': true, 'ts-expect-error': 'allow-with-description' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only (STYLE.md).' },
        { selector: 'ExportAllDeclaration', message: 'No export * barrels (STYLE.md).' },
      ],
    },
  },
  {
    // Plain Node scripts run as they are (build/start.js, for npm start): no TypeScript project, so no type-aware rules.
    files: ['build/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' },
    },
  },
  {
    // Which folder of main/ may import which: the layer table in build/eslint-layers.js (DESIGN.md).
    files: ['main/**/*.ts'],
    plugins: { guard: layersPlugin },
    rules: { 'guard/layers': ['error', { root: import.meta.dirname }] },
  },
  {
    // Node built-ins always with the node: protocol.
    files: ['main/**/*.ts', 'shared/**/*.ts', 'test/**/*.ts', 'build/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([], []) },
  },
  {
    files: ['main/{proxy,service,policy,audit,clients,secrets,sync,cli}/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([noElectron], [noRenderer]) },
  },
  {
    files: ['main/policy/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [noElectron],
        [
          noRenderer,
          { regex: '^node:(fs|net|child_process|http|https|dgram|tls)', message: 'main/policy is pure: values in, Decision out; no I/O (DESIGN.md).' },
        ],
      ),
    },
  },
  {
    files: ['main/app/**/*.ts', 'main/index.ts'],
    rules: { 'no-restricted-imports': restrict([noIpcPrimitives], [noRenderer]) },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [],
        [
          { group: ['**/main/**', '**/renderer/**'], message: 'shared/ imports only zod and shared/ (DESIGN.md).' },
          { regex: '^(node:|electron$)', message: 'shared/ is runtime-neutral (DESIGN.md).' },
        ],
      ),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': restrict(
        [],
        [
          { regex: '^(node:|electron$)', message: 'The renderer never imports node:* or electron (DESIGN.md).' },
          { group: ['**/main/**'], message: 'The renderer talks to main only through window.guard.' },
        ],
      ),
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Vitest loads its config through a default export; that is the tool's contract, not ours.
    files: ['vitest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
