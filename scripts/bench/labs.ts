// The labs the bench brings up. Each has a `bench-` name and an underlay subnet of its
// own, so the bench never touches a lab someone else is using on the same engine.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, LabData } from '../../electron/lab/model.js';
import { formatProblem, parseLabText, stringifyLab } from '../../electron/lab/parse.js';

export interface BenchLab {
  lab: Lab;
  /** The lab as a file: what `up` records, so `vxlab export` works while the bench runs. */
  text: string;
}

/** vxlan-basics under another name and underlay; overlay, VNI and container addresses unchanged. */
export const BASICS = {
  name: 'bench-basics',
  template: 'vxlan-basics.yaml',
  underlaySubnet: '192.168.71.0/24',
  hostIps: { 'host-a': '192.168.71.10', 'host-b': '192.168.71.20' } as Record<string, string>,
  client: { host: 'host-a', container: 'container1' },
  server: { host: 'host-b', container: 'container2', overlayIp: '10.0.2.3', underlayIp: '192.168.71.20' },
} as const;

export const TEN = {
  name: 'bench-ten',
  hosts: 10,
  underlaySubnet: '192.168.77.0/24',
} as const;

/** vxlan-basics once more, for the capture section, on an underlay of its own. */
export const CAPTURE = {
  name: 'bench-capture',
  underlaySubnet: '192.168.73.0/24',
  hostIps: { 'host-a': '192.168.73.10', 'host-b': '192.168.73.20' } as Record<string, string>,
} as const;

export async function basicsLab(repoRoot: string, copy: { name: string; underlaySubnet: string; hostIps: Record<string, string> } = BASICS): Promise<BenchLab> {
  const template = await readFile(join(repoRoot, 'lab-templates', BASICS.template), 'utf8');
  const lab = validLab(template, BASICS.template);
  const data: LabData = {
    ...lab,
    name: copy.name,
    title: `${lab.title} (bench copy)`,
    underlay: { ...lab.underlay, subnet: copy.underlaySubnet },
    hosts: lab.hosts.map((host) => ({ ...host, ip: requiredHostIp(copy.hostIps, host.name) })),
  };
  return validated(data);
}

function requiredHostIp(hostIps: Record<string, string>, host: string): string {
  const ip = hostIps[host];
  if (!ip) throw new Error(`${BASICS.template} has a host ${host} the bench has no underlay address for`);
  return ip;
}

/** Ten hosts on one overlay, one container each: the size of lab the bring-up target is about. */
export function tenHostLab(): BenchLab {
  const hosts = Array.from({ length: TEN.hosts }, (_, i) => i + 1);
  const pad = (n: number) => String(n).padStart(2, '0');
  const lab: LabData = {
    version: 1,
    name: TEN.name,
    title: `${TEN.hosts} hosts on one overlay (bench)`,
    description: '',
    underlay: { subnet: TEN.underlaySubnet, mtu: 1500 },
    hosts: hosts.map((n) => ({ name: `host-${pad(n)}`, ip: `192.168.77.${10 + n}` })),
    overlays: [{ name: 'blue', vni: 100, subnet: '10.10.0.0/16', port: 4789, mtu: 1450 }],
    containers: hosts.map((n) => ({
      name: `node-${pad(n)}`,
      host: `host-${pad(n)}`,
      interfaces: [{ overlay: 'blue', ip: `10.10.${n}.2` }],
    })),
    layout: {},
  };
  return validated(lab);
}

/** Round-trips a generated lab through the parser, so the bench runs only what a lab file could say. */
function validated(lab: LabData): BenchLab {
  const text = stringifyLab(lab);
  return { lab: validLab(text, `${lab.name} (generated)`), text };
}

function validLab(text: string, source: string): Lab {
  const result = parseLabText(text);
  if (!result.ok) {
    throw new Error(`${source} is not a valid lab:\n${result.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
  return result.lab;
}
