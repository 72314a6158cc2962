// The two images a lab needs, built from Debian packages with debootstrap because no
// registry may be reachable. Each is tagged by a hash of its recipe, so a changed
// recipe means a new tag and an unchanged one is never built twice.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DockerClient } from './docker.js';
import { followProgress, isNotFound } from './docker.js';
import { EngineError } from './errors.js';
import type { EmitEvent } from './events.js';
import { runStep } from './events.js';
import { LABEL_IMAGE, LABEL_RECIPE } from './labels.js';
import { stableJson } from '../lab/spec-hash.js';

export type ImageKind = 'host' | 'node';

export interface ImageRecipe {
  kind: ImageKind;
  repository: string;
  suite: string;
  packages: string[];
  cmd: string[];
  /** Paths inside the root file system that only cost space in a lab. */
  trim: string[];
}

/**
 * Paths removed from a root file system after debootstrap, relative to its root. A
 * trailing `/*` empties a directory; a `*` in the last segment matches names.
 */
const TRIM = [
  'usr/share/doc/*',
  'usr/share/man/*',
  'usr/share/info/*',
  'usr/share/locale/*',
  'usr/share/lintian/*',
  'var/cache/apt/*',
  'var/lib/apt/lists/*',
  'var/log/*',
];

/**
 * The node image is loaded into every host, and that load is the largest single cost
 * of `up`: it carries the network tools and what they link to, not Perl, apt or dpkg's
 * bookkeeping (nothing can be installed in a lab without a registry anyway).
 */
const NODE_TRIM = [
  ...TRIM,
  'usr/bin/perl*',
  'usr/lib/x86_64-linux-gnu/perl-base',
  'usr/share/perl5',
  'usr/lib/x86_64-linux-gnu/gconv',
  'usr/bin/apt*',
  'usr/lib/apt',
  'usr/lib/x86_64-linux-gnu/libapt-*',
  'var/lib/dpkg/info/*',
  'var/cache/debconf/*',
  'usr/share/zoneinfo',
  'usr/share/common-licenses',
  'usr/share/bash-completion',
];

export const RECIPES: Record<ImageKind, ImageRecipe> = {
  host: {
    kind: 'host',
    repository: 'vxlab-host',
    suite: 'bookworm',
    // util-linux (nsenter) is essential in Debian, so it comes with minbase.
    packages: ['docker.io', 'iproute2', 'iptables', 'tcpdump', 'iputils-ping', 'procps', 'bridge-utils'],
    cmd: ['/bin/sh'],
    trim: TRIM,
  },
  node: {
    kind: 'node',
    repository: 'vxlab-node',
    suite: 'bookworm',
    packages: ['iproute2', 'iputils-ping', 'iperf3', 'tcpdump', 'curl', 'traceroute', 'netcat-openbsd'],
    cmd: ['sleep', 'infinity'],
    trim: NODE_TRIM,
  },
};

export function recipeTag(recipe: ImageRecipe): string {
  return createHash('sha256').update(stableJson(recipe)).digest('hex').slice(0, 12);
}

export function imageRef(kind: ImageKind): string {
  const recipe = RECIPES[kind];
  return `${recipe.repository}:${recipeTag(recipe)}`;
}

export function cacheDir(): string {
  const base = process.env.VXLAB_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vxlab');
  return base;
}

export async function imageExists(docker: DockerClient, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Builds the images that are missing (or all of them with `force`), in parallel. */
export async function ensureImages(
  docker: DockerClient,
  emit: EmitEvent,
  options: { kinds?: ImageKind[]; force?: boolean } = {},
): Promise<Record<ImageKind, string>> {
  const kinds = options.kinds ?? (['host', 'node'] as ImageKind[]);
  await Promise.all(
    kinds.map(async (kind) => {
      const ref = imageRef(kind);
      if (!options.force && (await imageExists(docker, ref))) return;
      await runStep(emit, 'build-image', kind, () => buildImage(docker, RECIPES[kind], emit), `${ref} from Debian packages`);
      await removeOutdatedImages(docker, kind, ref);
    }),
  );
  return { host: imageRef('host'), node: imageRef('node') };
}

/** Images of an older recipe only take space; those a lab still runs on stay. */
async function removeOutdatedImages(docker: DockerClient, kind: ImageKind, current: string): Promise<void> {
  const images = await docker.listImages({ filters: { label: [`${LABEL_IMAGE}=${kind}`] } });
  for (const image of images) {
    if ((image.RepoTags ?? []).includes(current)) continue;
    await docker
      .getImage(image.Id)
      .remove()
      .catch(() => undefined); // still in use by a running lab: keep it
  }
}

async function buildImage(docker: DockerClient, recipe: ImageRecipe, emit: EmitEvent): Promise<void> {
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

async function removeMatching(root: string, pattern: string): Promise<void> {
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

/**
 * A saved copy of an image (the `docker save` tar), kept in the cache so that loading
 * it into several hosts at once reads a file instead of asking the engine every time.
 */
export async function savedImageFile(docker: DockerClient, ref: string): Promise<string> {
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
