// Where the package's own files are, from the CLI (sources run by tsx), from the
// bundled Electron main (out/main) and from a packaged app alike.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder that holds package.json, found by walking up from this module. */
export function packageRoot(start = dirname(fileURLToPath(import.meta.url))): string {
  let directory = start;
  for (;;) {
    if (existsSync(join(directory, 'package.json')) && existsSync(join(directory, 'lab-templates'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return resolve(start, '..');
    directory = parent;
  }
}

/** The gallery's templates; VXLAB_TEMPLATES_DIR shows others (the end-to-end tests' renamed copies). */
export function templatesDirectory(root = packageRoot()): string {
  return process.env.VXLAB_TEMPLATES_DIR || join(root, 'lab-templates');
}

export function rendererDirectory(root = packageRoot()): string {
  return join(root, 'out', 'renderer');
}
