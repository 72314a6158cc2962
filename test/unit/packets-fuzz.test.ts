// The decoder and the pcap reader meet bytes from outside: whatever comes, they answer and
// never throw. A seeded generator makes every run the same 10,000 frames.
import { describe, expect, it } from 'vitest';
import { decodeFrame, formatPacketLine } from '../../electron/packets/decode.js';
import { PcapStreamReader } from '../../electron/packets/pcap.js';
import { FIXTURES, fixtureBytes, fixtureFrames } from './packet-fixtures.js';

/** mulberry32: a small deterministic generator, so a failure can be replayed by its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const seeds = Object.values(FIXTURES).flatMap((name) => fixtureFrames(name).map((frame) => frame.bytes));

function mutant(random: () => number, round: number): Uint8Array {
  const int = (n: number) => Math.floor(random() * n);
  const seed = seeds[int(seeds.length)]!;
  switch (round % 4) {
    case 0: // random bytes of random length
      return Uint8Array.from({ length: int(200) }, () => int(256));
    case 1: // a real frame cut anywhere
      return seed.slice(0, int(seed.length + 1));
    case 2: { // a real frame with bits flipped
      const bytes = seed.slice();
      for (let flips = 1 + int(8); flips > 0; flips--) {
        const at = int(bytes.length);
        bytes[at] = bytes[at]! ^ (1 << int(8));
      }
      return bytes;
    }
    default: { // a real frame with header bytes overwritten by extremes, then cut
      const bytes = seed.slice();
      for (let writes = 1 + int(4); writes > 0; writes--) bytes[int(Math.min(bytes.length, 100))] = [0, 0xff, 0x0f, 0xf0][int(4)]!;
      return bytes.slice(0, int(bytes.length + 1));
    }
  }
}

describe('decoder fuzzing', () => {
  it('decodes 10,000 random, truncated and bit-flipped frames without throwing, keeping fields in the frame', () => {
    const random = generator(0x7a11);
    const options = { vxlanPorts: [4789, 8472] };
    let problems = 0;
    for (let round = 0; round < 10_000; round++) {
      const bytes = mutant(random, round);
      const packet = decodeFrame(bytes, options);
      if (packet.problems.length > 0) problems++;
      // decodeFrame's last-resort catch would hide a throw: that answer counts as a failure here.
      const crash = packet.problems.find((problem) => problem.startsWith('the decoder failed'));
      if (crash) throw new Error(`round ${round}: ${crash}`);
      for (const layer of packet.layers) {
        for (const field of layer.fields) {
          if (field.offset < 0 || field.offset + field.length > bytes.length) {
            throw new Error(`round ${round}: ${field.name} at ${field.offset}+${field.length} is outside the ${bytes.length}-byte frame`);
          }
        }
      }
      expect(typeof formatPacketLine({ index: round, timeUs: round, capturedLength: bytes.length, originalLength: bytes.length, bytes }, packet)).toBe('string');
    }
    // The generator really produced broken frames, so the loop tested the problem paths.
    expect(problems).toBeGreaterThan(3000);
  });

  it('reads random and corrupted pcap streams without throwing and without buffering past a record', () => {
    const random = generator(0xbeef);
    const file = fixtureBytes(FIXTURES.tcpUnderlay);
    for (let round = 0; round < 500; round++) {
      const bytes = file.slice();
      for (let flips = 1 + Math.floor(random() * 6); flips > 0; flips--) {
        const at = Math.floor(random() * bytes.length);
        bytes[at] = Math.floor(random() * 256);
      }
      const reader = new PcapStreamReader();
      let offset = 0;
      let frames = 0;
      while (offset < bytes.length) {
        const size = 1 + Math.floor(random() * 300);
        for (const frame of reader.push(bytes.slice(offset, offset + size))) {
          expect(frame.bytes.length).toBe(frame.capturedLength);
          frames++;
        }
        offset += size;
      }
      expect(frames).toBeLessThanOrEqual(bytes.length / 16);
    }
  });
});
