// Memory a host container holds while idle, as the outer engine accounts it. The host's
// cgroup contains its inner engine and the inner containers (they run in its subtree),
// so this is what one host of a lab costs the machine.
import type Docker from 'dockerode';

const MiB = 1024 * 1024;

export interface HostMemory {
  host: string;
  mib: number;
}

/** Memory counters as the engine reports them; cgroup v1 and v2 name the file cache differently. */
interface MemoryCounters {
  usage?: number;
  stats?: { total_inactive_file?: number; inactive_file?: number; cache?: number };
}

/**
 * Usage less the file cache the kernel can drop at once: what `docker stats` shows.
 * Inactive file pages are preferred over the whole cache, as newer Docker clients do.
 */
export function workingSetBytes(memory: MemoryCounters): number {
  if (memory.usage === undefined) throw new Error('the engine reported no memory usage (is the memory cgroup controller enabled?)');
  const stats = memory.stats ?? {};
  const reclaimable = stats.total_inactive_file ?? stats.inactive_file ?? stats.cache ?? 0;
  return Math.max(0, memory.usage - reclaimable);
}

export async function hostMemory(host: string, container: Docker.Container): Promise<HostMemory> {
  const stats = (await container.stats({ stream: false })) as unknown as { memory_stats: MemoryCounters };
  return { host, mib: workingSetBytes(stats.memory_stats) / MiB };
}
