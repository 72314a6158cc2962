// The VTEP view as a person reads it in a terminal. Its values come from a host's
// kernel and Docker labels: each line is escaped, so none can drive the terminal.
import type { VtepView } from '../api/types.js';
import { printable } from './printable.js';

export function renderVtepView(view: VtepView): string {
  const lines: string[] = [];
  lines.push(`Host ${view.host} of lab ${view.lab}: underlay ${view.underlay.device} ${view.underlay.ip ?? '?'} (MTU ${view.underlay.mtu ?? '?'})`);
  lines.push('', 'VXLAN devices (VTEPs):');
  if (view.vteps.length === 0) lines.push('  none');
  for (const v of view.vteps) {
    lines.push(`  ${v.device}  VNI ${v.vni}  UDP ${v.port}  local ${v.localIp} dev ${v.underlayDevice}  MTU ${v.mtu}  bridge ${v.bridge ?? '-'}  ${v.state}`);
  }
  lines.push('', 'Forwarding database (where each MAC is sent):');
  if (view.fdb.length === 0) lines.push('  empty');
  for (const e of view.fdb) {
    const where = e.table === 'vtep' ? `${e.device} -> ${e.dst}` : `bridge port ${e.device}`;
    lines.push(`  ${e.mac}  ${where.padEnd(30)} ${e.kind.padEnd(7)} ${e.owner ?? ''}`.trimEnd());
  }
  lines.push('', 'Bridge ports:');
  if (view.bridgePorts.length === 0) lines.push('  none');
  for (const p of view.bridgePorts) {
    lines.push(`  ${p.bridge}  ${p.port.padEnd(14)} ${p.kind.padEnd(5)} ${p.state.padEnd(10)} MTU ${p.mtu}  ${p.container ?? ''}`.trimEnd());
  }
  lines.push('', 'Neighbours (underlay ARP):');
  if (view.neighbours.length === 0) lines.push('  none');
  for (const n of view.neighbours) lines.push(`  ${n.ip} ${n.mac ?? '-'} dev ${n.device} ${n.state} ${n.owner ?? ''}`.trimEnd());
  lines.push('', 'Routes:');
  for (const r of view.routes) lines.push(`  ${r.destination}${r.gateway ? ` via ${r.gateway}` : ''}${r.device ? ` dev ${r.device}` : ''}${r.source ? ` src ${r.source}` : ''}`);
  return lines.map((line) => printable(line)).join('\n') + '\n';
}
