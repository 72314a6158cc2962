// One capture in a node: started over the contract, fed by its 'capture-frames' events,
// each frame decoded once (with the capture's VXLAN ports) into a summary and the keys
// pairing and tables match on. The bytes are kept to decode the full layer tree when a
// packet is selected, and to save the capture as .pcap. Plain TypeScript, no React.
import type { ApiError } from '../../../electron/api/contract';
import { decodeFrame } from '../../../electron/packets/decode';
import type { DecodedPacket, PacketKeys, PacketSummary } from '../../../electron/packets/decode';
import type { Frame } from '../../../electron/packets/pcap';
import { toApiError } from '../api/errors';
import type { CaptureStarted, WireFrame, XrayApi } from './api';
import { base64Bytes, frameNumbers } from './frames';
import { DEFAULT_RING_LIMITS, PacketRing } from './packet-ring';
import type { RingLimits } from './packet-ring';

export interface CapturedPacket {
  /** 1 for the capture's first packet, counting the dropped ones too. */
  seq: number;
  index: number;
  timeUs: number;
  originalLength: number;
  bytes: Uint8Array;
  summary: PacketSummary;
  keys: PacketKeys;
  problems: number;
}

export type CaptureState = 'starting' | 'running' | 'ended' | 'failed';

export interface CaptureSnapshot {
  state: CaptureState;
  /** Bumped whenever packets arrive, so views can memoise on it. */
  version: number;
  /** Packets received in all, kept or not. */
  received: number;
  kept: number;
  /** The oldest packets dropped to stay within the limits. */
  dropped: number;
  /** Frames refused as unreadable (not base64, too long). */
  unreadable: number;
  started?: CaptureStarted;
  error?: ApiError;
  endReason?: string;
  /** VNIs seen so far, ascending: the VNI filter's choices. */
  vnis: readonly number[];
  /** The first packet's time: the list shows seconds since. */
  firstTimeUs?: number;
}

export interface CaptureTarget {
  lab: string;
  node: string;
  iface?: string;
  filter?: string;
}

/** How often the panel is told about new packets at most: a flood redraws ten times a second, not per frame. */
const NOTIFY_MS = 80;
/**
 * Decoding runs at most this long at once; the rest of a batch waits for the next task.
 * A batch of 500 frames takes tens of milliseconds to decode on a busy machine, and done
 * in one go at 20 batches a second it left the page drawing a frame every 100-500 ms.
 */
export const DECODE_SLICE_MS = 8;
/** Frames decoded between looks at the clock. */
const FRAMES_PER_CLOCK_CHECK = 16;
/** Frames waiting at most: a backlog beyond is decoded at once, so memory stays bounded and nothing is lost. */
const MAX_BACKLOG = 10_000;

export class CaptureSession {
  readonly packets: PacketRing<CapturedPacket>;
  private snapshot: CaptureSnapshot = { state: 'starting', version: 0, received: 0, kept: 0, dropped: 0, unreadable: 0, vnis: [] };
  private readonly listeners = new Set<() => void>();
  private readonly vnis = new Set<number>();
  private vxlanPorts: readonly number[] = [4789];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  // Counted per frame here and published in the snapshot at most every NOTIFY_MS.
  private received = 0;
  private unreadable = 0;
  private firstTimeUs: number | undefined;
  // Frames received and not decoded yet, oldest first; `pendingAt` is the next one's position.
  private pending: WireFrame[] = [];
  private pendingAt = 0;
  private decodeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: XrayApi,
    readonly target: CaptureTarget,
    limits: RingLimits = DEFAULT_RING_LIMITS,
    /** Milliseconds, for the decode slices (tests pass a clock of their own). */
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.packets = new PacketRing(limits);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): CaptureSnapshot => this.snapshot;

  get id(): string | undefined {
    return this.snapshot.started?.id;
  }

  /** Starts the capture; resolves to its id, or undefined when it could not start. */
  async start(): Promise<string | undefined> {
    const { lab, node, iface, filter } = this.target;
    try {
      const started = await this.api.startCapture({ lab, node, ...(iface ? { iface } : {}), ...(filter ? { filter } : {}) });
      this.vxlanPorts = started.vxlanPorts.length > 0 ? started.vxlanPorts : [4789];
      this.update({ state: this.stopped ? 'ended' : 'running', started });
      if (this.stopped) void this.api.stopCapture(started.id).catch(() => undefined);
      return started.id;
    } catch (error) {
      this.update({ state: 'failed', error: toApiError(error) });
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const id = this.id;
    if (id === undefined || this.snapshot.state !== 'running') return;
    this.update({ state: 'ended', endReason: 'stopped' });
    try {
      await this.api.stopCapture(id);
    } catch {
      // Already ended in the node: nothing left to stop.
    }
  }

  /** Queues the frames and decodes for one slice now; what is left is decoded in later tasks, in order. */
  addFrames(frames: readonly WireFrame[]): void {
    for (const wire of frames) this.pending.push(wire);
    this.decodeSlice(this.pending.length - this.pendingAt > MAX_BACKLOG ? Infinity : DECODE_SLICE_MS);
  }

  private decodeSlice(budgetMs = DECODE_SLICE_MS): void {
    const started = this.clock();
    while (this.pendingAt < this.pending.length) {
      this.decodeOne(this.pending[this.pendingAt++]);
      if (this.pendingAt % FRAMES_PER_CLOCK_CHECK === 0 && this.clock() - started >= budgetMs) break;
    }
    if (this.pendingAt >= this.pending.length) {
      this.pending = [];
      this.pendingAt = 0;
    } else if (this.pendingAt > 4096) {
      this.pending = this.pending.slice(this.pendingAt);
      this.pendingAt = 0;
    }
    if (this.pendingAt < this.pending.length && this.decodeTimer === undefined) {
      this.decodeTimer = setTimeout(() => {
        this.decodeTimer = undefined;
        this.decodeSlice();
      }, 0);
    }
    this.scheduleNotify();
  }

  private decodeOne(wire: WireFrame | undefined): void {
    const bytes = base64Bytes(wire?.data);
    if (bytes === undefined) this.unreadable++;
    else this.add({ ...frameNumbers(wire ?? {}, bytes, this.received), bytes });
  }

  /** Decodes a frame once for its summary and keys, and keeps it. */
  private add(frame: { index: number; timeUs: number; originalLength: number; bytes: Uint8Array }): void {
    const decoded = decodeFrame(frame.bytes, { vxlanPorts: this.vxlanPorts }, frame.originalLength);
    const seq = ++this.received;
    this.firstTimeUs ??= frame.timeUs;
    if (decoded.summary.vni !== undefined) this.vnis.add(decoded.summary.vni);
    this.packets.push({ seq, ...frame, summary: decoded.summary, keys: decoded.keys, problems: decoded.problems.length });
  }

  ended(count: number, reason: string | undefined): void {
    this.stopped = true;
    // Every frame came before the end: the final count includes them all.
    this.decodeSlice(Infinity);
    this.flush();
    // Without a reason it ended as asked (stopped, or its count reached): say after how many.
    const counted = Number.isSafeInteger(count) && count >= 0 ? `after ${count} ${count === 1 ? 'packet' : 'packets'}` : undefined;
    const endReason = typeof reason === 'string' ? reason : (this.snapshot.endReason ?? counted);
    this.update({ state: 'ended', ...(endReason ? { endReason: endReason.slice(0, 300) } : {}) });
  }

  /** The full decode of a kept packet, for the layer view. */
  decode(packet: CapturedPacket): DecodedPacket {
    return decodeFrame(packet.bytes, { vxlanPorts: this.vxlanPorts }, packet.originalLength);
  }

  get ports(): readonly number[] {
    return this.vxlanPorts;
  }

  /** The kept packets as pcap frames, oldest first. */
  frames(): Frame[] {
    return this.packets.filter(() => true).map((packet) => ({
      index: packet.index,
      timeUs: packet.timeUs,
      capturedLength: packet.bytes.length,
      originalLength: packet.originalLength,
      bytes: packet.bytes,
    }));
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.decodeTimer !== undefined) clearTimeout(this.decodeTimer);
    this.decodeTimer = undefined;
    this.pending = [];
    this.pendingAt = 0;
    void this.stop();
    this.listeners.clear();
  }

  private scheduleNotify(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, NOTIFY_MS);
  }

  private flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const vnis = this.vnis.size === this.snapshot.vnis.length ? this.snapshot.vnis : [...this.vnis].sort((a, b) => a - b);
    this.update({
      version: this.snapshot.version + 1,
      received: this.received,
      unreadable: this.unreadable,
      kept: this.packets.length,
      dropped: this.packets.dropped,
      vnis,
      ...(this.firstTimeUs !== undefined ? { firstTimeUs: this.firstTimeUs } : {}),
    });
  }

  private update(change: Partial<CaptureSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
