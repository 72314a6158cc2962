// The VXLAN doctor's rules: pure functions from what each host's kernel shows (its VTEP
// view) and what the lab file asks for (its wiring) to findings in plain words. The
// doctor never reads a record of what was broken: a fault made by hand with `ip link`
// inside a host is found the same way as one made by `vxlab break`.
import type { DoctorFinding, VtepDevice, VtepView } from '../api/types.js';
import type { HostWiring, TunnelWiring } from '../lab/plan.js';

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
