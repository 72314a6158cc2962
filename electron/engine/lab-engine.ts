// The engine as one service: bring a lab up (or converge it to a changed file), take
// it down, tell what runs, and push status changes. It emits events and knows nothing
// of who listens. The work itself lives in lab-up.ts and lab-down.ts (reconciling),
// lab-queries.ts (reading) and status-feed.ts with docker-events.ts and
// inner-events.ts (watching); this class holds the Docker client and the lab store
// they share.
import type { DownResult, LabStatus, LabSummary, NodeStatus, UpResult } from '../api/types.js';
import type { Lab } from '../lab/model.js';
import type { DockerClient } from './docker.js';
import { randomUUID } from 'node:crypto';
import { connectDocker } from './docker.js';
import { openLabEvents } from './docker-events.js';
import type { EmitEvent } from './events.js';
import { ignoreEvents } from './events.js';
import { openInnerEvents } from './inner-events.js';
import { downLab } from './lab-down.js';
import type { LocatedNode } from './lab-queries.js';
import { appliedLab, exportLab, findLabStatus, labStatus, listLabs, locateNode } from './lab-queries.js';
import { LabStore } from './lab-store.js';
import type { UpOptions } from './lab-up.js';
import { upLab } from './lab-up.js';
import type { StatusListener } from './status-feed.js';
import { StatusFeed } from './status-feed.js';

export type { DownResult, LabStatus, LabSummary, LocatedNode, NodeStatus, StatusListener, UpOptions, UpResult };

export class LabEngine {
  private readonly statusFeed: StatusFeed;
  /** Marks the watchers this engine runs inside hosts, apart from those of another vxlab process. */
  readonly watcherTag = randomUUID().slice(0, 12);

  constructor(
    readonly docker: DockerClient = connectDocker(),
    readonly store: LabStore = new LabStore(),
  ) {
    this.statusFeed = new StatusFeed({
      status: (lab) => findLabStatus(this.docker, this.store, lab),
      events: (signal) => openLabEvents(this.docker, signal),
      innerEvents: (lab, host, signal) => openInnerEvents(this.docker, lab, host, signal, this.watcherTag),
    });
  }

  async up(lab: Lab, emit: EmitEvent = ignoreEvents, options: UpOptions = {}): Promise<UpResult> {
    try {
      return await upLab(this.docker, this.store, lab, this.statusFeed.followSteps(lab.name, emit), options);
    } finally {
      this.statusFeed.touch(lab.name);
    }
  }

  /** Removes everything labelled with the lab, whatever state an interrupted `up` left. */
  async down(name: string, emit: EmitEvent = ignoreEvents): Promise<DownResult> {
    try {
      return await downLab(this.docker, this.store, name, this.statusFeed.followSteps(name, emit));
    } finally {
      this.statusFeed.touch(name);
    }
  }

  list(): Promise<LabSummary[]> {
    return listLabs(this.docker, this.store);
  }

  status(name: string): Promise<LabStatus> {
    return labStatus(this.docker, this.store, name);
  }

  /** The lab as last applied, read with the same model as any lab file. */
  appliedLab(name: string): Promise<Lab | undefined> {
    return appliedLab(this.store, name);
  }

  /** The lab file as last applied by `up`. */
  exportLab(name: string): Promise<string> {
    return exportLab(this.store, name);
  }

  /** Where a node's commands run: its host container, and for a container the prefix that reaches it. */
  locateNode(lab: string, node: string): Promise<LocatedNode> {
    return locateNode(this.docker, lab, node);
  }

  /**
   * Calls `listener` with a lab's fresh status whenever its nodes change (this engine's
   * steps, and Docker events of lab containers from anyone), or `undefined` once nothing
   * of the lab exists. Debounced per lab. The function returned stops watching; the
   * last stop closes the Docker event stream.
   */
  watchStatus(listener: StatusListener): () => void {
    return this.statusFeed.watch(listener);
  }
}
