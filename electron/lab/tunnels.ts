// The VXLAN tunnels a lab makes, read from a document being edited. The rule is
// planWiring's: a host takes part in an overlay when one of its containers attaches
// to it, and every two hosts on the same overlay flood to each other over its VNI.

import { containersOf, hostsOf, overlaysOf } from './document.js';
import type { LabDocument } from './document.js';

export interface Tunnel {
  overlay: string;
  vni: number;
  /** The two hosts, in the file's order. */
  hosts: readonly [string, string];
  /** This tunnel's place among those between the same two hosts, so they can be drawn apart. */
  lane: number;
  lanes: number;
}

/** Hosts with a container attached to `overlay`, in the file's order. */
export function hostsOnOverlay(doc: LabDocument, overlay: string): string[] {
  const users = new Set(
    containersOf(doc)
      .filter((container) => container.interfaces.some((iface) => iface.overlay === overlay))
      .map((container) => container.host),
  );
  return unique(hostsOf(doc).map((host) => host.name)).filter((name) => users.has(name));
}

function unique(names: string[]): string[] {
  return [...new Set(names)].filter((name) => name !== '');
}

/** One tunnel per overlay (with a usable VNI) per pair of hosts that share it. */
export function tunnelsOf(doc: LabDocument): Tunnel[] {
  const seen = new Set<string>();
  const pairs: Omit<Tunnel, 'lane' | 'lanes'>[] = [];
  for (const overlay of overlaysOf(doc)) {
    if (overlay.vni === undefined || overlay.name === '' || seen.has(overlay.name)) continue;
    seen.add(overlay.name);
    const hosts = hostsOnOverlay(doc, overlay.name);
    for (let a = 0; a < hosts.length; a++) {
      for (let b = a + 1; b < hosts.length; b++) {
        pairs.push({ overlay: overlay.name, vni: overlay.vni, hosts: [hosts[a] as string, hosts[b] as string] });
      }
    }
  }
  const perPair = new Map<string, number>();
  const lanes = pairs.map((pair) => {
    const key = pair.hosts.join('\n');
    const lane = perPair.get(key) ?? 0;
    perPair.set(key, lane + 1);
    return lane;
  });
  return pairs.map((pair, index) => ({ ...pair, lane: lanes[index] ?? 0, lanes: perPair.get(pair.hosts.join('\n')) ?? 1 }));
}
