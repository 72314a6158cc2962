// Network measurements inside a running lab, each one exec into a host container.
//
// Every probe runs from a host's shell with `nsenter`, never `docker exec`: the same
// binaries and the same launch cost for the overlay and the underlay path, and no
// 100-350 ms of nested exec added to a timing. The host image has ping but no iperf3,
// so iperf3 comes from a node container's file system (`nsenter -m`) while its network
// namespace is chosen separately: the container's own (overlay) or the host's (underlay).
import type Docker from 'dockerode';
import { execCapture, shellQuote as q } from '../../electron/engine/exec.js';

/** Where a probe sits: a host's own network namespace, or that of a container on it. */
export interface Endpoint {
  host: Docker.Container;
  /** A container on the host whose network namespace the probe enters; absent: the host's. */
  netnsOf?: string;
}

export interface PingRtt {
  minMs: number;
  avgMs: number;
  maxMs: number;
  lossPercent: number;
}

export interface IperfRun {
  bitsPerSecond: number;
  retransmits: number | null;
}

/** Shell words that put the rest of a command into a container's namespaces, as seen from its host. */
function enter(container: string, namespaces: ('-m' | '-n')[]): string {
  return `nsenter -t "$(docker inspect -f '{{.State.Pid}}' ${q(container)})" ${namespaces.join(' ')} --`;
}

function netnsPrefix(endpoint: Endpoint): string {
  return endpoint.netnsOf ? enter(endpoint.netnsOf, ['-n']) : '';
}

/**
 * iperf3 from `binaryFrom`'s file system, in the endpoint's network namespace. Leaving
 * out `-n` keeps the host's own network namespace: that is how the underlay is measured.
 */
function iperfPrefix(endpoint: Endpoint, binaryFrom: string): string {
  return enter(endpoint.netnsOf ?? binaryFrom, endpoint.netnsOf ? ['-m', '-n'] : ['-m']) + ' iperf3';
}

async function runShell(host: Docker.Container, script: string, what: string): Promise<string> {
  const result = await execCapture(host, ['sh', '-c', script]);
  if (result.exitCode !== 0) {
    const output = (result.stderr + result.stdout).trim().split('\n').slice(-6).join(' | ');
    throw new Error(`${what} failed (exit ${result.exitCode}): ${output || 'no output'}`);
  }
  return result.stdout;
}

/**
 * Pings until the first reply, within one exec so that polling adds no exec round trips.
 * Returns how many pings it took.
 */
export async function pingUntilReply(from: Endpoint, target: string, deadlineSeconds: number): Promise<number> {
  const script = [
    'n=0',
    `end=$(( $(date +%s) + ${deadlineSeconds} ))`,
    `until ${netnsPrefix(from)} ping -c 1 -W 1 -q ${q(target)} >/dev/null 2>&1; do`,
    '  n=$((n+1))',
    `  if [ "$(date +%s)" -ge "$end" ]; then echo "no reply from ${target} within ${deadlineSeconds} s ($n pings)" >&2; exit 1; fi`,
    '  sleep 0.05',
    'done',
    'echo $((n+1))',
  ].join('\n');
  return Number((await runShell(from.host, script, `ping ${target}`)).trim());
}

export async function pingRtt(from: Endpoint, target: string, count = 20): Promise<PingRtt> {
  const output = await runShell(from.host, `${netnsPrefix(from)} ping -c ${count} -i 0.2 -W 1 -q ${q(target)}`, `ping ${target}`);
  return parsePingSummary(output);
}

export function parsePingSummary(output: string): PingRtt {
  const rtt = /= ([\d.]+)\/([\d.]+)\/([\d.]+)\/[\d.]+ ms/.exec(output);
  const loss = /([\d.]+)% packet loss/.exec(output);
  if (!rtt || !loss) throw new Error(`ping printed no summary: ${output.trim()}`);
  return { minMs: Number(rtt[1]), avgMs: Number(rtt[2]), maxMs: Number(rtt[3]), lossPercent: Number(loss[1]) };
}

export interface IperfPair {
  client: Endpoint;
  server: Endpoint;
  /** Where the server listens, as the client reaches it. */
  target: string;
  /** A node container on each host, whose file system has iperf3. */
  binaryOnClient: string;
  binaryOnServer: string;
}

/**
 * One TCP test, client to server. The server serves one test and exits (`-1`); each
 * test gets its own port, so a server left over by a failed test is never in the way.
 */
export async function iperf(pair: IperfPair, port: number, seconds: number): Promise<IperfRun> {
  await runShell(pair.server.host, `${iperfPrefix(pair.server, pair.binaryOnServer)} -s -1 -D -p ${port}`, 'starting the iperf3 server');
  // The daemon binds after it forks: a refused first connection is retried, not reported.
  const client = `${iperfPrefix(pair.client, pair.binaryOnClient)} -c ${q(pair.target)} -p ${port} -t ${seconds} -O 1 -J`;
  const script = [
    'for try in 1 2 3 4 5; do',
    `  out=$(${client}); code=$?`,
    '  case "$out" in *"Connection refused"*) sleep 0.2 ;; *) break ;; esac',
    'done',
    'printf "%s" "$out"; exit $code',
  ].join('\n');
  const result = await execCapture(pair.client.host, ['sh', '-c', script]);
  return parseIperfJson(result.stdout, result.exitCode, result.stderr);
}

export function parseIperfJson(output: string, exitCode: number, stderr = ''): IperfRun {
  let report: { error?: string; end?: { sum_received?: { bits_per_second?: number }; sum_sent?: { retransmits?: number } } };
  try {
    report = JSON.parse(output) as typeof report;
  } catch {
    throw new Error(`iperf3 (exit ${exitCode}) printed no JSON report: ${(output + stderr).trim().slice(0, 300)}`);
  }
  const bits = report.end?.sum_received?.bits_per_second;
  if (report.error || exitCode !== 0 || bits === undefined) {
    throw new Error(`iperf3 failed (exit ${exitCode}): ${report.error ?? 'no received total in its report'}`);
  }
  return { bitsPerSecond: bits, retransmits: report.end?.sum_sent?.retransmits ?? null };
}
