// Whether a lab's node runs, waiting until it does, and why it went away: what a
// terminal needs to know about its node. A node "not running yet" is a normal moment
// (Launch is creating it), not a failure; a node that went away says who took it.
import { isNotFound } from './docker.js';
import { EngineError, isEngineError } from './errors.js';
import { execCapture } from './exec.js';
import { listHostContainers } from './hosts.js';
import type { LabEngine, LocatedNode } from './lab-engine.js';

/** How often a terminal asks whether its node runs yet: quick enough to feel immediate, rare enough to cost nothing. */
export const NODE_POLL_MS = 1_000;
/** How long a terminal waits for its node: a first Launch that builds nothing takes well under this. */
export const NODE_WAIT_LIMIT_MS = 3 * 60_000;

export interface NodeWaitOptions {
  pollMs?: number;
  limitMs?: number;
  /** Aborted when the terminal is closed: the wait ends at once. */
  signal?: AbortSignal;
}

export type NodeEngine = Pick<LabEngine, 'locateNode' | 'docker'>;

/** The errors of a node that is not there yet but may be soon: the lab, its host or the node itself is still being made. */
export function isNotRunningYet(error: unknown): boolean {
  return isEngineError(error) && (error.code === 'lab-not-found' || error.code === 'node-not-found' || error.code === 'host-died');
}

/**
 * Finds the node and makes sure it runs: a container that Launch has created but not
 * started yet is found by name, yet `docker exec` into it would fail.
 */
export async function locateRunningNode(engine: NodeEngine, lab: string, node: string): Promise<LocatedNode> {
  const located = await engine.locateNode(lab, node);
  if (located.container && (await innerState(located.host, located.container)) === 'stopped') {
    throw new EngineError('node-not-found', `${node} of lab ${lab} exists but does not run yet.`, `\`vxlab status ${lab}\` shows its state.`);
  }
  return located;
}

/** Polls until the node runs; ends with a clear reason at the bound, or at once for an error that waiting cannot cure. */
export async function waitForNode(engine: NodeEngine, lab: string, node: string, options: NodeWaitOptions = {}): Promise<LocatedNode> {
  const pollMs = options.pollMs ?? NODE_POLL_MS;
  const limitMs = options.limitMs ?? NODE_WAIT_LIMIT_MS;
  const deadline = Date.now() + limitMs;
  for (;;) {
    options.signal?.throwIfAborted();
    let last: unknown;
    try {
      return await locateRunningNode(engine, lab, node);
    } catch (error) {
      if (!isNotRunningYet(error)) throw error;
      last = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new EngineError(
        'node-not-found',
        `${node} did not start within ${describeDuration(limitMs)}: ${last instanceof Error ? last.message : String(last)}`,
        'Launch the lab (or wait until Launch has finished), then press Retry.',
      );
    }
    await sleep(Math.min(pollMs, left), options.signal);
  }
}

export function describeDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds === 1 ? '1 second' : `${seconds} seconds`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exit codes that may mean the node went away rather than the command ending (unknown, SIGHUP, SIGKILL, SIGTERM). */
function mayBeGone(exitCode: number | undefined): boolean {
  return exitCode === undefined || exitCode < 0 || exitCode === 129 || exitCode === 137 || exitCode === 143;
}

/** How long after the session's end the node's state may still lag behind (a host being killed or removed still reads "running"). */
const SETTLE_ATTEMPTS = 4;
const SETTLE_DELAY_MS = 250;

type HostState = 'running' | 'stopped' | 'removing' | 'removed';

/**
 * Why a node's session ended, when it was not its command's doing: its host stopped,
 * Apply removed it, or Destroy removed the whole lab. Undefined when the command ended by itself.
 */
export async function goneReason(
  engine: NodeEngine,
  lab: string,
  located: LocatedNode,
  node: string,
  exitCode: number | undefined,
): Promise<string | undefined> {
  for (let attempt = 1; ; attempt++) {
    const settled = attempt >= SETTLE_ATTEMPTS;
    const host = await hostState(located);
    if (host === 'removed' || (host === 'removing' && settled)) {
      // Destroy removes every host at once; Apply removes (or remakes) some and keeps the rest running.
      const others = await listHostContainers(engine.docker, lab);
      if (!others.some((h) => h.running)) return `${node} was removed: lab ${lab} was destroyed`;
      if (!settled) {
        await pause();
        continue;
      }
      return located.container ? `${node} was removed from the lab (with its host ${located.hostName})` : `${node} was removed from the lab`;
    }
    if (host === 'removing') {
      await pause();
      continue;
    }
    if (host === 'stopped') {
      return located.container
        ? `${node} is no longer running (its host ${located.hostName} stopped)`
        : `${node} is no longer running (it stopped)`;
    }
    let inner: 'running' | 'stopped' | 'removed' | 'unknown' = 'unknown';
    if (!located.container) {
      if (!mayBeGone(exitCode)) return undefined;
    } else {
      // `docker exec` into a container that stops ends with a non-zero code: ask the host's engine.
      if (exitCode === 0) return undefined;
      inner = await innerState(located.host, located.container);
      if (inner === 'running') return undefined;
      if (inner === 'removed') return `${node} was removed from the lab`;
    }
    // The host may be on its way down (a killed host still reads "running" for a moment): look again.
    if (settled) return inner === 'stopped' ? `${node} is no longer running (it stopped)` : undefined;
    await pause();
  }
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_DELAY_MS));
}

async function hostState(located: LocatedNode): Promise<HostState> {
  try {
    const { State } = await located.host.inspect();
    if (State.Running) return 'running';
    return State.Status === 'removing' || State.Status === 'dead' ? 'removing' : 'stopped';
  } catch (error) {
    if (isNotFound(error)) return 'removed';
    throw error;
  }
}

async function innerState(host: LocatedNode['host'], container: string): Promise<'running' | 'stopped' | 'removed' | 'unknown'> {
  try {
    const state = await execCapture(host, ['docker', 'inspect', '-f', '{{.State.Running}}', container]);
    if (state.exitCode === 0) return state.stdout.trim() === 'true' ? 'running' : 'stopped';
    return /No such (object|container)/i.test(state.stderr) ? 'removed' : 'unknown';
  } catch {
    return 'unknown'; // the host refused the exec: it is probably stopping
  }
}
