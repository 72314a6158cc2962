import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_DEVICE_NAME_LENGTH,
  bridgeName,
  hostContainerName,
  hostVethName,
  hostVolumeName,
  isOverlayBridgeName,
  underlayBridgeName,
  underlayNetworkName,
  vxlanDeviceName,
} from '../../electron/lab/naming.js';
import { MAX_LAB_NAME_LENGTH, MAX_NODE_NAME_LENGTH } from '../../electron/lab/names.js';
import { MAX_VNI } from '../../electron/lab/model.js';
import { isVni, mustBe } from '../../electron/lab/brands.js';

const vni = (value: number) => mustBe(isVni, value, 'a VNI');

const root = join(import.meta.dirname, '../..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry) ? [path] : [];
  });
}

describe('device names', () => {
  it('fit IFNAMSIZ for the largest VNI, the longest container name and many interfaces', () => {
    const longest = 'c'.repeat(MAX_NODE_NAME_LENGTH);
    for (const name of [bridgeName(vni(MAX_VNI)), vxlanDeviceName(vni(MAX_VNI)), hostVethName(longest, 99), underlayBridgeName('l'.repeat(MAX_LAB_NAME_LENGTH))]) {
      expect(name.length).toBeLessThanOrEqual(MAX_DEVICE_NAME_LENGTH);
    }
  });

  it('read as the README draws them', () => {
    expect(bridgeName(vni(42))).toBe('vxbr42');
    expect(vxlanDeviceName(vni(42))).toBe('vxlan42');
    expect(hostVethName('container1', 0)).toMatch(/^ve[0-9a-f]{8}i0$/);
    expect(underlayBridgeName('vxlan-basics')).toMatch(/^vxu-[0-9a-f]{8}$/);
  });

  it('tell an overlay bridge apart from any other bridge', () => {
    expect(isOverlayBridgeName(bridgeName(vni(7)))).toBe(true);
    for (const other of ['docker0', 'vxbr', 'vxbr1x', 'xvxbr1', vxlanDeviceName(vni(7)), underlayBridgeName('lab')]) {
      expect(isOverlayBridgeName(other)).toBe(false);
    }
  });

  it('keep the veths of two containers apart', () => {
    expect(hostVethName('container1', 0)).not.toBe(hostVethName('container2', 0));
    expect(hostVethName('container1', 0)).not.toBe(hostVethName('container1', 1));
  });
});

describe('Docker object names', () => {
  it("prefix every object with the lab's name", () => {
    expect(hostContainerName('vxlan-basics', 'host-a')).toBe('vxlan-basics-host-a');
    expect(hostVolumeName('vxlan-basics', 'host-a')).toBe('vxlan-basics-host-a-docker');
    expect(underlayNetworkName('vxlan-basics')).toBe('vxlan-basics-underlay');
  });
});

describe('one rule, one place', () => {
  const files = [...sourceFiles(join(root, 'electron')), ...sourceFiles(join(root, 'renderer/src'))];

  it('label keys are spelled only in electron/engine/labels.ts', () => {
    const offenders = files
      .filter((file) => !file.endsWith(join('engine', 'labels.ts')))
      .filter((file) => /['"`]vxlab\.(lab|role|host|node|spec|image|recipe)\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('device and bridge name patterns are spelled only in electron/lab/naming.ts', () => {
    const offenders = files
      .filter((file) => !file.endsWith(join('lab', 'naming.ts')))
      .filter((file) => /['"`](vxbr|vxu-|ve\$\{)|`vxlan\$\{|-underlay`|-docker`/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
