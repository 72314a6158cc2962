// Where a ping from one container to another passes, from the lab as applied: the
// capture points of the packet walk, in the order the request meets them, and the
// shell script that captures at a host's points around one ping. Pure (no Docker):
// the engine runs what this decides.
import type { TraceRole } from '../api/types.js';
import { isIpv4Address } from '../lab/brands.js';
import type { Lab } from '../lab/model.js';
import type { ContainerWiring, HostWiring, InterfaceWiring, TunnelWiring } from '../lab/plan.js';
import { UNDERLAY_DEVICE } from '../lab/naming.js';
import { EngineError } from './errors.js';
import { raw, script, sh } from './shell-script.js';
import type { ShellFragment } from './shell-script.js';

/** One interface to capture on: in a container's namespace, or the host's own. */
export interface CapturePoint {
  /** A short key naming the point inside a host's script and its output. */
  key: string;
  host: string;
  /** The node the interface belongs to: the container, or the host. */
  node: string;
  /** Set when the interface is in a container's namespace. */
  container?: string;
  iface: string;
  /** Its role on the way there; on the way back the roles mirror. */
  role: TraceRole;
}

export interface TracePath {
  from: { container: string; host: string; iface: InterfaceWiring; ip: string };
  dest: { container: string; host: string; iface: InterfaceWiring; ip: string };
  /** The overlay both are on; its tunnel is used only when they sit on different hosts. */
  tunnel?: TunnelWiring;
  hostIps: Map<string, string>;
  /** The request's capture points, in the order it passes them. */
  points: CapturePoint[];
}

function addressOf(iface: InterfaceWiring): string {
  return iface.address.split('/')[0] ?? '';
}

function findContainer(wiring: HostWiring[], name: string): { host: HostWiring; container: ContainerWiring } | undefined {
  for (const host of wiring) {
    const container = host.containers.find((c) => c.name === name);
    if (container) return { host, container };
  }
  return undefined;
}

/** A trace runs between containers: a host (not on the overlays) or an unknown name is refused. */
function notAContainer(lab: Lab, wiring: HostWiring[], name: string, end: 'starts' | 'ends', hint: string): EngineError {
  const isHost = wiring.some((h) => h.host === name);
  const message = isHost ? `${name} is a host; a trace ${end} at a container (hosts are not on the overlays).` : `Lab ${lab.name} has no container named ${name}.`;
  return new EngineError('node-not-found', message, hint);
}

/**
 * The path of a ping from container `from` to `dest` (a container's name or one of the
 * lab's overlay addresses). Refuses, naming the fix, what the walk cannot follow.
 */
export function tracePath(lab: Lab, wiring: HostWiring[], from: string, dest: string): TracePath {
  const source = findContainer(wiring, from);
  if (!source) {
    throw notAContainer(lab, wiring, from, 'starts', `Start from one of its containers: ${wiring.flatMap((h) => h.containers.map((c) => c.name)).slice(0, 8).join(', ') || '(none)'}.`);
  }
  const candidates: { host: HostWiring; container: ContainerWiring; iface: InterfaceWiring }[] = [];
  if (isIpv4Address(dest)) {
    for (const host of wiring) {
      for (const container of host.containers) {
        for (const iface of container.interfaces) if (addressOf(iface) === dest) candidates.push({ host, container, iface });
      }
    }
  } else {
    const target = findContainer(wiring, dest);
    if (!target) throw notAContainer(lab, wiring, dest, 'ends', '`vxlab status LAB` lists its containers; DEST may also be one of their overlay addresses.');
    for (const iface of target.container.interfaces) candidates.push({ ...target, iface });
  }
  const overlaysOfSource = new Set(source.container.interfaces.map((i) => i.overlay));
  const reachable = candidates.find((c) => overlaysOfSource.has(c.iface.overlay) && c.container.name !== from);
  if (!reachable) {
    throw new EngineError(
      'node-not-found',
      candidates.length === 0
        ? `No container of lab ${lab.name} has the address ${dest}.`
        : `${dest} shares no overlay with ${from}: a ping from ${from} cannot reach it over the lab's overlays.`,
      `Trace to a container on one of ${from}'s overlays (${[...overlaysOfSource].join(', ')}).`,
    );
  }
  const fromIface = source.container.interfaces.find((i) => i.overlay === reachable.iface.overlay) as InterfaceWiring;
  const fromHost = source.host.host;
  const destHost = reachable.host.host;
  const tunnel = source.host.overlays.find((o) => o.overlay === fromIface.overlay);
  const points: CapturePoint[] = [
    { key: 's', host: fromHost, node: from, container: from, iface: fromIface.name, role: 'sender' },
    { key: 'sp', host: fromHost, node: fromHost, iface: fromIface.hostVeth, role: 'bridge-port' },
  ];
  if (fromHost !== destHost) {
    if (!tunnel) throw new EngineError('step-failed', `Host ${fromHost} has no VXLAN device for overlay ${fromIface.overlay}.`, 'Bring the lab up again: vxlab up FILE.');
    points.push(
      { key: 'sv', host: fromHost, node: fromHost, iface: tunnel.device, role: 'vtep' },
      { key: 'su', host: fromHost, node: fromHost, iface: UNDERLAY_DEVICE, role: 'underlay-out' },
      { key: 'ru', host: destHost, node: destHost, iface: UNDERLAY_DEVICE, role: 'underlay-in' },
      { key: 'rv', host: destHost, node: destHost, iface: tunnel.device, role: 'vtep' },
    );
  }
  points.push(
    { key: 'rp', host: destHost, node: destHost, iface: reachable.iface.hostVeth, role: 'bridge-port' },
    { key: 'r', host: destHost, node: reachable.container.name, container: reachable.container.name, iface: reachable.iface.name, role: 'receiver' },
  );
  return {
    from: { container: from, host: fromHost, iface: fromIface, ip: addressOf(fromIface) },
    dest: { container: reachable.container.name, host: destHost, iface: reachable.iface, ip: addressOf(reachable.iface) },
    tunnel,
    hostIps: new Map(wiring.map((h) => [h.host, h.ip])),
    points,
  };
}

/** The role a point plays for the reply, which walks the path backwards. */
export function replyRole(role: TraceRole): TraceRole {
  switch (role) {
    case 'sender':
      return 'receiver';
    case 'receiver':
      return 'sender';
    case 'underlay-out':
      return 'underlay-in';
    case 'underlay-in':
      return 'underlay-out';
    default:
      return role;
  }
}

/** Frames each capture keeps at most (ARP and the ping, with room for strangers' traffic), and their bytes. */
export const TRACE_FRAMES_PER_POINT = 64;
export const TRACE_SNAPLEN = 512;
/** No part of a trace runs longer than this in a host, whatever happens to its client. */
export const TRACE_SECONDS = 20;

/** Markers of the script's output, each on a line of its own. */
export const READY_LINE = 'vxlab-trace-ready';
export const PINGED_LINE = 'vxlab-trace-pinged';
export const PCAP_MARK = 'vxlab-pcap ';
export const NEIGH_MARK = 'vxlab-neigh ';
export const ERROR_MARK = 'vxlab-capture-failed ';

/**
 * One host's part of a trace, as one script: a tcpdump per capture point (a container's
 * through nsenter into its namespace), READY once all listen, then it waits for a line
 * on stdin ("go" on the sender's host pings first), stops the captures, prints each
 * pcap in base64 and the containers' neighbour entries, and removes its files.
 * Nothing outlives it: every tcpdump has -c and a timeout, and stdin closing ends the wait.
 */
export function traceHostScript(
  points: readonly CapturePoint[],
  options: { vxlanPort: number; ping?: { container: string; ip: string }; neighbours: { container: string; ip: string }[] },
): string {
  const filter = `icmp or udp port ${options.vxlanPort}`;
  const lines: ShellFragment[] = [
    raw('set -u; pids=""'),
    raw('dir=$(mktemp -d /tmp/vxlab-trace.XXXXXX) || exit 1'),
    raw('cleanup() { [ -n "$pids" ] && kill $pids 2>/dev/null; rm -rf "$dir"; }'),
    // A hang-up (the client went away) exits through the EXIT trap too, which removes the files.
    raw(`trap cleanup EXIT; trap 'exit 1' HUP INT TERM`),
    raw(`pid_of() { docker inspect -f '{{.State.Pid}}' "$1"; }`),
  ];
  const containers = [...new Set([...points.flatMap((p) => (p.container ? [p.container] : [])), ...options.neighbours.map((n) => n.container)])];
  containers.forEach((container, index) => {
    lines.push(sh`p${raw(String(index))}=$(pid_of ${container}) || { echo ${`container ${container} is not running`} >&2; exit 1; }`);
  });
  const pidVariable = (container: string) => raw(`"$p${containers.indexOf(container)}"`);
  for (const point of points) {
    const enter = point.container ? sh`nsenter -t ${pidVariable(point.container)} -n ` : raw('');
    lines.push(
      sh`${enter}timeout ${TRACE_SECONDS} tcpdump -i ${point.iface} --immediate-mode -U -s ${TRACE_SNAPLEN} -c ${TRACE_FRAMES_PER_POINT} -w ${raw(`"$dir/${point.key}.pcap"`)} ${filter} 2>${raw(`"$dir/${point.key}.err"`)} &`,
      raw(`t_${point.key}=$!; pids="$pids $!"`),
    );
  }
  // tcpdump says "listening on" once its socket is bound: from then on nothing is missed. One
  // that ended instead (an interface that is down) is settled too: the walk shows the gap.
  const listening = (key: string) => `"$dir/${key}.err"`;
  lines.push(
    raw('settled() {'),
    raw('  n=0'),
    ...points.map((p) => raw(`  { grep -q 'listening on' ${listening(p.key)} 2>/dev/null || ! kill -0 "$t_${p.key}" 2>/dev/null; } && n=$((n+1))`)),
    raw(`  [ $n -ge ${points.length} ]`),
    raw('}'),
    raw('i=0; until settled; do'),
    raw(`  i=$((i+1)); if [ $i -ge 250 ]; then echo 'tcpdump did not start listening within 5 s' >&2; exit 1; fi; sleep 0.02`),
    raw('done'),
    raw(`echo ${READY_LINE}`),
    raw(`line=$(timeout ${TRACE_SECONDS} head -n 1)`),
  );
  if (options.ping) {
    lines.push(
      sh`if [ "$line" = go ]; then nsenter -t ${pidVariable(options.ping.container)} -n ping -n -c 1 -W 2 ${options.ping.ip} >&2; fi`,
      raw(`echo ${PINGED_LINE}`),
      // The reply's last hops are a few µs behind the ping's return; give them time to be written.
      raw('sleep 0.2'),
    );
  }
  lines.push(raw('kill $pids 2>/dev/null; wait; pids=""'));
  for (const point of points) {
    lines.push(raw(`printf '${PCAP_MARK}%s ' ${point.key}; base64 -w0 "$dir/${point.key}.pcap" 2>/dev/null; echo`));
  }
  for (const point of points) {
    lines.push(raw(`grep -q 'listening on' ${listening(point.key)} || { printf '${ERROR_MARK}%s ' ${point.key}; tail -n 1 ${listening(point.key)} | cut -c1-200; }`));
  }
  for (const neighbour of options.neighbours) {
    lines.push(
      sh`printf '%s%s ' ${NEIGH_MARK} ${neighbour.container}; nsenter -t ${pidVariable(neighbour.container)} -n ip -j neigh show to ${neighbour.ip} 2>/dev/null | tr -d '\\n'; echo`,
    );
  }
  return script(lines);
}

export interface HostTraceOutput {
  /** Each point's pcap, by key. */
  pcaps: Map<string, Uint8Array>;
  /** Each container's neighbour entries (`ip -j neigh` objects), by container name. */
  neighbours: Map<string, unknown[]>;
  /** Why a point's capture never started (tcpdump's last words), by key. */
  failures: Map<string, string>;
}

/** Reads a host script's stdout back; anything unexpected is left out, never trusted. */
export function parseTraceOutput(output: string): HostTraceOutput {
  const pcaps = new Map<string, Uint8Array>();
  const neighbours = new Map<string, unknown[]>();
  const failures = new Map<string, string>();
  for (const line of output.split('\n')) {
    if (line.startsWith(ERROR_MARK)) {
      const rest = line.slice(ERROR_MARK.length);
      const key = rest.slice(0, rest.indexOf(' '));
      if (/^[a-z]{1,3}$/.test(key)) failures.set(key, rest.slice(key.length + 1, key.length + 201));
    }
    if (line.startsWith(PCAP_MARK)) {
      const [key = '', data = ''] = line.slice(PCAP_MARK.length).split(' ');
      if (/^[a-z]{1,3}$/.test(key) && /^[A-Za-z0-9+/=]*$/.test(data)) pcaps.set(key, new Uint8Array(Buffer.from(data, 'base64')));
    } else if (line.startsWith(NEIGH_MARK)) {
      const rest = line.slice(NEIGH_MARK.length);
      const space = rest.indexOf(' ');
      const container = space < 0 ? rest : rest.slice(0, space);
      try {
        const parsed: unknown = JSON.parse(rest.slice(space + 1) || '[]');
        if (Array.isArray(parsed)) neighbours.set(container, parsed.slice(0, 64));
      } catch {
        neighbours.set(container, []);
      }
    }
  }
  return { pcaps, neighbours, failures };
}
