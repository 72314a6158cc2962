// A flood of frames is decoded in slices, so the page keeps drawing between them: a batch
// is decoded for one slice at once and the rest in later tasks, in order, none lost, and a
// capture that ends counts every frame it received. The clock here is a counter, not time.
import { describe, expect, it, vi } from 'vitest';
import { CaptureSession, DECODE_SLICE_MS } from '../../renderer/src/xray/capture-session';
import type { XrayApi } from '../../renderer/src/xray/api';
import { PING_UNDERLAY, wireFrames } from './xray-fakes';

/** A clock that moves 1 ms each time it is read: a slice ends after DECODE_SLICE_MS reads. */
function steppingClock(): () => number {
  let now = 0;
  return () => now++;
}

function floodOf(count: number) {
  const ping = wireFrames(PING_UNDERLAY)[4]!;
  return Array.from({ length: count }, (_, i) => ({ ...ping, index: i + 1, timeUs: ping.timeUs + i }));
}

function session(): CaptureSession {
  const api = {} as XrayApi; // neither started nor stopped here: frames are fed directly
  return new CaptureSession(api, { lab: 'lab', node: 'host-a' }, undefined, steppingClock());
}

describe('decoding a capture in slices', () => {
  it('decodes one slice of a large batch at once and the rest in later tasks, in order', async () => {
    const capture = session();
    capture.addFrames(floodOf(2000));
    const now = capture.packets.length;
    expect(now).toBeGreaterThan(0);
    expect(now).toBeLessThan(2000);
    expect(now).toBeLessThanOrEqual(16 * (DECODE_SLICE_MS + 1));
    await vi.waitFor(() => expect(capture.packets.length).toBe(2000));
    const seqs = capture.packets.filter(() => true).map((packet) => packet.seq);
    expect(seqs).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    await vi.waitFor(() => expect(capture.getSnapshot().received).toBe(2000));
  });

  it('counts every frame received when the capture ends, decoded or waiting', () => {
    const capture = session();
    capture.addFrames(floodOf(3000));
    expect(capture.packets.length).toBeLessThan(3000);
    capture.ended(3000, undefined);
    expect(capture.getSnapshot().received).toBe(3000);
    expect(capture.getSnapshot().kept).toBe(3000);
    capture.dispose();
  });
});
