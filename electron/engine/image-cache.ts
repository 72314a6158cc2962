// The files vxlab keeps between runs: downloaded Debian packages for image builds and
// `docker save` copies of images, so loading one image into several hosts reads a file
// instead of asking the engine each time.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DockerClient } from './docker.js';
import type { ImageReference } from '../lab/brands.js';

/** VXLAB_CACHE_DIR, else vxlab under the XDG cache directory (~/.cache by default). */
export function cacheDir(): string {
  return process.env.VXLAB_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vxlab');
}

/**
 * A saved copy of an image (the `docker save` tar), kept in the cache so that loading
 * it into several hosts at once reads a file instead of asking the engine every time.
 */
export async function savedImageFile(docker: DockerClient, ref: ImageReference): Promise<string> {
  const info = await docker.getImage(ref).inspect();
  const dir = join(cacheDir(), 'saved');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${info.Id.replace(/^sha256:/, '').slice(0, 24)}.tar`);
  try {
    if ((await stat(file)).size > 0) return file;
  } catch {
    // not saved yet
  }
  const partial = `${file}.${process.pid}.partial`;
  await pipeline(await docker.getImage(ref).get(), createWriteStream(partial));
  await rename(partial, file);
  return file;
}

export function openSavedImage(file: string): NodeJS.ReadableStream {
  return createReadStream(file);
}
