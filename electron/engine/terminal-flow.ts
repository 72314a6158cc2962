// The output path of one terminal, free of Docker and node-pty so that it can be tested
// with fake timers: bytes are decoded as a UTF-8 stream, coalesced into batches, and the
// source is paused while the renderer has too much output it has not drawn yet
// (the scheme of VS Code's terminal: a 5 ms data bufferer and char-count watermarks).

/** Coalesces output for this long before delivering it: one message per few ms instead of one per read keeps IPC and renderer overhead flat. */
export const BATCH_INTERVAL_MS = 5;
/** A batch this large is delivered at once: bounds one message's size and the renderer's work for one write. */
export const MAX_BATCH_CHARS = 64 * 1024;
/** Pauses the source when this many delivered characters are unacknowledged: bounds what the renderer has queued and not drawn. */
export const HIGH_WATERMARK_CHARS = 100_000;
/** Resumes the source only below this many: hysteresis, so the source is not toggled on every acknowledgement. */
export const LOW_WATERMARK_CHARS = 5_000;

/** What can be told to stop producing output for a while (a socket, a pty). */
export interface FlowSource {
  pause(): void;
  resume(): void;
}

export interface OutputFlowOptions {
  /** Receives each batch, never empty, never a split character. */
  deliver(text: string): void;
  source: FlowSource;
  /** Holds all delivery until release() (the terminal's id is not known to its receiver yet). */
  held?: boolean;
  batchIntervalMs?: number;
  maxBatchChars?: number;
  highWatermark?: number;
  lowWatermark?: number;
}

export interface FlowStats {
  /** Characters delivered since the start. */
  delivered: number;
  /** Delivered (or batched) and not yet acknowledged. */
  unacknowledged: number;
  paused: boolean;
  /** How many times the source was paused / resumed. */
  pauses: number;
  resumes: number;
}

export class OutputFlow {
  private readonly decoder = new TextDecoder('utf-8');
  private readonly batchIntervalMs: number;
  private readonly maxBatchChars: number;
  private readonly highWatermark: number;
  private readonly lowWatermark: number;
  private batch = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private held: boolean;
  private disposed = false;
  private unacked = 0;
  private delivered = 0;
  private paused = false;
  private pauses = 0;
  private resumes = 0;

  constructor(private readonly options: OutputFlowOptions) {
    this.held = options.held ?? false;
    this.batchIntervalMs = options.batchIntervalMs ?? BATCH_INTERVAL_MS;
    this.maxBatchChars = options.maxBatchChars ?? MAX_BATCH_CHARS;
    this.highWatermark = options.highWatermark ?? HIGH_WATERMARK_CHARS;
    this.lowWatermark = options.lowWatermark ?? LOW_WATERMARK_CHARS;
    if (this.lowWatermark > this.highWatermark) throw new Error('The low watermark must not exceed the high one.');
  }

  /** Output from the source: bytes (decoded here, a character split across chunks is kept whole) or text. */
  push(chunk: Uint8Array | string): void {
    if (this.disposed) return;
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (text.length === 0) return;
    this.batch += text;
    this.checkPause();
    if (this.held) return;
    if (this.batch.length >= this.maxBatchChars) this.flush();
    else this.schedule();
  }

  /** The receiver has drawn `chars` more characters. */
  ack(chars: number): void {
    if (this.disposed || !(chars > 0)) return;
    this.unacked = Math.max(0, this.unacked - chars);
    if (this.paused && this.outstanding() < this.lowWatermark) {
      this.paused = false;
      this.resumes += 1;
      this.options.source.resume();
    }
  }

  /** Lets held output go, on a timer, so that it arrives after whoever learns the id has learnt it. */
  release(): void {
    if (this.disposed || !this.held) return;
    this.held = false;
    if (this.batch.length > 0) this.schedule();
  }

  /** The source ended: delivers whatever is left (an incomplete character becomes U+FFFD), then stops. */
  end(): void {
    if (this.disposed) return;
    this.batch += this.decoder.decode();
    this.held = false;
    this.flush();
    this.dispose();
  }

  /** Stops without delivering anything more. */
  dispose(): void {
    this.disposed = true;
    this.batch = '';
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  stats(): FlowStats {
    return {
      delivered: this.delivered,
      unacknowledged: this.outstanding(),
      paused: this.paused,
      pauses: this.pauses,
      resumes: this.resumes,
    };
  }

  private outstanding(): number {
    return this.unacked + this.batch.length;
  }

  private checkPause(): void {
    if (!this.paused && this.outstanding() > this.highWatermark) {
      this.paused = true;
      this.pauses += 1;
      this.options.source.pause();
    }
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.batchIntervalMs);
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || this.batch.length === 0) return;
    const text = this.batch;
    this.batch = '';
    this.unacked += text.length;
    this.delivered += text.length;
    this.options.deliver(text);
  }
}
