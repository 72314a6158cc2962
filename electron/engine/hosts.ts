// Host containers: Docker-in-Docker machines on the underlay. `--privileged` is
// refused where the capability bounding set lacks CAP_SYS_RESOURCE, so a host gets
// every capability but that one, and the paths and devices an inner engine needs.
// A host is root on this machine in all but name (README: "A host shell is root on this
// machine"); what is fenced off below guards against accidents in a host shell, not
// against its owner.
import type Docker from 'dockerode';
import type { ImageReference } from '../lab/brands.js';
import { hostContainerName, hostVolumeName, underlayNetworkName } from '../lab/naming.js';
import type { HostWiring } from '../lab/plan.js';
import type { DockerClient } from './docker.js';
import { isConflict, isNotFound } from './docker.js';
import { EngineError } from './errors.js';
import { hostInitScript } from './host-scripts.js';
import { LABEL_HOST, LABEL_LAB, LABEL_SPEC, labFilter, labLabels } from './labels.js';

export { hostContainerName, hostVolumeName };

/**
 * Docker's default masked paths: files an inner engine never reads, and some (kcore,
 * keys, timer lists) that tell about the machine. Bound over with /dev/null or an empty tmpfs.
 */
export const HOST_MASKED_PATHS: readonly string[] = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

/**
 * Read-only in a host: Docker's defaults (sysrq-trigger above all: one stray `echo b` would
 * reboot the machine) except /proc/sys itself, because a host and its inner engine set net.*
 * sysctls of their own namespaces. The machine-wide sysctl trees go read-only instead: among
 * them kernel.core_pattern and fs.binfmt_misc, which would run a program on the machine.
 */
export const HOST_READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sysrq-trigger',
  '/proc/sys/kernel',
  '/proc/sys/vm',
  '/proc/sys/fs',
  '/proc/sys/dev',
  '/proc/sys/debug',
  '/proc/sys/user',
  '/proc/sys/abi',
];

/**
 * Devices a host may use: every character device (the inner engine makes /dev/null, ttys
 * and the like for its containers), and block devices only to make a node, which is what
 * the inner engine's default rules ask for, never to read or write one: the machine's
 * disks stay out of reach.
 */
export const HOST_DEVICE_RULES: readonly string[] = ['c *:* rwm', 'b *:* m'];

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
    filters: labFilter(lab, 'host'),
  });
  return containers.map((c) => ({
    name: c.Labels[LABEL_HOST] ?? '',
    id: c.Id,
    spec: c.Labels[LABEL_SPEC] ?? '',
    running: c.State === 'running',
    status: c.Status,
  }));
}

/** Makes and starts a host. `image` is a checked reference: dockerode puts it into an API path as it is. */
export async function createHost(docker: DockerClient, lab: string, wiring: HostWiring, image: ImageReference): Promise<Docker.Container> {
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
        MaskedPaths: [...HOST_MASKED_PATHS],
        ReadonlyPaths: [...HOST_READONLY_PATHS],
        DeviceCgroupRules: [...HOST_DEVICE_RULES],
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
