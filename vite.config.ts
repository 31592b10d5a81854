import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The renderer's build: renderer/ → dist/renderer/, loaded by Electron from app://guard/ and by the
 * browser mode from `mcp-guard serve --ui`. Both serve it under a CSP without 'unsafe-inline', so
 * the build must emit only files: relative asset paths (base './'), no inline script, no
 * modulepreload polyfill (an inline-free build does not need it). Run from the repository root:
 * `npx vite build --config vite.config.ts`.
 */
// Vite loads its config through a default export; that is the tool's contract, not ours.
// eslint-disable-next-line no-restricted-syntax
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
