// Taking a lab down: everything labelled with it goes, containers first (a host takes
// its inner containers with it), then its networks and volumes, whatever state an
// interrupted `up` left behind.
import type { DownResult } from '../api/types.js';
import { isNodeName } from '../lab/brands.js';
import type { DockerClient } from './docker.js';
import { checkEngine, isNotFound } from './docker.js';
import type { EmitEvent } from './events.js';
import { runStep } from './events.js';
import { LABEL_HOST, labFilter } from './labels.js';
import type { LabStore } from './lab-store.js';

export async function downLab(docker: DockerClient, store: LabStore, name: string, emit: EmitEvent): Promise<DownResult> {
  await checkEngine(docker);
  const result: DownResult = { containers: 0, networks: 0, volumes: 0 };
  const containers = await docker.listContainers({ all: true, filters: labFilter(name) });
  await Promise.all(
    containers.map((c) => {
      const host = c.Labels[LABEL_HOST];
      // The label is the host's name when vxlab made the container; anything else is only shown.
      const nodes = isNodeName(host) ? [host] : undefined;
      return runStep(emit, 'remove', host ?? c.Names[0], async () => {
        await ignoreMissing(docker.getContainer(c.Id).remove({ force: true, v: true }));
        result.containers++;
      }, undefined, nodes);
    }),
  );
  for (const network of await docker.listNetworks({ filters: labFilter(name) })) {
    await ignoreMissing(docker.getNetwork(network.Id).remove());
    result.networks++;
  }
  const { Volumes } = await docker.listVolumes({ filters: labFilter(name) });
  for (const volume of Volumes ?? []) {
    await ignoreMissing(docker.getVolume(volume.Name).remove());
    result.volumes++;
  }
  await store.remove(name);
  return result;
}

async function ignoreMissing(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
