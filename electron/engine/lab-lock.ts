// One lab, one writer, across processes: the desktop app, `vxlab serve` and a `vxlab up`
// in a terminal may all act on the same lab, and two `up`s racing would create the same
// containers twice. Whoever changes a lab first holds a lock file in the state directory
// (<state>/locks/<lab>.lock) naming its pid, its command and since when. A second one
// waits, told who holds the lab; a lock whose process is gone is taken over.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { checkedLabName } from './lab-store.js';

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  /** What the holder is doing, e.g. "vxlab up lab.yaml" or "the vxlab app". */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  host: string;
  /** Tells this holding apart from a later one by the same process. */
  token: string;
  /** When the holder process started (Linux: clock ticks since boot), so a reused pid is not mistaken for it. */
  started?: string;
}

export interface LabLockOptions {
  /** Shown to whoever waits for this process. */
  command?: string;
  /** How often a waiter looks again. */
  pollMs?: number;
  /** Whether the holder's process still runs; replaceable for tests. */
  isAlive?: (holder: LockHolder) => boolean;
  /** How long a lock file may stay empty or garbled before it counts as a crash's leftover. */
  unreadableGraceMs?: number;
}

/** Releases a held lock; harmless to call twice. */
export type ReleaseLock = () => Promise<void>;

/** A lock file that stays unreadable this long is a crash's leftover (locks are written whole, but be lenient). */
const UNREADABLE_GRACE_MS = 5_000;
/** Lock files hold a small JSON object; anything larger is not ours. */
const MAX_LOCK_FILE_BYTES = 4_096;

export class LabLocks {
  readonly directory: string;
  private readonly command: string;
  private readonly pollMs: number;
  private readonly isAlive: (holder: LockHolder) => boolean;
  private readonly unreadableGraceMs: number;

  constructor(stateDirectory: string, options: LabLockOptions = {}) {
    this.directory = join(stateDirectory, 'locks');
    this.command = (options.command ?? `vxlab (pid ${process.pid})`).slice(0, 200);
    this.pollMs = options.pollMs ?? 250;
    this.isAlive = options.isAlive ?? holderIsAlive;
    this.unreadableGraceMs = options.unreadableGraceMs ?? UNREADABLE_GRACE_MS;
  }

  file(lab: string): string {
    return join(this.directory, `${checkedLabName(lab)}.lock`);
  }

  /**
   * Takes the lab's lock, waiting while another live process holds it. `onWait` hears
   * each holder it waits for, once per holding. Resolves with the function that releases it.
   */
  async acquire(lab: string, onWait: (holder: LockHolder) => void = () => {}): Promise<ReleaseLock> {
    const file = this.file(lab);
    await mkdir(this.directory, { recursive: true });
    const mine: LockHolder = {
      pid: process.pid,
      command: this.command,
      since: new Date().toISOString(),
      host: hostname(),
      token: randomUUID(),
      started: processStartTicks(process.pid),
    };
    let reported: string | undefined;
    let unreadableSince: number | undefined;
    for (;;) {
      if (await this.tryCreate(file, mine)) return () => this.release(file, mine.token);
      const found = await readLock(file);
      if (found.kind === 'gone') continue;
      if (found.kind === 'unreadable') {
        unreadableSince ??= Date.now();
        if (Date.now() - unreadableSince >= this.unreadableGraceMs) await takeOver(file, found.text, mine.token);
        else await sleep(this.pollMs);
        continue;
      }
      unreadableSince = undefined;
      const holder = found.holder;
      if (holder.host === hostname() && !this.isAlive(holder)) {
        await takeOver(file, found.text, mine.token);
        continue;
      }
      if (reported !== holder.token) {
        reported = holder.token;
        onWait(holder);
      }
      await sleep(this.pollMs);
    }
  }

  /** Who holds the lab's lock now, if anyone. */
  async holder(lab: string): Promise<LockHolder | undefined> {
    const found = await readLock(this.file(lab));
    return found.kind === 'held' ? found.holder : undefined;
  }

  /** Writes the whole file aside, then links it into place: the link either wins atomically or finds a holder. */
  private async tryCreate(file: string, mine: LockHolder): Promise<boolean> {
    const draft = `${file}.${mine.token}.draft`;
    await writeFile(draft, JSON.stringify(mine));
    try {
      await link(draft, file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    } finally {
      await unlink(draft).catch(() => undefined);
    }
  }

  private async release(file: string, token: string): Promise<void> {
    const found = await readLock(file);
    // Never remove a lock that someone took over from us after we were judged gone.
    if (found.kind === 'held' && found.holder.token === token) await unlink(file).catch(() => undefined);
  }
}

/** "pid 4242 (vxlab up lab.yaml) since 04:12:03 UTC": who holds a lab, as a person reads it. */
export function describeHolder(holder: LockHolder): string {
  const since = new Date(holder.since);
  const time = Number.isNaN(since.getTime()) ? 'an unknown time' : `${since.toISOString().slice(11, 19)} UTC`;
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `pid ${holder.pid}${where} (${holder.command}) since ${time}`;
}

type Found = { kind: 'gone' } | { kind: 'unreadable'; text: string } | { kind: 'held'; holder: LockHolder; text: string };

async function readLock(file: string): Promise<Found> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    throw error;
  }
  if (text.length > MAX_LOCK_FILE_BYTES) return { kind: 'unreadable', text };
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (
      Number.isInteger(value.pid) && (value.pid as number) > 0 &&
      typeof value.command === 'string' && typeof value.since === 'string' &&
      typeof value.host === 'string' && typeof value.token === 'string'
    ) {
      return { kind: 'held', holder: value as LockHolder, text };
    }
  } catch {
    // fall through: not a lock we wrote
  }
  return { kind: 'unreadable', text };
}

/**
 * Moves a dead holder's lock aside. Two waiters may judge the same lock stale: only one
 * rename finds it. If what was moved is not what we judged (a fresh lock replaced it in
 * between), it is linked back, since it belongs to a live process.
 */
async function takeOver(file: string, judged: string, token: string): Promise<void> {
  const aside = `${file}.${token}.stale`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const moved = await readFile(aside, 'utf8');
    if (moved !== judged) await link(aside, file).catch(() => undefined);
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

/** The holder's process runs, and is the same process (its pid was not reused since). */
function holderIsAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartTicks(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

/** Field 22 of /proc/PID/stat, the process's start time; undefined where there is no /proc. */
function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
