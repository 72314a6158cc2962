// The shell scripts the engine runs inside a host. Every nested exec costs 100-350 ms,
// so each step of a host is one script, and every script converges: running it twice
// changes nothing the second time.
import type { ContainerWiring, HostWiring, InterfaceWiring, TunnelWiring } from '../lab/plan.js';
import { LABEL_LAB, LABEL_NODE, LABEL_ROLE, LABEL_SPEC } from './labels.js';
import { shellQuote as q } from './exec.js';

/** The underlay interface inside every host: the only network a host container has. */
export const UNDERLAY_DEVICE = 'eth0';

/**
 * The host container's command. The inner engine makes no bridges and no iptables
 * rules: vxlab wires containers itself (veth pairs into its own bridges), which lets
 * tenants reuse subnets and keeps bridged traffic out of netfilter.
 */
export function hostInitScript(): string {
  return [
    // Keep every packet on this machine: an internal network still hands out a default route.
    'ip route del default 2>/dev/null || true',
    'sysctl -qw net.bridge.bridge-nf-call-iptables=0 2>/dev/null || true',
    // Labs are IPv4: without this, bridges and veths chatter IPv6 into every capture.
    'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true',
    // Run the inner engine in the host's own cgroup, or its containers escape the host's accounting.
    `CG=$(awk -F: '$2=="memory"{print $3}' /proc/self/cgroup)`,
    `[ -n "$CG" ] || CG=$(awk -F: '$1=="0"{print $3}' /proc/self/cgroup)`,
    'mkdir -p /var/log',
    'exec dockerd --cgroup-parent="${CG%/}/inner" --iptables=false --ip6tables=false --bridge=none --ip-masq=false ' +
      '--storage-driver=overlay2 --log-level=warn >/var/log/dockerd.log 2>&1',
  ].join('\n');
}

export interface HostObservation {
  containers: { name: string; spec: string; running: boolean }[];
  images: string[];
}

/** Waits for the inner engine, then lists the lab's containers and the images present. */
export function readyScript(lab: string, timeoutSeconds = 60): string {
  const tries = timeoutSeconds * 20;
  return [
    `i=0; until docker info >/dev/null 2>&1; do i=$((i+1)); if [ $i -ge ${tries} ]; then echo "the host's Docker engine did not start within ${timeoutSeconds} s:" >&2; tail -n 15 /var/log/dockerd.log >&2; exit 1; fi; sleep 0.05; done`,
    `echo '--containers'`,
    `docker ps -a --filter ${q(`label=${LABEL_LAB}=${lab}`)} --format '{{.Label "${LABEL_NODE}"}}\t{{.Label "${LABEL_SPEC}"}}\t{{.State}}'`,
    `echo '--images'`,
    `docker image ls --format '{{.Repository}}:{{.Tag}}'`,
  ].join('\n');
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
  const lines = [
    'set -e',
    // Tenants must stay apart at layer 3 too: a host never routes between overlays.
    // Set here, after the inner dockerd, which turns forwarding on when it starts.
    'sysctl -qw net.ipv4.ip_forward=0',
    `want_devices=" ${devices.join(' ')} "`,
    `want_bridges=" ${bridges.join(' ')} "`,
    `for dev in $(ip -o link show type vxlan | sed -n 's/^[0-9]*: \\([^:@]*\\).*/\\1/p'); do`,
    '  case "$want_devices" in *" $dev "*) ;; *) ip link del "$dev" ;; esac',
    'done',
    `for dev in $(ip -o link show type bridge | sed -n 's/^[0-9]*: \\(vxbr[0-9]*\\).*/\\1/p'); do`,
    '  case "$want_bridges" in *" $dev "*) ;; *) ip link del "$dev" ;; esac',
    'done',
  ];
  for (const overlay of wiring.overlays) {
    lines.push(`# overlay ${overlay.overlay}, VNI ${overlay.vni}`);
    // No address on the bridge: the host stays out of the overlay at layer 3.
    lines.push(`ip link show ${overlay.bridge} >/dev/null 2>&1 || ip link add ${overlay.bridge} type bridge`);
    lines.push(`ip link set ${overlay.bridge} mtu ${overlay.mtu} up`);
    if (options.tunnels) lines.push(...tunnelLines(overlay));
  }
  return lines.join('\n');
}

function tunnelLines(t: TunnelWiring): string[] {
  // The device's alias records what it was made with: a change means making it anew.
  const made = `vni=${t.vni} port=${t.port} local=${t.localIp}`;
  const peers = t.peers.join(' ');
  return [
    `if [ "$(cat /sys/class/net/${t.device}/ifalias 2>/dev/null)" != "${made}" ]; then`,
    `  ip link del ${t.device} 2>/dev/null || true`,
    `  ip link add ${t.device} type vxlan id ${t.vni} dstport ${t.port} dev ${UNDERLAY_DEVICE} local ${t.localIp}`,
    `  ip link set ${t.device} alias "${made}"`,
    'fi',
    `ip link set ${t.device} mtu ${t.mtu} master ${t.bridge} up`,
    `peers=" ${peers} "`,
    // Forget every entry, flooded or learned, that points at a host no longer a peer.
    `bridge fdb show dev ${t.device} | awk '{for (i = 1; i < NF; i++) if ($i == "dst") print $1, $(i+1)}' | while read -r mac dst; do`,
    // A learned entry may age out between show and del: that is no failure.
    `  case "$peers" in *" $dst "*) ;; *) bridge fdb del "$mac" dev ${t.device} dst "$dst" 2>/dev/null || true ;; esac`,
    'done',
    `have=" $(bridge fdb show dev ${t.device} | awk '$1 == "00:00:00:00:00:00" {for (i = 1; i < NF; i++) if ($i == "dst") print $(i+1)}' | tr '\\n' ' ') "`,
    `for dst in ${peers}; do`,
    `  case "$have" in *" $dst "*) ;; *) bridge fdb append 00:00:00:00:00:00 dev ${t.device} dst "$dst" ;; esac`,
    'done',
  ];
}

/**
 * Removes the containers that must go, runs the new ones with no network of Docker's,
 * and wires every container of the host whose veth is missing: a veth pair per
 * interface, one end in the container, the other a port of the overlay's bridge.
 */
export function containersScript(
  lab: string,
  wiring: HostWiring,
  change: { remove: string[]; create: string[] },
  imageFor: (container: ContainerWiring) => string,
): string {
  const lines = [
    'set -e',
    'wire() {',
    '  # $1 container, $2 host veth, $3 name inside, $4 mac, $5 address, $6 mtu, $7 bridge',
    // The veth's alias names the container it was made for. A remade container gets a
    // new ID; its old veth may outlive it for a moment while the kernel tears down
    // the old namespace, so a veth of another ID is replaced, never trusted.
    `  id=$(docker inspect -f '{{.Id}}' "$1")`,
    '  [ "$(cat /sys/class/net/$2/ifalias 2>/dev/null)" = "$id" ] && return 0',
    '  ip link del "$2" 2>/dev/null || true',
    `  pid=$(docker inspect -f '{{.State.Pid}}' "$1")`,
    '  nsenter -t "$pid" -n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 2>/dev/null || true',
    '  ip link add "$2" mtu "$6" type veth peer name "$2p"',
    '  ip link set "$2p" netns "$pid"',
    '  nsenter -t "$pid" -n ip link set "$2p" name "$3" address "$4" mtu "$6" up',
    '  nsenter -t "$pid" -n ip addr add "$5" dev "$3"',
    '  ip link set "$2" alias "$id" master "$7" up',
    '}',
  ];
  for (const name of change.remove) lines.push(`docker rm -f ${q(name)} >/dev/null 2>&1 || true`);
  for (const name of change.create) {
    const container = wiring.containers.find((c) => c.name === name);
    if (!container) continue;
    lines.push(`docker rm -f ${q(name)} >/dev/null 2>&1 || true`);
    lines.push(
      [
        'docker run -d --network none',
        `--name ${q(name)} --hostname ${q(name)}`,
        '--cap-add NET_ADMIN',
        `--label ${q(`${LABEL_LAB}=${lab}`)} --label ${q(`${LABEL_ROLE}=container`)}`,
        `--label ${q(`${LABEL_NODE}=${name}`)} --label ${q(`${LABEL_SPEC}=${container.spec}`)}`,
        q(imageFor(container)),
        '>/dev/null',
      ].join(' '),
    );
  }
  for (const container of wiring.containers) {
    for (const iface of container.interfaces) lines.push(wireLine(container.name, iface));
  }
  return lines.join('\n');
}

function wireLine(container: string, iface: InterfaceWiring): string {
  return ['wire', container, iface.hostVeth, iface.name, iface.mac, iface.address, String(iface.mtu), iface.bridge]
    .map(q)
    .join(' ');
}

/** Each of the lab's containers on a host: name, state, and its IPv4 addresses read in its own namespace. */
export function containerStatusScript(lab: string): string {
  return (
    `for c in $(docker ps -aq --filter ${q(`label=${LABEL_LAB}=${lab}`)}); do ` +
    `docker inspect -f '{{index .Config.Labels "${LABEL_NODE}"}} {{.State.Status}} {{.State.Pid}}' $c; done | ` +
    `while read -r n s p; do a=''; [ "$p" != 0 ] && a=$(nsenter -t "$p" -n ip -4 -o addr show scope global | awk '{print $4}' | tr '\n' ' '); ` +
    `printf '%s\t%s\t%s\n' "$n" "$s" "$a"; done`
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
  const section = (key: string, command: string, last = false) =>
    `printf '"${key}":'; out=$(${command} 2>/dev/null); printf '%s' "\${out:-[]}"; printf '${last ? '' : ','}'`;
  return [
    "printf '{'",
    section('vxlan', 'ip -d -j link show type vxlan'),
    section('bridges', 'ip -d -j link show type bridge'),
    section('ports', 'bridge -j link show'),
    section('fdb', 'bridge -j fdb show'),
    section('neighbours', 'ip -j neigh show'),
    section('addresses', 'ip -j addr show'),
    section('routes', 'ip -j route show', true),
    "printf '}'",
  ].join('\n');
}
