// The dock's terminals, outside React: each tab owns an emulator and a server session
// for as long as the tab is open, whichever view shows it. Output is routed by session
// id from the one event stream; drawn output is acknowledged for flow control.
import type { ApiClient, ApiEvent } from '../../../electron/api/contract';
import { toApiError } from '../api/errors';
import type { CreateTerminalAdapter, TerminalAdapter, TerminalSize } from './adapter';
import { DEFAULT_TERMINAL_SIZE } from './adapter';
import { AckBatcher } from './ack-batcher';

export type TerminalTarget = { kind: 'node'; lab: string; node: string } | { kind: 'machine' };
export type TerminalState = 'opening' | 'open' | 'exited' | 'failed';

export interface TerminalTab {
  key: string;
  /** What the tab says: the node's name, or "Machine shell". */
  label: string;
  /** The terminal's accessible name: "Terminal container1". */
  accessibleName: string;
  target: TerminalTarget;
  state: TerminalState;
  /** The server's title once open ("container1 (vxlan-basics)"). */
  title?: string;
  /** Why it ended or could not open. */
  message?: string;
}

interface Session {
  tab: TerminalTab;
  adapter: TerminalAdapter;
  acks: AckBatcher;
  id?: string;
  requested: boolean;
  closed: boolean;
  sentSize?: TerminalSize;
}

/** Output for an id not known yet is kept this long at most (its `terminal.open` answer is on its way). */
const MAX_EARLY_CHARS = 1_000_000;

const DIM = '\x1b[90m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

export class TerminalStore {
  private sessions: Session[] = [];
  private readonly byId = new Map<string, Session>();
  private readonly early = new Map<string, ApiEvent[]>();
  private earlyChars = 0;
  private snapshot: readonly TerminalTab[] = [];
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;
  private nextKey = 1;

  constructor(
    private readonly client: ApiClient,
    private readonly createAdapter: CreateTerminalAdapter,
  ) {}

  readonly getSnapshot = (): readonly TerminalTab[] => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Adds a tab; its session opens when the tab is first attached (it then knows its size). */
  open(target: TerminalTarget): string {
    this.unsubscribe ??= this.client.onEvent((event) => this.route(event));
    const key = `t${this.nextKey++}`;
    const base = target.kind === 'node' ? target.node : 'Machine shell';
    const same = this.sessions.filter((s) => labelBase(s.tab) === base).length;
    const label = same === 0 ? base : `${base} (${same + 1})`;
    const accessibleName = target.kind === 'node' ? `Terminal ${label}` : `Terminal ${label.replace('Machine shell', 'machine shell')}`;
    const adapter = this.createAdapter();
    const session: Session = {
      tab: { key, label, accessibleName, target, state: 'opening' },
      adapter,
      requested: false,
      closed: false,
      acks: new AckBatcher(() => {}), // replaced by one for the session's id once it opens
    };
    adapter.onInput((data) => {
      if (session.id && session.tab.state === 'open') void this.client.request('terminal.input', { id: session.id, data }).catch(() => undefined);
    });
    this.sessions.push(session);
    this.publish();
    return key;
  }

  /** Shows the tab's terminal in `element`; the first time, opens its session at the element's size. */
  attach(key: string, element: HTMLElement): void {
    const session = this.find(key);
    if (!session) return;
    session.adapter.attach(element);
    if (session.requested) return;
    this.request(session);
  }

  /**
   * Opens a new session in a tab whose session failed to open or ended: the node may
   * run now. The old output stays above, so what happened before can still be read.
   */
  retry(key: string): void {
    const session = this.find(key);
    if (!session || (session.tab.state !== 'failed' && session.tab.state !== 'exited')) return;
    session.id = undefined;
    session.adapter.write(`${DIM}Retrying…${RESET}\r\n`);
    this.update(session, { state: 'opening', title: undefined, message: undefined });
    this.request(session);
  }

  private request(session: Session): void {
    session.requested = true;
    const key = session.tab.key;
    const size = session.adapter.fit() ?? DEFAULT_TERMINAL_SIZE;
    session.sentSize = size;
    const { target } = session.tab;
    const params = target.kind === 'node' ? { kind: 'node' as const, lab: target.lab, node: target.node, ...size } : { kind: 'machine' as const, ...size };
    this.client.request('terminal.open', params).then(
      ({ id, title }) => {
        if (session.closed) {
          void this.client.request('terminal.close', { id }).catch(() => undefined);
          return;
        }
        session.id = id;
        session.acks.dispose();
        // Bound to this id: a retried tab's late acknowledgements never count for its next session.
        session.acks = new AckBatcher((chars) => void this.client.request('terminal.ack', { id, chars }).catch(() => undefined));
        this.byId.set(id, session);
        const early = this.early.get(id) ?? [];
        this.early.delete(id);
        this.update(session, { state: 'open', title });
        for (const event of early) this.route(event);
        // The element may have changed size while the session opened.
        this.fit(key);
      },
      (error: unknown) => {
        if (session.closed) return;
        const { message, hint } = toApiError(error);
        session.adapter.write(`${RED}Could not open a terminal: ${message}${RESET}\r\n${hint ? `${DIM}${hint}${RESET}\r\n` : ''}`);
        this.update(session, { state: 'failed', message });
      },
    );
  }

  /** Fits the terminal to its element and tells the server the new size. */
  fit(key: string): void {
    const session = this.find(key);
    if (!session) return;
    const size = session.adapter.fit();
    if (!size || !session.id || session.tab.state !== 'open') return;
    if (session.sentSize && session.sentSize.cols === size.cols && session.sentSize.rows === size.rows) return;
    session.sentSize = size;
    void this.client.request('terminal.resize', { id: session.id, ...size }).catch(() => undefined);
  }

  focus(key: string): void {
    this.find(key)?.adapter.focus();
  }

  adapter(key: string): TerminalAdapter | undefined {
    return this.find(key)?.adapter;
  }

  close(key: string): void {
    const session = this.find(key);
    if (!session) return;
    session.closed = true;
    this.sessions = this.sessions.filter((s) => s !== session);
    if (session.id) {
      this.byId.delete(session.id);
      if (session.tab.state === 'open') void this.client.request('terminal.close', { id: session.id }).catch(() => undefined);
    }
    session.acks.dispose();
    session.adapter.dispose();
    this.publish();
  }

  dispose(): void {
    for (const session of [...this.sessions]) this.close(session.tab.key);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private route(event: ApiEvent): void {
    if (event.type !== 'terminal-data' && event.type !== 'terminal-exit') return;
    const session = this.byId.get(event.id);
    if (!session) {
      this.keepEarly(event);
      return;
    }
    if (event.type === 'terminal-data') {
      const chars = event.data.length;
      const { acks } = session;
      session.adapter.write(event.data, () => acks.written(chars));
      return;
    }
    this.byId.delete(event.id);
    session.acks.flush();
    session.acks.dispose();
    const message = describeExit(event.exitCode, event.reason);
    session.adapter.write(`\r\n${DIM}[${message}]${RESET}\r\n`);
    this.update(session, { state: 'exited', message });
  }

  /** Output can only precede its `terminal.open` answer while a session is opening. */
  private keepEarly(event: ApiEvent & { id: string }): void {
    const opening = this.sessions.some((s) => s.requested && !s.id && !s.closed);
    const chars = event.type === 'terminal-data' ? event.data.length : 0;
    if (!opening || this.earlyChars + chars > MAX_EARLY_CHARS) return;
    this.earlyChars += chars;
    const list = this.early.get(event.id) ?? [];
    list.push(event);
    this.early.set(event.id, list);
  }

  private find(key: string): Session | undefined {
    return this.sessions.find((s) => s.tab.key === key);
  }

  private update(session: Session, change: Partial<TerminalTab>): void {
    session.tab = { ...session.tab, ...change };
    this.publish();
  }

  private publish(): void {
    if (this.sessions.every((s) => s.id || s.closed || !s.requested)) {
      this.early.clear();
      this.earlyChars = 0;
    }
    this.snapshot = this.sessions.map((s) => s.tab);
    for (const listener of this.listeners) listener();
  }
}

function labelBase(tab: TerminalTab): string {
  return tab.target.kind === 'node' ? tab.target.node : 'Machine shell';
}

export function describeExit(exitCode: number | undefined, reason: string | undefined): string {
  if (reason) return reason;
  if (exitCode === undefined) return 'The session ended';
  return `The shell exited with code ${exitCode}`;
}
