// The packets a capture keeps: the newest ones, at most a count and a number of bytes,
// so a capture left running for hours holds a bounded amount of memory. The oldest go
// first, and how many went is counted for the panel to say.

export interface RingLimits {
  /** Packets kept at most. */
  maxPackets: number;
  /** Bytes of packet data kept at most (a jumbo-frame flood must not hold gigabytes). */
  maxBytes: number;
}

export const DEFAULT_RING_LIMITS: RingLimits = { maxPackets: 50_000, maxBytes: 64 * 1024 * 1024 };

export class PacketRing<T extends { bytes: Uint8Array }> {
  private items: (T | undefined)[] = [];
  /** Position of the oldest kept item in `items`. */
  private head = 0;
  private bytes = 0;
  /** Packets dropped to stay within the limits. */
  dropped = 0;

  constructor(private readonly limits: RingLimits = DEFAULT_RING_LIMITS) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** The item at `position` from the oldest kept (0) to the newest (length - 1). */
  at(position: number): T | undefined {
    if (position < 0 || position >= this.length) return undefined;
    return this.items[this.head + position];
  }

  push(item: T): void {
    this.items.push(item);
    this.bytes += item.bytes.length;
    while (this.length > this.limits.maxPackets || (this.bytes > this.limits.maxBytes && this.length > 1)) {
      const oldest = this.items[this.head];
      this.items[this.head] = undefined;
      this.head++;
      this.bytes -= oldest?.bytes.length ?? 0;
      this.dropped++;
    }
    // Compact now and then, so dropped slots do not pile up; amortised O(1) per push.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Kept items, oldest first, that pass `keep`. */
  filter(keep: (item: T) => boolean): T[] {
    const result: T[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item !== undefined && keep(item)) result.push(item);
    }
    return result;
  }

  find(match: (item: T) => boolean): T | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item !== undefined && match(item)) return item;
    }
    return undefined;
  }
}
