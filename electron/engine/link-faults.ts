// Faults on one link of a lab node, made inside the node and scoped to that interface:
// a host's eth0 is its underlay link; a container's interface is changed from its host,
// in the container's network namespace (nsenter -t PID -n), with the host's tc and
// iptables (the node image has neither). One exec per request: probe, change, read back.
//
// Not every kernel has sch_netem. Where it has, every fault is one netem qdisc. Where it
// has not, loss is a random drop in netfilter, in a chain of vxlab's own per interface
// (VXLAB-LINK-<iface>), and rate is a tbf qdisc; delay and jitter would need an NFQUEUE
// delayer that does not exist yet, so they are refused there and nothing changes.
// --clear removes exactly what vxlab sets: its chain and its jumps, and a root netem or
// tbf qdisc on that interface.
import type { LinkFaults, LinkRequest } from '../lab/link-spec.js';
import { EngineError } from './errors.js';
import { execCapture } from './exec.js';
import type { LabEngine } from './lab-engine.js';
import type { ShellFragment } from './shell-script.js';
import { raw, script, sh } from './shell-script.js';

export type LinkEngine = Pick<LabEngine, 'locateNode'>;

export type LinkMechanism = 'netem' | 'netfilter+tbf';

/** A link as read back from the node after the request. */
export interface LinkState {
  node: string;
  iface: string;
  mechanism: LinkMechanism;
  /** The interface is administratively up. */
  up: boolean;
  /** The root qdisc vxlab set (netem or tbf), as tc shows it; absent when none. */
  qdisc?: string;
  /** The drop probability of vxlab's netfilter chain (0-1); absent when none. */
  dropProbability?: number;
}

/** Exit codes the script uses to say why it changed nothing. */
const EXIT_NO_NETEM = 3;
const EXIT_NO_IFACE = 4;
const EXIT_STEP = 5;

/** vxlab's own netfilter chain for one interface (iptables allows 28 characters; 11 + 15 fit). */
export function linkChain(iface: string): string {
  return `VXLAB-LINK-${iface}`;
}

/** The shell that changes one link; `enter` runs a command in the node's network namespace. */
export function linkScript(request: LinkRequest, iface: string, container: string | undefined): string {
  const chain = linkChain(iface);
  const enter: ShellFragment[] = container
    ? [
        sh`pid=$(docker inspect -f ${'{{.State.Pid}}'} ${container} 2>/dev/null)`,
        raw(`[ -n "$pid" ] && [ "$pid" -gt 0 ] 2>/dev/null || { echo "the container does not run" >&2; exit ${EXIT_STEP}; }`),
        raw('ns() { nsenter -t "$pid" -n "$@"; }'),
      ]
    : [raw('ns() { "$@"; }')];
  const lines: ShellFragment[] = [
    ...enter,
    raw(`fail() { echo "$1" >&2; exit ${EXIT_STEP}; }`),
    sh`ns ip link show dev ${iface} >/dev/null 2>&1 || { ns ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 >&2; exit ${EXIT_NO_IFACE}; }`,
    // A throwaway namespace answers whether the kernel has netem without touching any link.
    raw(`netem=0; unshare -n tc qdisc add dev lo root netem >/dev/null 2>&1 && netem=1`),
  ];
  const clear = [
    sh`if ns tc qdisc show dev ${iface} root | grep -qE '^qdisc (netem|tbf) '; then ns tc qdisc del dev ${iface} root || fail 'tc qdisc del failed'; fi`,
    sh`while ns iptables -D OUTPUT -o ${iface} -j ${chain} 2>/dev/null; do :; done`,
    sh`while ns iptables -D FORWARD -o ${iface} -j ${chain} 2>/dev/null; do :; done`,
    sh`ns iptables -F ${chain} 2>/dev/null; ns iptables -X ${chain} 2>/dev/null; true`,
  ];
  switch (request.kind) {
    case 'show':
      break;
    case 'down':
    case 'up':
      lines.push(sh`ns ip link set dev ${iface} ${request.kind} || fail ${`ip link set ${request.kind} failed`}`);
      break;
    case 'clear':
      lines.push(...clear);
      break;
    case 'set': {
      const faults = request.faults;
      if (faults.delayMicroseconds !== undefined) lines.push(raw(`[ "$netem" = 1 ] || exit ${EXIT_NO_NETEM}`));
      lines.push(...clear);
      lines.push(sh`if [ "$netem" = 1 ]; then`, ...netemLines(faults, iface), raw('else'), ...fallbackLines(faults, iface, chain), raw('fi'));
      break;
    }
  }
  lines.push(
    raw('echo "netem $netem"'),
    sh`ns ip -o link show dev ${iface} | sed -n 's/^[^<]*<\\([^>]*\\)>.*/flags \\1/p'`,
    sh`ns tc qdisc show dev ${iface} root | grep -E '^qdisc (netem|tbf) ' | head -n 1`,
    sh`ns iptables -S ${chain} 2>/dev/null | grep -o 'probability [0-9.]*' | head -n 1`,
    raw('exit 0'),
  );
  return script(lines);
}

function netemLines(faults: LinkFaults, iface: string): ShellFragment[] {
  const words: string[] = [];
  if (faults.delayMicroseconds !== undefined) {
    words.push('delay', `${faults.delayMicroseconds}us`);
    if (faults.jitterMicroseconds !== undefined) words.push(`${faults.jitterMicroseconds}us`);
  }
  if (faults.loss !== undefined) words.push('loss', `${percentWord(faults.loss)}%`);
  if (faults.rateBitsPerSecond !== undefined) words.push('rate', `${faults.rateBitsPerSecond}bit`);
  return [sh`  ns tc qdisc replace dev ${iface} root netem ${words} || fail 'tc qdisc replace netem failed'`];
}

function fallbackLines(faults: LinkFaults, iface: string, chain: string): ShellFragment[] {
  const lines: ShellFragment[] = [];
  if (faults.loss !== undefined) {
    lines.push(
      sh`  ns iptables -N ${chain} || fail 'iptables -N failed'`,
      sh`  ns iptables -A ${chain} -m statistic --mode random --probability ${probabilityWord(faults.loss)} -j DROP || fail 'iptables -m statistic failed'`,
      sh`  ns iptables -I OUTPUT -o ${iface} -j ${chain} && ns iptables -I FORWARD -o ${iface} -j ${chain} || fail 'iptables -I failed'`,
    );
  }
  if (faults.rateBitsPerSecond !== undefined) {
    lines.push(sh`  ns tc qdisc replace dev ${iface} root tbf rate ${`${faults.rateBitsPerSecond}bit`} burst ${tbfBurstBytes(faults.rateBitsPerSecond)} latency 100ms || fail 'tc qdisc replace tbf failed'`);
  }
  return lines.length > 0 ? lines : [raw('  :')];
}

/** tbf needs a bucket of at least one timer tick's worth of bytes, and of a full frame or more. */
export function tbfBurstBytes(bitsPerSecond: number): number {
  return Math.max(Math.ceil(bitsPerSecond / 8 / 100), 16_384);
}

function percentWord(fraction: number): string {
  return String(Number((fraction * 100).toFixed(4)));
}

function probabilityWord(fraction: number): string {
  return String(Number(fraction.toFixed(6)));
}

/** Reads what the script printed at its end; anything else there is ignored. */
export function parseLinkState(stdout: string, node: string, iface: string): LinkState {
  let mechanism: LinkMechanism = 'netfilter+tbf';
  let up = false;
  let qdisc: string | undefined;
  let dropProbability: number | undefined;
  for (const line of stdout.split('\n').slice(0, 64)) {
    if (line === 'netem 1') mechanism = 'netem';
    else if (line.startsWith('flags ')) up = line.slice(6).split(',').includes('UP');
    else if (/^qdisc (netem|tbf) /.test(line)) qdisc = line.slice(0, 400).trim();
    else {
      const match = /^probability ([0-9.]{1,20})$/.exec(line);
      if (match) dropProbability = Number(match[1]);
    }
  }
  return { node, iface, mechanism, up, ...(qdisc !== undefined ? { qdisc } : {}), ...(dropProbability !== undefined ? { dropProbability } : {}) };
}

/** Carries out one request on a node's link and returns the link as it is afterwards. */
export async function applyLinkRequest(engine: LinkEngine, lab: string, node: string, iface: string, request: LinkRequest): Promise<LinkState> {
  const located = await engine.locateNode(lab, node);
  const result = await execCapture(located.host, ['sh', '-c', linkScript(request, iface, located.container)]);
  if (result.exitCode === EXIT_NO_NETEM) {
    throw new EngineError(
      'step-failed',
      `Delay and jitter are not yet available without sch_netem, and this kernel has no netem. Nothing was changed on ${iface} of ${node}.`,
      'Use --loss and --rate here (netfilter and tbf give them), or run vxlab on a kernel with sch_netem.',
    );
  }
  if (result.exitCode === EXIT_NO_IFACE) {
    const names = result.stderr.split('\n').map((n) => n.trim()).filter((n) => /^[A-Za-z0-9_.-]{1,15}$/.test(n)).slice(0, 32);
    throw new EngineError('node-not-found', `${node} of lab ${lab} has no interface ${iface}.`, `Give one of its interfaces with --iface: ${names.join(', ') || 'none found'}.`);
  }
  if (result.exitCode !== 0) {
    const reason = (result.stderr || result.stdout).trim().split('\n').slice(-4).join(' ').slice(0, 400);
    throw new EngineError('step-failed', `Changing ${iface} of ${node} failed (exit ${result.exitCode}): ${reason}`, `\`vxlab link ${lab} ${node} --iface ${iface} --clear\` removes what vxlab set.`);
  }
  return parseLinkState(result.stdout, node, iface);
}
