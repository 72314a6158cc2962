// `npm start` (development) and `npm run build:desktop`: main, preload and renderer.
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { cspMetaTag, rendererOutDir, rendererRoot } from './renderer/vite.config.js';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: 'electron/main.ts', output: { format: 'es', entryFileNames: 'index.js' } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rollupOptions: { input: 'electron/preload.ts', output: { format: 'cjs', entryFileNames: 'index.cjs' } },
    },
  },
  renderer: {
    root: rendererRoot,
    base: './',
    plugins: [react(), cspMetaTag()],
    build: { outDir: rendererOutDir, assetsInlineLimit: 0, rollupOptions: { input: 'renderer/index.html' } },
  },
});
