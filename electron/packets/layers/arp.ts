// ARP for IPv4 over Ethernet (RFC 826): who has this address, and the answer.

import { formatIPv4, formatMac, hex, u16, u8 } from '../bytes.js';
import type { LayerBuilder } from '../layer-builder.js';

export const ARP_ETHERNET_IPV4_BYTES = 28;

const OPCODES: Record<number, string> = { 1: 'request', 2: 'reply' };

export interface ArpResult {
  opcode?: number;
  senderMac?: string;
  senderIp?: string;
  targetMac?: string;
  targetIp?: string;
}

export function decodeArp(b: LayerBuilder): ArpResult {
  const result: ArpResult = {};
  const { bytes, start } = b;
  b.field('arp.hw.type', 'Hardware type', 0, 2, () => {
    const type = u16(bytes, start);
    return type === 1 ? '1 (Ethernet)' : String(type);
  });
  b.field('arp.proto.type', 'Protocol type', 2, 2, () => {
    const type = u16(bytes, start + 2);
    return type === 0x0800 ? '0x0800 (IPv4)' : hex(type, 4);
  });
  b.field('arp.hw.size', 'Hardware size', 4, 1, () => String(u8(bytes, start + 4)));
  b.field('arp.proto.size', 'Protocol size', 5, 1, () => String(u8(bytes, start + 5)));
  if (b.field('arp.opcode', 'Opcode', 6, 2, () => {
    const opcode = u16(bytes, start + 6);
    return `${opcode} (${OPCODES[opcode] ?? 'unknown'})`;
  })) result.opcode = u16(bytes, start + 6);
  if (!b.has(0, 8)) {
    b.truncated(`the ARP header needs 8 bytes before its addresses, ${b.available} captured`);
    return result;
  }
  const ethernetIpv4 = u16(bytes, start) === 1 && u16(bytes, start + 2) === 0x0800;
  const sizesMatch = u8(bytes, start + 4) === 6 && u8(bytes, start + 5) === 4;
  if (ethernetIpv4 && !sizesMatch) {
    b.malformed(`Ethernet/IPv4 ARP must have address sizes 6 and 4, found ${u8(bytes, start + 4)} and ${u8(bytes, start + 5)}`);
    return result;
  }
  if (!ethernetIpv4) {
    b.note('not Ethernet/IPv4 ARP: its addresses are not decoded');
    return result;
  }
  b.setHeaderLength(ARP_ETHERNET_IPV4_BYTES);
  if (b.field('arp.src.hw_mac', 'Sender MAC address', 8, 6, () => formatMac(bytes, start + 8))) result.senderMac = formatMac(bytes, start + 8);
  if (b.field('arp.src.proto_ipv4', 'Sender IP address', 14, 4, () => formatIPv4(bytes, start + 14))) result.senderIp = formatIPv4(bytes, start + 14);
  if (b.field('arp.dst.hw_mac', 'Target MAC address', 18, 6, () => formatMac(bytes, start + 18))) result.targetMac = formatMac(bytes, start + 18);
  if (b.field('arp.dst.proto_ipv4', 'Target IP address', 24, 4, () => formatIPv4(bytes, start + 24))) result.targetIp = formatIPv4(bytes, start + 24);
  b.info = arpInfo(result);
  return result;
}

function arpInfo(arp: ArpResult): string | undefined {
  if (arp.senderIp === undefined || arp.targetIp === undefined) return undefined;
  if (arp.opcode === 1) {
    return arp.senderIp === arp.targetIp ? `Gratuitous ARP for ${arp.senderIp} (request)` : `Who has ${arp.targetIp}? Tell ${arp.senderIp}`;
  }
  if (arp.opcode === 2) return `${arp.senderIp} is at ${arp.senderMac ?? '?'}`;
  return `opcode ${arp.opcode ?? '?'}`;
}
