// The VXLAN tunnels a lab makes, read from a document being edited. Which hosts are
// on an overlay is overlay-membership.ts's rule, the one planWiring floods by: every
// two hosts on the same overlay are joined by a tunnel over its VNI.

import { containersOf, hostsOf, overlaysOf } from './document.js';
import type { HostEntry, LabDocument } from './document.js';
import { overlayMembership } from './overlay-membership.js';
import type { MembershipSource } from './overlay-membership.js';

export interface Tunnel {
  overlay: string;
  vni: number;
  /** The two hosts, in the file's order. */
  hosts: readonly [string, string];
  /** This tunnel's place among those between the same two hosts, so they can be drawn apart. */
  lane: number;
  lanes: number;
}

function membershipSource(doc: LabDocument): MembershipSource<HostEntry> {
  return { hosts: hostsOf(doc), containers: containersOf(doc) };
}

function namesOf(hosts: readonly HostEntry[] | undefined): string[] {
  return (hosts ?? []).map((host) => host.name);
}

/** Hosts with a container attached to `overlay`, in the file's order. */
export function hostsOnOverlay(doc: LabDocument, overlay: string): string[] {
  return namesOf(overlayMembership(membershipSource(doc)).get(overlay));
}

/** One tunnel per overlay (with a usable VNI) per pair of hosts that share it. */
export function tunnelsOf(doc: LabDocument): Tunnel[] {
  const seen = new Set<string>();
  const membership = overlayMembership(membershipSource(doc));
  const pairs: Omit<Tunnel, 'lane' | 'lanes'>[] = [];
  for (const overlay of overlaysOf(doc)) {
    if (overlay.vni === undefined || overlay.name === '' || seen.has(overlay.name)) continue;
    seen.add(overlay.name);
    const hosts = namesOf(membership.get(overlay.name));
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
