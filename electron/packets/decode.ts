// Decodes one Ethernet frame layer by layer: Ethernet, ARP, IPv4, ICMP, UDP, TCP, VXLAN on
// every port the lab's overlays use, then the frame VXLAN carries. Pure (the CLI and the
// renderer share it) and total: a truncated or malformed frame comes back marked, never thrown.

import { hex } from './bytes.js';
import { LayerBuilder } from './layer-builder.js';
import type { DecodedPacket, DecodeOptions, Layer, LayerKind, PacketKeys, PacketSummary } from './decode-types.js';
import type { Frame } from './pcap.js';
import { VXLAN_IANA_PORT } from './pcap.js';
import { decodeArp } from './layers/arp.js';
import { decodeEthernet, ETHERNET_HEADER_BYTES, ETHERTYPE_ARP, ETHERTYPE_IPV4, etherTypeName } from './layers/ethernet.js';
import { decodeIcmp, ICMP_HEADER_BYTES } from './layers/icmp.js';
import { decodeIpv4, ipProtocolName, IPV4_MIN_HEADER_BYTES, PROTOCOL_ICMP, PROTOCOL_TCP, PROTOCOL_UDP } from './layers/ipv4.js';
import type { Ipv4Result } from './layers/ipv4.js';
import { decodeTcp, TCP_MIN_HEADER_BYTES } from './layers/tcp.js';
import { decodeUdp, UDP_HEADER_BYTES } from './layers/udp.js';
import { decodeVxlan, VXLAN_HEADER_BYTES } from './layers/vxlan.js';

export type { DecodedPacket, DecodeOptions, Field, Layer, LayerKind, PacketKeys, PacketSummary } from './decode-types.js';

/** What VXLAN adds to each frame: outer Ethernet 14, IPv4 20, UDP 8 and VXLAN 8. */
export const VXLAN_OVERHEAD_BYTES = ETHERNET_HEADER_BYTES + IPV4_MIN_HEADER_BYTES + UDP_HEADER_BYTES + VXLAN_HEADER_BYTES;

const LAYER_TITLES: Record<LayerKind, string> = {
  ethernet: 'Ethernet II',
  arp: 'ARP',
  ipv4: 'IPv4',
  icmp: 'ICMP',
  udp: 'UDP',
  tcp: 'TCP',
  vxlan: 'VXLAN',
  payload: 'Data',
};

/** The name a person reads for a layer: "IPv4", or "Inner IPv4" for one VXLAN carries. */
export function layerTitle(layer: Pick<Layer, 'kind' | 'inner'>): string {
  return `${layer.inner ? 'Inner ' : ''}${LAYER_TITLES[layer.kind]}`;
}

/** The state of one frame's decoding; each layer decoder reads its bytes and says what follows. */
class Decoding {
  readonly builders: LayerBuilder[] = [];
  readonly keys: PacketKeys = {};
  private readonly vxlanPorts: ReadonlySet<number>;

  constructor(
    readonly bytes: Uint8Array,
    options: DecodeOptions,
  ) {
    const ports = Array.isArray(options?.vxlanPorts) ? options.vxlanPorts : [];
    this.vxlanPorts = new Set([VXLAN_IANA_PORT, ...ports]);
  }

  private begin(kind: LayerKind, inner: boolean, start: number, end: number, headerLength: number): LayerBuilder {
    const builder = new LayerBuilder(this.bytes, kind, inner, start, end, headerLength);
    this.builders.push(builder);
    return builder;
  }

  payload(inner: boolean, start: number, end: number, note?: string): void {
    if (end <= start) return;
    const b = this.begin('payload', inner, start, end, end - start);
    b.field('data', 'Data', 0, end - start, () => `${end - start} bytes`);
    if (note) b.note(note);
  }

  ethernet(start: number, end: number, inner: boolean): void {
    const b = this.begin('ethernet', inner, start, end, ETHERNET_HEADER_BYTES);
    const ethernet = decodeEthernet(b);
    this.keys.srcMac = ethernet.srcMac;
    this.keys.dstMac = ethernet.dstMac;
    const next = start + ETHERNET_HEADER_BYTES;
    if (ethernet.etherType === ETHERTYPE_IPV4) return this.ipv4(next, end, inner);
    if (ethernet.etherType === ETHERTYPE_ARP) return this.arp(next, end, inner);
    if (ethernet.etherType !== undefined) {
      b.info = `EtherType ${hex(ethernet.etherType, 4)} (${etherTypeName(ethernet.etherType)})`;
      this.payload(inner, next, end, `${etherTypeName(ethernet.etherType)}: not decoded by vxlab`);
    } else if (b.layer.problem === undefined) {
      this.payload(inner, next, end);
    }
  }

  private arp(start: number, end: number, inner: boolean): void {
    const b = this.begin('arp', inner, start, end, 8);
    decodeArp(b);
    // ARP is 28 bytes; frames are padded to 60, and the rest is padding.
    this.payload(inner, start + b.layer.length, end, b.layer.problem ? undefined : 'Ethernet padding');
  }

  private ipv4(start: number, end: number, inner: boolean): void {
    const b = this.begin('ipv4', inner, start, end, IPV4_MIN_HEADER_BYTES);
    const ip = decodeIpv4(b);
    Object.assign(this.keys, { srcIp: ip.srcIp, dstIp: ip.dstIp, ipId: ip.id, ttl: ip.ttl, protocol: ip.protocol });
    if (ip.payloadStart === undefined || ip.payloadEnd === undefined) return;
    const protocol = ip.protocol ?? -1;
    const claimed = this.claimedPayloadLength(ip, start);
    const partial = ip.moreFragments === true;
    if (ip.laterFragment) {
      b.info = `Fragment of an IPv4 ${ipProtocolName(protocol)} datagram`;
      this.payload(inner, ip.payloadStart, ip.payloadEnd, 'IPv4 fragment: its data continues an earlier packet');
    } else if (protocol === PROTOCOL_ICMP) {
      this.icmp(ip.payloadStart, ip.payloadEnd, inner, claimed, partial);
    } else if (protocol === PROTOCOL_UDP) {
      this.udp(ip.payloadStart, ip.payloadEnd, inner, claimed, partial, ip);
    } else if (protocol === PROTOCOL_TCP) {
      this.tcp(ip.payloadStart, ip.payloadEnd, inner, claimed, partial, ip);
    } else {
      b.info = `IPv4 ${ipProtocolName(protocol)}`;
      this.payload(inner, ip.payloadStart, ip.payloadEnd, `${ipProtocolName(protocol)}: not decoded by vxlab`);
    }
    if (ip.trailerEnd !== undefined) this.payload(inner, ip.payloadEnd, ip.trailerEnd, 'Ethernet padding');
  }

  /** The IP payload's length as the IPv4 header states it (total length minus header). */
  private claimedPayloadLength(ip: Ipv4Result, ipStart: number): number {
    const totalLength = ((this.bytes[ipStart + 2] ?? 0) << 8) | (this.bytes[ipStart + 3] ?? 0);
    return totalLength - ((ip.payloadStart ?? ipStart) - ipStart);
  }

  private icmp(start: number, end: number, inner: boolean, messageLength: number, partial: boolean): void {
    const b = this.begin('icmp', inner, start, end, ICMP_HEADER_BYTES);
    const icmp = decodeIcmp(b, messageLength, !partial);
    if (icmp.type !== undefined && icmp.code !== undefined) {
      this.keys.icmp = { type: icmp.type, code: icmp.code, ...(icmp.id !== undefined ? { id: icmp.id } : {}), ...(icmp.seq !== undefined ? { seq: icmp.seq } : {}) };
    }
    if (b.layer.problem === undefined) {
      const echo = icmp.type === 0 || icmp.type === 8;
      this.payload(inner, start + ICMP_HEADER_BYTES, end, echo ? undefined : 'the start of the datagram the message is about');
    }
  }

  private udp(start: number, end: number, inner: boolean, ipPayloadLength: number, partial: boolean, ip: Ipv4Result): void {
    const b = this.begin('udp', inner, start, end, UDP_HEADER_BYTES);
    const udp = decodeUdp(b, ipPayloadLength, partial, ip.pseudoHeaderSum);
    if (udp.srcPort !== undefined && udp.dstPort !== undefined) this.keys.ports = { src: udp.srcPort, dst: udp.dstPort };
    if (udp.payloadStart === undefined || udp.payloadEnd === undefined || udp.dstPort === undefined) return;
    if (this.vxlanPorts.has(udp.dstPort)) {
      if (inner) {
        this.payload(inner, udp.payloadStart, udp.payloadEnd, 'VXLAN inside VXLAN: vxlan decodes one level');
        return;
      }
      return this.vxlan(udp.payloadStart, udp.payloadEnd, ip, udp.srcPort ?? 0, udp.dstPort);
    }
    this.payload(inner, udp.payloadStart, udp.payloadEnd);
  }

  private tcp(start: number, end: number, inner: boolean, segmentLength: number, partial: boolean, ip: Ipv4Result): void {
    const b = this.begin('tcp', inner, start, end, TCP_MIN_HEADER_BYTES);
    const tcp = decodeTcp(b, segmentLength, partial, ip.pseudoHeaderSum);
    if (tcp.srcPort !== undefined && tcp.dstPort !== undefined) this.keys.ports = { src: tcp.srcPort, dst: tcp.dstPort };
    if (tcp.seq !== undefined && tcp.ack !== undefined) this.keys.tcp = { seq: tcp.seq, ack: tcp.ack };
    if (tcp.payloadStart !== undefined && tcp.payloadEnd !== undefined) this.payload(inner, tcp.payloadStart, tcp.payloadEnd);
  }

  private vxlan(start: number, end: number, ip: Ipv4Result, srcPort: number, dstPort: number): void {
    const b = this.begin('vxlan', false, start, end, VXLAN_HEADER_BYTES);
    const vxlan = decodeVxlan(b);
    if (vxlan.vni !== undefined && ip.srcIp !== undefined && ip.dstIp !== undefined) {
      this.keys.outer = { srcIp: ip.srcIp, dstIp: ip.dstIp, srcPort, dstPort, vni: vxlan.vni };
    }
    if (!b.has(0, VXLAN_HEADER_BYTES)) return;
    // From here on the keys describe the carried frame, not the tunnel.
    for (const key of ['srcMac', 'dstMac', 'srcIp', 'dstIp', 'ipId', 'ttl', 'protocol', 'icmp', 'ports', 'tcp'] as const) delete this.keys[key];
    this.ethernet(start + VXLAN_HEADER_BYTES, end, true);
  }

  result(originalLength: number): DecodedPacket {
    const layers = this.builders.map((builder) => builder.layer);
    const problems = layers
      .filter((layer) => layer.problem !== undefined)
      .map((layer) => `${layerTitle(layer)} is ${layer.problem}${layer.note ? `: ${layer.note}` : ''}`);
    const keys = withoutUndefined(this.keys);
    return { layers, keys, summary: this.summary(layers, keys, originalLength), problems };
  }

  private summary(layers: Layer[], keys: PacketKeys, length: number): PacketSummary {
    const headers = this.builders.filter((builder) => builder.layer.kind !== 'payload');
    const top = headers[headers.length - 1];
    const protocol = top ? (top.layer.kind === 'ethernet' ? 'Ethernet' : LAYER_TITLES[top.layer.kind]) : 'Data';
    const [source, destination] = addressPair(top?.layer.kind, keys);
    let info = top?.info ?? '';
    if (top?.layer.kind === 'icmp' && keys.ttl !== undefined) info += `, ttl=${keys.ttl}`;
    const marks = [...new Set(layers.map((layer) => layer.problem).filter((problem) => problem !== undefined))];
    if (marks.length > 0) info = `${info}${info ? ' ' : ''}${marks.map((mark) => `[${mark}]`).join(' ')}`;
    return { source, destination, protocol, length, ...(keys.outer ? { vni: keys.outer.vni } : {}), info };
  }
}

/**
 * The summary's source and destination: the innermost IPv4 pair, the MAC pair for ARP or
 * non-IP frames, or the tunnel's addresses when the carried frame was cut off.
 */
function addressPair(topKind: LayerKind | undefined, keys: PacketKeys): [string, string] {
  const ipPair = keys.srcIp !== undefined && keys.dstIp !== undefined ? [keys.srcIp, keys.dstIp] : undefined;
  const macPair = keys.srcMac !== undefined && keys.dstMac !== undefined
    ? [keys.srcMac, keys.dstMac === 'ff:ff:ff:ff:ff:ff' ? 'Broadcast' : keys.dstMac]
    : undefined;
  const outerPair = keys.outer ? [keys.outer.srcIp, keys.outer.dstIp] : undefined;
  const pair = (topKind === 'arp' ? macPair : undefined) ?? ipPair ?? macPair ?? outerPair ?? ['', ''];
  return [pair[0] ?? '', pair[1] ?? ''];
}

function withoutUndefined(keys: PacketKeys): PacketKeys {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(keys)) if (value !== undefined) out[key] = value;
  return out as PacketKeys;
}

/**
 * Decodes an Ethernet frame. `originalLength` is its length on the wire when the capture kept
 * fewer bytes (the summary's length); by default the bytes' length. Never throws.
 */
export function decodeFrame(bytes: Uint8Array, options: DecodeOptions, originalLength?: number): DecodedPacket {
  const wireLength = originalLength !== undefined && Number.isFinite(originalLength) ? Math.max(originalLength, bytes.length) : bytes.length;
  try {
    const decoding = new Decoding(bytes, options);
    decoding.ethernet(0, bytes.length, false);
    return decoding.result(wireLength);
  } catch (error) {
    // Defensive: every read is bounds-checked, so this is a bug, but it must not end a capture.
    const problem = `the decoder failed on this frame: ${error instanceof Error ? error.message : String(error)}`;
    return {
      layers: [{ kind: 'payload', inner: false, offset: 0, length: bytes.length, fields: [], problem: 'malformed', note: problem }],
      keys: {},
      summary: { source: '', destination: '', protocol: 'Data', length: wireLength, info: '[malformed]' },
      problems: [problem],
    };
  }
}

/** hh:mm:ss.uuuuuu in UTC, as tcpdump prints time (in UTC so every machine prints the same). */
export function formatTimeOfDay(timeUs: number): string {
  if (!Number.isFinite(timeUs) || timeUs < 0) return '--:--:--.------';
  const micros = Math.floor(timeUs) % 1_000_000;
  const date = new Date(Math.floor(timeUs / 1000));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}.${String(micros).padStart(6, '0')}`;
}

/** The CLI's line per packet: time, source > destination, protocol, VNI, info, length. */
export function formatPacketLine(frame: Frame, packet: DecodedPacket): string {
  const { summary } = packet;
  const vni = summary.vni !== undefined ? ` VNI ${summary.vni}` : '';
  const info = summary.info ? ` ${summary.info}` : '';
  return `${formatTimeOfDay(frame.timeUs)} ${summary.source || '?'} > ${summary.destination || '?'} ${summary.protocol}${vni}${info}, length ${summary.length}`;
}
