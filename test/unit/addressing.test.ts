import { describe, it, expect } from 'vitest';
import {
  broadcastAddress,
  contains,
  firstUsable,
  formatCidr,
  formatIPv4,
  gatewayAddress,
  hostRange,
  networkAddress,
  overlaps,
  parseCidr,
  parseIPv4,
  proposeIp,
  reservedRole,
} from '../../electron/lab/addressing.js';
import type { AddressPlanInput } from '../../electron/lab/addressing.js';

describe('parseIPv4 / formatIPv4', () => {
  it('reads dotted quads into unsigned numbers and writes them back', () => {
    expect(parseIPv4('0.0.0.0')).toBe(0);
    expect(parseIPv4('10.0.1.2')).toBe(0x0a000102);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    expect(formatIPv4(0xffffffff)).toBe('255.255.255.255');
    expect(formatIPv4(parseIPv4('192.168.1.10') ?? -1)).toBe('192.168.1.10');
  });

  it('rejects anything but four plain decimal octets', () => {
    for (const text of ['10.0.1', '10.0.1.2.3', '10.0.1.256', '10.0.01.2', '10.0.1.-2', ' 10.0.1.2', '10.0.1.2 ', '10..1.2', '0x0a.0.1.2', '1e1.0.1.2', '']) {
      expect(parseIPv4(text), text).toBeUndefined();
    }
  });

  it('refuses to format numbers that are not IPv4 addresses', () => {
    expect(() => formatIPv4(-1)).toThrow(RangeError);
    expect(() => formatIPv4(2 ** 32)).toThrow(RangeError);
    expect(() => formatIPv4(1.5)).toThrow(RangeError);
  });
});

describe('parseCidr', () => {
  it('returns the network and prefix, and says when host bits were set', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ network: 0x0a000000, prefix: 16, address: 0x0a000000, hostBitsSet: false });
    const sloppy = parseCidr('192.168.1.10/24');
    expect(sloppy?.hostBitsSet).toBe(true);
    expect(sloppy && formatCidr(sloppy)).toBe('192.168.1.0/24');
  });

  it('rejects malformed prefixes and addresses', () => {
    for (const text of ['10.0.0.0', '10.0.0.0/33', '10.0.0.0/016', '10.0.0.0/', '10.0.0/8', '10.0.0.0/8/8', '10.0.0.0/ 8']) {
      expect(parseCidr(text), text).toBeUndefined();
    }
  });

  it('handles the /0 and /32 edges of the mask arithmetic', () => {
    expect(parseCidr('1.2.3.4/0')).toMatchObject({ network: 0, prefix: 0 });
    expect(parseCidr('1.2.3.4/32')).toMatchObject({ network: 0x01020304, hostBitsSet: false });
  });
});

describe('subnet arithmetic', () => {
  it('computes network, broadcast and the gateway (network + 1)', () => {
    expect(formatIPv4(networkAddress('10.0.0.0/16'))).toBe('10.0.0.0');
    expect(formatIPv4(broadcastAddress('10.0.0.0/16'))).toBe('10.0.255.255');
    expect(formatIPv4(firstUsable('192.168.1.0/24'))).toBe('192.168.1.1');
    expect(gatewayAddress('192.168.1.0/24')).toBe('192.168.1.1');
    expect(gatewayAddress({ network: 0x0a000000, prefix: 8 })).toBe('10.0.0.1');
  });

  it('tells whether an address is inside a subnet', () => {
    expect(contains('10.0.0.0/16', '10.0.255.254')).toBe(true);
    expect(contains('10.0.0.0/16', '10.1.0.1')).toBe(false);
    expect(contains('10.0.0.0/16', 'not-an-ip')).toBe(false);
  });

  it('names the reserved addresses of a subnet', () => {
    expect(reservedRole('10.0.0.0/16', '10.0.0.0')).toBe('network');
    expect(reservedRole('10.0.0.0/16', '10.0.0.1')).toBe('gateway');
    expect(reservedRole('10.0.0.0/16', '10.0.255.255')).toBe('broadcast');
    expect(reservedRole('10.0.0.0/16', '10.0.1.2')).toBeUndefined();
  });

  it('detects overlapping subnets in either direction, and not adjacent ones', () => {
    expect(overlaps('192.168.0.0/16', '192.168.1.0/24')).toBe(true);
    expect(overlaps('192.168.1.0/24', '192.168.0.0/16')).toBe(true);
    expect(overlaps('10.0.0.0/24', '10.0.1.0/24')).toBe(false);
    expect(overlaps('10.0.0.0/16', '10.0.0.0/16')).toBe(true);
  });
});

describe('hostRange', () => {
  it('gives the textbook /24 per host in a /16: host A 10.0.1.0/24, host B 10.0.2.0/24', () => {
    expect(hostRange('10.0.0.0/16', 0, 2)).toBe('10.0.1.0/24');
    expect(hostRange('10.0.0.0/16', 1, 2)).toBe('10.0.2.0/24');
  });

  it('keeps /24 blocks in a /8 so the third octet does not shift', () => {
    expect(hostRange('10.0.0.0/8', 2, 3)).toBe('10.0.3.0/24');
  });

  it('splits a small subnet into the smallest power of two of blocks above the host count: /26 with 3 hosts gives /28s', () => {
    expect(hostRange('10.0.0.0/26', 0, 3)).toBe('10.0.0.16/28');
    expect(hostRange('10.0.0.0/26', 1, 3)).toBe('10.0.0.32/28');
    expect(hostRange('10.0.0.0/26', 2, 3)).toBe('10.0.0.48/28');
  });

  it('falls back to smaller blocks when there are not enough /24s for every host plus the gateway block', () => {
    expect(hostRange('10.0.0.0/23', 0, 2)).toBe('10.0.0.128/25');
    expect(hostRange('10.0.0.0/23', 1, 2)).toBe('10.0.1.0/25');
  });

  it('gives no range when blocks would be smaller than /30 or the index is out of bounds', () => {
    expect(hostRange('10.0.0.0/29', 0, 3)).toBeUndefined();
    expect(hostRange('10.0.0.0/16', 2, 2)).toBeUndefined();
    expect(hostRange('10.0.0.0/16', -1, 2)).toBeUndefined();
  });
});

describe('proposeIp', () => {
  function lab(interfaces: { overlay: string; ip: string }[], subnet = '10.0.0.0/16'): AddressPlanInput {
    return {
      hosts: [{ name: 'host-a' }, { name: 'host-b' }],
      overlays: [
        { name: 'blue', subnet },
        { name: 'red', subnet },
      ],
      containers: [{ interfaces }],
    };
  }

  it('starts each host at .2 of its own block, like 10.0.1.2 on host A and 10.0.2.2 on host B', () => {
    expect(proposeIp(lab([]), 'blue', 'host-a')).toBe('10.0.1.2');
    expect(proposeIp(lab([]), 'blue', 'host-b')).toBe('10.0.2.2');
  });

  it('proposes the next free address once the first is taken, filling gaps first', () => {
    expect(proposeIp(lab([{ overlay: 'blue', ip: '10.0.1.2' }]), 'blue', 'host-a')).toBe('10.0.1.3');
    const withGap = lab([
      { overlay: 'blue', ip: '10.0.1.2' },
      { overlay: 'blue', ip: '10.0.1.4' },
    ]);
    expect(proposeIp(withGap, 'blue', 'host-a')).toBe('10.0.1.3');
  });

  it('only counts addresses used on the same overlay (tenants may reuse addresses)', () => {
    expect(proposeIp(lab([{ overlay: 'red', ip: '10.0.1.2' }]), 'blue', 'host-a')).toBe('10.0.1.2');
  });

  it('falls back to any free overlay address when the host block is full, and gives up when none is left', () => {
    // 10.0.0.0/29 with two hosts: blocks of /31 are too small, so the whole subnet is used: .2 .. .6
    const full = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].map((ip) => ({ overlay: 'blue', ip }));
    expect(proposeIp(lab(full, '10.0.0.0/29'), 'blue', 'host-b')).toBe('10.0.0.6');
    full.push({ overlay: 'blue', ip: '10.0.0.6' });
    expect(proposeIp(lab(full, '10.0.0.0/29'), 'blue', 'host-b')).toBeUndefined();
  });

  it('never proposes the overlay broadcast address at the end of the last block', () => {
    // /26 with 3 hosts: host index 2 gets 10.0.0.48/28, whose last address is the overlay broadcast.
    const three: AddressPlanInput = {
      hosts: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
      overlays: [{ name: 'blue', subnet: '10.0.0.0/26' }],
      containers: [{ interfaces: Array.from({ length: 13 }, (_, i) => ({ overlay: 'blue', ip: `10.0.0.${50 + i}` })) }],
    };
    expect(proposeIp(three, 'blue', 'c')).toBe('10.0.0.2');
  });

  it('returns undefined for an unknown overlay or host', () => {
    expect(proposeIp(lab([]), 'green', 'host-a')).toBeUndefined();
    expect(proposeIp(lab([]), 'blue', 'host-z')).toBeUndefined();
  });
});
