// Building an image from its recipe, with no registry: debootstrap a root file system
// from Debian packages, trim it, and import it into Docker as one layer.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DockerClient } from './docker.js';
import { followProgress } from './docker.js';
import { EngineError } from './errors.js';
import type { EmitEvent } from './events.js';
import { cacheDir } from './image-cache.js';
import type { ImageRecipe } from './image-recipes.js';
import { recipeTag } from './image-recipes.js';
import { LABEL_IMAGE, LABEL_RECIPE } from './labels.js';

export async function buildImage(docker: DockerClient, recipe: ImageRecipe, emit: EmitEvent): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new EngineError(
      'not-root',
      `Building the ${recipe.kind} image needs root: debootstrap creates device nodes and sets owners.`,
      'Run `sudo npx vxlab images build` once; later labs reuse the images.',
    );
  }
  const root = await mkdtemp(join(tmpdir(), `vxlab-${recipe.kind}-rootfs-`));
  try {
    await debootstrap(recipe, root, emit);
    for (const pattern of recipe.trim) await removeMatching(root, pattern);
    emit({ type: 'step-progress', step: 'build-image', node: recipe.kind, detail: 'importing into Docker' });
    await importRootfs(docker, recipe, root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export async function removeMatching(root: string, pattern: string): Promise<void> {
  const slash = pattern.lastIndexOf('/');
  const directory = join(root, pattern.slice(0, slash));
  const last = pattern.slice(slash + 1);
  if (!last.includes('*')) {
    await rm(join(directory, last), { recursive: true, force: true });
    return;
  }
  if (!existsSync(directory)) return;
  const matcher = new RegExp(`^${last.split('*').map(escapeRegExp).join('.*')}$`);
  for (const entry of await readdir(directory)) {
    if (matcher.test(entry)) await rm(join(directory, entry), { recursive: true, force: true });
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function debianMirror(): string {
  if (process.env.VXLAB_DEBIAN_MIRROR) return process.env.VXLAB_DEBIAN_MIRROR;
  // Use the machine's own mirror when it has one configured: it is the one known to answer.
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    try {
      const text = readFileSync(file, 'utf8');
      const match = /^URIs:\s*(\S+\/debian)\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\s/m.exec(text);
      if (match?.[1]) return match[1];
    } catch {
      // no such file: try the next
    }
  }
  return 'http://deb.debian.org/debian';
}

async function debootstrap(recipe: ImageRecipe, root: string, emit: EmitEvent): Promise<void> {
  const debs = join(cacheDir(), 'debs', recipe.kind);
  await mkdir(debs, { recursive: true });
  const args = [
    '--variant=minbase',
    `--include=${recipe.packages.join(',')}`,
    `--cache-dir=${debs}`,
    recipe.suite,
    root,
    debianMirror(),
  ];
  const output: string[] = [];
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn('debootstrap', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new EngineError(
            'image-build-failed',
            'debootstrap is not installed, and without a registry the images are built from Debian packages with it.',
            'Install it: `sudo apt-get install debootstrap` (or run `sudo scripts/provision.sh`).',
          ),
        );
      } else reject(error);
    });
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        output.push(line);
        if (line.startsWith('I: ')) {
          emit({ type: 'step-progress', step: 'build-image', node: recipe.kind, detail: line.slice(3) });
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve(code ?? 1));
  });
  if (exitCode !== 0) {
    const log = readLogTail(join(root, 'debootstrap', 'debootstrap.log'));
    throw new EngineError(
      'image-build-failed',
      `Building the ${recipe.kind} image failed${failedPackage(output, log)}: debootstrap exited with ${exitCode}.`,
      `Its last words:\n    ${[...output.slice(-6), ...log.slice(-6)].join('\n    ')}\n  ` +
        `Check that ${debianMirror()} answers (or set VXLAB_DEBIAN_MIRROR) and run \`vxlab images build\` again.`,
    );
  }
}

function readLogTail(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean).slice(-40);
  } catch {
    return [];
  }
}

/** Names the package debootstrap choked on, when its output says which. */
export function failedPackage(output: string[], log: string[]): string {
  const text = [...output, ...log].join('\n');
  const patterns = [
    /Couldn't find these debs: (.+)/,
    /Failure while (?:unpacking|configuring|installing) (?:required |base )?package (\S+)/,
    /dpkg: error processing package (\S+)/,
    /Couldn't download package (\S+)/,
    /Failed getting release file (\S+)/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match?.[1]) return ` at package ${match[1].trim()}`;
  }
  return '';
}

async function importRootfs(docker: DockerClient, recipe: ImageRecipe, root: string): Promise<void> {
  const tar = spawn('tar', ['-C', root, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let tarError = '';
  tar.stderr.on('data', (chunk: Buffer) => (tarError += chunk.toString()));
  const tarExit = new Promise<number>((resolve) => tar.on('close', (code) => resolve(code ?? 1)));
  const tag = recipeTag(recipe);
  const response = await docker.importImage(tar.stdout, {
    repo: recipe.repository,
    tag,
    changes: [
      `CMD ${JSON.stringify(recipe.cmd)}`,
      `LABEL ${LABEL_IMAGE}=${recipe.kind} ${LABEL_RECIPE}=${tag}`,
    ],
  } as object);
  await followProgress(docker, response);
  const exitCode = await tarExit;
  if (exitCode !== 0) {
    throw new EngineError('image-build-failed', `Packing the ${recipe.kind} root file system failed: ${tarError.trim()}`);
  }
}

