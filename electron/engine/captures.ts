// The captures of every window, tab and command: each is a tcpdump in a node, so they
// are bounded like terminals, per owner and in all, and an owner that goes away stops
// its own. A capture is stopped only by the owner that started it.
import { EngineError } from './errors.js';
import type { CaptureEngine, CaptureInfo, CaptureOptions, CaptureSink, RunningCapture } from './capture.js';
import { startCapture } from './capture.js';

/** A window may capture on this many interfaces at once (a trace takes eight). */
export const MAX_CAPTURES_PER_OWNER = 16;
/** And all windows together this many: bounds the tcpdumps and streams one client can cause. */
export const MAX_CAPTURES = 48;

export type StartCapture = (lab: string, node: string, options: CaptureOptions, sink: CaptureSink) => Promise<RunningCapture>;

export interface CaptureManagerOptions {
  limits?: { perOwner?: number; total?: number };
  /** How a capture starts (tests give their own). */
  start?: StartCapture;
}

export interface CaptureManager {
  start(lab: string, node: string, options: CaptureOptions, sink: CaptureSink): Promise<CaptureInfo>;
  /** Stops a capture `sink` started; resolves once tcpdump has ended. */
  stop(id: string, sink: CaptureSink): Promise<void>;
  /** Stops every capture of `sink` (its window or command went away). */
  stopAllFor(sink: CaptureSink): void;
  /** Captures running now. */
  running(): number;
}

export function captureNotRunning(id: string): EngineError {
  return new EngineError('capture-failed', `No capture ${id.slice(0, 64)} runs for you (it ended, or another window started it).`, 'Start a new capture.');
}

export function createCaptureManager(engine: CaptureEngine, options: CaptureManagerOptions = {}): CaptureManager {
  const perOwner = options.limits?.perOwner ?? MAX_CAPTURES_PER_OWNER;
  const total = options.limits?.total ?? MAX_CAPTURES;
  const start: StartCapture = options.start ?? ((lab, node, captureOptions, sink) => startCapture(engine, lab, node, captureOptions, sink));
  const captures = new Map<string, { capture: RunningCapture; owner: CaptureSink }>();
  /** Starts not finished yet, per owner: counted against the limits, stopped if their owner leaves. */
  const starting = new Map<CaptureSink, number>();
  const gone = new WeakSet<CaptureSink>();

  function checkLimits(owner: CaptureSink): void {
    let own = starting.get(owner) ?? 0;
    for (const entry of captures.values()) if (entry.owner === owner) own++;
    if (own >= perOwner) {
      throw new EngineError('limit-reached', `This window already runs ${own} captures, the most one window may.`, 'Stop a capture you no longer need, then start this one.');
    }
    let all = captures.size;
    for (const count of starting.values()) all += count;
    if (all >= total) {
      throw new EngineError('limit-reached', `vxlab already runs ${all} captures, the most it allows at once.`, 'Stop captures you no longer need (in any window), then start this one.');
    }
  }

  return {
    async start(lab, node, captureOptions, owner) {
      checkLimits(owner);
      gone.delete(owner);
      starting.set(owner, (starting.get(owner) ?? 0) + 1);
      let capture: RunningCapture;
      try {
        capture = await start(lab, node, captureOptions, {
          frames: (id, frames) => owner.frames(id, frames),
          ended: (id, end) => {
            captures.delete(id);
            owner.ended(id, end);
          },
        });
      } finally {
        const left = (starting.get(owner) ?? 1) - 1;
        if (left > 0) starting.set(owner, left);
        else starting.delete(owner);
      }
      if (gone.has(owner)) {
        // Its owner left while tcpdump started: end it, nobody listens.
        void capture.stop().catch(() => {});
        throw new EngineError('capture-failed', `The capture on ${node} was stopped while it started: its window went away.`);
      }
      void capture.done.then(() => captures.delete(capture.id)).catch(() => {});
      captures.set(capture.id, { capture, owner });
      const { id, iface, vxlanPorts, linkType } = capture;
      return { id, node: capture.node, iface, vxlanPorts, linkType };
    },
    async stop(id, owner) {
      const entry = captures.get(id);
      if (!entry || entry.owner !== owner) throw captureNotRunning(id);
      await entry.capture.stop();
    },
    stopAllFor(owner) {
      if (starting.has(owner)) gone.add(owner);
      for (const entry of [...captures.values()]) {
        if (entry.owner === owner) void entry.capture.stop().catch(() => {});
      }
    },
    running() {
      return captures.size;
    },
  };
}
