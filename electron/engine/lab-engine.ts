// The engine as one service: bring a lab up (or converge it to a changed file), take
// it down, and tell what runs. It emits events and knows nothing of who listens.
import type Docker from 'dockerode';
import type { DownResult, LabStatus, LabSummary, NodeStatus, UpResult } from '../api/types.js';
import type { Lab } from '../lab/model.js';
import type { ContainerWiring, HostWiring, ObservedLab, UpPlan } from '../lab/plan.js';
import { planUp, planWiring } from '../lab/plan.js';
import { parseLabText } from '../lab/parse.js';
import type { DockerClient } from './docker.js';
import { checkEngine, connectDocker, isNotFound } from './docker.js';
import { EngineError } from './errors.js';
import type { EmitEvent } from './events.js';
import { ignoreEvents, runStep } from './events.js';
import type { HostObservation } from './host-scripts.js';
import { containerStatusScript, containersScript, overlayScript, parseContainerStatus, parseReadyOutput, readyScript } from './host-scripts.js';
import { createHost, hostContainerName, listHostContainers, removeHost, runningHost } from './hosts.js';
import { ensureImages, imageExists } from './images.js';
import { openSavedImage, savedImageFile } from './image-cache.js';
import { execCapture, runScript } from './exec.js';
import { LABEL_LAB, LABEL_ROLE, labFilter } from './labels.js';
import { LabStore } from './lab-store.js';
import { checkUnderlayFree, createUnderlay, findUnderlay, removeUnderlay } from './underlay.js';

export type { DownResult, LabStatus, LabSummary, NodeStatus, UpResult };

export interface UpOptions {
  /** Without tunnels the hosts get bridges but no VXLAN devices: the underlay alone. */
  tunnels?: boolean;
  /** The lab file's text, kept for `export`. */
  sourceText?: string;
}

/** A host or container found in a running lab: commands for it run in `host`. */
export interface LocatedNode {
  host: Docker.Container;
  hostName: string;
  /** Set for a container: reached with `docker exec` inside its host. */
  container?: string;
}

export class LabEngine {
  constructor(
    readonly docker: DockerClient = connectDocker(),
    readonly store: LabStore = new LabStore(),
  ) {}

  async up(lab: Lab, emit: EmitEvent = ignoreEvents, options: UpOptions = {}): Promise<UpResult> {
    const started = Date.now();
    const tunnels = options.tunnels ?? true;
    await runStep(emit, 'check-engine', undefined, () => checkEngine(this.docker));
    const images = await ensureImages(this.docker, emit);
    await this.checkUserImages(lab);
    const wiring = planWiring(lab, images);

    const underlay = await findUnderlay(this.docker, lab.name);
    const observed = await this.observe(lab.name, underlay?.spec);
    const plan = planUp(lab, wiring, observed);
    if (!underlay || plan.recreateUnderlay) await checkUnderlayFree(this.docker, lab);

    await Promise.all(
      plan.removeHosts.map((host) => runStep(emit, 'remove', host, () => removeHost(this.docker, lab.name, host))),
    );
    if (plan.recreateUnderlay) await removeUnderlay(this.docker, lab.name);
    if (!underlay || plan.recreateUnderlay) {
      await runStep(emit, 'underlay', undefined, () => createUnderlay(this.docker, lab), lab.underlay.subnet);
    }

    const savedNodeImage = savedImageFile(this.docker, images.node);
    savedNodeImage.catch(() => {}); // awaited per host below; keep an early failure from going unhandled
    await Promise.all(
      wiring.map((host) =>
        this.bringUpHost(lab, host, plan, images, () => savedNodeImage, tunnels, emit),
      ),
    );
    if (options.sourceText !== undefined) await this.store.save(lab.name, options.sourceText);
    return { plan, ms: Date.now() - started };
  }

  /** One host from nothing (or from where it stands) to fully wired; hosts run this in parallel. */
  private async bringUpHost(
    lab: Lab,
    wiring: HostWiring,
    plan: UpPlan,
    images: { host: string; node: string },
    nodeImageFile: () => Promise<string>,
    tunnels: boolean,
    emit: EmitEvent,
  ): Promise<void> {
    const name = wiring.host;
    let container: Docker.Container;
    if (plan.createHosts.includes(name)) {
      container = await runStep(emit, 'host', name, () => createHost(this.docker, lab.name, wiring, images.host), wiring.ip);
    } else {
      container = this.docker.getContainer(hostContainerName(lab.name, name));
    }
    const observation = await runStep(emit, 'host', name, async () =>
      parseReadyOutput(await runScript(container, readyScript(lab.name), `Starting the Docker engine of host ${name}`)),
      'waiting for its Docker engine',
    );
    // The overlay does not need the image: wire it while the image loads.
    await Promise.all([
      this.loadImages(container, wiring, observation, images.node, nodeImageFile, emit),
      runStep(emit, 'overlay', name, async () => {
        try {
          await runScript(container, overlayScript(wiring, { tunnels }), `Wiring the overlays of host ${name}`);
        } catch (error) {
          throw explainVxlanFailure(error);
        }
      }, describeOverlays(wiring, tunnels)),
    ]);
    const change = {
      remove: plan.removeContainers.filter((c) => c.host === name).map((c) => c.name),
      create: plan.createContainers.filter((c) => c.host === name).map((c) => c.name),
    };
    await runStep(emit, 'container', name, () =>
      runScript(
        container,
        containersScript(lab.name, wiring, change, (c: ContainerWiring) => c.image ?? images.node),
        `Starting the containers of host ${name}`,
      ),
      describeContainerChange(change, wiring),
    );
  }

  private async loadImages(
    container: Docker.Container,
    wiring: HostWiring,
    observation: HostObservation,
    nodeImage: string,
    nodeImageFile: () => Promise<string>,
    emit: EmitEvent,
  ): Promise<void> {
    const wanted = new Set(wiring.containers.map((c) => c.image ?? nodeImage));
    const present = new Set(observation.images);
    for (const image of wanted) {
      if (present.has(image) || present.has(`${image}:latest`)) continue;
      await runStep(emit, 'load-image', wiring.host, async () => {
        const file = image === nodeImage ? await nodeImageFile() : await savedImageFile(this.docker, image);
        const result = await execCapture(container, ['docker', 'load', '-q'], { stdin: openSavedImage(file) });
        if (result.exitCode !== 0) {
          throw new EngineError('step-failed', `Loading ${image} into host ${wiring.host} failed: ${result.stderr.trim()}`);
        }
      }, image);
    }
  }

  /** Images named in the file must be on the engine already: no registry may answer. */
  private async checkUserImages(lab: Lab): Promise<void> {
    const named = new Set(lab.containers.map((c) => c.image).filter((image): image is NonNullable<typeof image> => !!image));
    for (const image of named) {
      if (!(await imageExists(this.docker, image))) {
        const index = lab.containers.findIndex((c) => c.image === image);
        throw new EngineError(
          'image-missing',
          `containers[${index}].image names ${image}, which this Docker engine does not have.`,
          'Build or load it first (`docker build`, `docker load`), or remove the field to use the node image.',
        );
      }
    }
  }

  private async observe(lab: string, underlaySpecLabel: string | undefined): Promise<ObservedLab> {
    const hosts = await listHostContainers(this.docker, lab);
    const containers: ObservedLab['containers'] = [];
    await Promise.all(
      hosts
        .filter((h) => h.running)
        .map(async (host) => {
          const container = this.docker.getContainer(host.id);
          const result = await execCapture(container, ['sh', '-c', readyScript(lab, 20)]);
          if (result.exitCode !== 0) {
            host.running = false; // an engine that does not answer: make the host anew
            return;
          }
          for (const c of parseReadyOutput(result.stdout).containers) containers.push({ host: host.name, ...c });
        }),
    );
    return {
      underlay: underlaySpecLabel === undefined ? undefined : { spec: underlaySpecLabel },
      hosts: hosts.map((h) => ({ name: h.name, spec: h.spec, running: h.running })),
      containers,
    };
  }

  /** Removes everything labelled with the lab, whatever state an interrupted `up` left. */
  async down(name: string, emit: EmitEvent = ignoreEvents): Promise<DownResult> {
    await checkEngine(this.docker);
    const result: DownResult = { containers: 0, networks: 0, volumes: 0 };
    const containers = await this.docker.listContainers({ all: true, filters: labFilter(name) });
    await Promise.all(
      containers.map((c) =>
        runStep(emit, 'remove', c.Labels['vxlab.host'] ?? c.Names[0], async () => {
          await ignoreMissing(this.docker.getContainer(c.Id).remove({ force: true, v: true }));
          result.containers++;
        }),
      ),
    );
    for (const network of await this.docker.listNetworks({ filters: labFilter(name) })) {
      await ignoreMissing(this.docker.getNetwork(network.Id).remove());
      result.networks++;
    }
    const { Volumes } = await this.docker.listVolumes({ filters: labFilter(name) });
    for (const volume of Volumes ?? []) {
      await ignoreMissing(this.docker.getVolume(volume.Name).remove());
      result.volumes++;
    }
    await this.store.remove(name);
    return result;
  }

  async list(): Promise<LabSummary[]> {
    await checkEngine(this.docker);
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL_ROLE}=host`] } });
    const networks = await this.docker.listNetworks({ filters: { label: [LABEL_LAB] } });
    const labs = new Map<string, LabSummary>();
    const summary = (name: string) => {
      let entry = labs.get(name);
      if (!entry) labs.set(name, (entry = { name, title: '', hosts: 0, running: 0 }));
      return entry;
    };
    for (const network of networks) summary(network.Labels?.[LABEL_LAB] ?? '');
    for (const c of containers) {
      const entry = summary(c.Labels[LABEL_LAB] ?? '');
      entry.hosts++;
      if (c.State === 'running') entry.running++;
    }
    for (const entry of labs.values()) entry.title = (await this.appliedTitle(entry.name)) ?? '';
    return [...labs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The lab as last applied, read with the same model as any lab file. */
  async appliedLab(name: string): Promise<Lab | undefined> {
    const text = await this.store.load(name);
    const parsed = text === undefined ? undefined : parseLabText(text);
    return parsed?.ok ? parsed.lab : undefined;
  }

  private async appliedTitle(name: string): Promise<string | undefined> {
    return (await this.appliedLab(name))?.title;
  }

  async status(name: string): Promise<LabStatus> {
    await checkEngine(this.docker);
    const hosts = await listHostContainers(this.docker, name);
    const network = await findUnderlay(this.docker, name);
    if (hosts.length === 0 && !network) {
      throw new EngineError('lab-not-found', `No lab named ${name} runs on this engine.`, '`vxlab ls` lists the labs that do.');
    }
    const nodes: NodeStatus[] = [];
    await Promise.all(
      hosts.map(async (host) => {
        const info = await this.docker.getContainer(host.id).inspect();
        const address = Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress;
        nodes.push({ name: host.name, kind: 'host', state: host.running ? 'running' : host.status, addresses: address ? [address] : [] });
        if (!host.running) return;
        const result = await execCapture(this.docker.getContainer(host.id), ['sh', '-c', containerStatusScript(name)]);
        for (const container of parseContainerStatus(result.stdout)) nodes.push({ kind: 'container', host: host.name, ...container });
      }),
    );
    nodes.sort((a, b) => (a.host ?? a.name).localeCompare(b.host ?? b.name) || (a.kind === 'host' ? -1 : 1) || a.name.localeCompare(b.name));
    const allRunning = nodes.every((n) => n.state === 'running');
    const anyRunning = nodes.some((n) => n.state === 'running');
    return {
      name,
      title: (await this.appliedTitle(name)) ?? '',
      state: allRunning && anyRunning ? 'running' : anyRunning ? 'degraded' : 'stopped',
      nodes,
    };
  }

  /** The lab file as last applied by `up`. */
  async exportLab(name: string): Promise<string> {
    const text = await this.store.load(name);
    if (text === undefined) {
      throw new EngineError(
        'lab-not-found',
        `No record of a completed \`vxlab up\` of lab ${name} on this machine.`,
        `\`vxlab ls\` lists the labs that run; run \`vxlab up FILE\` to (re)apply one.`,
      );
    }
    return text;
  }

  /** Where a node's commands run: its host container, and for a container the prefix that reaches it. */
  async locateNode(lab: string, node: string): Promise<LocatedNode> {
    const hosts = await listHostContainers(this.docker, lab);
    if (hosts.length === 0) {
      throw new EngineError('lab-not-found', `No lab named ${lab} runs on this engine.`, '`vxlab ls` lists the labs that do.');
    }
    if (hosts.some((h) => h.name === node)) return { host: await runningHost(this.docker, lab, node), hostName: node };
    for (const host of hosts.filter((h) => h.running)) {
      const container = this.docker.getContainer(host.id);
      const found = await execCapture(container, ['docker', 'inspect', '-f', `{{index .Config.Labels "${LABEL_LAB}"}}`, node]);
      if (found.exitCode === 0 && found.stdout.trim() === lab) return { host: container, hostName: host.name, container: node };
    }
    throw new EngineError(
      'node-not-found',
      `Lab ${lab} has no running host or container named ${node}.`,
      `\`vxlab status ${lab}\` lists its nodes.`,
    );
  }
}

async function ignoreMissing(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

function explainVxlanFailure(error: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unknown device type|type vxlan.*not supported|Operation not supported/i.test(message) && /vxlan/i.test(message)) {
    return new EngineError(
      'vxlan-unsupported',
      'This kernel refused to create a VXLAN device, which every overlay needs.',
      'Load the module (`sudo modprobe vxlan`) or use a kernel built with CONFIG_VXLAN.',
    );
  }
  return error;
}

function describeOverlays(wiring: HostWiring, tunnels: boolean): string {
  if (wiring.overlays.length === 0) return 'no overlay on this host';
  return wiring.overlays
    .map((o) => `${o.overlay} VNI ${o.vni}${tunnels ? ` -> ${o.peers.length ? o.peers.join(', ') : 'no peer'}` : ' (bridge only, no tunnel)'}`)
    .join('; ');
}

function describeContainerChange(change: { remove: string[]; create: string[] }, wiring: HostWiring): string {
  const parts = [];
  if (change.create.length) parts.push(`start ${change.create.join(', ')}`);
  if (change.remove.length) parts.push(`remove ${change.remove.join(', ')}`);
  if (parts.length === 0) parts.push(wiring.containers.length ? 'all in place' : 'none');
  return parts.join('; ');
}
