// The renderer's build: the same files serve the desktop window and the browser mode.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from '../electron/transport/content-security.js';

export const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
export const rendererOutDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

/**
 * The built page carries its CSP in a meta tag as well as in the servers' headers: the
 * page is then safe however it is loaded, and scanners see the policy. Only in builds:
 * the development server injects an inline script that the policy would refuse.
 */
export function cspMetaTag(): Plugin {
  return {
    name: 'vxlab-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ meta: true })}" />`),
  };
}

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react(), cspMetaTag()],
  build: {
    outDir: rendererOutDir,
    emptyOutDir: true,
    // No inline scripts or eval anywhere: the CSP forbids them.
    assetsInlineLimit: 0,
  },
});
