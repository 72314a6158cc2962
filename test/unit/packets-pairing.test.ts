// One ping seen in container1 (before encapsulation) and on host-a's underlay (inside VXLAN):
// pairing finds it in both captures and says what changed.
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../electron/packets/decode.js';
import type { DecodedPacket } from '../../electron/packets/decode.js';
import { packetDifferences, samePacket } from '../../electron/packets/pairing.js';
import { FIXTURES, fixtureFrames } from './packet-fixtures.js';

function decodeAll(name: string): DecodedPacket[] {
  return fixtureFrames(name).map((frame) => decodeFrame(frame.bytes, { vxlanPorts: [4789] }, frame.originalLength));
}

const container = decodeAll(FIXTURES.pingContainer);
const underlay = decodeAll(FIXTURES.pingUnderlay);

describe('samePacket', () => {
  it('pairs each ICMP packet in the container with exactly its encapsulated copy on the underlay', () => {
    const pairs = container.map((packet) => underlay.flatMap((other, i) => (samePacket(packet.keys, other.keys) ? [i + 1] : [])));
    // Container frames 1-2 are ARP (no IP to match on); 3-6 are the pings, underlay frames 5-8.
    expect(pairs).toEqual([[], [], [5], [6], [7], [8]]);
  });

  it('tells a request from its reply and one sequence number from the next', () => {
    const [request1, reply1, request2] = [container[2]!, container[3]!, container[4]!];
    expect(samePacket(request1.keys, reply1.keys)).toBe(false);
    expect(samePacket(request1.keys, request2.keys)).toBe(false);
    expect(samePacket(request1.keys, { ...request1.keys, icmp: { ...request1.keys.icmp!, seq: 2 } })).toBe(false);
    expect(samePacket(request1.keys, { ...request1.keys, ipId: (request1.keys.ipId ?? 0) + 1 })).toBe(false);
    expect(samePacket(request1.keys, { ...request1.keys, ttl: 63, srcMac: '02:00:00:00:00:01' })).toBe(true);
  });

  it('pairs each TCP segment with its own copy, even the SYN/ACKs Linux sends with IP ID 0', () => {
    const tcpContainer = decodeAll(FIXTURES.tcpContainer);
    const tcpUnderlay = decodeAll(FIXTURES.tcpUnderlay);
    expect(tcpContainer.filter((packet) => packet.keys.ipId === 0).length).toBeGreaterThan(1);
    const pairs = tcpContainer.map((packet) => tcpUnderlay.flatMap((other, i) => (samePacket(packet.keys, other.keys) ? [i + 1] : [])));
    // Both captures saw the same 16 segments in the same order.
    expect(pairs).toEqual(tcpContainer.map((_packet, i) => [i + 1]));
  });
});

describe('packetDifferences', () => {
  it('says the underlay copy gained the VXLAN tunnel and 50 bytes, and nothing else changed', () => {
    expect(packetDifferences(container[2]!, underlay[4]!)).toEqual([
      { field: 'Encapsulation', before: 'none', after: 'VXLAN VNI 42, 192.168.211.10:40787 → 192.168.211.20:4789' },
      { field: 'Frame length', before: '98 bytes', after: '148 bytes' },
    ]);
  });

  it('names a rewritten header field, such as a router lowering the TTL', () => {
    const frame = fixtureFrames(FIXTURES.pingContainer)[2]!;
    const routed = frame.bytes.slice();
    routed[22] = 63;
    const after = decodeFrame(routed, { vxlanPorts: [] });
    const differences = packetDifferences(container[2]!, after);
    expect(differences).toContainEqual({ field: 'IPv4 Time to live', before: '64', after: '63' });
    expect(differences.map((difference) => difference.field)).toEqual(['IPv4 Time to live', 'IPv4 Header checksum']);
  });

  it('compares the tunnel headers of two encapsulated copies', () => {
    const bytes = fixtureFrames(FIXTURES.pingUnderlay)[4]!.bytes.slice();
    bytes[48] = 43; // VNI 42 -> 43
    const differences = packetDifferences(underlay[4]!, decodeFrame(bytes, { vxlanPorts: [4789] }));
    expect(differences).toEqual([
      { field: 'Encapsulation', before: 'VXLAN VNI 42, 192.168.211.10:40787 → 192.168.211.20:4789', after: 'VXLAN VNI 43, 192.168.211.10:40787 → 192.168.211.20:4789' },
      // The outer UDP checksum covers the VXLAN header (host-a left it to offload: only the expected value moves).
      { field: 'Outer UDP Checksum', before: expect.stringContaining('should be 0x904b'), after: expect.stringContaining('should be 0x8f4b') },
      { field: 'VXLAN VNI', before: '42', after: '43' },
    ]);
  });
});
