// A host's tables, live: `bridge monitor fdb` and `ip monitor neigh` run inside the host
// (one exec, no polling) and every burst of netlink events re-reads the VTEP view, whose
// differences from the last read are pushed. Stopping hangs up the exec, which ends
// both monitors in the host; a watch whose client vanished ends with its stdin.
import { randomUUID } from 'node:crypto';
import type { TableChange, VtepView } from '../api/types.js';
import { EngineError } from './errors.js';
import { openExecSession } from './exec-session.js';
import type { ExecSession } from './exec-session.js';
import type { LabEngine } from './lab-engine.js';
import { diffTables } from './table-entries.js';
import { readVtepView } from './vtep-view.js';

/** Netlink events come in bursts (an ARP exchange learns and confirms several entries): one read per burst. */
export const TABLES_DEBOUNCE_MS = 100;

/**
 * Both monitors in the background, then wait for stdin to close: when the client goes
 * away without a stop, Docker closes the exec's stdin and the monitors go with it.
 */
export const MONITOR_SCRIPT = 'bridge monitor fdb & f=$!; ip monitor neigh & n=$!; cat >/dev/null; kill $f $n 2>/dev/null';

export type TablesListener = (view: VtepView, changes: TableChange[]) => void;

export interface TablesWatch {
  id: string;
  /** The view read when the watch started. */
  view: VtepView;
  /** Ends the monitors in the host; pending re-reads push nothing more. */
  stop(): Promise<void>;
}

/** What a watch needs of the engine; tests give a fake. */
export interface TablesSource {
  readView(): Promise<VtepView>;
  /** Starts the monitors; `onEvent` is called for each chunk they print. */
  openMonitors(onEvent: () => void, onEnd: () => void): Promise<{ stop(): Promise<void> }>;
}

export function engineTablesSource(engine: LabEngine, lab: string, host: string): TablesSource {
  return {
    readView: () => readVtepView(engine, lab, host),
    openMonitors: async (onEvent, onEnd) => {
      const located = await engine.locateNode(lab, host);
      if (located.container) {
        throw new EngineError('node-not-found', `${host} is a container; its tables belong to its host.`, `Watch its host instead: ${located.hostName}.`);
      }
      const session: ExecSession = await openExecSession(engine, lab, host, ['sh', '-c', MONITOR_SCRIPT], { tty: false, located });
      // Multiplexed frames: any byte means an event; their content is not needed (the view is re-read).
      session.stream.on('data', onEvent);
      session.stream.once('end', onEnd);
      session.stream.once('close', onEnd);
      session.stream.on('error', onEnd);
      return {
        stop: async () => {
          session.stream.end();
          await session.hangUp();
          session.stream.destroy();
        },
      };
    },
  };
}

/** Starts watching: monitors first, then the first read, so no change falls between them. */
export async function watchTables(
  source: TablesSource,
  listener: TablesListener,
  debounceMs = TABLES_DEBOUNCE_MS,
  /** The monitors ended by themselves (the host stopped or went away). */
  onEnded: () => void = () => undefined,
): Promise<TablesWatch> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reading = false;
  let again = false;
  let last: VtepView | undefined;

  const refresh = async (): Promise<void> => {
    if (stopped || !last) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      const view = await source.readView();
      if (stopped) return;
      const changes = diffTables(last, view);
      last = view;
      if (changes.length > 0) listener(view, changes);
    } catch {
      // The host may be going away; its monitors end then, and with them the watch.
    } finally {
      reading = false;
      if (again && !stopped) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = (): void => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void refresh();
    }, debounceMs);
  };
  const monitors = await source.openMonitors(schedule, () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    onEnded();
  });
  try {
    last = await source.readView();
  } catch (error) {
    await monitors.stop();
    throw error;
  }
  // Events between the monitors' start and the first read may have found `last` unset.
  schedule();
  return {
    id: randomUUID(),
    view: last,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await monitors.stop();
    },
  };
}

/** Bounds on live watches: each costs an exec and two monitors in a host. */
export const MAX_WATCHES_PER_OWNER = 8;
export const MAX_WATCHES = 32;

/** The live watches of a process, each owned by one client (a window, a tab, a command). */
export class TablesWatches {
  private readonly watches = new Map<string, { owner: object; watch: TablesWatch }>();

  async start(owner: object, source: TablesSource, listener: (id: string, view: VtepView, changes: TableChange[]) => void): Promise<{ id: string; view: VtepView }> {
    const owned = [...this.watches.values()].filter((w) => w.owner === owner).length;
    if (owned >= MAX_WATCHES_PER_OWNER || this.watches.size >= MAX_WATCHES) {
      throw new EngineError(
        'limit-reached',
        `At most ${MAX_WATCHES_PER_OWNER} host tables can be watched per window and ${MAX_WATCHES} in all.`,
        'Close a host tables panel (tables.unwatch) before opening another.',
      );
    }
    let id = '';
    let ended = false;
    // A watch whose host went away frees its place at once.
    const watch = await watchTables(source, (view, changes) => listener(id, view, changes), TABLES_DEBOUNCE_MS, () => {
      ended = true;
      this.watches.delete(id);
    });
    id = watch.id;
    if (ended) return { id, view: watch.view };
    this.watches.set(id, { owner, watch });
    return { id, view: watch.view };
  }

  async stop(owner: object, id: string): Promise<void> {
    const entry = this.watches.get(id);
    if (!entry || entry.owner !== owner) {
      throw new EngineError('node-not-found', `No tables watch ${id.slice(0, 64)} is open in this window.`, 'It may have been stopped already; start one with tables.watch.');
    }
    this.watches.delete(id);
    await entry.watch.stop();
  }

  /** A client went away: its watches end. */
  async stopAllFor(owner: object): Promise<void> {
    const mine = [...this.watches].filter(([, w]) => w.owner === owner);
    for (const [id] of mine) this.watches.delete(id);
    await Promise.all(mine.map(([, w]) => w.watch.stop().catch(() => undefined)));
  }

  get size(): number {
    return this.watches.size;
  }
}
