import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseLabText } from '../../electron/lab/parse.js';
import { hostVethName, interfaceMac, planWiring } from '../../electron/lab/plan.js';
import type { HostWiring } from '../../electron/lab/plan.js';
import { shapeVtepView } from '../../electron/engine/vtep-view.js';
import type { FdbEntry, VtepView } from '../../electron/engine/vtep-view.js';

type RawSections = Parameters<typeof shapeVtepView>[2];

const TEMPLATE = readFileSync(new URL('../../lab-templates/vxlan-basics.yaml', import.meta.url), 'utf8');

function textbookWiring(): HostWiring[] {
  const result = parseLabText(TEMPLATE);
  if (!result.ok) throw new Error('the vxlan-basics template does not validate');
  return planWiring(result.lab);
}

const CONTAINER1_MAC = interfaceMac('vxlan-basics', 'container1', 0);
const CONTAINER2_MAC = interfaceMac('vxlan-basics', 'container2', 0);
const CONTAINER1_VETH = hostVethName('container1', 0);

/**
 * What inspectScript printed on host-a of the vxlan-basics lab after container1 pinged
 * container2, section by section as captured; only the container MACs and veth name are filled in.
 */
const CAPTURED = {
  vxlan: '[{"ifindex":3,"ifname":"vxlan42","mtu":1450,"master":"vxbr42","operstate":"UNKNOWN","linkinfo":{"info_kind":"vxlan","info_data":{"id":42,"local":"192.168.1.10","link":"eth0","port":4789,"learning":true,"ageing":300}}}]',
  bridges: '[{"ifname":"vxbr42","mtu":1450,"linkinfo":{"info_kind":"bridge"}}]',
  ports:
    '[{"ifindex":3,"ifname":"vxlan42","mtu":1450,"master":"vxbr42","state":"forwarding"},' +
    '{"ifindex":5,"ifname":"<container1 host veth>","mtu":1450,"master":"vxbr42","state":"forwarding"}]',
  fdb:
    '[{"mac":"33:33:00:00:00:01","ifname":"vxbr42","flags":["self"],"state":"permanent"},' +
    '{"mac":"<container2 mac>","ifname":"vxlan42","flags":[],"master":"vxbr42","state":""},' +
    '{"mac":"26:bc:34:49:dd:54","ifname":"vxlan42","flags":[],"master":"vxbr42","state":"permanent"},' +
    '{"mac":"<container2 mac>","ifname":"vxlan42","dst":"192.168.1.20","flags":["self"],"state":""},' +
    '{"mac":"00:00:00:00:00:00","ifname":"vxlan42","dst":"192.168.1.20","flags":["self"],"state":"permanent"},' +
    '{"mac":"<container1 mac>","ifname":"<container1 host veth>","flags":[],"master":"vxbr42","state":""},' +
    '{"mac":"33:33:00:00:00:01","ifname":"eth0","flags":["self"],"state":"permanent"}]',
  neighbours: '[{"dst":"192.168.1.20","dev":"eth0","lladdr":"02:42:c0:a8:01:14","state":["REACHABLE"]}]',
  addresses: '[{"ifname":"eth0","mtu":1500,"addr_info":[{"family":"inet","local":"192.168.1.10","prefixlen":24}]}]',
  routes: '[{"dst":"192.168.1.0/24","dev":"eth0","prefsrc":"192.168.1.10"}]',
};

/** The sections as readVtepView gets them: one JSON object. */
function hostARaw(): RawSections {
  const text = `{${Object.entries(CAPTURED)
    .map(([key, value]) => `"${key}":${value}`)
    .join(',')}}`
    .replaceAll('<container1 mac>', CONTAINER1_MAC)
    .replaceAll('<container2 mac>', CONTAINER2_MAC)
    .replaceAll('<container1 host veth>', CONTAINER1_VETH);
  return JSON.parse(text) as RawSections;
}

function hostAView(): VtepView {
  return shapeVtepView('vxlan-basics', 'host-a', hostARaw(), textbookWiring());
}

function entries(view: VtepView, predicate: (entry: FdbEntry) => boolean): FdbEntry[] {
  return view.fdb.filter(predicate);
}

describe('shapeVtepView of host-a in vxlan-basics', () => {
  it('names the lab and the host', () => {
    const view = hostAView();
    expect(view.lab).toBe('vxlan-basics');
    expect(view.host).toBe('host-a');
  });

  it('shows one VTEP: VNI 42, port 4789, local 192.168.1.10 on eth0, enslaved to vxbr42', () => {
    expect(hostAView().vteps).toEqual([
      {
        device: 'vxlan42',
        vni: 42,
        port: 4789,
        localIp: '192.168.1.10',
        underlayDevice: 'eth0',
        mtu: 1450,
        bridge: 'vxbr42',
        learning: true,
        state: 'UNKNOWN',
      },
    ]);
  });

  it('shows the flood entry towards 192.168.1.20 as owned by host-b', () => {
    const flood = entries(hostAView(), (e) => e.mac === '00:00:00:00:00:00');
    expect(flood).toEqual([
      { table: 'vtep', mac: '00:00:00:00:00:00', device: 'vxlan42', dst: '192.168.1.20', kind: 'flood', owner: 'host-b' },
    ]);
  });

  it("shows the learned VTEP entry of container2's MAC as container2 eth0 behind 192.168.1.20", () => {
    const learned = entries(hostAView(), (e) => e.mac === CONTAINER2_MAC && e.table === 'vtep');
    expect(learned).toEqual([
      { table: 'vtep', mac: CONTAINER2_MAC, device: 'vxlan42', dst: '192.168.1.20', kind: 'learned', owner: 'container2 eth0' },
    ]);
  });

  it("shows the bridge's own entries: container2 behind vxlan42, container1 behind its veth", () => {
    const bridge = entries(hostAView(), (e) => e.table === 'bridge');
    expect(bridge).toEqual([
      { table: 'bridge', mac: CONTAINER2_MAC, device: 'vxlan42', dst: undefined, kind: 'learned', owner: 'container2 eth0' },
      { table: 'bridge', mac: '26:bc:34:49:dd:54', device: 'vxlan42', dst: undefined, kind: 'local', owner: undefined },
      { table: 'bridge', mac: CONTAINER1_MAC, device: CONTAINER1_VETH, dst: undefined, kind: 'learned', owner: 'container1 eth0' },
    ]);
  });

  it("leaves out the multicast 'self' entries of the bridge and of eth0", () => {
    const view = hostAView();
    expect(view.fdb.map((e) => e.mac)).not.toContain('33:33:00:00:00:01');
    expect(view.fdb.map((e) => e.device)).not.toContain('eth0');
    expect(view.fdb.map((e) => e.device)).not.toContain('vxbr42');
    expect(view.fdb).toHaveLength(5);
  });

  it("leaves out a 'self' entry of the VXLAN device that has no remote behind it", () => {
    const raw = hostARaw();
    raw.fdb.push({ mac: '33:33:00:00:00:01', ifname: 'vxlan42', flags: ['self'], state: 'permanent' });
    const view = shapeVtepView('vxlan-basics', 'host-a', raw, textbookWiring());
    expect(view.fdb.map((e) => e.mac)).not.toContain('33:33:00:00:00:01');
    expect(view.fdb).toHaveLength(5);
  });

  it('lists the bridge ports: vxlan42 as the VXLAN port, the veth as container1 eth0', () => {
    expect(hostAView().bridgePorts).toEqual([
      { port: 'vxlan42', bridge: 'vxbr42', kind: 'vxlan', container: undefined, state: 'forwarding', mtu: 1450 },
      { port: CONTAINER1_VETH, bridge: 'vxbr42', kind: 'veth', container: 'container1 eth0', state: 'forwarding', mtu: 1450 },
    ]);
  });

  it('names neighbour 192.168.1.20 as host-b', () => {
    expect(hostAView().neighbours).toEqual([
      { ip: '192.168.1.20', mac: '02:42:c0:a8:01:14', device: 'eth0', state: 'REACHABLE', owner: 'host-b' },
    ]);
  });

  it('reads the underlay address and MTU of eth0', () => {
    expect(hostAView().underlay).toEqual({ device: 'eth0', ip: '192.168.1.10', mtu: 1500 });
  });

  it('keeps the routes', () => {
    expect(hostAView().routes).toEqual([{ destination: '192.168.1.0/24', device: 'eth0', gateway: undefined, source: '192.168.1.10' }]);
  });

  it("does not name another host's veth as a container port of this host", () => {
    const raw = hostARaw();
    const otherVeth = hostVethName('container2', 0);
    raw.ports.push({ ifname: otherVeth, mtu: 1450, master: 'vxbr42', state: 'forwarding' });
    const port = shapeVtepView('vxlan-basics', 'host-a', raw, textbookWiring()).bridgePorts.find((p) => p.port === otherVeth);
    expect(port).toMatchObject({ kind: 'other', container: undefined });
  });

  it('leaves ports of bridges that are not overlay bridges out', () => {
    const raw = hostARaw();
    raw.bridges.push({ ifname: 'docker0', mtu: 1500, linkinfo: { info_kind: 'bridge' } });
    raw.ports.push({ ifname: 'veth123', mtu: 1500, master: 'docker0', state: 'forwarding' });
    raw.fdb.push({ mac: '02:42:ac:11:00:02', ifname: 'veth123', flags: [], master: 'docker0', state: '' });
    const view = shapeVtepView('vxlan-basics', 'host-a', raw, textbookWiring());
    expect(view.bridgePorts.map((p) => p.port)).toEqual(['vxlan42', CONTAINER1_VETH]);
    expect(view.fdb.map((e) => e.device)).not.toContain('veth123');
  });

  it('still shows the tables without a lab file to name things after', () => {
    const view = shapeVtepView('vxlan-basics', 'host-a', hostARaw(), []);
    expect(view.vteps).toHaveLength(1);
    expect(view.fdb).toHaveLength(5);
    expect(view.fdb.every((e) => e.owner === undefined)).toBe(true);
    expect(view.bridgePorts.map((p) => p.kind)).toEqual(['vxlan', 'other']);
    expect(view.neighbours[0]?.owner).toBeUndefined();
  });

  it('shows empty tables for a host without overlays', () => {
    const view = shapeVtepView('vxlan-basics', 'host-a', {
      vxlan: [],
      bridges: [],
      ports: [],
      fdb: [{ mac: '33:33:00:00:00:01', ifname: 'eth0', flags: ['self'], state: 'permanent' }],
      neighbours: [],
      addresses: [],
      routes: [],
    }, textbookWiring());
    expect(view.vteps).toEqual([]);
    expect(view.fdb).toEqual([]);
    expect(view.bridgePorts).toEqual([]);
    expect(view.underlay).toEqual({ device: 'eth0', ip: undefined, mtu: undefined });
  });
});
