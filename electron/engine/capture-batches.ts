// Frames of a capture go out in batches: one event per packet would cost the app more
// than decoding does at 10,000 packets/s, and a batch held too long would make a live
// view lag. A batch leaves every BATCH_INTERVAL_MS, or at once when it is full, so what
// waits here is bounded by MAX_BATCH_FRAMES and MAX_BATCH_BYTES.
import type { Frame } from '../packets/pcap.js';

export const BATCH_INTERVAL_MS = 50;
export const MAX_BATCH_FRAMES = 500;
export const MAX_BATCH_BYTES = 1024 * 1024;

export interface BatchTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: BatchTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface FrameBatcherOptions {
  intervalMs?: number;
  maxFrames?: number;
  maxBytes?: number;
  timers?: BatchTimers;
}

export class FrameBatcher {
  private batch: Frame[] = [];
  private bytes = 0;
  private timer: unknown;
  private held: boolean;
  private closed = false;
  private delivered = 0;
  private readonly intervalMs: number;
  private readonly maxFrames: number;
  private readonly maxBytes: number;
  private readonly timers: BatchTimers;

  /** `held`: nothing leaves before release() (the caller does not know the capture's id yet). */
  constructor(
    private readonly deliver: (frames: Frame[]) => void,
    options: FrameBatcherOptions & { held?: boolean } = {},
  ) {
    this.intervalMs = options.intervalMs ?? BATCH_INTERVAL_MS;
    this.maxFrames = options.maxFrames ?? MAX_BATCH_FRAMES;
    this.maxBytes = options.maxBytes ?? MAX_BATCH_BYTES;
    this.timers = options.timers ?? realTimers;
    this.held = options.held ?? false;
  }

  /** Frames handed to `deliver` so far: the capture's exact count. */
  get count(): number {
    return this.delivered;
  }

  /** True while a held batch is full: the source should pause until release(). */
  get full(): boolean {
    return this.batch.length >= this.maxFrames || this.bytes >= this.maxBytes;
  }

  add(frames: readonly Frame[]): void {
    if (this.closed) return;
    for (const frame of frames) {
      this.batch.push(frame);
      this.bytes += frame.bytes.length;
      if (!this.held && this.full) this.flush();
    }
    if (!this.held && this.batch.length > 0 && this.timer === undefined) {
      this.timer = this.timers.set(() => {
        this.timer = undefined;
        this.flush();
      }, this.intervalMs);
    }
  }

  release(): void {
    this.held = false;
    this.flush();
  }

  /** Delivers what waits (unless held) and stops the timer. */
  flush(): void {
    if (this.timer !== undefined) {
      this.timers.clear(this.timer);
      this.timer = undefined;
    }
    if (this.held || this.batch.length === 0) return;
    const frames = this.batch;
    this.batch = [];
    this.bytes = 0;
    this.delivered += frames.length;
    this.deliver(frames);
  }

  /** Delivers the rest (even if held) and takes no more. */
  close(): void {
    this.held = false;
    this.flush();
    this.closed = true;
  }
}
