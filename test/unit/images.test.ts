import { describe, it, expect } from 'vitest';
import { RECIPES, failedPackage, imageRef, recipeTag } from '../../electron/engine/images.js';
import type { ImageRecipe } from '../../electron/engine/images.js';

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
