import { describe, it, expect } from 'vitest';
import { machineRoutes } from '../../electron/engine/underlay.js';

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

describe('machineRoutes', () => {
  it('reads every route of /proc/net/route, in order, skipping the header', () => {
    expect(machineRoutes(SAMPLE)).toEqual([
      { device: 'eth0', destination: '0.0.0.0', prefix: 0 },
      { device: 'eth0', destination: '10.0.2.0', prefix: 24 },
      { device: 'docker0', destination: '172.17.0.0', prefix: 16 },
      { device: 'vxu-1a2b3c4d', destination: '192.168.1.0', prefix: 24 },
      { device: 'wg0', destination: '10.10.10.10', prefix: 32 },
    ]);
  });

  it('reads the little-endian hex of 10.0.2.0/24', () => {
    const [route] = machineRoutes(`${HEADER}\neth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n`);
    expect(route).toEqual({ device: 'eth0', destination: '10.0.2.0', prefix: 24 });
  });

  it('gives the default route prefix 0', () => {
    const routes = machineRoutes(SAMPLE);
    const defaults = routes.filter((route) => route.destination === '0.0.0.0');
    expect(defaults).toEqual([{ device: 'eth0', destination: '0.0.0.0', prefix: 0 }]);
  });

  it('reads addresses whose first octet has the high bit set', () => {
    const [route] = machineRoutes(`${HEADER}\nbr0\t0000FEFE\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n`);
    expect(route).toEqual({ device: 'br0', destination: '254.254.0.0', prefix: 16 });
  });

  it('reads odd prefix lengths', () => {
    const [route] = machineRoutes(`${HEADER}\neth1\t008010AC\t00000000\t0001\t0\t0\t0\t00E0FFFF\t0\t0\t0\n`);
    expect(route).toEqual({ device: 'eth1', destination: '172.16.128.0', prefix: 19 });
  });

  it('reads nothing from an empty or header-only file', () => {
    expect(machineRoutes('')).toEqual([]);
    expect(machineRoutes(`${HEADER}\n`)).toEqual([]);
  });

  it("reads this machine's own routes without throwing", () => {
    const routes = machineRoutes();
    for (const route of routes) {
      expect(route.destination).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(route.prefix).toBeGreaterThanOrEqual(0);
      expect(route.prefix).toBeLessThanOrEqual(32);
    }
  });
});
