// The VXLAN doctor's rules: pure functions from what each host's kernel shows (its VTEP
// view) and what the lab file asks for (its wiring) to findings in plain words. The
// doctor never reads a record of what was broken: a fault made by hand with `ip link`
// inside a host is found the same way as one made by `vxlab break`.
import type { DoctorFinding, VtepDevice, VtepView } from '../api/types.js';
import type { HostWiring, TunnelWiring } from '../lab/plan.js';
import type { HostProbe } from './path-probe.js';

export type { DoctorFinding, DoctorFindingCode } from '../api/types.js';

/** What the doctor saw of one host: its view, or why it could not read it. */
export type HostObservation = { host: string; view: VtepView } | { host: string; error: string };

const HEAL = '`vxlab up` with the lab file';

/** Every finding for the lab, host by host in the file's order; none means healthy. */
export function diagnose(wiring: readonly HostWiring[], observations: readonly HostObservation[]): DoctorFinding[] {
  const seen = new Map(observations.map((o) => [o.host, o]));
  const hostByIp = new Map(wiring.map((h) => [h.ip as string, h.host as string]));
  const findings: DoctorFinding[] = [];
  for (const host of wiring) {
    const observed = seen.get(host.host);
    if (!observed || 'error' in observed) {
      findings.push({
        code: 'host-unreadable',
        host: host.host,
        cause: `${host.host}'s tables could not be read${observed && 'error' in observed ? `: ${observed.error}` : ''}.`,
        fix: `Check that the lab runs (vxlab status), then ${HEAL}.`,
      });
      continue;
    }
    for (const tunnel of host.overlays) findings.push(...tunnelFindings(host, tunnel, observed.view, seen, hostByIp));
  }
  return findings;
}

function tunnelFindings(
  host: HostWiring,
  want: TunnelWiring,
  view: VtepView,
  seen: Map<string, HostObservation>,
  hostByIp: Map<string, string>,
): DoctorFinding[] {
  const at = { host: host.host as string, overlay: want.overlay as string, device: want.device as string };
  const name = `${host.host}'s ${want.device}`;
  const peerNames = want.peers.map((ip) => hostByIp.get(ip) ?? ip);
  const device = view.vteps.find((v) => v.device === want.device);
  if (!device) {
    return [{
      ...at,
      code: 'device-missing',
      cause: `${host.host} has no ${want.device}, the VTEP of overlay ${want.overlay}: its containers on ${want.overlay} reach no other host.`,
      fix: `${HEAL} makes ${want.device} again (VNI ${want.vni}, UDP ${want.port}).`,
    }];
  }
  const findings: DoctorFinding[] = [];
  if (device.state.toUpperCase() === 'DOWN') {
    findings.push({
      ...at,
      code: 'device-down',
      cause: `${name} is down: it neither sends nor receives, so overlay ${want.overlay} is cut off at ${host.host}.`,
      fix: `${HEAL} sets it up again.`,
    });
  }
  if (device.bridge !== want.bridge) {
    findings.push({
      ...at,
      code: 'device-detached',
      cause: `${name} is ${device.bridge ? `on bridge ${device.bridge}` : 'on no bridge'}, not on ${want.bridge}: frames of ${host.host}'s containers never reach the tunnel.`,
      fix: `${HEAL} puts it back on ${want.bridge}.`,
    });
  }
  if (device.vni !== want.vni) {
    const senders = peersUsing(want, seen, (peer) => peer.vni === want.vni, hostByIp);
    findings.push({
      ...at,
      code: 'vni-mismatch',
      cause: `${name} has VNI ${device.vni} but ${senders ? `${senders} ${sendsOrSend(senders)}` : 'the lab file says'} VNI ${want.vni}: ` +
        `${host.host} drops ${peerFrames(peerNames)}, and its own frames are dropped by them.`,
      fix: `${HEAL} restores VNI ${want.vni}.`,
    });
  }
  if (device.port !== want.port) {
    const senders = peersUsing(want, seen, (peer) => peer.port === want.port, hostByIp);
    findings.push({
      ...at,
      code: 'port-mismatch',
      cause: `${name} uses UDP port ${device.port} but ${senders ? `${senders} ${sendsOrSend(senders)} to` : 'the lab file says'} port ${want.port}: ` +
        `${host.host} never hears ${peerFrames(peerNames)}, and its own go to a port no peer listens on.`,
      fix: `${HEAL} restores UDP port ${want.port}.`,
    });
  }
  if (device.localIp !== want.localIp) {
    const own = view.underlay.ip ?? want.localIp;
    findings.push({
      ...at,
      code: 'wrong-local',
      cause: `${name} sends from ${device.localIp || 'no local address'} but ${host.host}'s underlay address is ${own}: ` +
        `its frames leave with a source that is not ${host.host}, so the peers' replies and floods miss it.`,
      fix: `${HEAL} restores local ${want.localIp}.`,
    });
  }
  const floods = new Set(view.fdb.filter((e) => e.kind === 'flood' && e.device === want.device && e.dst).map((e) => e.dst as string));
  want.peers.forEach((peer, index) => {
    if (floods.has(peer)) return;
    const peerName = peerNames[index] ?? peer;
    findings.push({
      ...at,
      code: 'missing-flood',
      cause: `${name} has no flood entry to ${peerName} (${peer}): broadcasts and ARP from ${host.host} never reach ${peerName}, ` +
        `so ${host.host}'s containers cannot find ${peerName}'s.`,
      fix: `${HEAL} adds the flood entry to ${peer} back.`,
    });
  });
  const wanted = new Set<string>(want.peers);
  for (const dst of floods) {
    if (wanted.has(dst)) continue;
    findings.push({
      ...at,
      code: 'stray-flood',
      cause: `${name} floods to ${dst}, which is no peer on overlay ${want.overlay}: its broadcasts go where no VTEP of this overlay answers.`,
      fix: `${HEAL} removes the flood entry to ${dst}.`,
    });
  }
  return findings;
}

/** The peers whose own device for the overlay matches the file, named ("host-a", "host-a and host-c"). */
function peersUsing(
  want: TunnelWiring,
  seen: Map<string, HostObservation>,
  matches: (peer: VtepDevice) => boolean,
  hostByIp: Map<string, string>,
): string | undefined {
  const names = want.peers
    .map((ip) => hostByIp.get(ip))
    .filter((peer): peer is string => {
      if (!peer) return false;
      const observed = seen.get(peer);
      const device = observed && 'view' in observed ? observed.view.vteps.find((v) => v.device === want.device) : undefined;
      return device !== undefined && matches(device);
    });
  return names.length === 0 ? undefined : names.join(' and ');
}

function sendsOrSend(names: string): string {
  return names.includes(' and ') ? 'send' : 'sends';
}

function peerFrames(peerNames: readonly string[]): string {
  return peerNames.length === 0 ? 'any peer\'s frames' : `${peerNames.join(' and ')}'s frames`;
}

/** One finding as a person reads it. */
export function describeFinding(finding: DoctorFinding): string {
  return `${finding.cause} ${finding.fix}`;
}

/**
 * Findings from what the path probe observed (path-probe.ts): an interface MTU above its
 * overlay's, a loss rule on a host's link, and a path that loses pings that no other
 * finding explains. `earlier` are the findings from the tables: a path through a host or
 * an overlay they already name is not named twice.
 */
export function probeFindings(lab: string, probes: readonly HostProbe[], earlier: readonly DoctorFinding[]): DoctorFinding[] {
  const findings: DoctorFinding[] = [];
  for (const probe of probes) {
    for (const reading of probe.mtus) {
      if (reading.mtu <= reading.overlayMtu) continue;
      const small = reading.dfPings.find((p) => p.size === reading.overlayMtu);
      const large = reading.dfPings.find((p) => p.size === reading.mtu);
      const seen = small && large && small.received > 0 && large.received === 0
        ? ` The probe saw it: a don't-fragment ping of ${reading.overlayMtu} bytes to ${large.to} came back, one of ${reading.mtu} bytes died without an error.`
        : '';
      findings.push({
        code: 'mtu-blackhole',
        host: reading.host,
        overlay: reading.overlay,
        device: reading.iface,
        cause: `${reading.container}'s ${reading.iface} on ${reading.host} has MTU ${reading.mtu}, above overlay ${reading.overlay}'s ${reading.overlayMtu}: ` +
          `${reading.container} sends packets the bridge drops silently, so large transfers hang while pings pass.${seen}`,
        fix: `${HEAL} sets ${reading.iface} of ${reading.container} back to MTU ${reading.overlayMtu}.`,
      });
    }
    for (const link of probe.linkLosses) {
      const lossy = probes.flatMap((p) => p.paths).filter((p) => (p.from.host === link.host || p.to.host === link.host) && p.received < p.sent);
      const lost = lossy.reduce((sum, p) => sum + p.sent - p.received, 0);
      const sent = lossy.reduce((sum, p) => sum + p.sent, 0);
      const how = link.mechanism === 'netem' ? 'a netem qdisc' : `vxlab's netfilter chain VXLAB-LINK-${link.iface}`;
      findings.push({
        code: 'underlay-loss',
        host: link.host,
        device: link.iface,
        cause: `${link.host} drops ${percent(link.loss)} of what leaves its link ${link.iface} (${how}): every overlay frame through ${link.host} may be lost.` +
          (sent > 0 ? ` The path probe lost ${lost} of ${sent} pings through ${link.host}.` : ''),
        fix: `\`vxlab link ${lab} ${link.host} --iface ${link.iface} --clear\` removes it. \`vxlab up\` keeps link faults, which vxlab link sets on purpose.`,
      });
    }
  }
  const explained = [...earlier, ...findings];
  const named = (host: string, overlay: string) => explained.some((f) => f.host === host && (f.overlay === undefined || f.overlay === overlay));
  for (const path of probes.flatMap((p) => p.paths)) {
    // One lost ping of ten is noise on a busy machine; more is a finding.
    if (path.sent - path.received <= 1) continue;
    if (named(path.from.host, path.overlay) || named(path.to.host, path.overlay)) continue;
    findings.push({
      code: 'path-loss',
      host: path.from.host,
      overlay: path.overlay,
      cause: `${path.from.container} on ${path.from.host} pinged ${path.to.container} on ${path.to.host} (${path.to.address}) over overlay ${path.overlay}: ` +
        `${path.received} of ${path.sent} came back, and no VTEP table explains it.`,
      fix: `Look at the links of both ends with \`vxlab link ${lab} NODE\`, then ${HEAL}.`,
    });
  }
  return findings;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(2))}%`;
}
