// The pcap fixtures in test/fixtures: real captures of a lab with underlay 192.168.211.0/24
// (host-a .10, host-b .20), overlay blue (VNI 42, UDP 4789: container1 10.0.1.2 on host-a,
// container2 10.0.2.3 on host-b) and overlay linux (VNI 77, UDP 8472: 10.1.1.2 -> 10.1.2.3).
// See test/fixtures/README.md for how each was captured.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPcap } from '../../electron/packets/pcap.js';
import type { Frame } from '../../electron/packets/pcap.js';
import type { DecodedPacket, Field, LayerKind } from '../../electron/packets/decode.js';

export const FIXTURES_DIR = join(import.meta.dirname, '..', 'fixtures');

export const FIXTURES = {
  /** host-a's eth0 during `ping -c 2 10.0.2.3` from container1 (neighbours flushed): underlay ARP, inner ARP, 4 ICMP. */
  pingUnderlay: 'vxlan-4789-ping-underlay.pcap',
  /** container1's eth0 during that same ping. */
  pingContainer: 'vxlan-4789-ping-container.pcap',
  /** host-a's eth0 during `ping -c 1 10.1.2.3` from container3: VXLAN on 8472, VNI 77. */
  ping8472: 'vxlan-8472-ping-underlay.pcap',
  /** The same capture with nanosecond timestamps (editcap -F nsecpcap). */
  ping8472Nanoseconds: 'vxlan-8472-ping-underlay-ns.pcap',
  /** host-a's eth0 during iperf3 -c 10.0.2.3 -n 1K (first 16 packets). */
  tcpUnderlay: 'vxlan-4789-tcp-underlay.pcap',
  /** container1's eth0 during that same iperf3 run (first 16 packets). */
  tcpContainer: 'vxlan-4789-tcp-container.pcap',
  /** host-a's eth0 with tcpdump -s 80 during a ping: each frame cut off in the inner IPv4 header. */
  pingSnap80: 'vxlan-4789-ping-snap80.pcap',
} as const;

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES_DIR, name)));
}

export function fixtureFrames(name: string): Frame[] {
  const { frames, problem } = readPcap(fixtureBytes(name));
  if (problem) throw new Error(`fixture ${name}: ${problem}`);
  return frames;
}

/** The field `name` of the first layer of `kind` (the inner one when `inner`). */
export function field(packet: DecodedPacket, kind: LayerKind, inner: boolean, name: string): Field | undefined {
  return packet.layers.find((layer) => layer.kind === kind && layer.inner === inner)?.fields.find((f) => f.name === name);
}

export function fieldValue(packet: DecodedPacket, kind: LayerKind, inner: boolean, name: string): string | undefined {
  return field(packet, kind, inner, name)?.value;
}

export function hexBytes(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}
