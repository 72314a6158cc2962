import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, it, expect } from 'vitest';
import { RECIPES, imageRef, recipeTag } from '../../electron/engine/image-recipes.js';
import type { ImageRecipe } from '../../electron/engine/image-recipes.js';
import { failedPackage, removeMatching } from '../../electron/engine/image-build.js';
import { cacheDir } from '../../electron/engine/image-cache.js';

describe('failedPackage', () => {
  it('names the package debootstrap could not find', () => {
    expect(failedPackage(["E: Couldn't find these debs: foo-bar"], [])).toBe(' at package foo-bar');
  });

  it('names the package dpkg failed to configure, from the log', () => {
    const log = [
      'Setting up libfoo (1.2-3) ...',
      'dpkg: error processing package libfoo (--configure):',
      ' installed libfoo package post-installation script subprocess returned error exit status 1',
    ];
    expect(failedPackage(['W: Failure trying to run: chroot "/tmp/root" dpkg --force-overwrite --configure -a'], log)).toBe(
      ' at package libfoo',
    );
  });

  it('finds the dpkg failure in the output as well', () => {
    expect(failedPackage(['dpkg: error processing package libfoo (--configure)'], [])).toBe(' at package libfoo');
  });

  it('names the package of a failed unpack or download', () => {
    expect(failedPackage(['W: Failure while unpacking required package iproute2'], [])).toBe(' at package iproute2');
    expect(failedPackage(["E: Couldn't download package tcpdump (Ver: 4.99)"], [])).toBe(' at package tcpdump');
  });

  it('says nothing when no package is to blame', () => {
    expect(failedPackage(['I: Retrieving InRelease', 'E: debootstrap failed'], ['nothing here'])).toBe('');
    expect(failedPackage([], [])).toBe('');
  });
});

describe('recipeTag', () => {
  it('is the same for equal recipes', () => {
    const copy: ImageRecipe = structuredClone(RECIPES.node);
    expect(copy).not.toBe(RECIPES.node);
    expect(recipeTag(copy)).toBe(recipeTag(RECIPES.node));
    expect(recipeTag(RECIPES.host)).toBe(recipeTag(RECIPES.host));
  });

  it('is a short hex tag Docker accepts', () => {
    for (const recipe of Object.values(RECIPES)) expect(recipeTag(recipe)).toMatch(/^[0-9a-f]{12}$/);
  });

  it('changes when a package is added', () => {
    for (const recipe of Object.values(RECIPES)) {
      const more: ImageRecipe = { ...recipe, packages: [...recipe.packages, 'strace'] };
      expect(recipeTag(more)).not.toBe(recipeTag(recipe));
    }
  });

  it('changes with the suite and the command', () => {
    const node = RECIPES.node;
    expect(recipeTag({ ...node, suite: 'trixie' })).not.toBe(recipeTag(node));
    expect(recipeTag({ ...node, cmd: ['/bin/sh'] })).not.toBe(recipeTag(node));
  });

  it('differs between the host and the node recipe', () => {
    expect(recipeTag(RECIPES.host)).not.toBe(recipeTag(RECIPES.node));
  });

  it('tags the image references with the recipe tag', () => {
    expect(imageRef('host')).toBe(`vxlab-host:${recipeTag(RECIPES.host)}`);
    expect(imageRef('node')).toBe(`vxlab-node:${recipeTag(RECIPES.node)}`);
  });
});

describe('RECIPES', () => {
  it('puts what the host scripts call into the host image', () => {
    // dockerd, ip/bridge, sysctl: host-scripts.ts runs them in every host.
    expect(RECIPES.host.packages).toEqual(expect.arrayContaining(['docker.io', 'iproute2', 'procps']));
    expect(RECIPES.node.packages).toContain('iproute2');
  });
});

describe('removeMatching (trimming a built root file system)', () => {
  async function tree(paths: string[]): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'vxlab-trim-test-'));
    for (const path of paths) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), 'x');
    }
    return root;
  }

  it('empties a directory for a trailing /*, keeping the directory', async () => {
    const root = await tree(['usr/share/doc/a/copyright', 'usr/share/doc/b', 'usr/share/keep']);
    try {
      await removeMatching(root, 'usr/share/doc/*');
      expect(await readdir(join(root, 'usr/share/doc'))).toEqual([]);
      expect(await readdir(join(root, 'usr/share'))).toEqual(['doc', 'keep']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('removes only names matching a * in the last segment, taking dots literally', async () => {
    const root = await tree(['usr/bin/perl', 'usr/bin/perl5.36', 'usr/bin/ip', 'usr/bin/perlXdoc', 'usr/bin/aptitude']);
    try {
      await removeMatching(root, 'usr/bin/perl*');
      expect((await readdir(join(root, 'usr/bin'))).sort()).toEqual(['aptitude', 'ip']);
      await removeMatching(root, 'usr/bin/a.t*');
      expect((await readdir(join(root, 'usr/bin'))).sort()).toEqual(['aptitude', 'ip']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('removes a named path and ignores one that does not exist', async () => {
    const root = await tree(['usr/share/zoneinfo/UTC', 'etc/hostname']);
    try {
      await removeMatching(root, 'usr/share/zoneinfo');
      await removeMatching(root, 'usr/lib/absent');
      await removeMatching(root, 'no/such/dir/*');
      expect(await readdir(join(root, 'usr/share'))).toEqual([]);
      expect(await readdir(join(root, 'etc'))).toEqual(['hostname']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('cacheDir', () => {
  const saved = { cache: process.env.VXLAB_CACHE_DIR, xdg: process.env.XDG_CACHE_HOME };
  afterEach(() => {
    for (const [key, value] of [['VXLAB_CACHE_DIR', saved.cache], ['XDG_CACHE_HOME', saved.xdg]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('is VXLAB_CACHE_DIR when set, else vxlab under XDG_CACHE_HOME', () => {
    process.env.VXLAB_CACHE_DIR = '/tmp/vxlab-cache-a';
    process.env.XDG_CACHE_HOME = '/tmp/xdg-b';
    expect(cacheDir()).toBe('/tmp/vxlab-cache-a');
    delete process.env.VXLAB_CACHE_DIR;
    expect(cacheDir()).toBe('/tmp/xdg-b/vxlab');
  });
});
