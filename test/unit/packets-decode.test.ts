// The decoder on real captures (test/fixtures, see packet-fixtures.ts) and on frames built to
// be cut off or wrong. Expected values were read off tshark -V for the same frames.
import { describe, expect, it } from 'vitest';
import { decodeFrame, formatPacketLine, layerTitle, VXLAN_OVERHEAD_BYTES } from '../../electron/packets/decode.js';
import type { DecodedPacket } from '../../electron/packets/decode.js';
import { field, fieldValue, FIXTURES, fixtureFrames, hexBytes } from './packet-fixtures.js';

const VXLAN_PORTS = { vxlanPorts: [4789] };

function decoded(name: string, number: number, options = VXLAN_PORTS): DecodedPacket {
  const frame = fixtureFrames(name)[number - 1];
  if (!frame) throw new Error(`${name} has no frame ${number}`);
  return decodeFrame(frame.bytes, options, frame.originalLength);
}

/** [layer kind, inner, field name, value] rows, checked one by one so a failure names the field. */
type Row = [Parameters<typeof field>[1], boolean, string, string];

function expectFields(packet: DecodedPacket, rows: Row[]): void {
  for (const [kind, inner, name, value] of rows) {
    expect({ field: `${inner ? 'inner ' : ''}${kind} ${name}`, value: fieldValue(packet, kind, inner, name) })
      .toEqual({ field: `${inner ? 'inner ' : ''}${kind} ${name}`, value });
  }
}

describe('decodeFrame on a VXLAN ping captured on the underlay (UDP 4789)', () => {
  const request = decoded(FIXTURES.pingUnderlay, 5);

  it('finds the seven layers in order, 50 bytes of tunnel headers before the carried frame', () => {
    expect(request.layers.map((layer) => layerTitle(layer))).toEqual([
      'Ethernet II', 'IPv4', 'UDP', 'VXLAN', 'Inner Ethernet II', 'Inner IPv4', 'Inner ICMP', 'Inner Data',
    ]);
    expect(request.layers.map((layer) => [layer.offset, layer.length])).toEqual([
      [0, 14], [14, 20], [34, 8], [42, 8], [50, 14], [64, 20], [84, 8], [92, 56],
    ]);
    expect(VXLAN_OVERHEAD_BYTES).toBe(50);
    expect(request.problems).toEqual([]);
  });

  it('reads every outer field as tshark does', () => {
    expectFields(request, [
      ['ethernet', false, 'eth.dst', '02:42:c0:a8:d3:14'],
      ['ethernet', false, 'eth.src', '02:42:c0:a8:d3:0a'],
      ['ethernet', false, 'eth.type', '0x0800 (IPv4)'],
      ['ipv4', false, 'ip.version', '4'],
      ['ipv4', false, 'ip.hdr_len', '20 bytes (5)'],
      ['ipv4', false, 'ip.dsfield.dscp', '0'],
      ['ipv4', false, 'ip.dsfield.ecn', '0'],
      ['ipv4', false, 'ip.len', '134'],
      ['ipv4', false, 'ip.id', '0x9fdb (40923)'],
      ['ipv4', false, 'ip.flags', '0x0'],
      ['ipv4', false, 'ip.flags.df', 'not set'],
      ['ipv4', false, 'ip.flags.mf', 'not set'],
      ['ipv4', false, 'ip.frag_offset', '0 bytes'],
      ['ipv4', false, 'ip.ttl', '64'],
      ['ipv4', false, 'ip.proto', '17 (UDP)'],
      ['ipv4', false, 'ip.checksum', '0xb31b (correct)'],
      ['ipv4', false, 'ip.src', '192.168.211.10'],
      ['ipv4', false, 'ip.dst', '192.168.211.20'],
      ['udp', false, 'udp.srcport', '40787'],
      ['udp', false, 'udp.dstport', '4789'],
      ['udp', false, 'udp.length', '114'],
      // host-a sent it: the kernel left the checksum to offload; tshark computes 0x904b as well.
      ['udp', false, 'udp.checksum', '0x27f4 (incorrect, should be 0x904b; normal where the sender offloads checksums)'],
      ['vxlan', false, 'vxlan.flags', '0x08 (I)'],
      ['vxlan', false, 'vxlan.flags.i', 'set'],
      ['vxlan', false, 'vxlan.reserved', '0x000000'],
      ['vxlan', false, 'vxlan.vni', '42'],
      ['vxlan', false, 'vxlan.reserved2', '0x00'],
    ]);
  });

  it('reads every inner field as tshark does', () => {
    expectFields(request, [
      ['ethernet', true, 'eth.dst', '02:0b:fc:38:73:7f'],
      ['ethernet', true, 'eth.src', '02:55:7d:7f:69:ad'],
      ['ethernet', true, 'eth.type', '0x0800 (IPv4)'],
      ['ipv4', true, 'ip.len', '84'],
      ['ipv4', true, 'ip.id', '0xce19 (52761)'],
      ['ipv4', true, 'ip.flags', '0x2 (DF)'],
      ['ipv4', true, 'ip.flags.df', 'set'],
      ['ipv4', true, 'ip.ttl', '64'],
      ['ipv4', true, 'ip.proto', '1 (ICMP)'],
      ['ipv4', true, 'ip.checksum', '0x558b (correct)'],
      ['ipv4', true, 'ip.src', '10.0.1.2'],
      ['ipv4', true, 'ip.dst', '10.0.2.3'],
      ['icmp', true, 'icmp.type', '8 (Echo (ping) request)'],
      ['icmp', true, 'icmp.code', '0'],
      ['icmp', true, 'icmp.checksum', '0xda04 (correct)'],
      ['icmp', true, 'icmp.ident', '0x53bc (21436)'],
      ['icmp', true, 'icmp.seq', '1'],
      ['payload', true, 'data', '56 bytes'],
    ]);
  });

  it('places each field on its bytes, absolute in the frame', () => {
    const frame = fixtureFrames(FIXTURES.pingUnderlay)[4]!;
    const vni = field(request, 'vxlan', false, 'vxlan.vni')!;
    expect([vni.offset, vni.length]).toEqual([46, 3]);
    expect(Array.from(frame.bytes.subarray(vni.offset, vni.offset + vni.length))).toEqual([0, 0, 42]);
    const innerSource = field(request, 'ipv4', true, 'ip.src')!;
    expect(Array.from(frame.bytes.subarray(innerSource.offset, innerSource.offset + 4))).toEqual([10, 0, 1, 2]);
    for (const layer of request.layers) {
      for (const f of layer.fields) {
        expect(f.offset).toBeGreaterThanOrEqual(layer.offset);
        expect(f.offset + f.length).toBeLessThanOrEqual(Math.max(layer.offset + layer.length, frame.bytes.length));
      }
    }
  });

  it('keys the packet for pairing and trace on the tunnel and the carried headers', () => {
    expect(request.keys).toEqual({
      outer: { srcIp: '192.168.211.10', dstIp: '192.168.211.20', srcPort: 40787, dstPort: 4789, vni: 42 },
      srcMac: '02:55:7d:7f:69:ad',
      dstMac: '02:0b:fc:38:73:7f',
      srcIp: '10.0.1.2',
      dstIp: '10.0.2.3',
      ipId: 52761,
      ttl: 64,
      protocol: 1,
      icmp: { type: 8, code: 0, id: 21436, seq: 1 },
    });
  });

  it('sums it up with the inner addresses, the inner protocol and the VNI, like Wireshark columns', () => {
    expect(request.summary).toEqual({
      source: '10.0.1.2',
      destination: '10.0.2.3',
      protocol: 'ICMP',
      length: 148,
      vni: 42,
      info: 'Echo (ping) request  id=0x53bc, seq=1, ttl=64',
    });
    const reply = decoded(FIXTURES.pingUnderlay, 6);
    expect(reply.summary.info).toBe('Echo (ping) reply  id=0x53bc, seq=1, ttl=64');
    expect(reply.keys.icmp).toEqual({ type: 0, code: 0, id: 21436, seq: 1 });
  });

  it('prints the CLI line: time, source > destination, protocol, VNI, info, length', () => {
    const frame = fixtureFrames(FIXTURES.pingUnderlay)[4]!;
    expect(formatPacketLine(frame, request)).toBe('04:49:42.917563 10.0.1.2 > 10.0.2.3 ICMP VNI 42 Echo (ping) request  id=0x53bc, seq=1, ttl=64, length 148');
  });
});

describe('decodeFrame on ARP', () => {
  it('reads the underlay ARP request and reply', () => {
    const request = decoded(FIXTURES.pingUnderlay, 1);
    expect(request.layers.map((layer) => layer.kind)).toEqual(['ethernet', 'arp']);
    expectFields(request, [
      ['ethernet', false, 'eth.dst', 'ff:ff:ff:ff:ff:ff'],
      ['ethernet', false, 'eth.type', '0x0806 (ARP)'],
      ['arp', false, 'arp.hw.type', '1 (Ethernet)'],
      ['arp', false, 'arp.proto.type', '0x0800 (IPv4)'],
      ['arp', false, 'arp.hw.size', '6'],
      ['arp', false, 'arp.proto.size', '4'],
      ['arp', false, 'arp.opcode', '1 (request)'],
      ['arp', false, 'arp.src.hw_mac', '02:42:c0:a8:d3:0a'],
      ['arp', false, 'arp.src.proto_ipv4', '192.168.211.10'],
      ['arp', false, 'arp.dst.hw_mac', '00:00:00:00:00:00'],
      ['arp', false, 'arp.dst.proto_ipv4', '192.168.211.20'],
    ]);
    expect(request.summary).toEqual({
      source: '02:42:c0:a8:d3:0a', destination: 'Broadcast', protocol: 'ARP', length: 42, info: 'Who has 192.168.211.20? Tell 192.168.211.10',
    });
    const reply = decoded(FIXTURES.pingUnderlay, 2);
    expect(fieldValue(reply, 'arp', false, 'arp.opcode')).toBe('2 (reply)');
    expect(reply.summary.info).toBe('192.168.211.20 is at 02:42:c0:a8:d3:14');
  });

  it('reads the ARP VXLAN carries, with the VNI and no outer address in the inner keys', () => {
    const carried = decoded(FIXTURES.pingUnderlay, 3);
    expect(carried.layers.map((layer) => layerTitle(layer))).toEqual(['Ethernet II', 'IPv4', 'UDP', 'VXLAN', 'Inner Ethernet II', 'Inner ARP']);
    expectFields(carried, [
      ['arp', true, 'arp.opcode', '1 (request)'],
      ['arp', true, 'arp.src.hw_mac', '02:55:7d:7f:69:ad'],
      ['arp', true, 'arp.src.proto_ipv4', '10.0.1.2'],
      ['arp', true, 'arp.dst.proto_ipv4', '10.0.2.3'],
    ]);
    expect(carried.keys.srcIp).toBeUndefined();
    expect(carried.keys.outer?.vni).toBe(42);
    expect(carried.summary).toMatchObject({ source: '02:55:7d:7f:69:ad', destination: 'Broadcast', protocol: 'ARP', vni: 42, info: 'Who has 10.0.2.3? Tell 10.0.1.2' });
  });
});

describe('decodeFrame on TCP', () => {
  it('reads every TCP field of a SYN/ACK carried in VXLAN', () => {
    const synAck = decoded(FIXTURES.tcpUnderlay, 2);
    expectFields(synAck, [
      ['tcp', true, 'tcp.srcport', '5201'],
      ['tcp', true, 'tcp.dstport', '48708'],
      ['tcp', true, 'tcp.seq', '1668901605'],
      ['tcp', true, 'tcp.ack', '2688677623'],
      ['tcp', true, 'tcp.hdr_len', '40 bytes (10)'],
      ['tcp', true, 'tcp.flags', '0x012 (SYN, ACK)'],
      ['tcp', true, 'tcp.window_size_value', '64308'],
      ['tcp', true, 'tcp.checksum', '0x1733 (incorrect, should be 0xff41; normal where the sender offloads checksums)'],
      ['tcp', true, 'tcp.urgent_pointer', '0'],
      ['tcp', true, 'tcp.options', '20 bytes'],
    ]);
    expect(synAck.layers.find((layer) => layer.kind === 'tcp')).toMatchObject({ offset: 84, length: 40, inner: true });
    expect(synAck.summary).toMatchObject({ source: '10.0.2.3', destination: '10.0.1.2', protocol: 'TCP', vni: 42 });
    expect(synAck.summary.info).toBe('5201 → 48708 [SYN, ACK] Seq=1668901605 Ack=2688677623 Win=64308 Len=0');
  });

  it('reads data segments and their payload in the container capture', () => {
    const push = decoded(FIXTURES.tcpContainer, 4);
    expect(push.layers.map((layer) => layer.kind)).toEqual(['ethernet', 'ipv4', 'tcp', 'payload']);
    expect(fieldValue(push, 'tcp', false, 'tcp.flags')).toBe('0x018 (PSH, ACK)');
    expect(fieldValue(push, 'payload', false, 'data')).toBe('37 bytes');
    expect(push.summary.vni).toBeUndefined();
    expect(push.summary.info).toMatch(/^48708 → 5201 \[PSH, ACK\] Seq=\d+ Ack=\d+ Win=64 Len=37$/);
  });
});

describe('VXLAN on other ports', () => {
  it('decodes VXLAN on 8472 when the lab says so, and leaves it plain UDP otherwise', () => {
    const asVxlan = decoded(FIXTURES.ping8472, 3, { vxlanPorts: [8472] });
    expect(asVxlan.summary).toMatchObject({ source: '10.1.1.2', destination: '10.1.2.3', protocol: 'ICMP', vni: 77 });
    expect(fieldValue(asVxlan, 'udp', false, 'udp.dstport')).toBe('8472');
    expect(fieldValue(asVxlan, 'vxlan', false, 'vxlan.vni')).toBe('77');
    const asUdp = decoded(FIXTURES.ping8472, 3, { vxlanPorts: [] });
    expect(asUdp.layers.map((layer) => layer.kind)).toEqual(['ethernet', 'ipv4', 'udp', 'payload']);
    expect(asUdp.summary).toMatchObject({ source: '192.168.211.10', destination: '192.168.211.20', protocol: 'UDP' });
    expect(asUdp.summary.vni).toBeUndefined();
  });

  it('recognises 4789 even when the options leave it out', () => {
    expect(decoded(FIXTURES.pingUnderlay, 5, { vxlanPorts: [8472] }).summary.vni).toBe(42);
  });
});

describe('truncated frames', () => {
  it('marks a real capture cut at 80 bytes (tcpdump -s 80) without losing what is there', () => {
    const cut = decoded(FIXTURES.pingSnap80, 1);
    const frame = fixtureFrames(FIXTURES.pingSnap80)[0]!;
    expect([frame.capturedLength, frame.originalLength]).toEqual([80, 148]);
    expect(cut.summary.length).toBe(148);
    expect(cut.summary.vni).toBe(42);
    expect(cut.layers.map((layer) => [layerTitle(layer), layer.problem])).toEqual([
      ['Ethernet II', undefined], ['IPv4', 'truncated'], ['UDP', undefined], ['VXLAN', undefined],
      ['Inner Ethernet II', undefined], ['Inner IPv4', 'truncated'],
    ]);
    expect(fieldValue(cut, 'ipv4', true, 'ip.src')).toBe('10.0.1.2');
    expect(field(cut, 'ipv4', true, 'ip.dst')).toBeUndefined();
    expect(cut.problems).toEqual([
      'IPv4 is truncated: the datagram is 134 bytes, 66 captured',
      'Inner IPv4 is truncated: Destination address is past the end of the captured bytes',
    ]);
    expect(cut.summary.info).toContain('[truncated]');
  });

  it('marks every cut of a real VXLAN frame and keeps each field inside the bytes it has', () => {
    const frame = fixtureFrames(FIXTURES.pingUnderlay)[4]!;
    for (let length = 0; length < frame.bytes.length; length++) {
      const packet = decodeFrame(frame.bytes.slice(0, length), VXLAN_PORTS, frame.bytes.length);
      expect(packet.problems.length, `cut at ${length}`).toBeGreaterThan(0);
      expect(packet.summary.length).toBe(148);
      for (const layer of packet.layers) {
        for (const f of layer.fields) expect(f.offset + f.length, `${f.name} cut at ${length}`).toBeLessThanOrEqual(length);
      }
    }
  });

  it('calls a frame shorter than an Ethernet header truncated', () => {
    const packet = decodeFrame(hexBytes('ffffffffffff0242'), VXLAN_PORTS);
    expect(packet.layers).toHaveLength(1);
    expect(packet.layers[0]).toMatchObject({ kind: 'ethernet', problem: 'truncated' });
    expect(packet.layers[0]!.fields.map((f) => f.name)).toEqual(['eth.dst']);
  });
});

/** A sound inner-less ICMP echo request (10.0.1.2 -> 10.0.2.3, id 0x12, seq 1), for breaking. */
function pingFrame(): Uint8Array {
  return hexBytes(`02420a000103 02420a000102 0800
    45000054 abcd 4000 4001 0000 0a000102 0a000203
    0800 0000 0012 0001 ${'00'.repeat(56)}`);
}

/** Fixes the IPv4 and ICMP checksums after an edit. */
function withChecksums(frame: Uint8Array): Uint8Array {
  const sum = (from: number, to: number) => {
    let total = 0;
    for (let i = from; i < to; i += 2) total += (frame[i]! << 8) | (frame[i + 1] ?? 0);
    while (total > 0xffff) total = (total & 0xffff) + (total >>> 16);
    return ~total & 0xffff;
  };
  frame[24] = 0; frame[25] = 0;
  const ip = sum(14, 34);
  frame[24] = ip >> 8; frame[25] = ip & 0xff;
  frame[36] = 0; frame[37] = 0;
  const icmp = sum(34, frame.length);
  frame[36] = icmp >> 8; frame[37] = icmp & 0xff;
  return frame;
}

describe('malformed frames', () => {
  it('accepts the sound frame these cases break', () => {
    const packet = decodeFrame(withChecksums(pingFrame()), VXLAN_PORTS);
    expect(packet.problems).toEqual([]);
    expect(fieldValue(packet, 'icmp', false, 'icmp.checksum')).toMatch(/\(correct\)$/);
  });

  it.each([
    ['an IPv4 version other than 4', (f: Uint8Array) => { f[14] = 0x65; }, 'IPv4 is malformed: the version is 6, not 4'],
    ['an IPv4 header length under 20', (f: Uint8Array) => { f[14] = 0x43; }, 'IPv4 is malformed: the header length is 12 bytes, less than the minimum 20'],
    ['a total length shorter than the header', (f: Uint8Array) => { f[16] = 0; f[17] = 10; }, 'IPv4 is malformed: the total length 10 is less than the header length 20'],
  ])('marks %s', (_what, edit, problem) => {
    const frame = pingFrame();
    edit(frame);
    const packet = decodeFrame(withChecksums(frame), VXLAN_PORTS);
    expect(packet.problems).toEqual([problem]);
    expect(packet.summary.info).toContain('[malformed]');
  });

  it('verifies the IPv4 header checksum and names the right one', () => {
    const frame = withChecksums(pingFrame());
    const good = fieldValue(decodeFrame(frame, VXLAN_PORTS), 'ipv4', false, 'ip.checksum')!;
    frame[25] = frame[25]! ^ 0xff;
    const packet = decodeFrame(frame, VXLAN_PORTS);
    expect(packet.problems).toEqual(['IPv4 is malformed: the header checksum is wrong']);
    expect(fieldValue(packet, 'ipv4', false, 'ip.checksum')).toBe(`0x${((frame[24]! << 8) | frame[25]!).toString(16).padStart(4, '0')} (incorrect, should be ${good.slice(0, 6)})`);
  });

  it('says when the ICMP checksum is wrong', () => {
    const frame = withChecksums(pingFrame());
    frame[37] = frame[37]! ^ 0x01;
    expect(fieldValue(decodeFrame(frame, VXLAN_PORTS), 'icmp', false, 'icmp.checksum')).toMatch(/\(incorrect, should be 0x[0-9a-f]{4}/);
  });

  it('reads DF, MF and the fragment offset, and does not take a later fragment for ICMP', () => {
    const frame = pingFrame();
    frame[20] = 0x20; // MF, offset 0x0b9 * 8 = 1480
    frame[21] = 0xb9;
    const packet = decodeFrame(withChecksums(frame), VXLAN_PORTS);
    expectFields(packet, [
      ['ipv4', false, 'ip.flags', '0x1 (MF)'],
      ['ipv4', false, 'ip.flags.df', 'not set'],
      ['ipv4', false, 'ip.flags.mf', 'set'],
      ['ipv4', false, 'ip.frag_offset', '1480 bytes'],
    ]);
    expect(packet.layers.map((layer) => layer.kind)).toEqual(['ethernet', 'ipv4', 'payload']);
    expect(packet.summary.info).toBe('Fragment of an IPv4 ICMP datagram');
  });

  it('reads DSCP and ECN', () => {
    const frame = pingFrame();
    frame[15] = (46 << 2) | 0x01; // EF, ECT(1)
    const packet = decodeFrame(withChecksums(frame), VXLAN_PORTS);
    expect(fieldValue(packet, 'ipv4', false, 'ip.dsfield.dscp')).toBe('46');
    expect(fieldValue(packet, 'ipv4', false, 'ip.dsfield.ecn')).toBe('1');
  });

  it('marks a UDP length under 8 and a TCP header length under 20', () => {
    const udpFrame = decoded(FIXTURES.pingUnderlay, 5);
    expect(udpFrame.problems).toEqual([]);
    const bytes = fixtureFrames(FIXTURES.pingUnderlay)[4]!.bytes.slice();
    bytes[38] = 0; bytes[39] = 4;
    expect(decodeFrame(bytes, VXLAN_PORTS).problems).toEqual(['UDP is malformed: the UDP length 4 is less than its 8-byte header']);
    const tcp = fixtureFrames(FIXTURES.tcpContainer)[0]!.bytes.slice();
    tcp[46] = 0x30; // data offset 3
    expect(decodeFrame(tcp, VXLAN_PORTS).problems).toEqual(['TCP is malformed: the header length is 12 bytes, less than the minimum 20']);
  });

  it('marks VXLAN without the I flag but still shows what it carries', () => {
    const bytes = fixtureFrames(FIXTURES.pingUnderlay)[4]!.bytes.slice();
    bytes[42] = 0x00;
    const packet = decodeFrame(bytes, VXLAN_PORTS);
    expect(packet.problems).toEqual(['VXLAN is malformed: the I flag is not set, so by RFC 7348 the VNI is not valid']);
    expect(fieldValue(packet, 'vxlan', false, 'vxlan.flags.i')).toBe('not set');
    expect(packet.summary.protocol).toBe('ICMP');
  });

  it('marks Ethernet/IPv4 ARP with wrong address sizes', () => {
    const bytes = fixtureFrames(FIXTURES.pingUnderlay)[0]!.bytes.slice();
    bytes[18] = 8;
    expect(decodeFrame(bytes, VXLAN_PORTS).problems).toEqual(['ARP is malformed: Ethernet/IPv4 ARP must have address sizes 6 and 4, found 8 and 4']);
  });

  it('shows an EtherType it does not decode as data, without a problem', () => {
    const packet = decodeFrame(hexBytes(`333300000001 02420a000102 86dd ${'00'.repeat(40)}`), VXLAN_PORTS);
    expect(packet.problems).toEqual([]);
    expect(packet.layers.map((layer) => layer.kind)).toEqual(['ethernet', 'payload']);
    expect(packet.summary).toMatchObject({ protocol: 'Ethernet', info: 'EtherType 0x86dd (IPv6)' });
  });
});

describe('padding and plain payloads', () => {
  it('shows the bytes after the IPv4 datagram as Ethernet padding, not as part of it', () => {
    const padded = new Uint8Array([...withChecksums(pingFrame()), 0, 0, 0, 0, 0, 0]);
    const packet = decodeFrame(padded, VXLAN_PORTS);
    expect(packet.problems).toEqual([]);
    expect(packet.layers.map((layer) => [layer.kind, layer.offset, layer.length, layer.note])).toEqual([
      ['ethernet', 0, 14, undefined], ['ipv4', 14, 20, undefined], ['icmp', 34, 8, undefined],
      ['payload', 42, 56, undefined], ['payload', 98, 6, 'Ethernet padding'],
    ]);
  });

  it('shows a UDP datagram to a port that is not VXLAN as UDP with its data', () => {
    const bytes = fixtureFrames(FIXTURES.pingUnderlay)[4]!.bytes.slice();
    bytes[36] = 0x00; bytes[37] = 0x35; // destination port 53
    const packet = decodeFrame(bytes, VXLAN_PORTS);
    expect(packet.layers.map((layer) => layer.kind)).toEqual(['ethernet', 'ipv4', 'udp', 'payload']);
    expect(packet.summary).toEqual({ source: '192.168.211.10', destination: '192.168.211.20', protocol: 'UDP', length: 148, info: '40787 → 53 Len=106' });
    expect(packet.keys.outer).toBeUndefined();
    expect(packet.keys.ports).toEqual({ src: 40787, dst: 53 });
  });
});

describe('formatPacketLine', () => {
  it('prints ARP by MAC and marks a cut-off frame, in UTC', () => {
    const [arp] = fixtureFrames(FIXTURES.pingUnderlay);
    expect(formatPacketLine(arp!, decodeFrame(arp!.bytes, VXLAN_PORTS)))
      .toBe('04:49:42.917457 02:42:c0:a8:d3:0a > Broadcast ARP Who has 192.168.211.20? Tell 192.168.211.10, length 42');
    const [cut] = fixtureFrames(FIXTURES.pingSnap80);
    expect(formatPacketLine(cut!, decodeFrame(cut!.bytes, VXLAN_PORTS, cut!.originalLength)))
      .toBe('04:50:08.755371 02:55:7d:7f:69:ad > 02:0b:fc:38:73:7f IPv4 VNI 42 [truncated], length 148');
  });
});
