// VXLAN (RFC 7348): 8 bytes after UDP. Flags (the I bit says the VNI is valid), 24 reserved
// bits, the 24-bit VNI and 8 more reserved bits; a whole Ethernet frame follows.

import { hex, u24, u8 } from '../bytes.js';
import type { LayerBuilder } from '../layer-builder.js';

export const VXLAN_HEADER_BYTES = 8;
const FLAG_I = 0x08;

export interface VxlanResult {
  vni?: number;
}

export function decodeVxlan(b: LayerBuilder): VxlanResult {
  const result: VxlanResult = {};
  const { bytes, start } = b;
  const flags = u8(bytes, start);
  b.field('vxlan.flags', 'Flags', 0, 1, () => `${hex(flags, 2)}${(flags & FLAG_I) !== 0 ? ' (I)' : ''}`);
  b.field('vxlan.flags.i', 'VNI valid (I flag)', 0, 1, () => ((flags & FLAG_I) !== 0 ? 'set' : 'not set'));
  b.field('vxlan.reserved', 'Reserved', 1, 3, () => hex(u24(bytes, start + 1), 6));
  if (b.field('vxlan.vni', 'VNI', 4, 3, () => String(u24(bytes, start + 4)))) result.vni = u24(bytes, start + 4);
  b.field('vxlan.reserved2', 'Reserved', 7, 1, () => hex(u8(bytes, start + 7), 2));
  if (b.has(0, 1) && (flags & FLAG_I) === 0) b.malformed('the I flag is not set, so by RFC 7348 the VNI is not valid');
  return result;
}
