// The renderer's half of terminal flow control: the server stops reading a session's
// output while too many characters it sent are not acknowledged as drawn. Acknowledging
// each write would cost one message per write; acknowledging rarely would stall output.

/** Acknowledge once this many characters are drawn: small next to the server's watermark (100 000). */
export const ACK_BATCH_CHARS = 5_000;
/** ...or this long after the first unacknowledged character, so a trickle is never held back. */
export const ACK_INTERVAL_MS = 100;

export class AckBatcher {
  private pending = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(
    private readonly send: (chars: number) => void,
    private readonly batchChars = ACK_BATCH_CHARS,
    private readonly intervalMs = ACK_INTERVAL_MS,
  ) {}

  /** xterm has drawn (parsed) `chars` characters of the session's output. */
  written(chars: number): void {
    if (this.disposed || chars <= 0) return;
    this.pending += chars;
    if (this.pending >= this.batchChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed || this.pending === 0) return;
    const chars = this.pending;
    this.pending = 0;
    this.send(chars);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
