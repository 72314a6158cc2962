// What runs, read and never changed: the labs on this engine, one lab's status, the
// lab file as last applied, and where a node's commands run.
import type Docker from 'dockerode';
import type { LabStatus, LabSummary, NodeStatus } from '../api/types.js';
import type { Lab } from '../lab/model.js';
import { parseLabText } from '../lab/parse.js';
import type { DockerClient } from './docker.js';
import { checkEngine } from './docker.js';
import { EngineError } from './errors.js';
import { containerStatusScript, parseContainerStatus } from './host-scripts.js';
import { listHostContainers, runningHost } from './hosts.js';
import { execCapture } from './exec.js';
import { LABEL_LAB, LABEL_ROLE, labOfLabels } from './labels.js';
import type { LabStore } from './lab-store.js';
import { findUnderlay } from './underlay.js';

/** A host or container found in a running lab: commands for it run in `host`. */
export interface LocatedNode {
  host: Docker.Container;
  hostName: string;
  /** Set for a container: reached with `docker exec` inside its host. */
  container?: string;
}

/** Every lab with a host or an underlay on this engine, by name. */
export async function listLabs(docker: DockerClient, store: LabStore): Promise<LabSummary[]> {
  await checkEngine(docker);
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL_ROLE}=host`] } });
  const networks = await docker.listNetworks({ filters: { label: [LABEL_LAB] } });
  const labs = new Map<string, LabSummary>();
  const summary = (name: string) => {
    let entry = labs.get(name);
    if (!entry) labs.set(name, (entry = { name, title: '', hosts: 0, running: 0 }));
    return entry;
  };
  // A label that is not a valid lab name is not a lab of ours: it never becomes a name, a path or a line.
  for (const network of networks) {
    const lab = labOfLabels(network.Labels);
    if (lab !== undefined) summary(lab);
  }
  for (const c of containers) {
    const lab = labOfLabels(c.Labels);
    if (lab === undefined) continue;
    const entry = summary(lab);
    entry.hosts++;
    if (c.State === 'running') entry.running++;
  }
  for (const entry of labs.values()) entry.title = (await appliedLab(store, entry.name))?.title ?? '';
  return [...labs.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The lab as last applied, read with the same model as any lab file. */
export async function appliedLab(store: LabStore, name: string): Promise<Lab | undefined> {
  const text = await store.load(name);
  const parsed = text === undefined ? undefined : parseLabText(text);
  return parsed?.ok ? parsed.lab : undefined;
}

/** The lab's hosts and containers and how they run; undefined when nothing of the lab exists. */
export async function findLabStatus(docker: DockerClient, store: LabStore, name: string): Promise<LabStatus | undefined> {
  await checkEngine(docker);
  const hosts = await listHostContainers(docker, name);
  const network = await findUnderlay(docker, name);
  if (hosts.length === 0 && !network) return undefined;
  const nodes: NodeStatus[] = [];
  await Promise.all(
    hosts.map(async (host) => {
      const info = await docker.getContainer(host.id).inspect();
      const address = Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress;
      nodes.push({ name: host.name, kind: 'host', state: host.running ? 'running' : host.status, addresses: address ? [address] : [] });
      if (!host.running) return;
      const result = await execCapture(docker.getContainer(host.id), ['sh', '-c', containerStatusScript(name)]);
      for (const container of parseContainerStatus(result.stdout)) nodes.push({ kind: 'container', host: host.name, ...container });
    }),
  );
  nodes.sort((a, b) => (a.host ?? a.name).localeCompare(b.host ?? b.name) || (a.kind === 'host' ? -1 : 1) || a.name.localeCompare(b.name));
  const allRunning = nodes.every((n) => n.state === 'running');
  const anyRunning = nodes.some((n) => n.state === 'running');
  return {
    name,
    title: (await appliedLab(store, name))?.title ?? '',
    state: allRunning && anyRunning ? 'running' : anyRunning ? 'degraded' : 'stopped',
    nodes,
  };
}

export async function labStatus(docker: DockerClient, store: LabStore, name: string): Promise<LabStatus> {
  const status = await findLabStatus(docker, store, name);
  if (!status) throw labNotFound(name);
  return status;
}

/** The lab file as last applied by `up`. */
export async function exportLab(store: LabStore, name: string): Promise<string> {
  const text = await store.load(name);
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
export async function locateNode(docker: DockerClient, lab: string, node: string): Promise<LocatedNode> {
  const hosts = await listHostContainers(docker, lab);
  if (hosts.length === 0) throw labNotFound(lab);
  if (hosts.some((h) => h.name === node)) return { host: await runningHost(docker, lab, node), hostName: node };
  for (const host of hosts.filter((h) => h.running)) {
    const container = docker.getContainer(host.id);
    const found = await execCapture(container, ['docker', 'inspect', '-f', `{{index .Config.Labels "${LABEL_LAB}"}}`, node]);
    if (found.exitCode === 0 && found.stdout.trim() === lab) return { host: container, hostName: host.name, container: node };
  }
  throw new EngineError(
    'node-not-found',
    `Lab ${lab} has no running host or container named ${node}.`,
    `\`vxlab status ${lab}\` lists its nodes.`,
  );
}

function labNotFound(name: string): EngineError {
  return new EngineError('lab-not-found', `No lab named ${name} runs on this engine.`, '`vxlab ls` lists the labs that do.');
}
