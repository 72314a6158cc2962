// What the two images a lab needs are made of: Debian packages, a command, and what
// is trimmed away. Each image is tagged by a hash of its recipe, so a changed recipe
// means a new tag and an unchanged one is never built twice.
import { createHash } from 'node:crypto';
import { stableJson } from '../lab/spec-hash.js';
import { isImageRef, mustBe } from '../lab/brands.js';
import type { ImageReference } from '../lab/brands.js';

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

export function imageRef(kind: ImageKind): ImageReference {
  const recipe = RECIPES[kind];
  return mustBe(isImageRef, `${recipe.repository}:${recipeTag(recipe)}`, 'an image reference');
}

