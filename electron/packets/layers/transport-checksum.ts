// The TCP/UDP/ICMP checksum's description: verified when the whole segment is in the frame.
// A wrong TCP or UDP checksum is only described, not a problem: a capture on the sending side
// sees segments before the NIC (or veth) fills the checksum in ("checksum offload").

import { hex, internetChecksum, onesComplementSum, u16 } from '../bytes.js';

export function describeChecksum(
  bytes: Uint8Array,
  start: number,
  checksumOffset: number,
  segmentLength: number,
  whole: boolean,
  pseudoHeaderSum: number | undefined,
): { value: string; correct?: boolean } {
  const stored = u16(bytes, start + checksumOffset);
  if (!whole) return { value: `${hex(stored, 4)} (unverified: the segment is not all here)` };
  const initial = pseudoHeaderSum === undefined ? 0 : onesComplementSum(new Uint8Array([segmentLength >> 8, segmentLength & 0xff]), 0, 2, pseudoHeaderSum);
  const copy = bytes.slice(start, start + segmentLength);
  copy[checksumOffset] = 0;
  copy[checksumOffset + 1] = 0;
  let expected = internetChecksum(copy, 0, segmentLength, initial);
  // UDP sends a computed 0 as 0xffff (0 means "no checksum"); the two are equal in one's complement.
  if (expected === 0 && stored === 0xffff) expected = 0xffff;
  return expected === stored
    ? { value: `${hex(stored, 4)} (correct)`, correct: true }
    : { value: `${hex(stored, 4)} (incorrect, should be ${hex(expected, 4)}; normal where the sender offloads checksums)`, correct: false };
}
