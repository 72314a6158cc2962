// Which hosts take part in an overlay: the one rule behind both the engine's VXLAN
// flood lists (plan.ts, from a validated lab) and the tunnels the editor draws
// (tunnels.ts, from a document being typed). A host takes part when one of its
// containers attaches to the overlay; every two hosts on an overlay peer over its VNI.
//
// It reads only the fields the rule needs, so a half-typed document and a validated
// Lab both fit, and hands back the caller's own host entries.

export interface MembershipSource<Host extends { name: string }> {
  hosts: readonly Host[];
  containers: readonly { host: string; interfaces: readonly { overlay: string }[] }[];
}

/**
 * Overlay name -> the hosts on it, each once and in the file's order of hosts. A name
 * that is empty (not typed yet) takes part in nothing. One pass over the lab: callers
 * that ask about every overlay or every host read this map instead of rescanning.
 */
export function overlayMembership<Host extends { name: string }>(lab: MembershipSource<Host>): Map<string, Host[]> {
  const overlaysOfHost = new Map<string, Set<string>>();
  for (const container of lab.containers) {
    if (container.host === '') continue;
    let overlays = overlaysOfHost.get(container.host);
    if (!overlays) overlaysOfHost.set(container.host, (overlays = new Set()));
    for (const iface of container.interfaces) if (iface.overlay !== '') overlays.add(iface.overlay);
  }
  const membership = new Map<string, Host[]>();
  const seenHosts = new Set<string>();
  for (const host of lab.hosts) {
    if (host.name === '' || seenHosts.has(host.name)) continue;
    seenHosts.add(host.name);
    for (const overlay of overlaysOfHost.get(host.name) ?? []) {
      let hosts = membership.get(overlay);
      if (!hosts) membership.set(overlay, (hosts = []));
      hosts.push(host);
    }
  }
  return membership;
}

/** The other hosts `host` floods to on `overlay`; none when `host` is not on it. */
export function peersOnOverlay<Host extends { name: string }>(
  membership: Map<string, Host[]>,
  overlay: string,
  host: string,
): Host[] {
  const hosts = membership.get(overlay) ?? [];
  return hosts.some((h) => h.name === host) ? hosts.filter((h) => h.name !== host) : [];
}
