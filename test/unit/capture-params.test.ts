// What capture.start accepts: an interface name and a BPF filter that reach tcpdump as
// words of their own, and a count in range. Anything else is refused, naming the field.
import { describe, expect, it } from 'vitest';
import { checkParams } from '../../electron/api/contract.js';
import { parseTcpdumpStats, tcpdumpCommand, describeTcpdumpFailure } from '../../electron/engine/capture-tcpdump.js';

const base = { lab: 'vxlan-basics', node: 'host-a' };

function refusal(params: unknown): string {
  const checked = checkParams('capture.start', params);
  if (checked.ok) throw new Error(`accepted ${JSON.stringify(params)}`);
  return checked.error.message;
}

describe('capture.start parameters', () => {
  it('accepts a lab and node alone, or with an interface, a BPF filter and a count', () => {
    expect(checkParams('capture.start', base).ok).toBe(true);
    expect(checkParams('capture.start', { ...base, iface: 'vxlan-blue', filter: 'udp port 4789 and host 10.0.2.3 and not arp', count: 1_000_000 }).ok).toBe(true);
    expect(checkParams('capture.start', { ...base, iface: 'br-blue.10@x', filter: 'icmp[icmptype] == 8 or (tcp[13] == 2 and dst port 22)' }).ok).toBe(true);
  });

  it.each([
    [{ iface: '' }, 'iface: an interface name is 1-15'],
    [{ iface: '-w' }, 'iface: an interface name'],
    [{ iface: 'a-very-long-name-0' }, 'iface: an interface name'],
    [{ iface: 'eth0 eth1' }, 'iface: an interface name'],
    [{ filter: 'icmp; reboot' }, 'filter: a capture filter holds printable ASCII without quotes'],
    [{ filter: 'icmp && arp' }, 'filter: a capture filter'],
    [{ filter: "host '1'" }, 'filter: a capture filter'],
    [{ filter: 'host $(id)' }, 'filter: a capture filter'],
    [{ filter: 'icmp\nx' }, 'filter: a capture filter'],
    [{ filter: 'x'.repeat(513) }, 'filter: a capture filter may be at most 512 characters'],
    [{ count: 0 }, 'count:'],
    [{ count: 1_000_001 }, 'count:'],
    [{ count: 2.5 }, 'count:'],
    [{ node: '../x' }, 'node: a node name'],
    [{ snaplen: 10 }, 'snaplen'],
  ])('refuses %j, naming the field', (change, message) => {
    expect(refusal({ ...base, ...change })).toContain(message);
  });
});

describe('the tcpdump a capture runs', () => {
  it('is one argv: the interface after -i, the filter one word after --, pcap to stdout, each packet flushed, root kept so a hang-up reaches it', () => {
    expect(tcpdumpCommand({ iface: 'eth0' })).toEqual(['tcpdump', '-Z', 'root', '--immediate-mode', '-B', '32768', '-U', '-s', '9216', '-i', 'eth0', '-w', '-', '--']);
    expect(tcpdumpCommand({ iface: 'vxlan-blue', filter: 'udp port 4789 and not arp', count: 6 })).toEqual([
      'tcpdump', '-Z', 'root', '--immediate-mode', '-B', '32768', '-U', '-s', '9216', '-i', 'vxlan-blue', '-w', '-', '-c', '6', '--', 'udp port 4789 and not arp',
    ]);
  });

  it('reads its closing figures', () => {
    const stderr = 'tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n1200 packets captured\n1300 packets received by filter\n7 packets dropped by kernel\n';
    expect(parseTcpdumpStats(stderr)).toEqual({ captured: 1200, droppedByKernel: 7 });
    expect(parseTcpdumpStats('1 packet captured\n')).toEqual({ captured: 1 });
    expect(parseTcpdumpStats('tcpdump: listening on eth0\n')).toEqual({});
  });

  it('turns its failures into errors a person can act on', () => {
    const context = { node: 'container1', iface: 'eth7', filter: 'udp portx', interfaces: ['eth0', 'lo'] };
    const noDevice = describeTcpdumpFailure('tcpdump: eth7: No such device exists\n(No such device exists)\n', 1, context);
    expect(noDevice).toMatchObject({ code: 'capture-failed', message: 'container1 has no interface eth7.', hint: 'Its interfaces: eth0, lo. Pick one with --iface.' });
    const badFilter = describeTcpdumpFailure("tcpdump: can't parse filter expression: syntax error\n", 1, context);
    expect(badFilter.message).toBe('tcpdump refused the filter "udp portx": can\'t parse filter expression: syntax error.');
    const noTcpdump = describeTcpdumpFailure('OCI runtime exec failed: exec failed: unable to start container process: exec: "tcpdump": executable file not found in $PATH: unknown', 126, {
      ...context,
      image: 'alpine:3.20',
    });
    expect(noTcpdump.message).toBe('container1 has no tcpdump (its image alpine:3.20 does not ship it): a capture runs tcpdump inside the node.');
    expect(noTcpdump.hint).toContain('leave image: out of container1');
    const other = describeTcpdumpFailure('tcpdump: something else broke\n', 2, context);
    expect(other.message).toBe('tcpdump could not capture on eth7 of container1 (exit 2): something else broke.');
  });
});
