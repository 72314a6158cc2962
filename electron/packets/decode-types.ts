// The decoder's result types (binding between the decoder, the capture engine, the trace and
// the renderer: see docs or notes on issue 7). decode.ts re-exports them.

export interface DecodeOptions {
  /** UDP ports that carry VXLAN; 4789 is always included. */
  vxlanPorts: readonly number[];
}

/** One header field; offset and length are absolute in the frame, in bytes (bit fields name their byte). */
export interface Field {
  /** Stable key, Wireshark's display-filter name where there is one (ip.ttl, vxlan.vni). */
  name: string;
  label: string;
  value: string;
  offset: number;
  length: number;
}

export type LayerKind = 'ethernet' | 'arp' | 'ipv4' | 'icmp' | 'udp' | 'tcp' | 'vxlan' | 'payload';

export interface Layer {
  kind: LayerKind;
  /** True for the layers VXLAN carries (after the VXLAN header). */
  inner: boolean;
  /** The header's bytes (a payload layer: its data), absolute in the frame. */
  offset: number;
  length: number;
  fields: Field[];
  problem?: 'truncated' | 'malformed';
  note?: string;
}

export interface PacketKeys {
  outer?: { srcIp: string; dstIp: string; srcPort: number; dstPort: number; vni: number };
  /** Of the innermost Ethernet. */
  srcMac?: string;
  dstMac?: string;
  /** Of the innermost IPv4. */
  srcIp?: string;
  dstIp?: string;
  ipId?: number;
  ttl?: number;
  protocol?: number;
  icmp?: { type: number; code: number; id?: number; seq?: number };
  /** Of the innermost TCP or UDP header. */
  ports?: { src: number; dst: number };
  /** Of the innermost TCP header: with the IP ID they tell apart segments Linux sends with ID 0. */
  tcp?: { seq: number; ack: number };
}

export interface PacketSummary {
  source: string;
  destination: string;
  protocol: string;
  /** The frame's length on the wire. */
  length: number;
  vni?: number;
  info: string;
}

export interface DecodedPacket {
  layers: Layer[];
  keys: PacketKeys;
  summary: PacketSummary;
  /** One sentence per truncated or malformed layer; empty for a sound packet. */
  problems: string[];
}
