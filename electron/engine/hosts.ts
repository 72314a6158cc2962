// Host containers: Docker-in-Docker machines on the underlay. `--privileged` is
// refused where the capability bounding set lacks CAP_SYS_RESOURCE, so a host gets
// every capability but that one, and the paths and devices an inner engine needs.
import type Docker from 'dockerode';
import type { HostWiring } from '../lab/plan.js';
import type { DockerClient } from './docker.js';
import { isConflict, isNotFound } from './docker.js';
import { EngineError } from './errors.js';
import { hostInitScript } from './host-scripts.js';
import { LABEL_HOST, LABEL_LAB, LABEL_SPEC, labLabels } from './labels.js';
import { underlayNetworkName } from './underlay.js';

export function hostContainerName(lab: string, host: string): string {
  return `${lab}-${host}`;
}

export function hostVolumeName(lab: string, host: string): string {
  return `${lab}-${host}-docker`;
}

export interface HostContainerState {
  name: string;
  id: string;
  spec: string;
  running: boolean;
  status: string;
}

export async function listHostContainers(docker: DockerClient, lab: string): Promise<HostContainerState[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL_LAB}=${lab}`, 'vxlab.role=host'] },
  });
  return containers.map((c) => ({
    name: c.Labels[LABEL_HOST] ?? '',
    id: c.Id,
    spec: c.Labels[LABEL_SPEC] ?? '',
    running: c.State === 'running',
    status: c.Status,
  }));
}

export async function createHost(docker: DockerClient, lab: string, wiring: HostWiring, image: string): Promise<Docker.Container> {
  const labels = labLabels(lab, 'host', { [LABEL_HOST]: wiring.host, [LABEL_SPEC]: wiring.spec });
  const name = hostContainerName(lab, wiring.host);
  const network = underlayNetworkName(lab);
  try {
    const container = await docker.createContainer({
      name,
      Hostname: wiring.host,
      Image: image,
      Cmd: ['sh', '-c', hostInitScript()],
      Labels: labels,
      HostConfig: {
        CapAdd: ['ALL'],
        CapDrop: ['SYS_RESOURCE'],
        SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
        // What the CLI's `--security-opt systempaths=unconfined` means: /proc and /sys unmasked.
        MaskedPaths: [],
        ReadonlyPaths: [],
        DeviceCgroupRules: ['a *:* rwm'],
        Tmpfs: { '/run': '', '/tmp': '' },
        Binds: ['/sys/fs/cgroup:/sys/fs/cgroup:rw'],
        // A volume of its own for the inner engine: overlay2 cannot sit on overlay2,
        // and without it the inner engine falls back to copying every layer (vfs).
        Mounts: [
          {
            Type: 'volume',
            Source: hostVolumeName(lab, wiring.host),
            Target: '/var/lib/docker',
            // The volume carries the lab's labels too, so `down` finds it after any crash.
            VolumeOptions: { Labels: labLabels(lab, 'host', { [LABEL_HOST]: wiring.host }) } as Docker.MountSettings['VolumeOptions'],
          },
        ],
        NetworkMode: network,
      },
      NetworkingConfig: { EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: wiring.ip } } } },
    });
    await container.start();
    return container;
  } catch (error) {
    if (isConflict(error)) await explainConflict(docker, lab, name);
    throw error;
  }
}

async function explainConflict(docker: DockerClient, lab: string, name: string): Promise<void> {
  const existing = await docker.getContainer(name).inspect().catch(() => undefined);
  const owner = existing?.Config.Labels?.[LABEL_LAB];
  if (existing && owner !== lab) {
    throw new EngineError(
      'name-in-use',
      `The container name ${name} is already used ${owner ? `by lab ${owner}` : 'by a container vxlab did not make'}.`,
      owner ? `Stop that lab first (\`vxlab down ${owner}\`) or rename yours.` : `Rename the lab, or remove that container (docker rm -f ${name}).`,
    );
  }
}

export async function removeHost(docker: DockerClient, lab: string, host: string): Promise<void> {
  try {
    await docker.getContainer(hostContainerName(lab, host)).remove({ force: true, v: true });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await docker.getVolume(hostVolumeName(lab, host)).remove();
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/** The host container, or a clear error saying the host is gone or stopped. */
export async function runningHost(docker: DockerClient, lab: string, host: string): Promise<Docker.Container> {
  const container = docker.getContainer(hostContainerName(lab, host));
  let info: Docker.ContainerInspectInfo;
  try {
    info = await container.inspect();
  } catch (error) {
    if (isNotFound(error)) {
      throw new EngineError('node-not-found', `Lab ${lab} has no host ${host}.`, `\`vxlab status ${lab}\` lists its hosts.`);
    }
    throw error;
  }
  if (!info.State.Running) {
    throw new EngineError(
      'host-died',
      `Host ${host} of lab ${lab} is not running: it exited with code ${info.State.ExitCode} at ${info.State.FinishedAt}` +
        (info.State.Error ? ` (${info.State.Error})` : '') + '.',
      `Run \`vxlab up\` with the lab file again to make it anew; \`docker logs ${hostContainerName(lab, host)}\` may say why it stopped.`,
    );
  }
  return container;
}
