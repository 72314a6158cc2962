// UDP (RFC 768): ports, length and checksum. The destination port decides whether VXLAN follows.

import { u16 } from '../bytes.js';
import type { LayerBuilder } from '../layer-builder.js';
import { describeChecksum } from './transport-checksum.js';

export const UDP_HEADER_BYTES = 8;

export interface UdpResult {
  srcPort?: number;
  dstPort?: number;
  /** The datagram's payload, when the header is sound. */
  payloadStart?: number;
  payloadEnd?: number;
}

/**
 * `available` is what the IP payload offers; `partial` when IP fragmentation or a short
 * capture left part of the datagram out (then a length beyond it is expected, not malformed).
 */
export function decodeUdp(b: LayerBuilder, ipPayloadLength: number, partial: boolean, pseudoHeaderSum: number | undefined): UdpResult {
  const result: UdpResult = {};
  const { bytes, start } = b;
  if (b.field('udp.srcport', 'Source port', 0, 2, () => String(u16(bytes, start)))) result.srcPort = u16(bytes, start);
  if (b.field('udp.dstport', 'Destination port', 2, 2, () => String(u16(bytes, start + 2)))) result.dstPort = u16(bytes, start + 2);
  const length = u16(bytes, start + 4);
  const lengthPresent = b.field('udp.length', 'Length', 4, 2, () => String(length));
  const checksumPresent = b.has(6, 2);
  if (checksumPresent) {
    const stored = u16(bytes, start + 6);
    const whole = !partial && length >= UDP_HEADER_BYTES && b.has(0, length);
    b.field('udp.checksum', 'Checksum', 6, 2, () =>
      stored === 0 ? '0x0000 (none: the sender left it out)' : describeChecksum(bytes, start, 6, length, whole, pseudoHeaderSum).value,
    );
  } else {
    b.field('udp.checksum', 'Checksum', 6, 2, () => '');
  }
  if (!lengthPresent || !checksumPresent) return result;
  if (length < UDP_HEADER_BYTES) {
    b.malformed(`the UDP length ${length} is less than its 8-byte header`);
    return result;
  }
  if (length > ipPayloadLength && !partial) {
    b.malformed(`the UDP length ${length} is more than the ${ipPayloadLength} bytes IPv4 carries`);
  }
  result.payloadStart = start + UDP_HEADER_BYTES;
  result.payloadEnd = Math.min(start + length, b.end);
  b.info = `${result.srcPort} → ${result.dstPort} Len=${length - UDP_HEADER_BYTES}`;
  return result;
}
