// The output path of a terminal without Docker: batching, UTF-8 reassembly and the
// watermarks that pause and resume the source.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BATCH_INTERVAL_MS,
  HIGH_WATERMARK_CHARS,
  LOW_WATERMARK_CHARS,
  MAX_BATCH_CHARS,
  OutputFlow,
} from '../../electron/engine/terminal-flow.js';

function setup(options: { held?: boolean; highWatermark?: number; lowWatermark?: number } = {}) {
  const delivered: string[] = [];
  const source = { paused: false, pause: vi.fn(() => (source.paused = true)), resume: vi.fn(() => (source.paused = false)) };
  const flow = new OutputFlow({ deliver: (text) => delivered.push(text), source, ...options });
  return { flow, delivered, source };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('OutputFlow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('coalesces chunks that arrive within the batch interval into one delivery', () => {
    const { flow, delivered } = setup();
    flow.push(bytes('hel'));
    flow.push(bytes('lo '));
    vi.advanceTimersByTime(BATCH_INTERVAL_MS - 1);
    flow.push('world');
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(delivered).toEqual(['hello world']);
    flow.push('again');
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(delivered).toEqual(['hello world', 'again']);
  });

  it('delivers at once when a batch reaches its maximum size', () => {
    const { flow, delivered } = setup();
    flow.push('a'.repeat(MAX_BATCH_CHARS - 1));
    expect(delivered).toEqual([]);
    flow.push('bc');
    expect(delivered.map((d) => d.length)).toEqual([MAX_BATCH_CHARS + 1]);
    vi.advanceTimersByTime(BATCH_INTERVAL_MS * 2);
    expect(delivered).toHaveLength(1);
  });

  it('reassembles multi-byte characters split across chunks', () => {
    const { flow, delivered } = setup();
    const encoded = bytes('é€😀 ok');
    // Every split point, one byte at a time: nothing ever comes out as U+FFFD.
    for (const byte of encoded) flow.push(Uint8Array.of(byte));
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(delivered.join('')).toBe('é€😀 ok');
    // A character split across two batches is kept whole in the second.
    flow.push(encoded.subarray(0, 3)); // 'é' and the first byte of '€'
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    flow.push(encoded.subarray(3));
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(delivered.slice(1)).toEqual(['é', '€😀 ok']);
    expect(delivered.join('')).not.toContain('\uFFFD');
  });

  it('flushes the decoder and the batch at the end; an incomplete character becomes U+FFFD', () => {
    const { flow, delivered } = setup();
    flow.push(bytes('bye'));
    flow.push(bytes('€').subarray(0, 2));
    flow.end();
    expect(delivered).toEqual(['bye\uFFFD']);
    flow.push('late');
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(delivered).toHaveLength(1);
  });

  it('pauses the source above the high watermark and resumes it below the low one', () => {
    const { flow, delivered, source } = setup();
    const chunk = 'y\r\n'.repeat(10_000); // 30 000 chars
    for (let i = 0; i < 3; i++) {
      flow.push(chunk);
      vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    }
    expect(source.pause).not.toHaveBeenCalled();
    flow.push(chunk); // 120 000 outstanding
    expect(source.pause).toHaveBeenCalledTimes(1);
    expect(flow.stats()).toMatchObject({ paused: true, pauses: 1, unacknowledged: 4 * chunk.length });
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(delivered).toHaveLength(4);
    // Acknowledged down to just above the low watermark: still paused.
    const total = 4 * chunk.length;
    flow.ack(total - LOW_WATERMARK_CHARS);
    expect(source.resume).not.toHaveBeenCalled();
    flow.ack(1);
    expect(source.resume).toHaveBeenCalledTimes(1);
    expect(flow.stats()).toMatchObject({ paused: false, pauses: 1, resumes: 1, unacknowledged: LOW_WATERMARK_CHARS - 1 });
    // Over-acknowledging never goes below zero, and a resumed source is not resumed again.
    flow.ack(10 * HIGH_WATERMARK_CHARS);
    expect(flow.stats().unacknowledged).toBe(0);
    expect(source.resume).toHaveBeenCalledTimes(1);
  });

  it('a renderer that draws (acks) as it receives keeps a flood flowing in cycles of pause and resume', () => {
    const delivered: number[] = [];
    const source = { pause: vi.fn(), resume: vi.fn() };
    const flow: OutputFlow = new OutputFlow({
      source,
      deliver: (text) => {
        delivered.push(text.length);
        setTimeout(() => flow.ack(text.length), 20); // the renderer draws it slower than the source writes
      },
    });
    let sent = 0;
    let most = 0;
    const chunk = 'y\n'.repeat(8192);
    // The source produces only while not paused, as a socket does.
    while (sent < 2_000_000) {
      if (source.pause.mock.calls.length === source.resume.mock.calls.length) {
        flow.push(chunk);
        sent += chunk.length;
      }
      most = Math.max(most, flow.stats().unacknowledged);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(delivered.reduce((a, b) => a + b, 0)).toBe(sent);
    expect(source.pause.mock.calls.length).toBeGreaterThan(5);
    // What the renderer holds undrawn stays bounded by the watermark (plus the read that crossed it).
    expect(most).toBeLessThanOrEqual(HIGH_WATERMARK_CHARS + chunk.length);
    expect(source.resume).toHaveBeenCalledTimes(source.pause.mock.calls.length);
    expect(flow.stats()).toMatchObject({ paused: false, unacknowledged: 0, delivered: sent });
  });

  it('holds output until released, then delivers it on a timer', () => {
    const { flow, delivered } = setup({ held: true });
    flow.push('prompt$ ');
    vi.advanceTimersByTime(50);
    expect(delivered).toEqual([]);
    flow.release();
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(BATCH_INTERVAL_MS);
    expect(delivered).toEqual(['prompt$ ']);
  });

  it('counts held output against the high watermark', () => {
    const { flow, source } = setup({ held: true, highWatermark: 10, lowWatermark: 2 });
    flow.push('0123456789ab');
    expect(source.pause).toHaveBeenCalledTimes(1);
  });

  it('dispose drops pending output and stops the timer', () => {
    const { flow, delivered } = setup();
    flow.push('gone');
    flow.dispose();
    vi.advanceTimersByTime(BATCH_INTERVAL_MS * 3);
    expect(delivered).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a low watermark above the high one', () => {
    expect(() => setup({ highWatermark: 10, lowWatermark: 20 })).toThrow(/low watermark/);
  });
});
