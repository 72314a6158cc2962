// Lint, and the layering rules that keep each stage in its place:
// lab/ is pure (the renderer validates with it), engine/ never sees Electron,
// api/ is the contract between them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'stream', 'crypto', 'util', 'events'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/lab/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'electron/lab is pure: the renderer uses it too. No Node imports.' },
          { group: ['../engine/*', '../api/*', '../transport/*'], message: 'electron/lab depends on nothing but itself, zod and yaml.' },
        ],
        paths: ['electron', 'dockerode', 'node-pty'].map((name) => ({ name, message: 'electron/lab depends on nothing but itself, zod and yaml.' })),
      }],
    },
  },
  {
    // The packet decoder is shared by the CLI, the engine and the renderer: pure, like lab/.
    files: ['electron/packets/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'electron/packets is pure: the renderer decodes packets too. No Node imports.' },
          { group: ['../engine/*', '../api/*', '../transport/*', '../lab/*', '../../engine/*', '../../api/*'], message: 'electron/packets depends on nothing but itself.' },
        ],
        paths: ['electron', 'dockerode', 'node-pty', 'ws'].map((name) => ({ name, message: 'electron/packets depends on nothing but itself.' })),
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'The renderer runs in a browser: no Node imports.' },
          { group: ['**/electron/engine/*', '**/electron/transport/*', '**/electron/cli*', '**/electron/main*', '**/electron/preload*'],
            message: 'The renderer talks to the API contract (electron/api/contract) and uses the pure lab model (electron/lab) only.' },
        ],
        paths: ['electron', 'dockerode', 'node-pty'].map((name) => ({ name, message: 'The renderer runs in a browser.' })),
      }],
    },
  },
  {
    files: ['renderer/vite.config.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The contract and the plain data it carries are shared with the renderer: pure,
    // and owning their types (the engine imports them, never the other way round).
    files: ['electron/api/contract.ts', 'electron/api/types.ts', 'electron/api/ipc-channels.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'The contract is shared with the renderer: no Node imports.' },
          { group: ['../engine/*', '../transport/*', '../cli*', '../main*', '../preload*', './service*'],
            message: 'The contract owns its types: it depends on the pure lab model only.' },
        ],
        paths: ['electron', 'dockerode', 'node-pty', 'ws'].map((name) => ({ name, message: 'The contract is shared with the renderer.' })),
      }],
    },
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['../api/*', '!../api/types.js', '!../api/contract.js', '../transport/*', '../cli*', '../main*'],
            message: 'The engine sits below the API: it may import the contract\'s types (api/types, api/contract), never the service.' },
        ],
        paths: [{ name: 'electron', message: 'The engine knows nothing of Electron.' }],
      }],
    },
  },
);
