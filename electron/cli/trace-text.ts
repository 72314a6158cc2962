// The packet walk as a person reads it in a terminal: one line per hop with the time
// since the first hop, where it was seen, its headers (inner only before encapsulation,
// outer and inner after) and the table entry that sent it on. Values from hosts and
// frames are escaped, so none can drive the terminal.
import type { TraceHop, TraceResult } from '../api/types.js';
import { decodeFrame } from '../packets/decode.js';
import type { PacketKeys } from '../packets/decode.js';
import { printable } from './printable.js';

const ICMP_NAMES: Record<number, string> = { 0: 'echo reply', 8: 'echo request', 3: 'unreachable', 11: 'time exceeded' };

/** The headers of a frame in one line: `outer | inner`, or the inner alone. */
export function describeHeaders(keys: PacketKeys): string {
  const inner = [
    keys.srcIp && keys.dstIp ? `${keys.srcIp} > ${keys.dstIp}` : `${keys.srcMac ?? '?'} > ${keys.dstMac ?? '?'}`,
    keys.icmp ? `ICMP ${ICMP_NAMES[keys.icmp.type] ?? `type ${keys.icmp.type}`}${keys.icmp.id !== undefined ? ` id ${keys.icmp.id}` : ''}${keys.icmp.seq !== undefined ? ` seq ${keys.icmp.seq}` : ''}` : undefined,
    keys.ttl !== undefined ? `ttl ${keys.ttl}` : undefined,
    keys.ipId !== undefined ? `ip-id ${keys.ipId}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  if (!keys.outer) return inner;
  const o = keys.outer;
  return `${o.srcIp}:${o.srcPort} > ${o.dstIp}:${o.dstPort} VXLAN vni ${o.vni} | ${inner}`;
}

/** A hop's line, and its deciding entry on a second line. */
function hopLines(hop: TraceHop, vxlanPorts: readonly number[]): string[] {
  const bytes = Uint8Array.from(Buffer.from(hop.frame.data, 'base64'));
  const keys = decodeFrame(bytes, { vxlanPorts }, hop.frame.originalLength).keys;
  const since = `+${hop.sinceFirstUs} µs`.padStart(11);
  const where = `${hop.node} ${hop.iface}`.padEnd(24);
  const role = `(${hop.role})`.padEnd(14);
  const line = `${String(hop.step).padStart(3)} ${since}  ${where} ${role} ${describeHeaders(keys)}`;
  if (!hop.decision) return [line];
  const { table, entry, pointsTo } = hop.decision;
  return [line, `${' '.repeat(17)}${table}: ${entry}${pointsTo ? ` -> ${pointsTo}` : ''}`];
}

export function renderTrace(result: TraceResult): string {
  const lines: string[] = [];
  lines.push(`Trace of one ping from ${result.from} to ${result.dest} (${result.destIp}); times since the first hop, from the kernel's clock:`);
  lines.push('', 'Request:');
  if (result.request.length === 0) lines.push('  not seen');
  for (const hop of result.request) lines.push(...hopLines(hop, result.vxlanPorts));
  lines.push('', 'Reply:');
  if (result.reply.length === 0) lines.push('  not seen');
  for (const hop of result.reply) lines.push(...hopLines(hop, result.vxlanPorts));
  if (result.problems.length > 0) {
    lines.push('', 'Problems:');
    for (const problem of result.problems) lines.push(`  ${problem}`);
  }
  // Each line escaped whole: a value holding a newline or an escape shows it, never acts on it.
  return lines.map((line) => printable(line)).join('\n') + '\n';
}
