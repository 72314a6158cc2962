// A capture's frames leave in batches, every one counted, with bounded memory; the exec
// stream they come in is split into stdout and stderr however its chunks are cut.
import { describe, expect, it } from 'vitest';
import type { BatchTimers } from '../../electron/engine/capture-batches.js';
import { FrameBatcher } from '../../electron/engine/capture-batches.js';
import { ExecStreamDemuxer } from '../../electron/engine/exec-demux.js';
import type { Frame } from '../../electron/packets/pcap.js';

function frame(index: number, size = 100): Frame {
  return { index, timeUs: index, capturedLength: size, originalLength: size, bytes: new Uint8Array(size) };
}

/** Timers that fire only when the test says so. */
class ManualTimers implements BatchTimers {
  private next = 1;
  readonly pending = new Map<number, () => void>();
  set(callback: () => void): unknown {
    const handle = this.next++;
    this.pending.set(handle, callback);
    return handle;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fire(): void {
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    for (const callback of callbacks) callback();
  }
}

describe('FrameBatcher', () => {
  it('delivers a full batch at once and the rest when its timer fires, counting every frame once', () => {
    const timers = new ManualTimers();
    const batches: number[][] = [];
    const batcher = new FrameBatcher((frames) => batches.push(frames.map((f) => f.index)), { maxFrames: 3, timers });
    batcher.add([1, 2, 3, 4].map((i) => frame(i)));
    expect(batches).toEqual([[1, 2, 3]]);
    batcher.add([frame(5)]);
    expect(batches).toHaveLength(1);
    timers.fire();
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
    expect(batcher.count).toBe(5);
    timers.fire();
    expect(batches).toHaveLength(2);
  });

  it('bounds a batch by bytes as well as frames', () => {
    const batches: number[] = [];
    const batcher = new FrameBatcher((frames) => batches.push(frames.length), { maxFrames: 1000, maxBytes: 1000, timers: new ManualTimers() });
    batcher.add(Array.from({ length: 25 }, (_, i) => frame(i + 1, 100)));
    expect(batches).toEqual([10, 10]);
  });

  it('holds everything until released (the caller learns the id first), says when the held batch is full, and delivers the rest on close', () => {
    const timers = new ManualTimers();
    const batches: number[][] = [];
    const batcher = new FrameBatcher((frames) => batches.push(frames.map((f) => f.index)), { maxFrames: 2, timers, held: true });
    batcher.add([frame(1)]);
    expect(batcher.full).toBe(false);
    batcher.add([frame(2), frame(3)]);
    timers.fire();
    expect(batches).toEqual([]);
    expect(batcher.full).toBe(true);
    batcher.release();
    expect(batches).toEqual([[1, 2, 3]]);
    batcher.add([frame(4)]);
    batcher.close();
    batcher.add([frame(5)]);
    expect(batches).toEqual([[1, 2, 3], [4]]);
    expect(batcher.count).toBe(4);
  });
});

/** Docker's framing: type, three zero bytes, big-endian length, payload. */
function dockerFrame(type: number, payload: string): Uint8Array {
  const body = new TextEncoder().encode(payload);
  const out = new Uint8Array(8 + body.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(4, body.length);
  out.set(body, 8);
  return out;
}

describe('ExecStreamDemuxer', () => {
  const stream = new Uint8Array([...dockerFrame(1, 'pcap-bytes'), ...dockerFrame(2, 'listening on eth0\n'), ...dockerFrame(1, '-more'), ...dockerFrame(1, '')]);

  it.each([1, 3, 7, 8, 9, 64])('splits stdout from stderr whatever the chunk size (%i bytes)', (size) => {
    const seen = { stdout: '', stderr: '' };
    const demuxer = new ExecStreamDemuxer((kind, bytes) => (seen[kind] += new TextDecoder().decode(bytes)));
    for (let offset = 0; offset < stream.length; offset += size) demuxer.push(stream.subarray(offset, offset + size));
    expect(seen).toEqual({ stdout: 'pcap-bytes-more', stderr: 'listening on eth0\n' });
    expect(demuxer.problem).toBeUndefined();
  });

  it('stops at a stream that is not multiplexed, and says so', () => {
    const delivered: string[] = [];
    const demuxer = new ExecStreamDemuxer((_kind, bytes) => delivered.push(new TextDecoder().decode(bytes)));
    demuxer.push(new TextEncoder().encode('\xd4\xc3\xb2\xa1 raw pcap, not framed'));
    expect(demuxer.problem).toMatch(/not multiplexed/);
    expect(delivered).toEqual([]);
  });
});
