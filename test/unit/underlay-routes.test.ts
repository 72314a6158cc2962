import { describe, it, expect } from 'vitest';
import {
  machineConflict,
  parseIpAddresses,
  parseIpRoutes,
  parseProcNetRoute,
  readMachineNetwork,
} from '../../electron/engine/underlay.js';
import type { MachineNetwork } from '../../electron/engine/underlay.js';
import { EngineError } from '../../electron/engine/errors.js';

const HEADER = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT';

/** /proc/net/route of a machine with a default route, a /24, a Docker bridge and a host route. */
const SAMPLE = [
  HEADER,
  'eth0\t00000000\t0102000A\t0003\t0\t0\t100\t00000000\t0\t0\t0',
  'eth0\t0002000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
  'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
  'vxu-1a2b3c4d\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  'wg0\t0A0A0A0A\t00000000\t0005\t0\t0\t0\tFFFFFFFF\t0\t0\t0',
  '',
].join('\n');

describe('parseProcNetRoute (the fallback without ip)', () => {
  it('reads every route of /proc/net/route, in order, skipping the header, as the main table', () => {
    expect(parseProcNetRoute(SAMPLE)).toEqual([
      { device: 'eth0', destination: '0.0.0.0', prefix: 0, table: 'main' },
      { device: 'eth0', destination: '10.0.2.0', prefix: 24, table: 'main' },
      { device: 'docker0', destination: '172.17.0.0', prefix: 16, table: 'main' },
      { device: 'vxu-1a2b3c4d', destination: '192.168.1.0', prefix: 24, table: 'main' },
      { device: 'wg0', destination: '10.10.10.10', prefix: 32, table: 'main' },
    ]);
  });

  it('reads the little-endian hex of 10.0.2.0/24', () => {
    const [route] = parseProcNetRoute(`${HEADER}\neth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`);
    expect(route).toEqual({ device: 'eth0', destination: '10.0.2.0', prefix: 24, table: 'main' });
  });

  it('gives the default route prefix 0', () => {
    const routes = parseProcNetRoute(SAMPLE);
    const defaults = routes.filter((route) => route.destination === '0.0.0.0');
    expect(defaults).toEqual([{ device: 'eth0', destination: '0.0.0.0', prefix: 0, table: 'main' }]);
  });

  it('reads addresses whose first octet has the high bit set', () => {
    const [route] = parseProcNetRoute(`${HEADER}\nbr0\t0000FEFE\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n`);
    expect(route).toEqual({ device: 'br0', destination: '254.254.0.0', prefix: 16, table: 'main' });
  });

  it('reads odd prefix lengths', () => {
    const [route] = parseProcNetRoute(`${HEADER}\neth1\t008010AC\t00000000\t0001\t0\t0\t0\t00E0FFFF\t0\t0\t0\n`);
    expect(route).toEqual({ device: 'eth1', destination: '172.16.128.0', prefix: 19, table: 'main' });
  });

  it('reads nothing from an empty or header-only file', () => {
    expect(parseProcNetRoute('')).toEqual([]);
    expect(parseProcNetRoute(`${HEADER}\n`)).toEqual([]);
  });

});

/** `ip -j -4 route show table all` of a machine with policy routing (table 100) and a blackhole in table 200. */
const IP_ROUTES = JSON.stringify([
  { dst: 'default', gateway: '192.0.2.1', dev: 'eth0', flags: [] },
  { dst: '192.0.2.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '192.0.2.2', flags: [] },
  { dst: '172.17.0.0/16', dev: 'docker0', protocol: 'kernel', scope: 'link', prefsrc: '172.17.0.1', flags: ['linkdown'] },
  { dst: 'default', dev: 'wg0', table: '100', scope: 'link', flags: [] },
  { dst: '10.77.0.0/16', dev: 'wg0', table: '100', scope: 'link', flags: [] },
  { type: 'blackhole', dst: '10.88.0.0/16', table: '200', flags: [] },
  { type: 'local', dst: '127.0.0.0/8', dev: 'lo', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '127.0.0.1', flags: [] },
  { type: 'local', dst: '100.64.5.9', dev: 'tailscale0', table: 'local', protocol: 'kernel', scope: 'host', prefsrc: '100.64.5.9', flags: [] },
  { type: 'broadcast', dst: '192.0.2.255', dev: 'eth0', table: 'local', protocol: 'kernel', scope: 'link', prefsrc: '192.0.2.2', flags: [] },
  { dst: '192.168.210.0/24', dev: 'vxu-0badcafe', protocol: 'kernel', scope: 'link', prefsrc: '192.168.210.1', flags: [] },
  { dst: 'fe80::/64', dev: 'eth0' },
  'not a route',
  null,
]);

/** `ip -j -4 address show`: an address with noprefixroute has no route of its own. */
const IP_ADDRESSES = JSON.stringify([
  { ifindex: 1, ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' }] },
  {
    ifindex: 4,
    ifname: 'eth0',
    addr_info: [
      { family: 'inet', local: '192.0.2.2', prefixlen: 24, scope: 'global' },
      { family: 'inet6', local: 'fe80::1', prefixlen: 64 },
    ],
  },
  { ifindex: 9, ifname: 'tailscale0', addr_info: [{ family: 'inet', local: '100.64.5.9', prefixlen: 32, scope: 'global' }] },
  { ifindex: 12, ifname: 'lab0', addr_info: [{ family: 'inet', local: '10.99.3.7', prefixlen: 24, scope: 'global', noprefixroute: true }] },
  { ifindex: 13, ifname: 'vxu-0badcafe', addr_info: [{ family: 'inet', local: '192.168.210.1', prefixlen: 24 }] },
  { ifindex: 14, ifname: 'odd', addr_info: [{ family: 'inet', local: '300.1.1.1', prefixlen: 24 }, 'x'] },
]);

describe('parseIpRoutes', () => {
  it('reads the routes of every table, default routes as prefix 0 and single addresses as /32', () => {
    expect(parseIpRoutes(IP_ROUTES)).toEqual([
      { device: 'eth0', destination: '0.0.0.0', prefix: 0, table: 'main' },
      { device: 'eth0', destination: '192.0.2.0', prefix: 24, table: 'main' },
      { device: 'docker0', destination: '172.17.0.0', prefix: 16, table: 'main' },
      { device: 'wg0', destination: '0.0.0.0', prefix: 0, table: '100' },
      { device: 'wg0', destination: '10.77.0.0', prefix: 16, table: '100' },
      { device: '', destination: '10.88.0.0', prefix: 16, table: '200' },
      { device: 'lo', destination: '127.0.0.0', prefix: 8, table: 'local' },
      { device: 'tailscale0', destination: '100.64.5.9', prefix: 32, table: 'local' },
      { device: 'eth0', destination: '192.0.2.255', prefix: 32, table: 'local' },
      { device: 'vxu-0badcafe', destination: '192.168.210.0', prefix: 24, table: 'main' },
    ]);
  });

  it('reads nothing from output that is not a JSON list', () => {
    expect(parseIpRoutes('')).toEqual([]);
    expect(parseIpRoutes('{"dst":"10.0.0.0/8"}')).toEqual([]);
    expect(parseIpRoutes('[{"dst":"10.0.0.0/8"')).toEqual([]);
  });
});

describe('parseIpAddresses', () => {
  it('reads every IPv4 address of every device, skipping IPv6 and malformed entries', () => {
    expect(parseIpAddresses(IP_ADDRESSES)).toEqual([
      { device: 'lo', address: '127.0.0.1', prefix: 8 },
      { device: 'eth0', address: '192.0.2.2', prefix: 24 },
      { device: 'tailscale0', address: '100.64.5.9', prefix: 32 },
      { device: 'lab0', address: '10.99.3.7', prefix: 24 },
      { device: 'vxu-0badcafe', address: '192.168.210.1', prefix: 24 },
    ]);
  });
});

describe('machineConflict: an underlay is refused where this machine already routes or holds an address', () => {
  const machine: MachineNetwork = { routes: parseIpRoutes(IP_ROUTES), addresses: parseIpAddresses(IP_ADDRESSES) };
  const ownBridge = 'vxu-0badcafe';

  it('refuses a subnet that a route of another routing table covers, naming the table', () => {
    const error = machineConflict('10.77.1.0/24', ownBridge, machine);
    expect(error).toBeInstanceOf(EngineError);
    expect(error?.code).toBe('subnet-in-use');
    expect(error?.message).toContain('10.77.0.0/16 via wg0 in routing table 100');
    expect(machineConflict('10.88.0.0/24', ownBridge, machine)?.message).toContain('10.88.0.0/16 in routing table 200');
  });

  it('refuses a subnet holding an address of this machine that has no route (noprefixroute)', () => {
    const error = machineConflict('10.99.3.0/28', ownBridge, machine);
    expect(error?.code).toBe('subnet-in-use');
    expect(error?.message).toContain('contains 10.99.3.7, an address of lab0');
  });

  it('refuses a subnet holding a /32 address only the local table knows', () => {
    expect(machineConflict('100.64.0.0/16', ownBridge, machine)?.message).toContain('100.64.5.9');
  });

  it('refuses a subnet of the main table, as before', () => {
    expect(machineConflict('172.17.5.0/24', ownBridge, machine)?.message).toContain('172.17.0.0/16 via docker0 in routing table main');
  });

  it("accepts a free subnet, despite default routes in several tables and the lab's own underlay bridge", () => {
    expect(machineConflict('192.168.210.0/24', ownBridge, machine)).toBeUndefined();
    expect(machineConflict('10.55.0.0/16', ownBridge, machine)).toBeUndefined();
  });

  it("refuses the same subnet as another lab's bridge", () => {
    expect(machineConflict('192.168.210.0/24', 'vxu-12345678', machine)?.code).toBe('subnet-in-use');
  });
});

describe('readMachineNetwork', () => {
  it("reads this machine's own routes of every table and its addresses", async () => {
    const network = await readMachineNetwork();
    for (const route of network.routes) {
      expect(route.destination).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(route.prefix).toBeGreaterThanOrEqual(0);
      expect(route.prefix).toBeLessThanOrEqual(32);
    }
    // Every Linux machine has the loopback address, and its route is in the local table.
    expect(network.addresses).toContainEqual({ device: 'lo', address: '127.0.0.1', prefix: 8 });
    expect(network.routes).toContainEqual({ device: 'lo', destination: '127.0.0.0', prefix: 8, table: 'local' });
  });
});

describe('readMachineNetwork without a usable ip command', () => {
  const proc = `${HEADER}\neth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`;

  it('falls back to the main table of /proc/net/route where ip cannot be run', async () => {
    const network = await readMachineNetwork({ ip: async () => undefined, procNetRoute: () => proc });
    expect(network).toEqual({ routes: [{ device: 'eth0', destination: '10.0.2.0', prefix: 24, table: 'main' }], addresses: [] });
  });

  it('falls back too where ip prints no JSON (an iproute2 without -j), but keeps the addresses it could read', async () => {
    const network = await readMachineNetwork({
      ip: async (args) => (args.includes('route') ? 'default via 10.0.2.1 dev eth0\n' : IP_ADDRESSES),
      procNetRoute: () => proc,
    });
    expect(network.routes).toEqual([{ device: 'eth0', destination: '10.0.2.0', prefix: 24, table: 'main' }]);
    expect(network.addresses).toHaveLength(5);
  });

  it('reads every table from ip when it answers', async () => {
    const network = await readMachineNetwork({ ip: async (args) => (args.includes('route') ? IP_ROUTES : IP_ADDRESSES), procNetRoute: () => proc });
    expect(network.routes.map((route) => route.table)).toEqual(expect.arrayContaining(['main', 'local', '100', '200']));
  });
});
