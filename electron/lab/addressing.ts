// IPv4 arithmetic on unsigned 32-bit numbers, and the address plan vxlab proposes.
// Helpers that take a subnet accept either CIDR text or an already parsed CIDR.

export interface Cidr {
  network: number;
  prefix: number;
  /** The address exactly as written, which differs from `network` when host bits were set. */
  address: number;
  hostBitsSet: boolean;
}

export type CidrInput = string | Pick<Cidr, 'network' | 'prefix'>;

export type ReservedRole = 'network' | 'gateway' | 'broadcast';

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const DECIMAL_PREFIX = /^(0|[1-9][0-9]?)$/;

/** Strict dotted quad: four decimal numbers 0..255, no leading zeros, no spaces. */
export function parseIPv4(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIPv4(address: number): string {
  if (!Number.isInteger(address) || address < 0 || address > 0xffffffff) {
    throw new RangeError(`not an IPv4 address number: ${address}`);
  }
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

export function prefixMask(prefix: number): number {
  // JavaScript shifts are mod 32, so `<< 32` would leave the mask unchanged.
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split('/');
  if (parts.length !== 2) return undefined;
  const [addressText = '', prefixText = ''] = parts;
  const address = parseIPv4(addressText);
  if (address === undefined || !DECIMAL_PREFIX.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const network = (address & prefixMask(prefix)) >>> 0;
  return { network, prefix, address, hostBitsSet: network !== address };
}

export function formatCidr(cidr: Pick<Cidr, 'network' | 'prefix'>): string {
  return `${formatIPv4(cidr.network)}/${cidr.prefix}`;
}

/** Parses CIDR text (host bits are masked off) or normalises a parsed CIDR; throws on invalid text. */
export function toCidr(input: CidrInput): Pick<Cidr, 'network' | 'prefix'> {
  if (typeof input !== 'string') {
    return { network: (input.network & prefixMask(input.prefix)) >>> 0, prefix: input.prefix };
  }
  const parsed = parseCidr(input);
  if (!parsed) throw new RangeError(`not an IPv4 CIDR: ${input}`);
  return { network: parsed.network, prefix: parsed.prefix };
}

function toAddress(ip: string | number): number | undefined {
  return typeof ip === 'number' ? ip : parseIPv4(ip);
}

export function networkAddress(subnet: CidrInput): number {
  return toCidr(subnet).network;
}

export function broadcastAddress(subnet: CidrInput): number {
  const { network, prefix } = toCidr(subnet);
  return (network | ~prefixMask(prefix)) >>> 0;
}

/** network + 1, which vxlab always reserves for the gateway. */
export function firstUsable(subnet: CidrInput): number {
  return networkAddress(subnet) + 1;
}

/**
 * The address reserved for the engine: Docker takes it as the gateway of the underlay network,
 * and overlays keep the same rule so a lab file stays valid wherever it is run.
 */
export function gatewayAddress(subnet: CidrInput): string {
  return formatIPv4(firstUsable(subnet));
}

export function contains(subnet: CidrInput, ip: string | number): boolean {
  const address = toAddress(ip);
  if (address === undefined) return false;
  const { network, prefix } = toCidr(subnet);
  return ((address & prefixMask(prefix)) >>> 0) === network;
}

export function overlaps(a: CidrInput, b: CidrInput): boolean {
  return networkAddress(a) <= broadcastAddress(b) && networkAddress(b) <= broadcastAddress(a);
}

/** Which reserved address of the subnet `ip` is, if any. */
export function reservedRole(subnet: CidrInput, ip: string | number): ReservedRole | undefined {
  const address = toAddress(ip);
  if (address === undefined) return undefined;
  if (address === networkAddress(subnet)) return 'network';
  if (address === broadcastAddress(subnet)) return 'broadcast';
  if (address === firstUsable(subnet)) return 'gateway';
  return undefined;
}

/** Inclusive range of the addresses a host or interface may take: gateway + 1 .. broadcast - 1. */
export function assignableRange(subnet: CidrInput): { first: number; last: number } {
  return { first: firstUsable(subnet) + 1, last: broadcastAddress(subnet) - 1 };
}

/**
 * Ranges that are never a network of hosts (RFC 6890): a lab subnet inside or across one of
 * them would break routing on the hosts or the machine. Private ranges are what labs use.
 */
export const SPECIAL_RANGES: readonly { cidr: string; name: string }[] = [
  { cidr: '0.0.0.0/8', name: '"this network" range' },
  { cidr: '127.0.0.0/8', name: 'loopback range' },
  { cidr: '169.254.0.0/16', name: 'link-local range' },
  { cidr: '224.0.0.0/4', name: 'multicast range' },
  { cidr: '240.0.0.0/4', name: 'reserved range (and broadcast)' },
];

/** The first special range `subnet` overlaps, if any. */
export function specialRangeOf(subnet: CidrInput): { cidr: string; name: string } | undefined {
  return SPECIAL_RANGES.find((range) => overlaps(subnet, range.cidr));
}

const PREFERRED_BLOCK_PREFIX = 24;
/** Smaller blocks would leave a host fewer than two addresses once the textbook ".2" start is applied. */
const SMALLEST_BLOCK_PREFIX = 30;

function blockPrefixFor(subnetPrefix: number, hostCount: number): number | undefined {
  // Block 0 holds the gateway, so hostCount hosts need hostCount + 1 blocks.
  if (subnetPrefix <= PREFERRED_BLOCK_PREFIX - 1 && 2 ** (PREFERRED_BLOCK_PREFIX - subnetPrefix) > hostCount) {
    return PREFERRED_BLOCK_PREFIX;
  }
  let bits = 0;
  while (2 ** bits <= hostCount) bits++;
  const blockPrefix = subnetPrefix + bits;
  return blockPrefix <= SMALLEST_BLOCK_PREFIX ? blockPrefix : undefined;
}

/**
 * The slice of an overlay subnet from which addresses are proposed for the host at `hostIndex`.
 * The subnet is cut into equal blocks (/24 when they fit, so 10.0.0.0/16 gives host 0 10.0.1.0/24);
 * block 0 keeps the gateway and host i gets block i + 1. Undefined when the blocks would be too small.
 */
export function hostRange(subnet: CidrInput, hostIndex: number, hostCount: number): string | undefined {
  if (!Number.isInteger(hostIndex) || !Number.isInteger(hostCount) || hostIndex < 0 || hostIndex >= hostCount) {
    return undefined;
  }
  const { network, prefix } = toCidr(subnet);
  const blockPrefix = blockPrefixFor(prefix, hostCount);
  if (blockPrefix === undefined) return undefined;
  const blockSize = 2 ** (32 - blockPrefix);
  return formatCidr({ network: network + (hostIndex + 1) * blockSize, prefix: blockPrefix });
}

/** Just the shape proposeIp reads, so a lab being edited (not yet validated) can be passed. */
export interface AddressPlanInput {
  hosts: readonly { name: string }[];
  overlays: readonly { name: string; subnet: string }[];
  containers: readonly { interfaces: readonly { overlay: string; ip: string }[] }[];
}

function usedAddresses(lab: AddressPlanInput, overlayName: string): Set<number> {
  const used = new Set<number>();
  for (const container of lab.containers) {
    for (const iface of container.interfaces) {
      if (iface.overlay !== overlayName) continue;
      const address = parseIPv4(iface.ip);
      if (address !== undefined) used.add(address);
    }
  }
  return used;
}

function lowestFree(subnet: CidrInput, first: number, last: number, used: Set<number>): string | undefined {
  for (let address = first; address <= last; address++) {
    if (!used.has(address) && reservedRole(subnet, address) === undefined) return formatIPv4(address);
  }
  return undefined;
}

/**
 * A free address for a new interface of a container on `hostName`, on overlay `overlayName`:
 * the lowest unused one from the host's range, starting at its ".2" like the textbook example.
 * When the host's range is full (or the subnet too small to have ranges), any free address of
 * the overlay is proposed instead; undefined only when the overlay has none left.
 */
export function proposeIp(lab: AddressPlanInput, overlayName: string, hostName: string): string | undefined {
  const overlay = lab.overlays.find((candidate) => candidate.name === overlayName);
  const hostIndex = lab.hosts.findIndex((candidate) => candidate.name === hostName);
  if (!overlay || hostIndex < 0) return undefined;
  const parsed = parseCidr(overlay.subnet);
  if (!parsed) return undefined;
  const subnet = { network: parsed.network, prefix: parsed.prefix };
  const used = usedAddresses(lab, overlayName);

  const range = hostRange(subnet, hostIndex, lab.hosts.length);
  if (range !== undefined) {
    const inRange = lowestFree(subnet, networkAddress(range) + 2, broadcastAddress(range), used);
    if (inRange !== undefined) return inRange;
  }
  const { first, last } = assignableRange(subnet);
  return lowestFree(subnet, first, last, used);
}
