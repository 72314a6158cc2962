// ICMP (RFC 792): type and code, the checksum over the whole message, and for echo its
// identifier and sequence number, which pair a ping with its reply.

import { hex, u16, u8 } from '../bytes.js';
import type { LayerBuilder } from '../layer-builder.js';
import { describeChecksum } from './transport-checksum.js';

export const ICMP_HEADER_BYTES = 8;

const TYPE_NAMES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  5: 'Redirect',
  8: 'Echo (ping) request',
  11: 'Time exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
};

const UNREACHABLE_CODES: Record<number, string> = {
  0: 'network unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'fragmentation needed',
};

export function icmpTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `ICMP type ${type}`;
}

export interface IcmpResult {
  type?: number;
  code?: number;
  id?: number;
  seq?: number;
}

/** `messageLength` is the ICMP message's length per the IP header; `whole` when all of it is here. */
export function decodeIcmp(b: LayerBuilder, messageLength: number, whole: boolean): IcmpResult {
  const result: IcmpResult = {};
  const { bytes, start } = b;
  if (b.field('icmp.type', 'Type', 0, 1, () => `${u8(bytes, start)} (${icmpTypeName(u8(bytes, start))})`)) result.type = u8(bytes, start);
  if (b.field('icmp.code', 'Code', 1, 1, () => codeText(u8(bytes, start), u8(bytes, start + 1)))) result.code = u8(bytes, start + 1);
  b.field('icmp.checksum', 'Checksum', 2, 2, () =>
    describeChecksum(bytes, start, 2, messageLength, whole && b.has(0, messageLength), undefined).value,
  );
  if (result.type === 0 || result.type === 8) {
    if (b.field('icmp.ident', 'Identifier', 4, 2, () => `${hex(u16(bytes, start + 4), 4)} (${u16(bytes, start + 4)})`)) result.id = u16(bytes, start + 4);
    if (b.field('icmp.seq', 'Sequence number', 6, 2, () => String(u16(bytes, start + 6)))) result.seq = u16(bytes, start + 6);
  } else {
    b.field('icmp.rest', 'Rest of header', 4, 4, () => hex((u16(bytes, start + 4) * 0x10000 + u16(bytes, start + 6)) >>> 0, 8));
  }
  if (b.layer.problem === undefined && messageLength < ICMP_HEADER_BYTES) {
    b.malformed(`the ICMP message is ${messageLength} bytes, less than its 8-byte header`);
  }
  if (result.type !== undefined) {
    const echo = result.id !== undefined && result.seq !== undefined ? `  id=${hex(result.id, 4)}, seq=${result.seq}` : '';
    b.info = `${icmpTypeName(result.type)}${result.type === 3 ? ` (${codeText(3, result.code ?? 0)})` : ''}${echo}`;
  }
  return result;
}

function codeText(type: number, code: number): string {
  const name = type === 3 ? UNREACHABLE_CODES[code] : undefined;
  return name ? `${code} (${name})` : String(code);
}
