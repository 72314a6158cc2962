// Ethernet II: destination and source MAC, then the EtherType naming the next header.

import { formatMac, hex, u16 } from '../bytes.js';
import type { LayerBuilder } from '../layer-builder.js';

export const ETHERNET_HEADER_BYTES = 14;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8100: '802.1Q VLAN',
  0x86dd: 'IPv6',
  0x88cc: 'LLDP',
};

export function etherTypeName(type: number): string {
  return ETHERTYPE_NAMES[type] ?? 'unknown';
}

export interface EthernetResult {
  dstMac?: string;
  srcMac?: string;
  /** Undefined when cut off, or when the field is an IEEE 802.3 length (< 0x0600). */
  etherType?: number;
}

export function decodeEthernet(b: LayerBuilder): EthernetResult {
  const result: EthernetResult = {};
  if (b.field('eth.dst', 'Destination', 0, 6, () => formatMac(b.bytes, b.start))) result.dstMac = formatMac(b.bytes, b.start);
  if (b.field('eth.src', 'Source', 6, 6, () => formatMac(b.bytes, b.start + 6))) result.srcMac = formatMac(b.bytes, b.start + 6);
  if (!b.has(12, 2)) {
    b.truncated(`the Ethernet header needs ${ETHERNET_HEADER_BYTES} bytes, ${b.available} captured`);
    return result;
  }
  const type = u16(b.bytes, b.start + 12);
  if (type < 0x0600) {
    b.field('eth.len', 'Length (IEEE 802.3)', 12, 2, () => String(type));
    b.note('IEEE 802.3 frame: vxlab decodes Ethernet II only');
    return result;
  }
  b.field('eth.type', 'Type', 12, 2, () => `${hex(type, 4)} (${etherTypeName(type)})`);
  result.etherType = type;
  return result;
}
