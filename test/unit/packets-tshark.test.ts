// vxlab's decoder against tshark on the same recorded files: for every fixture frame, the
// VNI, both address pairs (MAC and IPv4), ports, TTL, IP ID, ICMP id/seq, TCP numbers and
// flags, ARP addresses, and the checksums both compute, field by field. A unit test of pure
// logic on recorded bytes: it needs tshark (scripts/provision.sh installs it), not Docker.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../electron/packets/decode.js';
import type { DecodedPacket, LayerKind } from '../../electron/packets/decode.js';
import { wiresharkDecodeHint } from '../../electron/packets/pcap.js';
import { FIXTURES, FIXTURES_DIR, fixtureFrames } from './packet-fixtures.js';

/** Our value as tshark prints it, from the first token ("0x9fdb (40923)" -> "0x9fdb"). */
const firstToken = (value: string) => value.split(' ')[0] ?? '';
/** The number in parentheses ("0x53bc (21436)" -> "21436"). */
const parenthesised = (value: string) => /\((\d+)\)/.exec(value)?.[1] ?? value;
/** Flags as tshark prints them, four hex digits ("0x012 (SYN, ACK)" -> "0x0012"). */
const flags4 = (value: string) => `0x${parseInt(firstToken(value), 16).toString(16).padStart(4, '0')}`;
const bytesCount = (value: string) => firstToken(value);
/** The checksum the decoder computed: the stored one when correct, else the "should be" one. */
const computedChecksum = (value: string) => /should be (0x[0-9a-f]{4})/.exec(value)?.[1] ?? (value.includes('(correct)') ? firstToken(value) : '');

/** tshark field -> [our layer kind, our field name, how tshark prints it]. */
const COMPARED: Record<string, [LayerKind, string, (value: string) => string]> = {
  'vxlan.vni': ['vxlan', 'vxlan.vni', String],
  'eth.src': ['ethernet', 'eth.src', String],
  'eth.dst': ['ethernet', 'eth.dst', String],
  'ip.src': ['ipv4', 'ip.src', String],
  'ip.dst': ['ipv4', 'ip.dst', String],
  'ip.ttl': ['ipv4', 'ip.ttl', String],
  'ip.id': ['ipv4', 'ip.id', firstToken],
  'ip.len': ['ipv4', 'ip.len', String],
  'ip.checksum': ['ipv4', 'ip.checksum', firstToken],
  'udp.srcport': ['udp', 'udp.srcport', String],
  'udp.dstport': ['udp', 'udp.dstport', String],
  'udp.length': ['udp', 'udp.length', String],
  'udp.checksum_calculated': ['udp', 'udp.checksum', computedChecksum],
  'icmp.type': ['icmp', 'icmp.type', firstToken],
  'icmp.ident': ['icmp', 'icmp.ident', parenthesised],
  'icmp.seq': ['icmp', 'icmp.seq', String],
  'tcp.srcport': ['tcp', 'tcp.srcport', String],
  'tcp.dstport': ['tcp', 'tcp.dstport', String],
  'tcp.seq_raw': ['tcp', 'tcp.seq', String],
  'tcp.ack_raw': ['tcp', 'tcp.ack', String],
  'tcp.flags': ['tcp', 'tcp.flags', flags4],
  'tcp.window_size_value': ['tcp', 'tcp.window_size_value', String],
  'tcp.hdr_len': ['tcp', 'tcp.hdr_len', bytesCount],
  'tcp.checksum_calculated': ['tcp', 'tcp.checksum', computedChecksum],
  'arp.opcode': ['arp', 'arp.opcode', firstToken],
  'arp.src.proto_ipv4': ['arp', 'arp.src.proto_ipv4', String],
  'arp.dst.proto_ipv4': ['arp', 'arp.dst.proto_ipv4', String],
};
const TSHARK_FIELDS = Object.keys(COMPARED);

/** Each fixture and the VXLAN ports of the lab it came from. The -s 80 one is left out: tshark skips cut IPv4 headers. */
const COMPARED_FIXTURES: [string, number[]][] = [
  [FIXTURES.pingUnderlay, [4789]],
  [FIXTURES.pingContainer, [4789]],
  [FIXTURES.ping8472, [8472]],
  [FIXTURES.ping8472Nanoseconds, [8472]],
  [FIXTURES.tcpUnderlay, [4789]],
  [FIXTURES.tcpContainer, [4789]],
];

function tsharkRows(file: string, vxlanPorts: number[]): Record<string, string>[] {
  const hint = wiresharkDecodeHint(vxlanPorts)?.split(' ') ?? [];
  const args = [
    '-r', join(FIXTURES_DIR, file), ...hint,
    '-o', 'udp.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE',
    '-T', 'fields', '-E', 'separator=/t', '-E', 'aggregator=,', '-E', 'occurrence=a',
    ...TSHARK_FIELDS.flatMap((name) => ['-e', name]),
  ];
  let output: string;
  try {
    output = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`tshark could not read ${file} (install it: scripts/provision.sh does): ${error instanceof Error ? error.message : String(error)}`);
  }
  return output.trimEnd().split('\n').map((line) => {
    const values = line.split('\t');
    return Object.fromEntries(TSHARK_FIELDS.map((name, i) => [name, values[i] ?? '']));
  });
}

function ourRow(packet: DecodedPacket): Record<string, string> {
  return Object.fromEntries(TSHARK_FIELDS.map((name) => {
    const [kind, fieldName, asTshark] = COMPARED[name]!;
    const values = packet.layers
      .filter((layer) => layer.kind === kind)
      .map((layer) => layer.fields.find((field) => field.name === fieldName))
      .filter((field) => field !== undefined)
      .map((field) => asTshark(field.value));
    return [name, values.join(',')];
  }));
}

describe('the decoder agrees with tshark on the fixtures', () => {
  it.each(COMPARED_FIXTURES)('%s (VXLAN ports %j)', (file, vxlanPorts) => {
    const theirs = tsharkRows(file, vxlanPorts);
    const frames = fixtureFrames(file);
    expect(theirs).toHaveLength(frames.length);
    frames.forEach((frame, i) => {
      const ours = ourRow(decodeFrame(frame.bytes, { vxlanPorts }, frame.originalLength));
      expect({ frame: frame.index, ...ours }).toEqual({ frame: frame.index, ...theirs[i] });
    });
  });

  it('compared what matters on each fixture: VNIs, both address pairs and ICMP or TCP fields are there', () => {
    const underlay = tsharkRows(FIXTURES.pingUnderlay, [4789])[4]!;
    expect(underlay).toMatchObject({
      'vxlan.vni': '42', 'ip.src': '192.168.211.10,10.0.1.2', 'ip.dst': '192.168.211.20,10.0.2.3',
      'udp.dstport': '4789', 'ip.ttl': '64,64', 'icmp.ident': '21436', 'icmp.seq': '1',
    });
    expect(tsharkRows(FIXTURES.ping8472, [8472])[2]).toMatchObject({ 'vxlan.vni': '77', 'ip.src': '192.168.211.10,10.1.1.2' });
    expect(tsharkRows(FIXTURES.tcpUnderlay, [4789])[1]).toMatchObject({ 'tcp.flags': '0x0012', 'tcp.checksum_calculated': '0xff41' });
  });
});
