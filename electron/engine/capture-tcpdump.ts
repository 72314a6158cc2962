// tcpdump as a capture runs it in a node, and what its words on stderr mean. Its
// argv goes to the engine's exec as a list, never through a shell: the interface and
// the filter (checked by the contract) are words of their own after `-i` and `--`.
import { EngineError } from './errors.js';

/** What a capture looks at when nobody says: a host's underlay, a container's first interface. */
export const DEFAULT_CAPTURE_IFACE = 'eth0';
/**
 * Bytes kept of each packet: a whole frame at the largest MTU a lab allows (9000) with
 * Ethernet and VXLAN around it. Not tcpdump's 262144: in immediate mode libpcap gives
 * every packet a ring slot of the snap length, so 32 MiB held 128 packets and a burst
 * at 10,000 packets/s was dropped by the kernel (npm run bench -- --only capture).
 * A segment the kernel coalesced (GRO/TSO, up to 64 KiB) keeps its headers, and its
 * original length says how much was cut.
 */
export const SNAP_LENGTH = 9216;

/** tcpdump's capture buffer in the kernel of the node, KiB: 3,500 slots of SNAP_LENGTH, 0.35 s at 10,000 packets/s. */
export const KERNEL_BUFFER_KIB = 32_768;

export interface TcpdumpOptions {
  iface: string;
  filter?: string;
  count?: number;
}

export function tcpdumpCommand(options: TcpdumpOptions): string[] {
  return [
    'tcpdump',
    // Debian's tcpdump drops to its own user after opening the interface; as root its
    // process stays readable to the session's hang-up (exec-session.ts), so stop ends it.
    '-Z',
    'root',
    // Each packet leaves as it comes: no 1 s block timeout, no stdio buffer in between.
    '--immediate-mode',
    // A kernel buffer that rides out a burst while vxlab reads a batch (2 MiB by default).
    '-B',
    String(KERNEL_BUFFER_KIB),
    '-U',
    '-s',
    String(SNAP_LENGTH),
    '-i',
    options.iface,
    '-w',
    '-',
    ...(options.count === undefined ? [] : ['-c', String(options.count)]),
    '--',
    ...(options.filter ? [options.filter] : []),
  ];
}

export interface TcpdumpStats {
  captured?: number;
  droppedByKernel?: number;
}

/** tcpdump's closing figures ("12 packets captured", "0 packets dropped by kernel"). */
export function parseTcpdumpStats(stderr: string): TcpdumpStats {
  const captured = /^(\d+) packets? captured$/m.exec(stderr)?.[1];
  const dropped = /^(\d+) packets? dropped by kernel$/m.exec(stderr)?.[1];
  return {
    ...(captured !== undefined ? { captured: Number(captured) } : {}),
    ...(dropped !== undefined ? { droppedByKernel: Number(dropped) } : {}),
  };
}

export interface FailureContext {
  node: string;
  iface: string;
  filter?: string;
  /** The node's image when the lab names one (not vxlab's node image). */
  image?: string;
  /** The node's interfaces, when they could be listed. */
  interfaces?: string[];
}

/** Why tcpdump did not start, as a person can act on it. */
export function describeTcpdumpFailure(stderr: string, exitCode: number | undefined, context: FailureContext): EngineError {
  const { node, iface } = context;
  if (/executable file not found|tcpdump: not found|No such file or directory.*tcpdump/i.test(stderr) || exitCode === 127) {
    return new EngineError(
      'capture-failed',
      `${node} has no tcpdump${context.image ? ` (its image ${context.image} does not ship it)` : ''}: a capture runs tcpdump inside the node.`,
      context.image
        ? `Use an image that has tcpdump, or leave image: out of ${node} in the lab file to get vxlab's node image, which has it.`
        : `Rebuild the images (\`vxlab images build --force\`) and re-apply the lab.`,
    );
  }
  if (/No such device|doesn't exist|SIOCGIFHWADDR/i.test(stderr)) {
    return new EngineError(
      'capture-failed',
      `${node} has no interface ${iface}.`,
      context.interfaces?.length ? `Its interfaces: ${context.interfaces.join(', ')}. Pick one with --iface.` : `\`vxlab exec LAB ${node} -- ip link\` lists its interfaces.`,
    );
  }
  if (/filter expression|syntax error|illegal|unknown host|expression rejects all packets/i.test(stderr)) {
    return new EngineError(
      'capture-failed',
      `tcpdump refused the filter ${JSON.stringify(context.filter ?? '')}: ${lastLine(stderr)}.`,
      'Write the filter as tcpdump takes it, e.g. "icmp", "udp port 4789" or "host 10.0.2.3 and not arp".',
    );
  }
  return new EngineError(
    'capture-failed',
    `tcpdump could not capture on ${iface} of ${node} (exit ${exitCode ?? 'unknown'}): ${lastLine(stderr) || 'it said nothing'}.`,
    `\`vxlab status LAB\` shows whether ${node} runs.`,
  );
}

/** The last line of what a command said, cut to a length a message can carry. */
export function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0 && !/^\(.*\)$/.test(line));
  const last = lines.at(-1) ?? '';
  return (last.length > 200 ? `${last.slice(0, 200)}…` : last).replace(/^tcpdump: /, '');
}
