// The classic pcap file format (the one tcpdump -w writes), read as a stream and written whole.
// Pure: Uint8Array and DataView only. The stream reader is what the capture engine feeds
// tcpdump's stdout through, so it copes with chunks split anywhere and never holds more than
// one record: a record larger than the snap length (at most 256 KiB) ends the stream as
// malformed instead of growing the buffer on a lying length field.

export interface Frame {
  /** 1-based position in the capture, like Wireshark's "No." column. */
  index: number;
  /** Microseconds since the Unix epoch (nanosecond captures are rounded to µs). */
  timeUs: number;
  capturedLength: number;
  originalLength: number;
  bytes: Uint8Array;
}

export const LINKTYPE_ETHERNET = 1;

/** The largest record vxlab accepts: tcpdump's own default snap length. */
export const MAX_RECORD_BYTES = 262_144;

const GLOBAL_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const MAGIC_MICROSECONDS = 0xa1b2c3d4;
const MAGIC_NANOSECONDS = 0xa1b23c4d;

interface Format {
  littleEndian: boolean;
  nanoseconds: boolean;
}

/** The 4-byte magic in either byte order, or undefined when the bytes are not classic pcap. */
function readMagic(view: DataView): Format | undefined {
  const big = view.getUint32(0, false);
  const little = view.getUint32(0, true);
  if (big === MAGIC_MICROSECONDS) return { littleEndian: false, nanoseconds: false };
  if (big === MAGIC_NANOSECONDS) return { littleEndian: false, nanoseconds: true };
  if (little === MAGIC_MICROSECONDS) return { littleEndian: true, nanoseconds: false };
  if (little === MAGIC_NANOSECONDS) return { littleEndian: true, nanoseconds: true };
  return undefined;
}

function describeMagic(view: DataView): string {
  const magic = view.getUint32(0, false);
  if (magic === 0x0a0d0d0a) return 'this is pcapng, not classic pcap: capture with tcpdump -w (classic pcap) or convert it with editcap -F pcap';
  return `the stream does not start with a pcap magic number (found 0x${magic.toString(16).padStart(8, '0')})`;
}

/** Chunks as they came, read from the front without concatenating everything. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private headOffset = 0;
  available = 0;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /** A copy of the next `count` bytes, consumed; the caller checked `available`. */
  take(count: number): Uint8Array {
    const out = new Uint8Array(count);
    let written = 0;
    while (written < count) {
      const head = this.chunks[0];
      if (!head) break;
      const n = Math.min(count - written, head.length - this.headOffset);
      out.set(head.subarray(this.headOffset, this.headOffset + n), written);
      written += n;
      this.headOffset += n;
      if (this.headOffset === head.length) {
        this.chunks.shift();
        this.headOffset = 0;
      }
    }
    this.available -= written;
    return out;
  }

  clear(): void {
    this.chunks = [];
    this.headOffset = 0;
    this.available = 0;
  }
}

export class PcapStreamReader {
  private readonly queue = new ByteQueue();
  private format: Format | undefined;
  private maxRecord = MAX_RECORD_BYTES;
  private pendingRecord: { timeUs: number; capturedLength: number; originalLength: number } | undefined;
  private nextIndex = 1;
  private _linkType: number | undefined;
  private _problem: string | undefined;

  /** Known once the 24-byte file header arrived. */
  get linkType(): number | undefined {
    return this._linkType;
  }

  /** Set when the stream is not pcap or a record is malformed; from then on push returns []. */
  get problem(): string | undefined {
    return this._problem;
  }

  /** True when bytes of an unfinished record wait for more input (a file that ends here was cut off). */
  hasPartialRecord(): boolean {
    return this.pendingRecord !== undefined || this.queue.available > 0;
  }

  /** The frames this chunk completed, in order. Never throws. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    if (this._problem !== undefined) return frames;
    this.queue.push(chunk);
    try {
      this.drain(frames);
    } catch (error) {
      // Defensive: the parsing below checks every length first, so this is not expected.
      this.fail(`the pcap stream could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    return frames;
  }

  private drain(frames: Frame[]): void {
    if (!this.format) {
      if (this.queue.available < GLOBAL_HEADER_BYTES) return;
      const header = new DataView(this.queue.take(GLOBAL_HEADER_BYTES).buffer);
      const format = readMagic(header);
      if (!format) return this.fail(describeMagic(header));
      this.format = format;
      const snapLength = header.getUint32(16, format.littleEndian);
      // Bits 28-31 of the link type field may carry the FCS length; the type is the low 28.
      this._linkType = header.getUint32(20, format.littleEndian) & 0x0fffffff;
      this.maxRecord = snapLength > 0 && snapLength < MAX_RECORD_BYTES ? snapLength : MAX_RECORD_BYTES;
    }
    const format = this.format;
    for (;;) {
      if (!this.pendingRecord) {
        if (this.queue.available < RECORD_HEADER_BYTES) return;
        const record = new DataView(this.queue.take(RECORD_HEADER_BYTES).buffer);
        const seconds = record.getUint32(0, format.littleEndian);
        const fraction = record.getUint32(4, format.littleEndian);
        const capturedLength = record.getUint32(8, format.littleEndian);
        const originalLength = record.getUint32(12, format.littleEndian);
        if (capturedLength > this.maxRecord) {
          return this.fail(`record ${this.nextIndex} claims ${capturedLength} bytes, more than the snap length ${this.maxRecord}: the pcap stream is malformed`);
        }
        const micros = format.nanoseconds ? Math.round(fraction / 1000) : fraction;
        this.pendingRecord = {
          timeUs: seconds * 1_000_000 + micros,
          capturedLength,
          originalLength: Math.max(originalLength, capturedLength),
        };
      }
      if (this.queue.available < this.pendingRecord.capturedLength) return;
      const bytes = this.queue.take(this.pendingRecord.capturedLength);
      frames.push({ index: this.nextIndex++, ...this.pendingRecord, bytes });
      this.pendingRecord = undefined;
    }
  }

  private fail(problem: string): void {
    this._problem = problem;
    this.queue.clear();
    this.pendingRecord = undefined;
  }
}

/** A whole pcap file at once. A cut-off last record is left out and named in `problem`. */
export function readPcap(bytes: Uint8Array): { linkType: number; frames: Frame[]; problem?: string } {
  const reader = new PcapStreamReader();
  const frames = reader.push(bytes);
  let problem = reader.problem;
  if (problem === undefined && reader.linkType === undefined) {
    problem = `the file is ${bytes.length} bytes, shorter than the 24-byte pcap header`;
  } else if (problem === undefined && reader.hasPartialRecord()) {
    problem = `the file ends in the middle of record ${frames.length + 1}: it was cut off`;
  }
  return { linkType: reader.linkType ?? 0, frames, ...(problem !== undefined ? { problem } : {}) };
}

/** Classic little-endian microsecond pcap, which Wireshark, tshark and tcpdump all open. */
export function writePcap(frames: readonly Frame[], linkType: number = LINKTYPE_ETHERNET): Uint8Array {
  const total = GLOBAL_HEADER_BYTES + frames.reduce((sum, frame) => sum + RECORD_HEADER_BYTES + frame.bytes.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC_MICROSECONDS, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setInt32(8, 0, true);
  view.setUint32(12, 0, true);
  view.setUint32(16, MAX_RECORD_BYTES, true);
  view.setUint32(20, linkType, true);
  let offset = GLOBAL_HEADER_BYTES;
  for (const frame of frames) {
    const timeUs = Math.max(0, Math.round(frame.timeUs));
    view.setUint32(offset, Math.floor(timeUs / 1_000_000) >>> 0, true);
    view.setUint32(offset + 4, timeUs % 1_000_000, true);
    view.setUint32(offset + 8, frame.bytes.length, true);
    view.setUint32(offset + 12, Math.max(frame.originalLength, frame.bytes.length) >>> 0, true);
    out.set(frame.bytes, offset + RECORD_HEADER_BYTES);
    offset += RECORD_HEADER_BYTES + frame.bytes.length;
  }
  return out;
}

export const VXLAN_IANA_PORT = 4789;

/**
 * Wireshark and tshark decode VXLAN on UDP 4789 only; for any other port of the lab's
 * overlays this is the decode-as option that makes them show it, for example
 * "-d udp.port==8472,vxlan". Undefined when 4789 is all there is.
 */
export function wiresharkDecodeHint(vxlanPorts: readonly number[]): string | undefined {
  const others = [...new Set(vxlanPorts)]
    .filter((port) => Number.isInteger(port) && port > 0 && port <= 65535 && port !== VXLAN_IANA_PORT)
    .sort((a, b) => a - b);
  if (others.length === 0) return undefined;
  return others.map((port) => `-d udp.port==${port},vxlan`).join(' ');
}
