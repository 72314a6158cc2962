// The underlay: one internal Docker network per lab that the hosts sit on. Internal,
// so no packet of a lab can leave the machine through it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { formatIPv4, gatewayAddress, overlaps, parseCidr } from '../lab/addressing.js';
import type { Lab } from '../lab/model.js';
import { underlayBridgeName, underlayNetworkName } from '../lab/naming.js';
import { underlaySpec } from '../lab/plan.js';
import type { DockerClient } from './docker.js';
import { isNotFound } from './docker.js';
import { EngineError } from './errors.js';
import { LABEL_LAB, LABEL_SPEC, labLabels } from './labels.js';

export { underlayBridgeName, underlayNetworkName };

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
  const conflict = machineConflict(subnet, underlayBridgeName(lab.name), await readMachineNetwork());
  if (conflict) throw conflict;
}

function engineIsLocal(): boolean {
  const host = process.env.DOCKER_HOST;
  return !host || host.startsWith('unix://');
}

export interface MachineRoute {
  device: string;
  destination: string;
  prefix: number;
  /** The routing table: main, local, or another one of policy routing (a number or a name). */
  table: string;
}

export interface MachineAddress {
  device: string;
  address: string;
  prefix: number;
}

/** What this machine routes and which addresses it holds, IPv4 only. */
export interface MachineNetwork {
  routes: MachineRoute[];
  addresses: MachineAddress[];
}

/**
 * The first route or address of this machine that an underlay subnet would clash with,
 * as the error to show; routes and addresses of the lab's own underlay bridge and the
 * default routes (of any table) don't count.
 */
export function machineConflict(subnet: string, ownBridge: string, network: MachineNetwork): EngineError | undefined {
  for (const { device, address, prefix } of network.addresses) {
    if (device === ownBridge || !overlaps(subnet, `${address}/32`)) continue;
    return new EngineError(
      'subnet-in-use',
      `underlay.subnet ${subnet} contains ${address}, an address of ${device} on this machine (${address}/${prefix}).`,
      'Pick an underlay.subnet that no interface of this machine uses (see `ip -4 addr`).',
    );
  }
  for (const route of network.routes) {
    if (route.device === ownBridge || route.prefix === 0) continue;
    const cidr = `${route.destination}/${route.prefix}`;
    if (!overlaps(subnet, cidr)) continue;
    return new EngineError(
      'subnet-in-use',
      `underlay.subnet ${subnet} overlaps the route ${cidr}${route.device ? ` via ${route.device}` : ''} in routing table ${route.table} of this machine.`,
      'Pick an underlay.subnet this machine does not route to already (see `ip -4 route show table all`).',
    );
  }
  return undefined;
}

/** Bounds on what is read from `ip`: a machine with a full BGP table is not a lab machine. */
const IP_OUTPUT_LIMIT = 16 * 1024 * 1024;
const IP_TIMEOUT_MS = 10_000;

/** Where readMachineNetwork reads from; tests hand in their own. */
export interface MachineNetworkSources {
  /** Runs `ip` with these arguments; undefined when it cannot be run or fails. */
  ip(args: string[]): Promise<string | undefined>;
  procNetRoute(): string;
}

const THIS_MACHINE: MachineNetworkSources = { ip: runIp, procNetRoute: readProcRoutes };

/**
 * Every IPv4 route of every routing table and every IPv4 address of this machine, read
 * with iproute2. Where `ip` cannot be run or prints no routes (an iproute2 without JSON),
 * the main table from /proc/net/route is all there is to go on: every Linux machine has
 * routes in its local table, so none at all means the reading failed, not a bare machine.
 */
export async function readMachineNetwork(sources: MachineNetworkSources = THIS_MACHINE): Promise<MachineNetwork> {
  const [routeText, addressText] = await Promise.all([
    sources.ip(['-j', '-4', 'route', 'show', 'table', 'all']),
    sources.ip(['-j', '-4', 'address', 'show']),
  ]);
  const routes = routeText === undefined ? [] : parseIpRoutes(routeText);
  return {
    routes: routes.length > 0 ? routes : parseProcNetRoute(sources.procNetRoute()),
    addresses: addressText === undefined ? [] : parseIpAddresses(addressText),
  };
}

function runIp(args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ip', args, { timeout: IP_TIMEOUT_MS, maxBuffer: IP_OUTPUT_LIMIT, encoding: 'utf8' }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/** Routes from `ip -j -4 route show table all`; entries that are not IPv4 routes are skipped. */
export function parseIpRoutes(json: string): MachineRoute[] {
  const routes: MachineRoute[] = [];
  for (const entry of jsonList(json)) {
    const dst = textField(entry, 'dst');
    const cidr = dst === 'default' ? { network: 0, prefix: 0 } : dst === undefined ? undefined : parseCidr(dst.includes('/') ? dst : `${dst}/32`);
    if (!cidr) continue;
    const table = entry.table;
    routes.push({
      device: textField(entry, 'dev') ?? '',
      destination: formatIPv4(cidr.network),
      prefix: cidr.prefix,
      table: typeof table === 'string' || typeof table === 'number' ? String(table) : 'main',
    });
  }
  return routes;
}

/** Addresses from `ip -j -4 address show`. */
export function parseIpAddresses(json: string): MachineAddress[] {
  const addresses: MachineAddress[] = [];
  for (const link of jsonList(json)) {
    const device = textField(link, 'ifname') ?? '';
    const infos = Array.isArray(link.addr_info) ? (link.addr_info as unknown[]) : [];
    for (const info of infos) {
      if (!isRecord(info) || info.family !== 'inet') continue;
      const local = textField(info, 'local');
      const prefix = info.prefixlen;
      if (local === undefined || typeof prefix !== 'number' || !parseCidr(`${local}/${prefix}`)) continue;
      addresses.push({ device, address: local, prefix });
    }
  }
  return addresses;
}

function jsonList(json: string): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** IPv4 routes of the main table, from /proc/net/route: the fallback where `ip` is missing. */
export function parseProcNetRoute(text: string): MachineRoute[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 8)
    .map((fields) => {
      const destination = littleEndianHex(fields[1] ?? '0');
      const mask = littleEndianHex(fields[7] ?? '0');
      return { device: fields[0] ?? '', destination: formatIPv4(destination), prefix: popCount(mask), table: 'main' };
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
