// The pcap reader as the capture engine feeds it (chunks split anywhere), the formats it
// accepts and refuses, and the writer whose files Wireshark opens.
import { describe, expect, it } from 'vitest';
import { LINKTYPE_ETHERNET, MAX_RECORD_BYTES, PcapStreamReader, readPcap, wiresharkDecodeHint, writePcap } from '../../electron/packets/pcap.js';
import type { Frame } from '../../electron/packets/pcap.js';
import { FIXTURES, fixtureBytes, fixtureFrames } from './packet-fixtures.js';

function readInChunks(bytes: Uint8Array, sizes: (index: number) => number): { reader: PcapStreamReader; frames: Frame[] } {
  const reader = new PcapStreamReader();
  const frames: Frame[] = [];
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = Math.max(1, sizes(i));
    frames.push(...reader.push(bytes.slice(offset, offset + size)));
    offset += size;
  }
  return { reader, frames };
}

/** The same capture in big-endian byte order, as a big-endian machine's tcpdump writes it. */
function toBigEndian(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const swap = (offset: number, width: number) => out.subarray(offset, offset + width).reverse();
  swap(0, 4); swap(4, 2); swap(6, 2); swap(8, 4); swap(12, 4); swap(16, 4); swap(20, 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  for (let offset = 24; offset < bytes.length;) {
    const captured = view.getUint32(offset + 8, true);
    for (let field = 0; field < 4; field++) swap(offset + field * 4, 4);
    offset += 16 + captured;
  }
  return out;
}

describe('PcapStreamReader', () => {
  const bytes = fixtureBytes(FIXTURES.pingUnderlay);
  const whole = readPcap(bytes);

  it('reads the whole fixture: link type, 1-based indexes, times and lengths', () => {
    expect(whole.problem).toBeUndefined();
    expect(whole.linkType).toBe(LINKTYPE_ETHERNET);
    expect(whole.frames.map((frame) => frame.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(whole.frames.map((frame) => frame.capturedLength)).toEqual([42, 42, 92, 92, 148, 148, 148, 148]);
    expect(whole.frames[4]!.timeUs).toBe(1796014182_917563);
    expect(whole.frames[4]!.originalLength).toBe(148);
  });

  it('gives the same frames whatever the chunk boundaries: every split point, and byte by byte', () => {
    for (let split = 0; split <= bytes.length; split++) {
      const { frames, reader } = readInChunks(bytes, (i) => (i === 0 ? split : bytes.length));
      expect(frames, `split at ${split}`).toEqual(whole.frames);
      expect(reader.problem).toBeUndefined();
    }
    expect(readInChunks(bytes, () => 1).frames).toEqual(whole.frames);
    expect(readInChunks(bytes, (i) => (i * 7919) % 97).frames).toEqual(whole.frames);
  });

  it('returns each frame as soon as its last byte arrives', () => {
    const reader = new PcapStreamReader();
    expect(reader.push(bytes.slice(0, 23))).toEqual([]);
    expect(reader.linkType).toBeUndefined();
    expect(reader.push(bytes.slice(23, 24 + 16 + 41))).toEqual([]);
    expect(reader.linkType).toBe(LINKTYPE_ETHERNET);
    expect(reader.push(bytes.slice(24 + 16 + 41, 24 + 16 + 42)).map((frame) => frame.index)).toEqual([1]);
  });

  it('reads big-endian files', () => {
    const bigEndian = toBigEndian(bytes);
    expect(bigEndian[0]).toBe(0xa1);
    expect(readPcap(bigEndian)).toEqual(whole);
  });

  it('reads nanosecond files, rounding to microseconds', () => {
    const nanoseconds = readPcap(fixtureBytes(FIXTURES.ping8472Nanoseconds));
    const microseconds = readPcap(fixtureBytes(FIXTURES.ping8472));
    expect(fixtureBytes(FIXTURES.ping8472Nanoseconds)[0]).toBe(0x4d);
    expect(nanoseconds.problem).toBeUndefined();
    expect(nanoseconds.frames).toEqual(microseconds.frames);
    const crafted = writePcap([{ index: 1, timeUs: 0, capturedLength: 1, originalLength: 1, bytes: new Uint8Array([7]) }]);
    new DataView(crafted.buffer).setUint32(0, 0xa1b23c4d, true);
    new DataView(crafted.buffer).setUint32(24 + 4, 1_999_600, true);
    expect(readPcap(crafted).frames[0]!.timeUs).toBe(2000);
  });

  it('refuses pcapng and other streams with a reason, and stops', () => {
    const pcapng = new Uint8Array(64);
    new DataView(pcapng.buffer).setUint32(0, 0x0a0d0d0a, false);
    const reader = new PcapStreamReader();
    expect(reader.push(pcapng)).toEqual([]);
    expect(reader.problem).toMatch(/pcapng/);
    expect(reader.push(bytes)).toEqual([]);
    expect(readPcap(new TextEncoder().encode('tcpdump: eth9: No such device exists\n')).problem)
      .toBe('the stream does not start with a pcap magic number (found 0x74637064)');
  });

  it('refuses a record longer than the snap length as malformed instead of buffering it', () => {
    const oversized = bytes.slice(0, 24 + 16);
    new DataView(oversized.buffer).setUint32(24 + 8, MAX_RECORD_BYTES + 1, true);
    const reader = new PcapStreamReader();
    expect(reader.push(oversized)).toEqual([]);
    expect(reader.problem).toBe(`record 1 claims ${MAX_RECORD_BYTES + 1} bytes, more than the snap length ${MAX_RECORD_BYTES}: the pcap stream is malformed`);
    expect(reader.push(new Uint8Array(MAX_RECORD_BYTES))).toEqual([]);

    const smallSnap = bytes.slice();
    new DataView(smallSnap.buffer).setUint32(16, 64, true);
    const result = readPcap(smallSnap);
    expect(result.frames.map((frame) => frame.index)).toEqual([1, 2]);
    expect(result.problem).toBe('record 3 claims 92 bytes, more than the snap length 64: the pcap stream is malformed');
  });

  it('says when a file is cut off, keeping the frames before', () => {
    const cut = readPcap(bytes.slice(0, bytes.length - 10));
    expect(cut.frames).toHaveLength(7);
    expect(cut.problem).toBe('the file ends in the middle of record 8: it was cut off');
    expect(readPcap(bytes.slice(0, 10)).problem).toBe('the file is 10 bytes, shorter than the 24-byte pcap header');
  });

  it('keeps the original length of frames the snap length cut', () => {
    const [first] = fixtureFrames(FIXTURES.pingSnap80);
    expect(first).toMatchObject({ capturedLength: 80, originalLength: 148 });
  });
});

describe('writePcap', () => {
  it('writes classic microsecond pcap that reads back to the same frames', () => {
    const frames = fixtureFrames(FIXTURES.pingSnap80).concat(fixtureFrames(FIXTURES.pingUnderlay));
    const renumbered = frames.map((frame, i) => ({ ...frame, index: i + 1 }));
    const written = writePcap(renumbered);
    expect(Array.from(written.subarray(0, 4))).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect(readPcap(written)).toEqual({ linkType: LINKTYPE_ETHERNET, frames: renumbered });
  });

  it('writes the fixture byte for byte as tcpdump did, but for the snap length', () => {
    const original = fixtureBytes(FIXTURES.pingUnderlay);
    const written = writePcap(fixtureFrames(FIXTURES.pingUnderlay));
    expect(written.length).toBe(original.length);
    expect(Array.from(written.subarray(24))).toEqual(Array.from(original.subarray(24)));
  });
});

describe('wiresharkDecodeHint', () => {
  it('names each non-4789 port once, and nothing for 4789 alone', () => {
    expect(wiresharkDecodeHint([4789])).toBeUndefined();
    expect(wiresharkDecodeHint([])).toBeUndefined();
    expect(wiresharkDecodeHint([8472])).toBe('-d udp.port==8472,vxlan');
    expect(wiresharkDecodeHint([14789, 4789, 8472, 8472])).toBe('-d udp.port==8472,vxlan -d udp.port==14789,vxlan');
    expect(wiresharkDecodeHint([0, 70000, 1.5])).toBeUndefined();
  });
});
