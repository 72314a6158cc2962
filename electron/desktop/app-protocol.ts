// Serves the renderer's built files on app://vxlab/ with the app's CSP. Paths are
// resolved inside the renderer folder only: `..` cannot reach the rest of the disk.
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../transport/content-security.js';
import { contentTypeOf, fileInside } from '../transport/static-files.js';

export async function appProtocolResponse(rendererDirectory: string, requestUrl: string): Promise<Response> {
  const file = fileInside(rendererDirectory, new URL(requestUrl).pathname);
  if (!file) return new Response('Not found', { status: 404 });
  try {
    const body = await readFile(file);
    return new Response(body, {
      headers: {
        'Content-Type': contentTypeOf(file),
        'Content-Security-Policy': contentSecurityPolicy(),
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
