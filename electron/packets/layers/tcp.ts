// TCP (RFC 9293): ports, sequence and acknowledgement numbers, header length, flags, window,
// checksum and urgent pointer; options are shown as a block.

import { hex, u16, u32, u8 } from '../bytes.js';
import type { LayerBuilder } from '../layer-builder.js';
import { describeChecksum } from './transport-checksum.js';

export const TCP_MIN_HEADER_BYTES = 20;

/** In Wireshark's order, lowest bit first: "SYN, ACK", "PSH, ACK". */
const FLAG_NAMES: [number, string][] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
  [0x100, 'AE'],
];

export function tcpFlagNames(flags: number): string[] {
  return FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
}

export interface TcpResult {
  srcPort?: number;
  dstPort?: number;
  seq?: number;
  ack?: number;
  payloadStart?: number;
  payloadEnd?: number;
}

/** `segmentLength` is the segment's length per the IP header; `partial` when IP fragmentation cut it. */
export function decodeTcp(b: LayerBuilder, segmentLength: number, partial: boolean, pseudoHeaderSum: number | undefined): TcpResult {
  const result: TcpResult = {};
  const { bytes, start } = b;
  if (b.field('tcp.srcport', 'Source port', 0, 2, () => String(u16(bytes, start)))) result.srcPort = u16(bytes, start);
  if (b.field('tcp.dstport', 'Destination port', 2, 2, () => String(u16(bytes, start + 2)))) result.dstPort = u16(bytes, start + 2);
  const seq = u32(bytes, start + 4);
  const ack = u32(bytes, start + 8);
  if (b.field('tcp.seq', 'Sequence number', 4, 4, () => String(seq))) result.seq = seq;
  if (b.field('tcp.ack', 'Acknowledgement number', 8, 4, () => String(ack))) result.ack = ack;
  const headerLength = (u8(bytes, start + 12) >> 4) * 4;
  b.field('tcp.hdr_len', 'Header length', 12, 1, () => `${headerLength} bytes (${headerLength / 4})`);
  const flags = u16(bytes, start + 12) & 0x01ff;
  const names = tcpFlagNames(flags);
  b.field('tcp.flags', 'Flags', 12, 2, () => `${hex(flags, 3)}${names.length ? ` (${names.join(', ')})` : ''}`);
  const window = u16(bytes, start + 14);
  b.field('tcp.window_size_value', 'Window', 14, 2, () => String(window));
  b.field('tcp.checksum', 'Checksum', 16, 2, () =>
    describeChecksum(bytes, start, 16, segmentLength, !partial && b.has(0, segmentLength), pseudoHeaderSum).value,
  );
  b.field('tcp.urgent_pointer', 'Urgent pointer', 18, 2, () => String(u16(bytes, start + 18)));
  if (b.layer.problem !== undefined) return result;
  if (headerLength < TCP_MIN_HEADER_BYTES) {
    b.malformed(`the header length is ${headerLength} bytes, less than the minimum 20`);
    return result;
  }
  if (headerLength > segmentLength && !partial) {
    b.malformed(`the header length ${headerLength} is more than the ${segmentLength}-byte segment`);
    return result;
  }
  b.setHeaderLength(headerLength);
  if (headerLength > TCP_MIN_HEADER_BYTES) {
    b.field('tcp.options', 'Options', TCP_MIN_HEADER_BYTES, headerLength - TCP_MIN_HEADER_BYTES, () => `${headerLength - TCP_MIN_HEADER_BYTES} bytes`);
    if (b.layer.problem !== undefined) return result;
  }
  result.payloadStart = start + headerLength;
  result.payloadEnd = Math.min(start + segmentLength, b.end);
  const dataLength = Math.max(0, segmentLength - headerLength);
  const ackText = (flags & 0x010) !== 0 ? ` Ack=${ack}` : '';
  b.info = `${result.srcPort} → ${result.dstPort} [${names.join(', ') || 'none'}] Seq=${seq}${ackText} Win=${window} Len=${dataLength}`;
  return result;
}
