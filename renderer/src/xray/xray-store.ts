// The x-ray panels the dock shows (captures, packet walks, host tables), outside React,
// and what they share: the packet or trace step in focus, which the tables panels
// highlight an entry for and the canvas highlights a node and tunnel for. Events from
// the one stream are routed here by capture or watch id; those that arrive before the
// request that made the id has answered are held (bounded) until it does.
import type { ApiClient } from '../../../electron/api/contract';
import { decodeFrame } from '../../../electron/packets/decode';
import type { DecodedPacket, PacketKeys } from '../../../electron/packets/decode';
import type { CanvasHighlight } from '../editor';
import type { TraceDecision, XrayApi, XrayEvent } from './api';
import { xrayApi } from './api';
import { CaptureSession } from './capture-session';
import type { CaptureTarget } from './capture-session';
import { base64Bytes } from './frames';
import { Observable } from './observable';
import type { RingLimits } from './packet-ring';
import { TablesSession } from './tables-session';
import { TraceSession } from './trace-session';
import type { TraceStep } from './trace-session';
import { stepHighlight } from './trace-highlight';

export type XrayKind = 'capture' | 'trace' | 'tables';

interface PanelBase {
  key: string;
  /** What the tab says. */
  label: string;
  /** What the tab's tooltip and description say. */
  title: string;
  lab: string;
  node: string;
}

export type XrayPanel =
  | (PanelBase & { kind: 'capture'; capture: CaptureSession })
  | (PanelBase & { kind: 'trace'; trace: TraceSession; destinations: readonly string[] })
  | (PanelBase & { kind: 'tables'; tables: TablesSession });

/** What the other panels and the canvas follow: a selected packet, or the trace step shown. */
export interface XrayFocus {
  keys?: PacketKeys;
  /** The table entry the trace step names. */
  decision?: TraceDecision;
  /** The host the step or capture is on, when known. */
  host?: string;
  /** Which panel set the focus. */
  panel?: string;
}

export interface XraySnapshot {
  panels: readonly XrayPanel[];
  focus: XrayFocus;
  highlight?: CanvasHighlight;
}

export interface OpenOptions extends Omit<CaptureTarget, 'lab' | 'node'> {
  /** The lab's VXLAN ports, to decode trace hops with (a capture learns its own from capture.start). */
  ports?: readonly number[];
  /** The lab's containers: a walk's likely destinations. */
  destinations?: readonly string[];
}

export interface XrayOptions {
  /** Limits of each capture's kept packets (tests make them small). */
  ringLimits?: RingLimits;
}

/** Events held per unknown id, and in all, until the id's request answers. */
const MAX_EARLY_EVENTS = 2_000;

export class XrayStore extends Observable<XraySnapshot> {
  readonly api: XrayApi;
  private nextKey = 1;
  private unsubscribe: (() => void) | undefined;
  private readonly captures = new Map<string, CaptureSession>();
  private readonly tables = new Map<string, TablesSession>();
  private readonly pending = new Set<Promise<unknown>>();
  private early: XrayEvent[] = [];
  private readonly stops = new Map<string, () => void>();

  constructor(
    client: ApiClient,
    private readonly options: XrayOptions = {},
  ) {
    super({ panels: [], focus: {} });
    this.api = xrayApi(client);
  }

  /** Opens a panel for `node` and returns its key; a capture starts at once, tables are watched at once. */
  open(kind: XrayKind, lab: string, node: string, options: OpenOptions = {}): string {
    const { ports = [], destinations = [], ...capture } = options;
    this.listen();
    const key = `xray-${kind}-${this.nextKey++}`;
    const base = { key, lab, node };
    let panel: XrayPanel;
    if (kind === 'capture') {
      const session = new CaptureSession(this.api, { lab, node, ...capture }, this.options.ringLimits);
      const where = capture.iface ? `${node} ${capture.iface}` : node;
      panel = { ...base, kind, capture: session, label: `Capture ${where}`, title: `Capture on ${where} (${lab})` };
      this.track(session.start().then((id) => id !== undefined && this.adopt(this.captures, id, session)));
    } else if (kind === 'trace') {
      const session = new TraceSession(this.api, lab, node, ports);
      panel = { ...base, kind, trace: session, destinations, label: `Trace from ${node}`, title: `Packet walk from ${node} (${lab})` };
      this.stops.set(key, session.subscribe(() => this.followTrace(key, session)));
    } else {
      const session = new TablesSession(this.api, lab, node);
      panel = { ...base, kind, tables: session, label: `Tables ${node}`, title: `Tables of ${node}, live (${lab})` };
      this.track(session.open().then((id) => id !== undefined && this.adopt(this.tables, id, session)));
    }
    this.set({ panels: [...this.state.panels, panel] });
    return key;
  }

  /** A capture again with other settings, in the same tab. */
  restartCapture(key: string, settings: Omit<CaptureTarget, 'lab' | 'node'>): void {
    const panel = this.state.panels.find((candidate) => candidate.key === key);
    if (panel?.kind !== 'capture') return;
    this.forget(panel);
    const session = new CaptureSession(this.api, { lab: panel.lab, node: panel.node, ...settings }, this.options.ringLimits);
    const where = settings.iface ? `${panel.node} ${settings.iface}` : panel.node;
    const next: XrayPanel = { ...panel, capture: session, label: `Capture ${where}`, title: `Capture on ${where} (${panel.lab})` };
    this.track(session.start().then((id) => id !== undefined && this.adopt(this.captures, id, session)));
    this.set({ panels: this.state.panels.map((candidate) => (candidate.key === key ? next : candidate)) });
  }

  close(key: string): void {
    const panel = this.state.panels.find((candidate) => candidate.key === key);
    if (!panel) return;
    this.forget(panel);
    const focus = this.state.focus.panel === key ? {} : this.state.focus;
    const highlight = this.state.focus.panel === key ? undefined : this.state.highlight;
    this.set({ panels: this.state.panels.filter((candidate) => candidate !== panel), focus, highlight });
  }

  /** The selected packet of a capture panel: the tables highlight the entry it used. */
  focusPacket(panelKey: string, keys: PacketKeys | undefined): void {
    const panel = this.state.panels.find((candidate) => candidate.key === panelKey);
    if (keys === undefined) {
      if (this.state.focus.panel === panelKey) this.set({ focus: {} });
      return;
    }
    this.set({ focus: { keys, panel: panelKey, ...(panel ? { host: panel.node } : {}) } });
  }

  /** Waits for every request the store has made (tests, and closing the app). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  dispose(): void {
    for (const panel of this.state.panels) this.forget(panel);
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.early = [];
    // Still usable afterwards (React's strict mode disposes and then reuses it).
    this.set({ panels: [], focus: {}, highlight: undefined });
  }

  private followTrace(key: string, session: TraceSession): void {
    const step = session.currentStep();
    if (step === undefined) {
      if (this.state.focus.panel === key) this.set({ focus: {}, highlight: undefined });
      return;
    }
    const decoded = decodeStep(step, session.getSnapshot().result?.vxlanPorts ?? session.ports);
    const focus: XrayFocus = { panel: key, host: step.hop.host, ...(decoded ? { keys: decoded.keys } : {}), ...(step.hop.decision ? { decision: step.hop.decision } : {}) };
    this.set({ focus, highlight: stepHighlight(session.getSnapshot().steps, session.getSnapshot().current, decoded?.keys.outer?.vni) });
  }

  private forget(panel: XrayPanel): void {
    this.stops.get(panel.key)?.();
    this.stops.delete(panel.key);
    if (panel.kind === 'capture') {
      const id = panel.capture.id;
      if (id !== undefined) this.captures.delete(id);
      panel.capture.dispose();
    } else if (panel.kind === 'tables') {
      const id = panel.tables.watchId;
      if (id !== undefined) this.tables.delete(id);
      panel.tables.dispose();
    } else {
      panel.trace.dispose();
    }
  }

  private listen(): void {
    this.unsubscribe ??= this.api.onEvent((event) => this.route(event));
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Registers a session under its id and replays the events that came for it early. */
  private adopt<S>(map: Map<string, S>, id: string, session: S): void {
    map.set(id, session);
    const mine = this.early.filter((event) => event.id === id);
    this.early = this.early.filter((event) => event.id !== id);
    for (const event of mine) this.route(event);
  }

  private route(event: XrayEvent): void {
    if (typeof event.id !== 'string') return;
    if (event.type === 'tables-changed') {
      const session = this.tables.get(event.id);
      if (session) session.changed(event.view, event.changes);
      else this.hold(event);
      return;
    }
    const session = this.captures.get(event.id);
    if (!session) {
      this.hold(event);
      return;
    }
    if (event.type === 'capture-frames') session.addFrames(Array.isArray(event.frames) ? event.frames : []);
    else session.ended(event.count, event.reason);
  }

  private hold(event: XrayEvent): void {
    // Only while a request that could name this id is on its way; otherwise the event is stale.
    if (this.pending.size === 0 || this.early.length >= MAX_EARLY_EVENTS) return;
    this.early.push(event);
  }
}

/** A trace hop's frame decoded with the lab's VXLAN ports. */
export function decodeStep(step: TraceStep, ports: readonly number[]): DecodedPacket | undefined {
  const bytes = base64Bytes(step.hop.frame?.data);
  if (bytes === undefined) return undefined;
  return decodeFrame(bytes, { vxlanPorts: ports }, step.hop.frame.originalLength);
}
