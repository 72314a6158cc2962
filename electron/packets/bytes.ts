// Reading and printing header bytes. Pure: Uint8Array only, so the renderer and the CLI share it.
// Every read is bounds-checked by its caller (see layer-builder.ts); these helpers assume the
// bytes are there.

export function u8(bytes: Uint8Array, offset: number): number {
  return bytes[offset] ?? 0;
}

export function u16(bytes: Uint8Array, offset: number): number {
  return (u8(bytes, offset) << 8) | u8(bytes, offset + 1);
}

export function u24(bytes: Uint8Array, offset: number): number {
  return (u8(bytes, offset) << 16) | (u8(bytes, offset + 1) << 8) | u8(bytes, offset + 2);
}

/** Unsigned: `>>> 0` keeps the top bit from making it negative. */
export function u32(bytes: Uint8Array, offset: number): number {
  return ((u8(bytes, offset) << 24) | (u8(bytes, offset + 1) << 16) | (u8(bytes, offset + 2) << 8) | u8(bytes, offset + 3)) >>> 0;
}

export function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

export function formatMac(bytes: Uint8Array, offset: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(u8(bytes, offset + i).toString(16).padStart(2, '0'));
  return parts.join(':');
}

export function formatIPv4(bytes: Uint8Array, offset: number): string {
  return `${u8(bytes, offset)}.${u8(bytes, offset + 1)}.${u8(bytes, offset + 2)}.${u8(bytes, offset + 3)}`;
}

/** The Internet checksum (RFC 1071) folded to 16 bits: 0 over a block that carries a correct one. */
export function onesComplementSum(bytes: Uint8Array, offset: number, length: number, initial = 0): number {
  let sum = initial;
  const end = offset + length;
  let i = offset;
  for (; i + 1 < end; i += 2) sum += u16(bytes, i);
  if (i < end) sum += u8(bytes, i) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

export function internetChecksum(bytes: Uint8Array, offset: number, length: number, initial = 0): number {
  return ~onesComplementSum(bytes, offset, length, initial) & 0xffff;
}
