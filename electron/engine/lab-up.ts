// Bringing a lab up, or converging a running one to a changed file: observe what runs,
// plan the difference (lab/plan.ts decides), and carry the plan out, every host in
// parallel. Each step is idempotent, so running `up` again finishes an interrupted one.
import type Docker from 'dockerode';
import type { UpResult } from '../api/types.js';
import type { ImageReference } from '../lab/brands.js';
import type { Lab } from '../lab/model.js';
import type { ContainerWiring, HostWiring, ObservedLab, UpPlan } from '../lab/plan.js';
import { planUp, planWiring } from '../lab/plan.js';
import type { DockerClient } from './docker.js';
import { checkEngine } from './docker.js';
import { EngineError } from './errors.js';
import type { EmitEvent } from './events.js';
import { runStep } from './events.js';
import type { HostObservation } from './host-scripts.js';
import { containersScript, overlayScript, parseReadyOutput, readyScript } from './host-scripts.js';
import { createHost, hostContainerName, listHostContainers, removeHost } from './hosts.js';
import { openSavedImage, savedImageFile } from './image-cache.js';
import { ensureImages, imageExists } from './images.js';
import { execCapture, runScript } from './exec.js';
import type { LabStore } from './lab-store.js';
import { checkUnderlayFree, createUnderlay, findUnderlay, removeUnderlay } from './underlay.js';

export interface UpOptions {
  /** Without tunnels the hosts get bridges but no VXLAN devices: the underlay alone. */
  tunnels?: boolean;
  /** The lab file's text, kept for `export`. */
  sourceText?: string;
}

/** What every host of one `up` shares. */
interface UpRun {
  docker: DockerClient;
  lab: Lab;
  plan: UpPlan;
  images: { host: ImageReference; node: ImageReference };
  /** The node image saved to a file once, for every host to load. */
  nodeImageFile: () => Promise<string>;
  tunnels: boolean;
  emit: EmitEvent;
}

export async function upLab(docker: DockerClient, store: LabStore, lab: Lab, emit: EmitEvent, options: UpOptions): Promise<UpResult> {
  const started = Date.now();
  await runStep(emit, 'check-engine', undefined, () => checkEngine(docker));
  const images = await ensureImages(docker, emit);
  await checkUserImages(docker, lab);
  const wiring = planWiring(lab, images);

  const underlay = await findUnderlay(docker, lab.name);
  const observed = await observe(docker, lab.name, underlay?.spec);
  const plan = planUp(lab, wiring, observed);
  if (!underlay || plan.recreateUnderlay) await checkUnderlayFree(docker, lab);

  await Promise.all(
    plan.removeHosts.map((host) => runStep(emit, 'remove', host, () => removeHost(docker, lab.name, host), undefined, [host])),
  );
  if (plan.recreateUnderlay) await removeUnderlay(docker, lab.name);
  if (!underlay || plan.recreateUnderlay) {
    await runStep(emit, 'underlay', undefined, () => createUnderlay(docker, lab), lab.underlay.subnet);
  }

  const savedNodeImage = savedImageFile(docker, images.node);
  savedNodeImage.catch(() => {}); // awaited per host below; keep an early failure from going unhandled
  const run: UpRun = { docker, lab, plan, images, nodeImageFile: () => savedNodeImage, tunnels: options.tunnels ?? true, emit };
  await Promise.all(wiring.map((host) => bringUpHost(run, host)));
  if (options.sourceText !== undefined) await store.save(lab.name, options.sourceText);
  return { plan, ms: Date.now() - started };
}

/** One host from nothing (or from where it stands) to fully wired; hosts run this in parallel. */
async function bringUpHost(run: UpRun, wiring: HostWiring): Promise<void> {
  const { docker, lab, plan, images, emit } = run;
  const name = wiring.host;
  let container: Docker.Container;
  if (plan.createHosts.includes(name)) {
    container = await runStep(emit, 'host', name, () => createHost(docker, lab.name, wiring, images.host), wiring.ip, [name]);
  } else {
    container = docker.getContainer(hostContainerName(lab.name, name));
  }
  const observation = await runStep(emit, 'host', name, async () =>
    parseReadyOutput(await runScript(container, readyScript(lab.name), `Starting the Docker engine of host ${name}`)),
    'waiting for its Docker engine',
    [name],
  );
  // The overlay does not need the image: wire it while the image loads.
  await Promise.all([
    loadImages(run, container, wiring, observation),
    runStep(emit, 'overlay', name, async () => {
      try {
        await runScript(container, overlayScript(wiring, { tunnels: run.tunnels }), `Wiring the overlays of host ${name}`);
      } catch (error) {
        throw explainVxlanFailure(error);
      }
    }, describeOverlays(wiring, run.tunnels)),
  ]);
  const change = {
    remove: plan.removeContainers.filter((c) => c.host === name).map((c) => c.name),
    create: plan.createContainers.filter((c) => c.host === name).map((c) => c.name),
  };
  const changed = [...new Set([...change.remove, ...change.create])];
  await runStep(emit, 'container', name, () =>
    runScript(
      container,
      containersScript(lab.name, wiring, change, (c: ContainerWiring) => c.image ?? images.node),
      `Starting the containers of host ${name}`,
    ),
    describeContainerChange(change, wiring),
    changed.length > 0 ? changed : undefined,
  );
}

async function loadImages(run: UpRun, container: Docker.Container, wiring: HostWiring, observation: HostObservation): Promise<void> {
  const nodeImage = run.images.node;
  const wanted = new Set(wiring.containers.map((c) => c.image ?? nodeImage));
  const present = new Set(observation.images);
  for (const image of wanted) {
    if (present.has(image) || present.has(`${image}:latest`)) continue;
    await runStep(run.emit, 'load-image', wiring.host, async () => {
      const file = image === nodeImage ? await run.nodeImageFile() : await savedImageFile(run.docker, image);
      const result = await execCapture(container, ['docker', 'load', '-q'], { stdin: openSavedImage(file) });
      if (result.exitCode !== 0) {
        throw new EngineError('step-failed', `Loading ${image} into host ${wiring.host} failed: ${result.stderr.trim()}`);
      }
    }, image);
  }
}

/** Images named in the file must be on the engine already: no registry may answer. */
async function checkUserImages(docker: DockerClient, lab: Lab): Promise<void> {
  const named = new Set(lab.containers.map((c) => c.image).filter((image): image is NonNullable<typeof image> => !!image));
  for (const image of named) {
    if (!(await imageExists(docker, image))) {
      const index = lab.containers.findIndex((c) => c.image === image);
      throw new EngineError(
        'image-missing',
        `containers[${index}].image names ${image}, which this Docker engine does not have.`,
        'Build or load it first (`docker build`, `docker load`), or remove the field to use the node image.',
      );
    }
  }
}

/** What runs of the lab now, as planUp compares it with the file. */
async function observe(docker: DockerClient, lab: string, underlaySpecLabel: string | undefined): Promise<ObservedLab> {
  const hosts = await listHostContainers(docker, lab);
  const containers: ObservedLab['containers'] = [];
  await Promise.all(
    hosts
      .filter((h) => h.running)
      .map(async (host) => {
        const container = docker.getContainer(host.id);
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
