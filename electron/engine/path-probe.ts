// The doctor's look at the paths (issue 8, section 4): one exec per host, run from that
// host into its containers' network namespaces (nsenter, the host's iputils ping), so the
// doctor reports what it observed, not only what the tables say. From each host, per
// overlay, one container pings one container on every other host of the overlay; every
// container interface's MTU is read in its namespace, and one whose MTU is above the
// overlay's sends a don't-fragment ping of each size; the host's own link faults
// (vxlab's VXLAB-LINK chains, a netem qdisc on its underlay link) are read too.
// Every ping is bounded in count and time, and so is the number of pings per host.
import type { PathProbe } from '../api/types.js';
import type { HostWiring } from '../lab/plan.js';
import { execCapture } from './exec.js';
import { UNDERLAY_DEVICE } from './host-scripts.js';
import type { LabEngine } from './lab-engine.js';
import type { ShellFragment, ShellValue } from './shell-script.js';
import { raw, script, sh } from './shell-script.js';

/** Pings per path: enough to see a loss of a few percent, short enough to run on every doctor. */
export const PROBE_COUNT = 10;
/** At most this many paths are probed from one host. */
export const MAX_PATHS_PER_HOST = 32;
/** At most this many container interfaces have their MTU read on one host. */
const MAX_INTERFACES_PER_HOST = 64;
/** ICMP and IPv4 headers: a ping of payload N is an IP packet of N + 28 bytes. */
const ICMP_OVERHEAD = 28;
/** The largest IPv4 packet: a read MTU above it is not probed. */
const MAX_PACKET = 65535;

/** An interface's MTU as read in its container, and the don't-fragment pings sent from it. */
export interface MtuReading {
  host: string;
  container: string;
  iface: string;
  overlay: string;
  overlayMtu: number;
  mtu: number;
  /** Don't-fragment pings from it: packet size in bytes and how many came back of how many. */
  dfPings: { size: number; sent: number; received: number; to: string }[];
}

/** A link fault seen on the host: vxlab's netfilter drop or a netem loss, on one interface. */
export interface LinkLoss {
  host: string;
  iface: string;
  /** 0-1. */
  loss: number;
  mechanism: 'netfilter' | 'netem';
}

export interface HostProbe {
  host: string;
  paths: PathProbe[];
  mtus: MtuReading[];
  linkLosses: LinkLoss[];
}

interface PlannedPing {
  overlay: string;
  container: string;
  pidVar: string;
  to: { host: string; container: string; address: string };
}

interface PlannedMtu {
  container: string;
  pidVar: string;
  iface: string;
  overlay: string;
  overlayMtu: number;
  /** Where its don't-fragment pings go: the first container of the overlay on another host. */
  target?: string;
}

function addressOnly(cidr: string): string {
  return cidr.split('/')[0] ?? cidr;
}

/** The paths and interfaces one host probes. Pure. */
export function planHostProbe(wiring: readonly HostWiring[], hostName: string): { pings: PlannedPing[]; mtus: PlannedMtu[]; containers: string[] } {
  const host = wiring.find((h) => h.host === hostName);
  if (!host) return { pings: [], mtus: [], containers: [] };
  const containers = host.containers.map((c) => c.name as string);
  const pidVar = (container: string): string => `pid${containers.indexOf(container)}`;
  const firstOn = (h: HostWiring, overlay: string) => {
    for (const c of h.containers) {
      const iface = c.interfaces.find((i) => i.overlay === overlay);
      if (iface) return { container: c.name as string, address: addressOnly(iface.address) };
    }
    return undefined;
  };
  const pings: PlannedPing[] = [];
  const targetOf = new Map<string, string>();
  for (const tunnel of host.overlays) {
    const source = firstOn(host, tunnel.overlay);
    for (const other of wiring) {
      if (other.host === host.host || !other.overlays.some((o) => o.overlay === tunnel.overlay)) continue;
      const target = firstOn(other, tunnel.overlay);
      if (!target) continue;
      if (!targetOf.has(tunnel.overlay)) targetOf.set(tunnel.overlay, target.address);
      if (source) pings.push({ overlay: tunnel.overlay, container: source.container, pidVar: pidVar(source.container), to: { host: other.host, ...target } });
    }
  }
  const mtus: PlannedMtu[] = host.containers.flatMap((c) =>
    c.interfaces.map((i) => ({
      container: c.name as string,
      pidVar: pidVar(c.name),
      iface: i.name as string,
      overlay: i.overlay as string,
      overlayMtu: i.mtu as number,
      ...(targetOf.has(i.overlay) ? { target: targetOf.get(i.overlay) } : {}),
    })),
  );
  return { pings: pings.slice(0, MAX_PATHS_PER_HOST), mtus: mtus.slice(0, MAX_INTERFACES_PER_HOST), containers };
}

/** Prints "SENT RECEIVED" from a ping's summary, or nothing when it did not run. */
const COUNTS = raw(`sed -n 's/^\\([0-9]*\\) packets transmitted, \\([0-9]*\\) received.*/\\1 \\2/p'`);

/** "$pidN": the variable holding a container's PID, a name this module makes. */
function pidOf(variable: string): ShellFragment {
  return raw(`"$${variable}"`);
}

/** The one script a host runs for its probe; every value is one quoted word. Pure. */
export function probeScript(wiring: readonly HostWiring[], hostName: string): string {
  const plan = planHostProbe(wiring, hostName);
  const lines: ShellFragment[] = [];
  plan.containers.forEach((container, index) => {
    lines.push(sh`${raw(`pid${index}`)}=$(docker inspect -f ${'{{.State.Pid}}'} ${container} 2>/dev/null || echo 0)`);
  });
  for (const p of plan.pings) {
    lines.push(
      sh`c=$(timeout 5 nsenter -t ${pidOf(p.pidVar)} -n ping -n -q -c ${PROBE_COUNT} -i 0.05 -W 1 ${p.to.address} 2>/dev/null | ${COUNTS})`,
      sh`printf 'ping\\t%s\\t%s\\t%s\\t%s\\t%s\\t%s\\n' ${p.overlay} ${p.container} ${p.to.host} ${p.to.container} ${p.to.address} "$c"`,
    );
  }
  for (const m of plan.mtus) {
    lines.push(
      // Read with ip, not /sys: the host's sysfs shows the host's interfaces, whatever namespace nsenter enters.
      sh`m=$(nsenter -t ${pidOf(m.pidVar)} -n ip -o link show dev ${m.iface} 2>/dev/null | sed -n ${'s/.* mtu \\([0-9]*\\) .*/\\1/p'})`,
      raw(`case "$m" in ''|*[!0-9]*) m=0 ;; esac`),
      sh`printf 'mtu\\t%s\\t%s\\t%s\\n' ${m.container} ${m.iface} "$m"`,
    );
    if (m.target === undefined) continue;
    // Only an interface above its overlay's MTU is probed: a ping of the overlay's size
    // should pass, one of the interface's size dies at the bridge without an error.
    lines.push(sh`if [ "$m" -gt ${m.overlayMtu} ] && [ "$m" -le ${MAX_PACKET} ]; then`);
    const sizes: [size: ShellValue, payload: ShellValue][] = [
      [m.overlayMtu, m.overlayMtu - ICMP_OVERHEAD],
      [raw('"$m"'), raw(`$((m - ${ICMP_OVERHEAD}))`)],
    ];
    for (const [size, payload] of sizes) {
      lines.push(
        sh`  c=$(timeout 5 nsenter -t ${pidOf(m.pidVar)} -n ping -n -q -M do -c 3 -i 0.1 -W 1 -s ${payload} ${m.target} 2>/dev/null | ${COUNTS})`,
        sh`  printf 'df\\t%s\\t%s\\t%s\\t%s\\t%s\\n' ${m.container} ${m.iface} ${size} ${m.target} "$c"`,
      );
    }
    lines.push(raw('fi'));
  }
  // The host's own link faults: vxlab's drop rules and a netem qdisc on its underlay link.
  lines.push(
    raw(`iptables -S 2>/dev/null | grep -E '^-A VXLAB-LINK-[A-Za-z0-9_.-]+ .*--probability' | head -n 16 | sed 's/^/rule\\t/'`),
    sh`tc qdisc show dev ${UNDERLAY_DEVICE} root 2>/dev/null | grep -E '^qdisc netem .* loss ' | head -n 1 | sed 's/^/netem\\t/'`,
    raw('exit 0'),
  );
  return script(lines);
}

function counts(text: string | undefined): { sent: number; received: number } | undefined {
  const match = /^(\d{1,6}) (\d{1,6})$/.exec(text ?? '');
  if (!match) return undefined;
  const sent = Number(match[1]);
  const received = Number(match[2]);
  return sent > 0 && received <= sent ? { sent, received } : undefined;
}

/**
 * Reads what the probe printed, keeping only lines that name what the plan asked for:
 * a host's output is untrusted, and a line it made up is dropped. Pure.
 */
export function parseProbe(wiring: readonly HostWiring[], hostName: string, stdout: string): HostProbe {
  const plan = planHostProbe(wiring, hostName);
  const probe: HostProbe = { host: hostName, paths: [], mtus: [], linkLosses: [] };
  for (const line of stdout.split('\n').slice(0, 4 * (MAX_PATHS_PER_HOST + MAX_INTERFACES_PER_HOST) + 64)) {
    const fields = line.slice(0, 1000).split('\t');
    const [kind] = fields;
    if (kind === 'ping') {
      const [, overlay, container, toHost, toContainer, address, result] = fields;
      const planned = plan.pings.find((p) => p.overlay === overlay && p.container === container && p.to.host === toHost && p.to.container === toContainer && p.to.address === address);
      const seen = counts(result);
      if (planned && seen) probe.paths.push({ overlay: planned.overlay, from: { host: hostName, container: planned.container }, to: { ...planned.to }, ...seen });
    } else if (kind === 'mtu') {
      const [, container, iface, value] = fields;
      const planned = plan.mtus.find((m) => m.container === container && m.iface === iface);
      const mtu = Number(value);
      if (planned && /^\d{1,6}$/.test(value ?? '') && mtu > 0) {
        probe.mtus.push({ host: hostName, container: planned.container, iface: planned.iface, overlay: planned.overlay, overlayMtu: planned.overlayMtu, mtu, dfPings: [] });
      }
    } else if (kind === 'df') {
      const [, container, iface, size, to, result] = fields;
      const reading = probe.mtus.find((m) => m.container === container && m.iface === iface);
      const planned = plan.mtus.find((m) => m.container === container && m.iface === iface);
      const seen = counts(result);
      if (reading && planned?.target !== undefined && planned.target === to && /^\d{1,6}$/.test(size ?? '') && seen) {
        reading.dfPings.push({ size: Number(size), to: planned.target, ...seen });
      }
    } else if (kind === 'rule') {
      const match = /^-A VXLAB-LINK-([A-Za-z0-9_.-]{1,15}) .*--probability ([0-9.]{1,20})/.exec(fields[1] ?? '');
      const loss = Number(match?.[2]);
      if (match?.[1] && loss > 0 && loss <= 1) probe.linkLosses.push({ host: hostName, iface: match[1], loss, mechanism: 'netfilter' });
    } else if (kind === 'netem') {
      const match = / loss ([0-9.]{1,12})%/.exec(fields[1] ?? '');
      const loss = Number(match?.[1]) / 100;
      if (match && loss > 0 && loss <= 1) probe.linkLosses.push({ host: hostName, iface: UNDERLAY_DEVICE, loss, mechanism: 'netem' });
    }
  }
  return probe;
}

/** Probes from one host; a host that cannot be probed gives no observation (its view already says why). */
export async function probeHost(engine: Pick<LabEngine, 'locateNode'>, lab: string, wiring: readonly HostWiring[], hostName: string): Promise<HostProbe | undefined> {
  try {
    const located = await engine.locateNode(lab, hostName);
    const result = await execCapture(located.host, ['sh', '-c', probeScript(wiring, hostName)]);
    return parseProbe(wiring, hostName, result.stdout);
  } catch {
    return undefined;
  }
}
