// A live capture in a lab node: tcpdump runs inside the node (a container's in its host,
// through `docker exec`), writes pcap to its stdout, and the bytes come back over the
// exec's multiplexed stream into PcapStreamReader. Frames leave in batches, counted
// exactly; memory is bounded (a full batch pauses the stream, which backs up into the
// node, where tcpdump's kernel buffer counts what it cannot keep). A watchdog beside it
// in the node waits for its standard input to close, then hangs tcpdump up: stop closes
// it, and so does the connection dropping when vxlab itself is killed, so tcpdump never
// outlives whoever started it. tcpdump then ends and says how many packets it saw.
import { randomUUID } from 'node:crypto';
import type { Frame } from '../packets/pcap.js';
import { PcapStreamReader } from '../packets/pcap.js';
import type { CaptureEnd } from '../api/types.js';
import { FrameBatcher } from './capture-batches.js';
import type { FrameBatcherOptions } from './capture-batches.js';
import { DEFAULT_CAPTURE_IFACE, describeTcpdumpFailure, lastLine, parseTcpdumpStats, tcpdumpCommand } from './capture-tcpdump.js';
import { EngineError } from './errors.js';
import { ExecStreamDemuxer } from './exec-demux.js';
import type { ExecSession } from './exec-session.js';
import { openExecSession } from './exec-session.js';
import { execCapture } from './exec.js';
import type { LabEngine, LocatedNode } from './lab-engine.js';
import { goneReason, locateRunningNode } from './node-presence.js';
import { hangUpMarked, script, sh } from './shell-script.js';

export type { CaptureEnd };

export interface CaptureOptions {
  iface?: string;
  filter?: string;
  count?: number;
}

export interface CaptureSink {
  /** Frames in order, never more than a batch at once. */
  frames(id: string, frames: Frame[]): void;
  /** Once, after the last frames. */
  ended(id: string, end: CaptureEnd): void;
}

export interface CaptureInfo {
  id: string;
  node: string;
  iface: string;
  vxlanPorts: number[];
  linkType: number;
}

export interface RunningCapture extends CaptureInfo {
  /** Ends tcpdump in the node; resolves once the capture has ended (its `ended` was called). */
  stop(): Promise<CaptureEnd>;
  /** Resolves with the end, however it came. */
  readonly done: Promise<CaptureEnd>;
}

export type CaptureEngine = Pick<LabEngine, 'locateNode' | 'docker' | 'appliedLab'>;

/** How long tcpdump may take to open its interface: it takes well under a second. */
export const START_TIMEOUT_MS = 15_000;
/** What is kept of tcpdump's stderr: its last words are what matter. */
const STDERR_KEPT = 16 * 1024;

export interface StartCaptureSettings {
  batches?: FrameBatcherOptions;
  startTimeoutMs?: number;
}

export async function startCapture(
  engine: CaptureEngine,
  lab: string,
  node: string,
  options: CaptureOptions,
  sink: CaptureSink,
  settings: StartCaptureSettings = {},
): Promise<RunningCapture> {
  const located = await locateRunningNode(engine, lab, node);
  const iface = options.iface ?? DEFAULT_CAPTURE_IFACE;
  const filter = options.filter || undefined;
  const vxlanPorts = await labVxlanPorts(engine, lab, located);
  const id = randomUUID();
  const mark = `${CAPTURE_MARK}=${id}`;
  const session = await openExecSession(engine, lab, node, tcpdumpCommand({ iface, filter, count: options.count }), { tty: false, located, env: [mark] });
  const stream = session.stream;
  stream.on('error', () => {}); // a reset connection ends like a closed one
  let watchdog: ExecSession | undefined;
  try {
    watchdog = await openExecSession(engine, lab, node, ['sh', '-c', watchdogScript(mark)], { tty: false, located });
    watchdog.stream.on('error', () => {});
    watchdog.stream.resume(); // it prints nothing; never let its stream hold
  } catch {
    watchdog = undefined; // stop still hangs the session up; only a crash of vxlab would leave tcpdump
  }

  const reader = new PcapStreamReader();
  let stderr = '';
  let stopping = false;
  let streamProblem: string | undefined;
  const batcher = new FrameBatcher((frames) => guard(() => sink.frames(id, frames)), { ...settings.batches, held: true });
  let announceStart: (linkType: number) => void = () => {};
  const started = new Promise<number>((resolve) => (announceStart = resolve));

  const demuxer = new ExecStreamDemuxer((kind, bytes) => {
    if (kind === 'stderr') {
      stderr = (stderr + Buffer.from(bytes).toString('utf8')).slice(-STDERR_KEPT);
      return;
    }
    const frames = reader.push(bytes);
    if (reader.linkType !== undefined) announceStart(reader.linkType);
    if (reader.problem !== undefined && streamProblem === undefined) {
      streamProblem = `tcpdump's output is not pcap: ${reader.problem}`;
      void end();
    }
    batcher.add(frames);
    if (batcher.full) stream.pause(); // held until the caller knows the id: resumed on release
  });
  stream.on('data', (chunk: Buffer) => {
    demuxer.push(chunk);
    if (demuxer.problem !== undefined && streamProblem === undefined) {
      streamProblem = demuxer.problem;
      void end();
    }
  });

  let ending: Promise<void> | undefined;
  /** Hangs tcpdump up (through the watchdog, or the session's own hang-up); the stream ends once it has. */
  function end(): Promise<void> {
    stopping = true;
    ending ??= (async () => {
      if (watchdog) {
        (watchdog.stream as unknown as { end(): void }).end();
        if ((await watchdog.exitCode().catch(() => -1)) === 0) return;
      }
      await session.hangUp();
    })().catch(() => {
      stream.destroy(); // the node is gone or refuses: at least let go of the stream
    });
    return ending;
  }

  const exited = session.exitCode().then(
    (code) => code,
    () => undefined,
  );
  // Once tcpdump has ended by itself, its watchdog is told to go too.
  void exited.then(() => (watchdog?.stream as unknown as { end(): void } | undefined)?.end());

  const timeoutMs = settings.startTimeoutMs ?? START_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    started.then((linkType) => ({ kind: 'started' as const, linkType })),
    exited.then((code) => ({ kind: 'exited' as const, code })),
    new Promise<{ kind: 'timeout' }>((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome.kind !== 'started') {
    if (outcome.kind === 'timeout') {
      await end();
      throw new EngineError('capture-failed', `tcpdump did not start on ${iface} of ${node} within ${timeoutMs / 1000} s.`, 'Try again; `vxlab status LAB` shows whether the node runs.');
    }
    throw describeTcpdumpFailure(stderr, outcome.code, {
      node,
      iface,
      filter,
      image: await namedImage(engine, lab, node),
      interfaces: /No such device|doesn't exist/i.test(stderr) ? await listInterfaces(located) : undefined,
    });
  }

  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const done = (async (): Promise<CaptureEnd> => {
    const code = await exited;
    await released; // never an end before the caller knows the id
    batcher.close();
    let reason: string | undefined = streamProblem;
    if (reason === undefined && !stopping) {
      try {
        reason = await goneReason(engine, lab, located, node, code);
      } catch {
        reason = undefined;
      }
      if (reason === undefined && code !== 0) reason = `tcpdump ended with exit ${code ?? 'unknown'}: ${lastLine(stderr) || 'it said nothing'}`;
    }
    const end: CaptureEnd = { count: batcher.count, ...parseTcpdumpStats(stderr), ...(reason !== undefined ? { reason } : {}) };
    guard(() => sink.ended(id, end));
    return end;
  })();

  // The caller learns the id first (a timer, not a microtask): then the frames may go.
  setTimeout(() => {
    batcher.release();
    stream.resume();
    release();
  }, 0);

  return {
    id,
    node,
    iface,
    vxlanPorts,
    linkType: outcome.linkType,
    done,
    stop: async () => {
      await end();
      return done;
    },
  };
}

/** The variable that marks a capture's tcpdump, for its watchdog to find it. */
const CAPTURE_MARK = 'VXLAB_CAPTURE';

/**
 * Waits until its standard input closes (stop, or vxlab's connection gone), then sends
 * SIGHUP to the processes that carry the capture's mark: its tcpdump.
 */
export function watchdogScript(mark: string): string {
  return script(
    sh`read -r _ || true`,
    hangUpMarked(mark),
    sh`exit 0`,
  );
}

/**
 * The UDP ports the lab's overlays use: VXLAN is decoded on each. From the lab as applied;
 * for a lab applied from elsewhere, from the VXLAN devices of the node's host.
 */
export async function labVxlanPorts(engine: CaptureEngine, lab: string, located: LocatedNode): Promise<number[]> {
  const applied = await engine.appliedLab(lab);
  if (applied) return sortedUnique(applied.overlays.map((overlay) => overlay.port));
  const result = await execCapture(located.host, ['ip', '-d', '-o', 'link', 'show', 'type', 'vxlan']);
  const ports = [...result.stdout.matchAll(/\bdstport (\d{1,5})\b/g)].map((match) => Number(match[1])).filter((port) => port > 0 && port <= 65_535);
  return sortedUnique(ports);
}

function sortedUnique(ports: number[]): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}

async function namedImage(engine: CaptureEngine, lab: string, node: string): Promise<string | undefined> {
  try {
    return (await engine.appliedLab(lab))?.containers.find((container) => container.name === node)?.image;
  } catch {
    return undefined;
  }
}

/** The node's interface names, for the hint of an interface it does not have. */
async function listInterfaces(located: LocatedNode): Promise<string[] | undefined> {
  try {
    const command = ['ls', '/sys/class/net'];
    const result = await execCapture(located.host, located.container ? ['docker', 'exec', located.container, ...command] : command);
    if (result.exitCode !== 0) return undefined;
    return result.stdout
      .split(/\s+/)
      .filter((name) => /^[A-Za-z0-9_.@-]{1,15}$/.test(name))
      .sort()
      .slice(0, 32);
  } catch {
    return undefined;
  }
}

/** A sink that throws must not take the capture down with it. */
function guard(work: () => void): void {
  try {
    work();
  } catch {
    // Nothing to report to: the receiver is gone or broken.
  }
}
