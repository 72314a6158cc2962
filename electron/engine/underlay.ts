// The underlay: one internal Docker network per lab that the hosts sit on. Internal,
// so no packet of a lab can leave the machine through it.
import { readFileSync } from 'node:fs';
import { formatIPv4, gatewayAddress, overlaps } from '../lab/addressing.js';
import type { Lab } from '../lab/model.js';
import { specHash } from '../lab/spec-hash.js';
import { underlaySpec } from '../lab/plan.js';
import type { DockerClient } from './docker.js';
import { isNotFound } from './docker.js';
import { EngineError } from './errors.js';
import { LABEL_LAB, LABEL_SPEC, labLabels } from './labels.js';

export function underlayNetworkName(lab: string): string {
  return `${lab}-underlay`;
}

/** The Linux bridge behind the network; named by vxlab so routes can be told apart. */
export function underlayBridgeName(lab: string): string {
  return `vxu-${specHash([lab]).slice(0, 8)}`;
}

export interface UnderlayState {
  id: string;
  spec: string;
}

export async function findUnderlay(docker: DockerClient, lab: string): Promise<UnderlayState | undefined> {
  try {
    const network = await docker.getNetwork(underlayNetworkName(lab)).inspect();
    if (network.Labels?.[LABEL_LAB] !== lab) {
      throw new EngineError(
        'name-in-use',
        `A Docker network named ${underlayNetworkName(lab)} exists but does not belong to lab ${lab}.`,
        'Rename the lab (its name prefixes every object) or remove that network.',
      );
    }
    return { id: network.Id, spec: network.Labels?.[LABEL_SPEC] ?? '' };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Refuses an underlay subnet that another network of the engine or a route of this
 * machine already covers: packets meant for the lab would go elsewhere, or the reverse.
 */
export async function checkUnderlayFree(docker: DockerClient, lab: Lab): Promise<void> {
  const subnet = lab.underlay.subnet;
  const networks = await docker.listNetworks();
  for (const network of networks) {
    if (network.Name === underlayNetworkName(lab.name)) continue;
    for (const config of network.IPAM?.Config ?? []) {
      const other = (config as { Subnet?: string }).Subnet;
      if (other && !other.includes(':') && overlaps(subnet, other)) {
        const owner = network.Labels?.[LABEL_LAB];
        throw new EngineError(
          'subnet-in-use',
          `underlay.subnet ${subnet} overlaps ${other} of the Docker network ${network.Name}` +
            (owner ? ` (lab ${owner})` : '') + '.',
          owner
            ? `Pick another underlay.subnet, or stop that lab with \`vxlab down ${owner}\`.`
            : 'Pick an underlay.subnet that no network of the engine uses (`docker network inspect` lists them).',
        );
      }
    }
  }
  if (!engineIsLocal()) return;
  for (const route of machineRoutes()) {
    if (route.device === underlayBridgeName(lab.name) || route.prefix === 0) continue;
    const cidr = `${route.destination}/${route.prefix}`;
    if (overlaps(subnet, cidr)) {
      throw new EngineError(
        'subnet-in-use',
        `underlay.subnet ${subnet} overlaps the route ${cidr} via ${route.device} of this machine.`,
        'Pick an underlay.subnet this machine does not route to already (see `ip route`).',
      );
    }
  }
}

function engineIsLocal(): boolean {
  const host = process.env.DOCKER_HOST;
  return !host || host.startsWith('unix://');
}

interface MachineRoute {
  device: string;
  destination: string;
  prefix: number;
}

/** IPv4 routes of this machine's own network namespace, from /proc/net/route. */
export function machineRoutes(text = readProcRoutes()): MachineRoute[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 8)
    .map((fields) => {
      const destination = littleEndianHex(fields[1] ?? '0');
      const mask = littleEndianHex(fields[7] ?? '0');
      return { device: fields[0] ?? '', destination: formatIPv4(destination), prefix: popCount(mask) };
    });
}

function readProcRoutes(): string {
  try {
    return readFileSync('/proc/net/route', 'utf8');
  } catch {
    return '';
  }
}

function littleEndianHex(hex: string): number {
  const value = parseInt(hex, 16) >>> 0;
  return (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>> 0;
}

function popCount(value: number): number {
  let count = 0;
  for (let v = value >>> 0; v; v >>>= 1) count += v & 1;
  return count;
}

export async function createUnderlay(docker: DockerClient, lab: Lab): Promise<void> {
  await docker.createNetwork({
    Name: underlayNetworkName(lab.name),
    Driver: 'bridge',
    Internal: true,
    CheckDuplicate: true,
    IPAM: { Driver: 'default', Config: [{ Subnet: lab.underlay.subnet, Gateway: gatewayAddress(lab.underlay.subnet) }] },
    Options: {
      'com.docker.network.bridge.name': underlayBridgeName(lab.name),
      'com.docker.network.driver.mtu': String(lab.underlay.mtu),
    },
    Labels: labLabels(lab.name, 'underlay', { [LABEL_SPEC]: underlaySpec(lab) }),
  });
}

export async function removeUnderlay(docker: DockerClient, lab: string): Promise<void> {
  try {
    await docker.getNetwork(underlayNetworkName(lab)).remove();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
