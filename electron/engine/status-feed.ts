// Pushes a lab's status to whoever watches, when its nodes change: after the engine's
// own steps, on Docker's events of containers labelled with a lab (a host started,
// died or went away, whoever did it), and on the events of each running host's own
// engine (its containers). Changes come in bursts (an `up` starts every host within a
// second), so each lab is read at most once per STATUS_DELAY_MS, and a status equal to
// the last one pushed is not pushed again.
import type { Readable } from 'node:stream';
import type { LabStatus } from '../api/types.js';
import type { LabName, NodeName } from '../lab/brands.js';
import { isLabName, isNodeName } from '../lab/brands.js';
import type { EmitEvent, StepName } from './events.js';
import { eventLineReader, labOfDockerEvent } from './docker-events.js';

/** Called with a lab's fresh status; `undefined` when nothing of the lab exists. */
export type StatusListener = (lab: string, status: LabStatus | undefined) => void;

export interface StatusSources {
  /** The lab's status now; undefined when nothing of it exists. */
  status(lab: string): Promise<LabStatus | undefined>;
  /** Docker's events of lab containers, open until `signal` aborts. */
  events(signal: AbortSignal): Promise<Readable>;
  /** Events of the lab's containers inside one running host, open until `signal` aborts or the host stops. */
  innerEvents?(lab: LabName, host: NodeName, signal: AbortSignal): Promise<Readable>;
}

/** How long a burst of changes to one lab is gathered before its status is read. */
export const STATUS_DELAY_MS = 300;
/** A lost event stream (the engine restarted) is opened again after this long. */
export const RECONNECT_DELAY_MS = 2_000;
/** Labs whose last pushed status is remembered, to leave out repeats; the oldest is forgotten. */
const REMEMBERED_LABS = 256;

/** Steps after which the lab's nodes read differently. */
const NODE_STEPS: ReadonlySet<StepName> = new Set<StepName>([
  'underlay',
  'host',
  'container',
  'remove',
]);

interface LabRefresh {
  timer?: ReturnType<typeof setTimeout>;
  /** A read of the status is under way. */
  reading: boolean;
  /** Touched while reading: read again when done. */
  again: boolean;
}

export class StatusFeed {
  private readonly listeners = new Set<StatusListener>();
  private readonly refreshes = new Map<string, LabRefresh>();
  private readonly lastPushed = new Map<string, string>();
  private connection?: AbortController;
  private stream?: Readable;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  /** One per running host followed: "lab/host" -> what ends it. */
  private readonly hostWatchers = new Map<string, AbortController>();

  constructor(
    private readonly sources: StatusSources,
    private readonly delayMs = STATUS_DELAY_MS,
    private readonly reconnectMs = RECONNECT_DELAY_MS,
  ) {}

  /** Starts pushing statuses to `listener`; the function returned stops it (and, for the last one, the event stream). */
  watch(listener: StatusListener): () => void {
    // Each watch is its own entry, so the same function watching twice needs two stops.
    const entry: StatusListener = (lab, status) => listener(lab, status);
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.connect();
    return () => {
      if (!this.listeners.delete(entry)) return;
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Whether a Docker event stream is open (for tests and diagnostics). */
  get streaming(): boolean {
    return this.connection !== undefined || this.stream !== undefined;
  }

  /** The hosts whose own engines are followed, as "lab/host" (for tests and diagnostics). */
  get followedHosts(): string[] {
    return [...this.hostWatchers.keys()].sort();
  }

  /** Something changed the lab's nodes: its status follows within the delay, once per burst. */
  touch(lab: string): void {
    if (this.listeners.size === 0) return;
    const refresh = this.refreshes.get(lab) ?? { reading: false, again: false };
    this.refreshes.set(lab, refresh);
    if (refresh.reading) refresh.again = true;
    else if (refresh.timer === undefined) refresh.timer = setTimeout(() => void this.read(lab, refresh), this.delayMs);
  }

  /** `emit`, and a touch of `lab` whenever one of its steps has made, changed or removed nodes. */
  followSteps(lab: string, emit: EmitEvent): EmitEvent {
    return (event) => {
      emit(event);
      if ((event.type === 'step-finished' || event.type === 'step-failed') && NODE_STEPS.has(event.step)) this.touch(lab);
    };
  }

  private async read(lab: string, refresh: LabRefresh): Promise<void> {
    refresh.timer = undefined;
    refresh.reading = true;
    let status: LabStatus | undefined;
    let known = true;
    try {
      status = await this.sources.status(lab);
    } catch {
      known = false; // the engine did not answer: keep the last status rather than guess
    }
    refresh.reading = false;
    if (this.refreshes.get(lab) !== refresh) return; // the feed stopped meanwhile
    if (known) {
      this.followHosts(lab, status);
      this.push(lab, status);
    }
    if (refresh.again) {
      refresh.again = false;
      this.touch(lab);
    } else this.refreshes.delete(lab);
  }

  private push(lab: string, status: LabStatus | undefined): void {
    const text = JSON.stringify(status ?? null);
    if (this.lastPushed.get(lab) === text) return;
    this.lastPushed.delete(lab);
    this.lastPushed.set(lab, text);
    if (this.lastPushed.size > REMEMBERED_LABS) this.lastPushed.delete(this.lastPushed.keys().next().value as string);
    for (const listener of [...this.listeners]) {
      try {
        listener(lab, status);
      } catch {
        // One listener's failure is its own; the others still hear of the change.
      }
    }
  }

  /** Follows the engine of each running host of the lab, and no longer those that stopped or went. */
  private followHosts(lab: string, status: LabStatus | undefined): void {
    const open = this.sources.innerEvents;
    if (!open || !isLabName(lab)) return;
    const running = new Set(
      (status?.nodes ?? []).filter((n) => n.kind === 'host' && n.state === 'running' && isNodeName(n.name)).map((n) => n.name),
    );
    for (const [key, watcher] of this.hostWatchers) {
      const [watchedLab, host] = key.split('/');
      if (watchedLab === lab && !running.has(host ?? '')) {
        watcher.abort();
        this.hostWatchers.delete(key);
      }
    }
    for (const host of running) {
      const key = `${lab}/${host}`;
      if (this.hostWatchers.has(key) || !isNodeName(host)) continue;
      const watcher = new AbortController();
      this.hostWatchers.set(key, watcher);
      const ended = () => {
        if (this.hostWatchers.get(key) === watcher) this.hostWatchers.delete(key);
      };
      open(lab, host, watcher.signal).then((stream) => {
        if (watcher.signal.aborted) {
          stream.destroy();
          return;
        }
        // What the host's engine says matters less than that it spoke: re-read the lab.
        stream.on('data', () => this.touch(lab));
        stream.on('error', () => {});
        stream.on('close', ended);
        stream.on('end', ended);
      }, ended);
    }
  }

  private connect(): void {
    const connection = new AbortController();
    this.connection = connection;
    const read = eventLineReader((event) => {
      const lab = labOfDockerEvent(event);
      if (lab !== undefined) this.touch(lab);
    });
    const lost = () => {
      if (this.connection === connection) this.reconnectLater();
    };
    this.sources.events(connection.signal).then(
      (stream) => {
        if (this.connection !== connection) {
          stream.destroy(); // stopped while it opened
          return;
        }
        this.stream = stream;
        stream.on('data', read);
        stream.on('error', () => {}); // an abort or a lost engine; 'close' follows
        stream.on('close', lost);
        stream.on('end', lost);
      },
      lost,
    );
  }

  /** The engine went away or restarted: open the stream again, and re-read what may have changed meanwhile. */
  private reconnectLater(): void {
    this.closeStream();
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.listeners.size === 0) return;
      this.connect();
      for (const lab of this.lastPushed.keys()) this.touch(lab);
    }, this.reconnectMs);
  }

  private closeStream(): void {
    const connection = this.connection;
    const stream = this.stream;
    this.connection = undefined;
    this.stream = undefined;
    connection?.abort();
    stream?.destroy();
  }

  private stop(): void {
    this.closeStream();
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    for (const watcher of this.hostWatchers.values()) watcher.abort();
    this.hostWatchers.clear();
    for (const refresh of this.refreshes.values()) if (refresh.timer !== undefined) clearTimeout(refresh.timer);
    this.refreshes.clear();
    this.lastPushed.clear();
  }
}
