// The same packet seen in two places (container1's eth0 and host-a's underlay, say): how to
// recognise it, and what changed between the two. A packet is matched on what the network
// does not rewrite on the way: the inner addresses, the IP ID, and for ICMP its id/sequence
// (for TCP and UDP also the ports, and TCP's sequence numbers: Linux sends some segments, the
// SYN/ACK for one, with IP ID 0).

import type { DecodedPacket, Layer, PacketKeys } from './decode-types.js';
import { layerTitle } from './decode.js';

export function samePacket(a: PacketKeys, b: PacketKeys): boolean {
  if (a.srcIp === undefined || a.dstIp === undefined || a.ipId === undefined) return false;
  if (a.srcIp !== b.srcIp || a.dstIp !== b.dstIp || a.ipId !== b.ipId || a.protocol !== b.protocol) return false;
  if (a.ports !== undefined && b.ports !== undefined && (a.ports.src !== b.ports.src || a.ports.dst !== b.ports.dst)) return false;
  if (a.tcp !== undefined && b.tcp !== undefined && (a.tcp.seq !== b.tcp.seq || a.tcp.ack !== b.tcp.ack)) return false;
  if (a.icmp === undefined && b.icmp === undefined) return true;
  if (a.icmp === undefined || b.icmp === undefined) return false;
  return a.icmp.type === b.icmp.type && a.icmp.code === b.icmp.code && a.icmp.id === b.icmp.id && a.icmp.seq === b.icmp.seq;
}

export interface PacketDifference {
  field: string;
  before: string;
  after: string;
}

/** The frame VXLAN carries, or the whole packet when there is no tunnel. */
function carriedLayers(packet: DecodedPacket): Layer[] {
  const tunnelled = packet.layers.some((layer) => layer.kind === 'vxlan');
  return packet.layers.filter((layer) => layer.kind !== 'payload' && (!tunnelled || layer.inner));
}

function tunnelLayers(packet: DecodedPacket): Layer[] {
  if (!packet.layers.some((layer) => layer.kind === 'vxlan')) return [];
  return packet.layers.filter((layer) => layer.kind !== 'payload' && !layer.inner);
}

function describeTunnel(packet: DecodedPacket): string {
  const outer = packet.keys.outer;
  if (!outer) return tunnelLayers(packet).length > 0 ? 'VXLAN (cut off)' : 'none';
  return `VXLAN VNI ${outer.vni}, ${outer.srcIp}:${outer.srcPort} → ${outer.dstIp}:${outer.dstPort}`;
}

/** Field by field, layers paired by kind in order; `prefix` names the outer headers. */
function compareStacks(before: Layer[], after: Layer[], prefix: string, out: PacketDifference[]): void {
  const kinds = [...new Set([...before, ...after].map((layer) => layer.kind))];
  for (const kind of kinds) {
    const a = before.find((layer) => layer.kind === kind);
    const b = after.find((layer) => layer.kind === kind);
    // VXLAN is the tunnel itself: "Outer" would add nothing to its name.
    const title = `${kind === 'vxlan' ? '' : prefix}${layerTitle({ kind, inner: false })}`;
    if (!a || !b) {
      out.push({ field: title, before: a ? 'present' : 'absent', after: b ? 'present' : 'absent' });
      continue;
    }
    const names = [...new Set([...a.fields, ...b.fields].map((field) => field.name))];
    for (const name of names) {
      const fa = a.fields.find((field) => field.name === name);
      const fb = b.fields.find((field) => field.name === name);
      if (fa?.value === fb?.value) continue;
      out.push({ field: `${title} ${(fa ?? fb)?.label ?? name}`, before: fa?.value ?? 'absent', after: fb?.value ?? 'absent' });
    }
  }
}

/** What differs between two sightings of one packet: encapsulation, then the carried headers. */
export function packetDifferences(a: DecodedPacket, b: DecodedPacket): PacketDifference[] {
  const out: PacketDifference[] = [];
  const tunnelA = describeTunnel(a);
  const tunnelB = describeTunnel(b);
  if (tunnelA !== tunnelB) out.push({ field: 'Encapsulation', before: tunnelA, after: tunnelB });
  const outerA = tunnelLayers(a);
  const outerB = tunnelLayers(b);
  if (outerA.length > 0 && outerB.length > 0) compareStacks(outerA, outerB, 'Outer ', out);
  compareStacks(carriedLayers(a), carriedLayers(b), '', out);
  if (a.summary.length !== b.summary.length) {
    out.push({ field: 'Frame length', before: `${a.summary.length} bytes`, after: `${b.summary.length} bytes` });
  }
  return out;
}
