// The renderer's built files, served by the browser mode's HTTP server and by the
// desktop app's app:// protocol alike: one content-type table, one path rule.
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `root`, or undefined when the path would leave it
 * (`..`, encoded or not): nothing outside the renderer's folder is ever served.
 */
export function fileInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const relative = normalize(decoded).replace(/^([/\\])+/, '') || 'index.html';
  const file = join(root, relative);
  const prefix = root.endsWith(sep) ? root : root + sep;
  return file.startsWith(prefix) ? file : undefined;
}
