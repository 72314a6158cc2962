// IPv4 (RFC 791): the header up to its options, with the header checksum verified.

import { formatIPv4, hex, internetChecksum, onesComplementSum, u16, u8 } from '../bytes.js';
import type { LayerBuilder } from '../layer-builder.js';

export const IPV4_MIN_HEADER_BYTES = 20;
export const PROTOCOL_ICMP = 1;
export const PROTOCOL_TCP = 6;
export const PROTOCOL_UDP = 17;

const PROTOCOL_NAMES: Record<number, string> = {
  1: 'ICMP',
  2: 'IGMP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  47: 'GRE',
  50: 'ESP',
  58: 'ICMPv6',
  89: 'OSPF',
  132: 'SCTP',
};

export function ipProtocolName(protocol: number): string {
  return PROTOCOL_NAMES[protocol] ?? `IP protocol ${protocol}`;
}

export interface Ipv4Result {
  srcIp?: string;
  dstIp?: string;
  id?: number;
  ttl?: number;
  protocol?: number;
  /** Where the payload starts and ends (exclusive) in the frame, when the header is sound. */
  payloadStart?: number;
  payloadEnd?: number;
  /** Bytes after the datagram that the frame still carries (Ethernet padding). */
  trailerEnd?: number;
  /** A fragment after the first: its payload is not a transport header. */
  laterFragment?: boolean;
  /** More fragments follow: the transport layer's payload is not all here. */
  moreFragments?: boolean;
  /** One's-complement sum of the TCP/UDP pseudo-header without its length. */
  pseudoHeaderSum?: number;
}

export function decodeIpv4(b: LayerBuilder): Ipv4Result {
  const result: Ipv4Result = {};
  const { bytes, start } = b;
  if (!b.has(0, 1)) {
    b.truncated('no byte of the IPv4 header was captured');
    return result;
  }
  const version = u8(bytes, start) >> 4;
  const headerLength = (u8(bytes, start) & 0x0f) * 4;
  b.field('ip.version', 'Version', 0, 1, () => String(version));
  b.field('ip.hdr_len', 'Header length', 0, 1, () => `${headerLength} bytes (${headerLength / 4})`);
  if (version !== 4) b.malformed(`the version is ${version}, not 4`);
  if (headerLength < IPV4_MIN_HEADER_BYTES) b.malformed(`the header length is ${headerLength} bytes, less than the minimum 20`);
  b.setHeaderLength(Math.max(headerLength, IPV4_MIN_HEADER_BYTES));

  b.field('ip.dsfield.dscp', 'Differentiated services codepoint', 1, 1, () => String(u8(bytes, start + 1) >> 2));
  b.field('ip.dsfield.ecn', 'Explicit congestion notification', 1, 1, () => String(u8(bytes, start + 1) & 0x03));
  const totalLength = u16(bytes, start + 2);
  b.field('ip.len', 'Total length', 2, 2, () => String(totalLength));
  if (b.field('ip.id', 'Identification', 4, 2, () => {
    const id = u16(bytes, start + 4);
    return `${hex(id, 4)} (${id})`;
  })) result.id = u16(bytes, start + 4);
  const flagsAndOffset = u16(bytes, start + 6);
  const dontFragment = (flagsAndOffset & 0x4000) !== 0;
  const moreFragments = (flagsAndOffset & 0x2000) !== 0;
  const fragmentOffset = (flagsAndOffset & 0x1fff) * 8;
  b.field('ip.flags', 'Flags', 6, 1, () => {
    const names = [(flagsAndOffset & 0x8000) !== 0 ? 'reserved bit' : '', dontFragment ? 'DF' : '', moreFragments ? 'MF' : ''].filter(Boolean);
    return `${hex(flagsAndOffset >> 13, 1)}${names.length ? ` (${names.join(', ')})` : ''}`;
  });
  b.field('ip.flags.df', "Don't fragment", 6, 1, () => (dontFragment ? 'set' : 'not set'));
  b.field('ip.flags.mf', 'More fragments', 6, 1, () => (moreFragments ? 'set' : 'not set'));
  b.field('ip.frag_offset', 'Fragment offset', 6, 2, () => `${fragmentOffset} bytes`);
  if (b.field('ip.ttl', 'Time to live', 8, 1, () => String(u8(bytes, start + 8)))) result.ttl = u8(bytes, start + 8);
  if (b.field('ip.proto', 'Protocol', 9, 1, () => `${u8(bytes, start + 9)} (${ipProtocolName(u8(bytes, start + 9))})`)) {
    result.protocol = u8(bytes, start + 9);
  }
  const checksumPresent = b.field('ip.checksum', 'Header checksum', 10, 2, () =>
    describeHeaderChecksum(bytes, start, Math.max(headerLength, IPV4_MIN_HEADER_BYTES), b.has(0, headerLength)),
  );
  if (b.field('ip.src', 'Source address', 12, 4, () => formatIPv4(bytes, start + 12))) result.srcIp = formatIPv4(bytes, start + 12);
  if (b.field('ip.dst', 'Destination address', 16, 4, () => formatIPv4(bytes, start + 16))) result.dstIp = formatIPv4(bytes, start + 16);
  if (b.layer.problem !== undefined) return result;
  if (headerLength > IPV4_MIN_HEADER_BYTES) {
    b.field('ip.options', 'Options', IPV4_MIN_HEADER_BYTES, headerLength - IPV4_MIN_HEADER_BYTES, () => `${headerLength - IPV4_MIN_HEADER_BYTES} bytes`);
    if (b.layer.problem !== undefined) return result;
  }
  if (checksumPresent && onesComplementSum(bytes, start, headerLength) !== 0xffff) {
    b.malformed('the header checksum is wrong');
  }
  if (totalLength < headerLength) {
    b.malformed(`the total length ${totalLength} is less than the header length ${headerLength}`);
    return result;
  }
  const datagramEnd = start + totalLength;
  if (datagramEnd > b.end) {
    b.truncated(`the datagram is ${totalLength} bytes, ${b.available} captured`);
  }
  result.payloadStart = start + headerLength;
  result.payloadEnd = Math.min(datagramEnd, b.end);
  if (datagramEnd < b.end) result.trailerEnd = b.end;
  result.laterFragment = fragmentOffset > 0;
  result.moreFragments = moreFragments;
  result.pseudoHeaderSum = onesComplementSum(bytes, start + 12, 8, result.protocol ?? 0);
  return result;
}

function describeHeaderChecksum(bytes: Uint8Array, start: number, headerLength: number, wholeHeader: boolean): string {
  const stored = u16(bytes, start + 10);
  if (!wholeHeader) return `${hex(stored, 4)} (unverified: the header is cut off)`;
  const header = bytes.slice(start, start + headerLength);
  header[10] = 0;
  header[11] = 0;
  const expected = internetChecksum(header, 0, headerLength);
  return expected === stored ? `${hex(stored, 4)} (correct)` : `${hex(stored, 4)} (incorrect, should be ${hex(expected, 4)})`;
}
