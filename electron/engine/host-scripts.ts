// The shell scripts the engine runs inside a host. Every nested exec costs 100-350 ms,
// so each step of a host is one script, and every script converges: running it twice
// changes nothing the second time. Scripts are built with sh`` (shell-script.ts): every
// value becomes one quoted word, and only constants of this file go in as raw syntax.
import type { ImageReference, LabName } from '../lab/brands.js';
import type { ContainerWiring, HostWiring, InterfaceWiring, TunnelWiring } from '../lab/plan.js';
import { OVERLAY_BRIDGE_PREFIX, UNDERLAY_DEVICE } from '../lab/naming.js';
import { LABEL_LAB, LABEL_NODE, LABEL_SPEC, labLabels } from './labels.js';
import { raw, script, sh } from './shell-script.js';
import type { ShellFragment } from './shell-script.js';

/** The underlay interface inside every host (named in lab/naming.ts). */
export { UNDERLAY_DEVICE };

/**
 * The host container's command. The inner engine makes no bridges and no iptables
 * rules: vxlab wires containers itself (veth pairs into its own bridges), which lets
 * tenants reuse subnets and keeps bridged traffic out of netfilter.
 */
export function hostInitScript(): string {
  return script(
    // Keep every packet on this machine: an internal network still hands out a default route.
    raw('ip route del default 2>/dev/null || true'),
    raw('sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null || true'),
    // Labs are IPv4: without this, bridges and veths chatter IPv6 into every capture.
    raw('sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true'),
    // Run the inner engine in the host's own cgroup, or its containers escape the host's accounting.
    raw(`CG=$(awk -F: '$2=="memory"{print $3}' /proc/self/cgroup)`),
    raw(`[ -n "$CG" ] || CG=$(awk -F: '$1=="0"{print $3}' /proc/self/cgroup)`),
    raw('mkdir -p /var/log'),
    raw(
      'exec dockerd --cgroup-parent="${CG%/}/inner" --iptables=false --ip6tables=false --bridge=none --ip-masq=false ' +
        '--storage-driver=overlay2 --log-level=warn >/var/log/dockerd.log 2>&1',
    ),
  );
}

export interface HostObservation {
  containers: { name: string; spec: string; running: boolean }[];
  images: string[];
}

/** Waits for the inner engine, then lists the lab's containers and the images present. */
export function readyScript(lab: string, timeoutSeconds = 60): string {
  const tries = timeoutSeconds * 20;
  const late = `the host's Docker engine did not start within ${timeoutSeconds} s:`;
  const format = `{{.Label "${LABEL_NODE}"}}\t{{.Label "${LABEL_SPEC}"}}\t{{.State}}`;
  return script(
    sh`i=0; until docker info >/dev/null 2>&1; do i=$((i+1)); if [ $i -ge ${tries} ]; then echo ${late} >&2; tail -n 15 /var/log/dockerd.log >&2; exit 1; fi; sleep 0.05; done`,
    raw(`echo '--containers'`),
    sh`docker ps -a --filter ${`label=${LABEL_LAB}=${lab}`} --format ${format}`,
    raw(`echo '--images'`),
    raw(`docker image ls --format '{{.Repository}}:{{.Tag}}'`),
  );
}

export function parseReadyOutput(output: string): HostObservation {
  const observation: HostObservation = { containers: [], images: [] };
  let section = '';
  for (const line of output.split('\n')) {
    if (line.startsWith('--')) section = line.slice(2);
    else if (!line.trim()) continue;
    else if (section === 'containers') {
      const [name = '', spec = '', state = ''] = line.split('\t');
      if (name) observation.containers.push({ name, spec, running: state === 'running' });
    } else if (section === 'images') observation.images.push(line.trim());
  }
  return observation;
}

/**
 * Bridges for every overlay the host takes part in and, with `tunnels`, their VXLAN
 * devices with exactly one flood entry per peer host (head-end replication). Devices
 * of overlays that left the host, and entries of peers that left the overlay, go.
 */
export function overlayScript(wiring: HostWiring, options: { tunnels: boolean }): string {
  const bridges = wiring.overlays.map((o) => o.bridge);
  const devices = options.tunnels ? wiring.overlays.map((o) => o.device) : [];
  const ownBridges = `s/^[0-9]*: \\(${OVERLAY_BRIDGE_PREFIX}[0-9]*\\).*/\\1/p`;
  const lines: ShellFragment[] = [
    raw('set -e'),
    // Tenants must stay apart at layer 3 too: a host never routes between overlays.
    // Set here, after the inner dockerd, which turns forwarding on when it starts.
    raw('sysctl -qw net.ipv4.ip_forward=0'),
    sh`want_devices=${spaced(devices)}`,
    sh`want_bridges=${spaced(bridges)}`,
    raw(`for dev in $(ip -o link show type vxlan | sed -n 's/^[0-9]*: \\([^:@]*\\).*/\\1/p'); do`),
    raw('  case "$want_devices" in *" $dev "*) ;; *) ip link del "$dev" ;; esac'),
    raw('done'),
    sh`for dev in $(ip -o link show type bridge | sed -n ${ownBridges}); do`,
    raw('  case "$want_bridges" in *" $dev "*) ;; *) ip link del "$dev" ;; esac'),
    raw('done'),
  ];
  for (const overlay of wiring.overlays) {
    // No address on the bridge: the host stays out of the overlay at layer 3.
    lines.push(sh`ip link show ${overlay.bridge} >/dev/null 2>&1 || ip link add ${overlay.bridge} type bridge`);
    lines.push(sh`ip link set ${overlay.bridge} mtu ${overlay.mtu} up`);
    if (options.tunnels) lines.push(...tunnelLines(overlay));
  }
  return script(lines);
}

/** A list as one word with a space before and after each item, for `case " $list " in *" $x "*)`. */
function spaced(items: readonly string[]): string {
  return ` ${items.join(' ')} `;
}

function tunnelLines(t: TunnelWiring): ShellFragment[] {
  // The device's alias records what it was made with: a change means making it anew.
  const made = `vni=${t.vni} port=${t.port} local=${t.localIp}`;
  const dev = t.device;
  return [
    sh`if [ "$(cat /sys/class/net/${dev}/ifalias 2>/dev/null)" != ${made} ]; then`,
    sh`  ip link del ${dev} 2>/dev/null || true`,
    sh`  ip link add ${dev} type vxlan id ${t.vni} dstport ${t.port} dev ${UNDERLAY_DEVICE} local ${t.localIp}`,
    sh`  ip link set ${dev} alias ${made}`,
    raw('fi'),
    sh`ip link set ${dev} mtu ${t.mtu} master ${t.bridge} up`,
    sh`peers=${spaced(t.peers)}`,
    // Forget every entry, flooded or learned, that points at a host no longer a peer.
    sh`bridge fdb show dev ${dev} | awk '{for (i = 1; i < NF; i++) if ($i == "dst") print $1, $(i+1)}' | while read -r mac dst; do`,
    // A learned entry may age out between show and del: that is no failure.
    sh`  case "$peers" in *" $dst "*) ;; *) bridge fdb del "$mac" dev ${dev} dst "$dst" 2>/dev/null || true ;; esac`,
    raw('done'),
    sh`have=" $(bridge fdb show dev ${dev} | awk '$1 == "00:00:00:00:00:00" {for (i = 1; i < NF; i++) if ($i == "dst") print $(i+1)}' | tr '\\n' ' ') "`,
    sh`for dst in ${t.peers}; do`,
    sh`  case "$have" in *" $dst "*) ;; *) bridge fdb append 00:00:00:00:00:00 dev ${dev} dst "$dst" ;; esac`,
    raw('done'),
  ];
}

/**
 * Removes the containers that must go, runs the new ones with no network of Docker's,
 * and wires every container of the host whose veth is missing: a veth pair per
 * interface, one end in the container, the other a port of the overlay's bridge.
 */
export function containersScript(
  lab: LabName,
  wiring: HostWiring,
  change: { remove: string[]; create: string[] },
  imageFor: (container: ContainerWiring) => ImageReference,
): string {
  const lines: ShellFragment[] = [
    raw('set -e'),
    raw('wire() {'),
    raw('  # $1 container, $2 host veth, $3 name inside, $4 mac, $5 address, $6 mtu, $7 bridge'),
    // The veth's alias names the container it was made for. A remade container gets a
    // new ID; its old veth may outlive it for a moment while the kernel tears down
    // the old namespace, so a veth of another ID is replaced, never trusted.
    raw(`  id=$(docker inspect -f '{{.Id}}' "$1")`),
    raw(`  pid=$(docker inspect -f '{{.State.Pid}}' "$1")`),
    // A kept veth still gets the overlay's MTU on both ends: one raised by hand inside the
    // container would send frames the bridge drops without a word (an MTU black hole).
    raw('  if [ "$(cat "/sys/class/net/$2/ifalias" 2>/dev/null)" = "$id" ]; then'),
    raw('    nsenter -t "$pid" -n ip link set "$3" mtu "$6" && ip link set "$2" mtu "$6"'),
    raw('    return 0'),
    raw('  fi'),
    raw('  ip link del "$2" 2>/dev/null || true'),
    raw('  nsenter -t "$pid" -n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true'),
    raw('  ip link add "$2" mtu "$6" type veth peer name "$2p"'),
    raw('  ip link set "$2p" netns "$pid"'),
    raw('  nsenter -t "$pid" -n ip link set "$2p" name "$3" address "$4" mtu "$6" up'),
    raw('  nsenter -t "$pid" -n ip addr add "$5" dev "$3"'),
    raw('  ip link set "$2" alias "$id" master "$7" up'),
    raw('}'),
  ];
  for (const name of change.remove) lines.push(sh`docker rm -f ${name} >/dev/null 2>&1 || true`);
  for (const name of change.create) {
    const container = wiring.containers.find((c) => c.name === name);
    if (!container) continue;
    const labels = Object.entries(labLabels(lab, 'container', { [LABEL_NODE]: name, [LABEL_SPEC]: container.spec }));
    lines.push(sh`docker rm -f ${name} >/dev/null 2>&1 || true`);
    // `--` ends the options: whatever the image reference holds, docker reads it as the image.
    lines.push(
      sh`docker run -d --network none --name ${name} --hostname ${name} --cap-add NET_ADMIN ${labels.map(
        ([key, value]) => sh`--label ${`${key}=${value}`}`,
      )} -- ${imageFor(container)} >/dev/null`,
    );
  }
  for (const container of wiring.containers) {
    for (const iface of container.interfaces) lines.push(wireLine(container.name, iface));
  }
  return script(lines);
}

function wireLine(container: string, iface: InterfaceWiring): ShellFragment {
  return sh`wire ${[container, iface.hostVeth, iface.name, iface.mac, iface.address, iface.mtu, iface.bridge]}`;
}

/** Each of the lab's containers on a host: name, state, and its IPv4 addresses read in its own namespace. */
export function containerStatusScript(lab: string): string {
  const format = `{{index .Config.Labels "${LABEL_NODE}"}} {{.State.Status}} {{.State.Pid}}`;
  return script(
    sh`for c in $(docker ps -aq --filter ${`label=${LABEL_LAB}=${lab}`}); do docker inspect -f ${format} $c; done | \
while read -r n s p; do a=''; [ "$p" != 0 ] && a=$(nsenter -t "$p" -n ip -4 -o addr show scope global | awk '{print $4}' | tr '\\n' ' '); \
printf '%s\\t%s\\t%s\\n' "$n" "$s" "$a"; done`,
  );
}

export function parseContainerStatus(output: string): { name: string; state: string; addresses: string[] }[] {
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name = '', state = '', addresses = ''] = line.split('\t');
      return { name, state, addresses: addresses.trim().split(/\s+/).filter(Boolean) };
    });
}

/** One exec that prints a host's VTEP view as JSON sections. */
export function inspectScript(): string {
  const sections: [key: string, command: ShellFragment][] = [
    ['vxlan', raw('ip -d -j link show type vxlan')],
    ['bridges', raw('ip -d -j link show type bridge')],
    ['ports', raw('bridge -j link show')],
    ['fdb', raw('bridge -j fdb show')],
    ['neighbours', raw('ip -j neigh show')],
    ['addresses', raw('ip -j addr show')],
    ['routes', raw('ip -j route show')],
  ];
  return script(
    raw("printf '{'"),
    sections.map(([key, command], index) => {
      const separator = index < sections.length - 1 ? ',' : '';
      return sh`printf '%s' ${`"${key}":`}; out=$(${command} 2>/dev/null); printf '%s' "\${out:-[]}"; printf '%s' ${separator}`;
    }),
    raw("printf '}'"),
  );
}
