// One host's tables, live: `tables.watch` answers the view, then every 'tables-changed'
// replaces it. Entries added since the panel opened are marked new; what changed is
// kept in a short log, so ageing and deletion show as well.
import type { ApiError } from '../../../electron/api/contract';
import { toApiError } from '../api/errors';
import type { TableChange, VtepView, XrayApi } from './api';
import { Observable } from './observable';

export interface LoggedChange extends TableChange {
  /** Counts up from 1 per panel: a stable key for the log's rows. */
  n: number;
}

export interface TablesSnapshot {
  state: 'opening' | 'watching' | 'failed' | 'closed';
  view?: VtepView;
  /** MACs (lower case) and addresses that some change added since the panel opened. */
  fresh: ReadonlySet<string>;
  /** Newest first. */
  log: readonly LoggedChange[];
  error?: ApiError;
}

const MAX_LOG = 50;
const MAX_CHANGES_PER_EVENT = 500;

/** What a change names: its MAC and address, or else the IPv4 addresses in its entry text. */
export function changeKeys(change: TableChange): string[] {
  const keys = [change.mac, change.ip].filter((key): key is string => typeof key === 'string' && key !== '' && key.length <= 64).map((key) => key.toLowerCase());
  if (keys.length > 0) return keys;
  const entry = typeof change.entry === 'string' ? change.entry.slice(0, 500) : '';
  return [...entry.matchAll(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g)].map((match) => match[0]);
}

export class TablesSession extends Observable<TablesSnapshot> {
  private id: string | undefined;
  private closed = false;
  private logged = 0;

  constructor(
    private readonly api: XrayApi,
    readonly lab: string,
    readonly host: string,
  ) {
    super({ state: 'opening', fresh: new Set(), log: [] });
  }

  get watchId(): string | undefined {
    return this.id;
  }

  async open(): Promise<string | undefined> {
    try {
      const { id, view } = await this.api.watchTables({ lab: this.lab, host: this.host });
      this.id = id;
      if (this.closed) {
        void this.api.unwatchTables(id).catch(() => undefined);
        return undefined;
      }
      this.set({ state: 'watching', view });
      return id;
    } catch (error) {
      this.set({ state: 'failed', error: toApiError(error) });
      return undefined;
    }
  }

  changed(view: VtepView, changes: readonly TableChange[]): void {
    if (this.closed) return;
    const fresh = new Set(this.state.fresh);
    const entries: LoggedChange[] = [];
    for (const change of (Array.isArray(changes) ? changes : []).slice(0, MAX_CHANGES_PER_EVENT)) {
      for (const key of changeKeys(change)) {
        if (change.change === 'removed') fresh.delete(key);
        else if (change.change === 'added') fresh.add(key);
      }
      entries.push({ ...change, n: ++this.logged });
    }
    this.set({ view, fresh, log: [...entries.reverse(), ...this.state.log].slice(0, MAX_LOG) });
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.id !== undefined) void this.api.unwatchTables(this.id).catch(() => undefined);
    this.set({ state: 'closed' });
    this.clearListeners();
  }
}
