import { readdirSync, readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseLabText, stringifyLab } from '../../electron/lab/parse.js';
import {
  hostVethName,
  interfaceMac,
  isEmptyPlan,
  planUp,
  planWiring,
  underlaySpec,
} from '../../electron/lab/plan.js';
import type { HostWiring, ObservedLab, UpPlan } from '../../electron/lab/plan.js';
import type { Lab, LabData } from '../../electron/lab/model.js';

const TEMPLATE = readFileSync(new URL('../../lab-templates/vxlan-basics.yaml', import.meta.url), 'utf8');

function labOf(text: string): Lab {
  const result = parseLabText(text);
  if (!result.ok) throw new Error(result.problems.map((problem) => `${problem.path}: ${problem.message}`).join('\n'));
  return result.lab;
}

function textbook(): Lab {
  return labOf(TEMPLATE);
}

/** Three hosts on 192.168.1.0/24, each with one container on overlay blue. */
const THREE_HOSTS = `version: 1
name: three
underlay: { subnet: 192.168.1.0/24 }
hosts:
  - { name: host-a, ip: 192.168.1.10 }
  - { name: host-b, ip: 192.168.1.20 }
  - { name: host-c, ip: 192.168.1.30 }
overlays:
  - { name: blue, vni: 42, subnet: 10.0.0.0/16 }
containers:
  - { name: c1, host: host-a, interfaces: [ { overlay: blue, ip: 10.0.1.2 } ] }
  - { name: c2, host: host-b, interfaces: [ { overlay: blue, ip: 10.0.2.2 } ] }
  - { name: c3, host: host-c, interfaces: [ { overlay: blue, ip: 10.0.3.2 } ] }
`;

/** Two tenants reusing one subnet and the very same addresses, told apart by their VNI. */
const TWO_TENANTS = `version: 1
name: tenants
underlay: { subnet: 192.168.1.0/24 }
hosts:
  - { name: host-a, ip: 192.168.1.10 }
  - { name: host-b, ip: 192.168.1.20 }
overlays:
  - { name: red, vni: 100, subnet: 10.0.0.0/24 }
  - { name: green, vni: 200, subnet: 10.0.0.0/24 }
containers:
  - { name: red1, host: host-a, interfaces: [ { overlay: red, ip: 10.0.0.2 } ] }
  - { name: red2, host: host-b, interfaces: [ { overlay: red, ip: 10.0.0.3 } ] }
  - { name: green1, host: host-a, interfaces: [ { overlay: green, ip: 10.0.0.2 } ] }
  - { name: green2, host: host-b, interfaces: [ { overlay: green, ip: 10.0.0.3 } ] }
`;

function hostOf(wiring: HostWiring[], name: string): HostWiring {
  const host = wiring.find((h) => h.host === name);
  if (!host) throw new Error(`no host ${name} in the wiring`);
  return host;
}

/** What the engine would observe once `lab` was brought up exactly as planned. */
function observedAsPlanned(lab: Lab, wiring: HostWiring[]): ObservedLab {
  return {
    underlay: { spec: underlaySpec(lab) },
    hosts: wiring.map((h) => ({ name: h.host, spec: h.spec, running: true })),
    containers: wiring.flatMap((h) => h.containers.map((c) => ({ host: h.host, name: c.name, spec: c.spec, running: true }))),
  };
}

/** Plans the way from `before` (as it runs) to `after` (the edited file). */
function planFromTo(before: Lab, after: Lab): { plan: UpPlan; wiring: HostWiring[] } {
  const wiring = planWiring(after);
  return { plan: planUp(after, wiring, observedAsPlanned(before, planWiring(before))), wiring };
}

/** A copy of `lab` changed by `change`, validated again as a lab file would be. */
function edit(lab: Lab, change: (copy: LabData) => void): Lab {
  const copy: LabData = structuredClone(lab);
  change(copy);
  return labOf(stringifyLab(copy));
}

describe('planWiring of the vxlan-basics template', () => {
  it('puts overlay blue on host-a as VNI 42 with host-b as its only peer', () => {
    const hostA = hostOf(planWiring(textbook()), 'host-a');
    expect(hostA.ip).toBe('192.168.1.10');
    expect(hostA.overlays).toEqual([
      {
        overlay: 'blue',
        vni: 42,
        port: 4789,
        mtu: 1450,
        bridge: 'vxbr42',
        device: 'vxlan42',
        localIp: '192.168.1.10',
        peers: ['192.168.1.20'],
      },
    ]);
  });

  it('mirrors the tunnel on host-b back to host-a', () => {
    const hostB = hostOf(planWiring(textbook()), 'host-b');
    expect(hostB.overlays).toHaveLength(1);
    expect(hostB.overlays[0]).toMatchObject({ vni: 42, localIp: '192.168.1.20', peers: ['192.168.1.10'] });
  });

  it("gives container1 an eth0 with the overlay's prefix length on bridge vxbr42", () => {
    const hostA = hostOf(planWiring(textbook()), 'host-a');
    expect(hostA.containers.map((c) => c.name)).toEqual(['container1']);
    const [eth0] = hostA.containers[0]?.interfaces ?? [];
    expect(eth0).toMatchObject({ name: 'eth0', overlay: 'blue', bridge: 'vxbr42', address: '10.0.1.2/16', mtu: 1450 });
    expect(hostOf(planWiring(textbook()), 'host-b').containers[0]?.interfaces[0]?.address).toBe('10.0.2.3/16');
  });

  it('gives every interface a stable, locally administered unicast MAC', () => {
    const first = planWiring(textbook());
    const second = planWiring(textbook());
    const macs = first.flatMap((h) => h.containers.flatMap((c) => c.interfaces.map((i) => i.mac)));
    expect(macs).toHaveLength(2);
    expect(second.flatMap((h) => h.containers.flatMap((c) => c.interfaces.map((i) => i.mac)))).toEqual(macs);
    for (const mac of macs) {
      expect(mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
      const firstOctet = parseInt(mac.slice(0, 2), 16);
      expect(firstOctet & 0b10).toBe(0b10); // locally administered
      expect(firstOctet & 0b01).toBe(0); // unicast
    }
    expect(new Set(macs).size).toBe(macs.length);
    expect(macs[0]).toBe(interfaceMac('vxlan-basics', 'container1', 0));
  });

  it('derives the MAC from lab, container and interface index', () => {
    const mac = interfaceMac('vxlan-basics', 'container1', 0);
    expect(interfaceMac('vxlan-basics', 'container1', 1)).not.toBe(mac);
    expect(interfaceMac('vxlan-basics', 'container2', 0)).not.toBe(mac);
    expect(interfaceMac('other-lab', 'container1', 0)).not.toBe(mac);
  });

  it('names host veths within IFNAMSIZ and uniquely per host', () => {
    const names = Array.from({ length: 40 }, (_, index) => `container-with-a-long-name-${index}`).flatMap((container) =>
      [0, 1, 2, 3].map((index) => hostVethName(container, index)),
    );
    for (const name of names) expect(name.length).toBeLessThanOrEqual(15);
    // The container end is the host end plus "p" before it moves: it must fit too.
    for (const name of names) expect(`${name}p`.length).toBeLessThanOrEqual(15);
    expect(new Set(names).size).toBe(names.length);

    const hostA = hostOf(planWiring(textbook()), 'host-a');
    expect(hostA.containers[0]?.interfaces[0]?.hostVeth).toBe(hostVethName('container1', 0));
  });

  it('keeps the host veth names of a multi-interface host unique', () => {
    const lab = labOf(TWO_TENANTS.replace(
      '{ name: red1, host: host-a, interfaces: [ { overlay: red, ip: 10.0.0.2 } ] }',
      '{ name: red1, host: host-a, interfaces: [ { overlay: red, ip: 10.0.0.2 }, { overlay: green, ip: 10.0.0.9 } ] }',
    ));
    const veths = hostOf(planWiring(lab), 'host-a').containers.flatMap((c) => c.interfaces.map((i) => i.hostVeth));
    expect(veths).toHaveLength(3);
    expect(new Set(veths).size).toBe(3);
    for (const veth of veths) expect(veth.length).toBeLessThanOrEqual(15);
  });

  it('puts an overlay only on hosts with a container attached to it', () => {
    const lab = labOf(
      TEMPLATE.replace('  - { name: host-b, ip: 192.168.1.20 }\n', '  - { name: host-b, ip: 192.168.1.20 }\n  - { name: host-c, ip: 192.168.1.30 }\n'),
    );
    const wiring = planWiring(lab);
    expect(wiring.map((h) => h.host)).toEqual(['host-a', 'host-b', 'host-c']);
    expect(hostOf(wiring, 'host-c').overlays).toEqual([]);
    expect(hostOf(wiring, 'host-c').containers).toEqual([]);
    // Nor does an idle host show up as anybody's flood target.
    expect(hostOf(wiring, 'host-a').overlays[0]?.peers).toEqual(['192.168.1.20']);
    expect(hostOf(wiring, 'host-b').overlays[0]?.peers).toEqual(['192.168.1.10']);
  });

  it('floods from each of three hosts to the two others', () => {
    const wiring = planWiring(labOf(THREE_HOSTS));
    expect(hostOf(wiring, 'host-a').overlays[0]?.peers).toEqual(['192.168.1.20', '192.168.1.30']);
    expect(hostOf(wiring, 'host-b').overlays[0]?.peers).toEqual(['192.168.1.10', '192.168.1.30']);
    expect(hostOf(wiring, 'host-c').overlays[0]?.peers).toEqual(['192.168.1.10', '192.168.1.20']);
    for (const host of wiring) expect(host.overlays[0]?.peers).not.toContain(host.ip);
  });

  it('gives two tenants with the same subnet and addresses a bridge each on every host', () => {
    const wiring = planWiring(labOf(TWO_TENANTS));
    for (const host of wiring) {
      expect(host.overlays.map((o) => [o.overlay, o.vni, o.bridge, o.device])).toEqual([
        ['red', 100, 'vxbr100', 'vxlan100'],
        ['green', 200, 'vxbr200', 'vxlan200'],
      ]);
    }
    const hostA = hostOf(wiring, 'host-a');
    const bridgeOf = (name: string) => hostA.containers.find((c) => c.name === name)?.interfaces[0];
    expect(bridgeOf('red1')).toMatchObject({ address: '10.0.0.2/24', bridge: 'vxbr100' });
    expect(bridgeOf('green1')).toMatchObject({ address: '10.0.0.2/24', bridge: 'vxbr200' });
    expect(bridgeOf('red1')?.mac).not.toBe(bridgeOf('green1')?.mac);
  });

  it('takes the node image into the container spec, the host image into the host spec', () => {
    const lab = textbook();
    const plain = hostOf(planWiring(lab), 'host-a');
    const newNode = hostOf(planWiring(lab, { host: '', node: 'vxlab-node:2' }), 'host-a');
    const newHost = hostOf(planWiring(lab, { host: 'vxlab-host:2', node: '' }), 'host-a');
    expect(newNode.containers[0]?.spec).not.toBe(plain.containers[0]?.spec);
    expect(newNode.spec).toBe(plain.spec);
    expect(newHost.spec).not.toBe(plain.spec);
    expect(newHost.containers[0]?.spec).toBe(plain.containers[0]?.spec);
  });
});

describe('planUp', () => {
  it('creates every host and container when nothing runs', () => {
    const lab = textbook();
    const wiring = planWiring(lab);
    const plan = planUp(lab, wiring, { hosts: [], containers: [] });
    expect(plan).toEqual({
      recreateUnderlay: false,
      removeHosts: [],
      createHosts: ['host-a', 'host-b'],
      removeContainers: [],
      createContainers: [
        { host: 'host-a', name: 'container1' },
        { host: 'host-b', name: 'container2' },
      ],
    });
    expect(isEmptyPlan(plan)).toBe(false);
  });

  it('does nothing when what runs is what the file says', () => {
    const lab = textbook();
    const wiring = planWiring(lab);
    const plan = planUp(lab, wiring, observedAsPlanned(lab, wiring));
    expect(isEmptyPlan(plan)).toBe(true);
    expect(plan).toEqual({ recreateUnderlay: false, removeHosts: [], createHosts: [], removeContainers: [], createContainers: [] });
  });

  it('remakes only the container whose address changed', () => {
    const before = textbook();
    const after = edit(before, (lab) => {
      const iface = lab.containers[1]?.interfaces[0];
      if (iface) iface.ip = '10.0.2.4';
    });
    const { plan } = planFromTo(before, after);
    expect(plan).toEqual({
      recreateUnderlay: false,
      removeHosts: [],
      createHosts: [],
      removeContainers: [{ host: 'host-b', name: 'container2' }],
      createContainers: [{ host: 'host-b', name: 'container2' }],
    });
  });

  it('only creates a container added to the file', () => {
    const before = textbook();
    const after = edit(before, (lab) => {
      lab.containers.push({ name: 'container3', host: 'host-a', interfaces: [{ overlay: 'blue', ip: '10.0.1.3' }] });
    });
    const { plan } = planFromTo(before, after);
    expect(plan).toEqual({
      recreateUnderlay: false,
      removeHosts: [],
      createHosts: [],
      removeContainers: [],
      createContainers: [{ host: 'host-a', name: 'container3' }],
    });
  });

  it('removes a container taken out of the file and drops its host from the peers', () => {
    const before = labOf(THREE_HOSTS);
    const after = edit(before, (lab) => {
      lab.containers = lab.containers.filter((c) => c.name !== 'c3');
    });
    const { plan, wiring } = planFromTo(before, after);
    expect(plan).toEqual({
      recreateUnderlay: false,
      removeHosts: [],
      createHosts: [],
      removeContainers: [{ host: 'host-c', name: 'c3' }],
      createContainers: [],
    });
    // host-c stays in the lab but leaves overlay blue, so nobody floods to it any more.
    expect(hostOf(planWiring(before), 'host-a').overlays[0]?.peers).toContain('192.168.1.30');
    expect(hostOf(wiring, 'host-a').overlays[0]?.peers).toEqual(['192.168.1.20']);
    expect(hostOf(wiring, 'host-b').overlays[0]?.peers).toEqual(['192.168.1.10']);
    expect(hostOf(wiring, 'host-c').overlays).toEqual([]);
  });

  it('keeps a host as a peer while another of its containers is still on the overlay', () => {
    const before = edit(labOf(THREE_HOSTS), (lab) => {
      lab.containers.push({ name: 'c4', host: 'host-c', interfaces: [{ overlay: 'blue', ip: '10.0.3.3' }] });
    });
    const after = edit(before, (lab) => {
      lab.containers = lab.containers.filter((c) => c.name !== 'c3');
    });
    const { plan, wiring } = planFromTo(before, after);
    expect(plan.removeContainers).toEqual([{ host: 'host-c', name: 'c3' }]);
    expect(hostOf(wiring, 'host-a').overlays[0]?.peers).toEqual(['192.168.1.20', '192.168.1.30']);
  });

  it('remakes a host that stopped, with its containers', () => {
    const lab = textbook();
    const wiring = planWiring(lab);
    const observed = observedAsPlanned(lab, wiring);
    observed.hosts = observed.hosts.map((h) => (h.name === 'host-b' ? { ...h, running: false } : h));
    // The engine does not look inside a stopped host.
    observed.containers = observed.containers.filter((c) => c.host !== 'host-b');
    const plan = planUp(lab, wiring, observed);
    expect(plan).toEqual({
      recreateUnderlay: false,
      removeHosts: ['host-b'],
      createHosts: ['host-b'],
      removeContainers: [],
      createContainers: [{ host: 'host-b', name: 'container2' }],
    });
  });

  it('remakes a container that stopped', () => {
    const lab = textbook();
    const wiring = planWiring(lab);
    const observed = observedAsPlanned(lab, wiring);
    observed.containers = observed.containers.map((c) => (c.name === 'container1' ? { ...c, running: false } : c));
    const plan = planUp(lab, wiring, observed);
    expect(plan.removeContainers).toEqual([{ host: 'host-a', name: 'container1' }]);
    expect(plan.createContainers).toEqual([{ host: 'host-a', name: 'container1' }]);
    expect(plan.createHosts).toEqual([]);
  });

  it('remakes a host whose underlay address changed, and only that host', () => {
    const before = textbook();
    const after = edit(before, (lab) => {
      const host = lab.hosts.find((h) => h.name === 'host-a');
      if (host) host.ip = '192.168.1.11';
    });
    const { plan, wiring } = planFromTo(before, after);
    expect(plan).toEqual({
      recreateUnderlay: false,
      removeHosts: ['host-a'],
      createHosts: ['host-a'],
      removeContainers: [],
      createContainers: [{ host: 'host-a', name: 'container1' }],
    });
    expect(hostOf(wiring, 'host-b').overlays[0]?.peers).toEqual(['192.168.1.11']);
  });

  it('remakes the underlay and every host when the underlay spec changed', () => {
    const before = textbook();
    const after = edit(before, (lab) => {
      lab.underlay.mtu = 9000;
    });
    expect(underlaySpec(after)).not.toBe(underlaySpec(before));
    const { plan } = planFromTo(before, after);
    expect(plan).toEqual({
      recreateUnderlay: true,
      removeHosts: ['host-a', 'host-b'],
      createHosts: ['host-a', 'host-b'],
      removeContainers: [],
      createContainers: [
        { host: 'host-a', name: 'container1' },
        { host: 'host-b', name: 'container2' },
      ],
    });
    expect(isEmptyPlan(plan)).toBe(false);
  });

  it('moves a container: removed from its old host, created on the new one', () => {
    const before = textbook();
    const after = edit(before, (lab) => {
      const container = lab.containers.find((c) => c.name === 'container2');
      if (container) container.host = 'host-a';
    });
    const { plan, wiring } = planFromTo(before, after);
    expect(plan).toEqual({
      recreateUnderlay: false,
      removeHosts: [],
      createHosts: [],
      removeContainers: [{ host: 'host-b', name: 'container2' }],
      createContainers: [{ host: 'host-a', name: 'container2' }],
    });
    // Both containers now sit on host-a: host-b leaves the overlay and nobody floods any more.
    expect(hostOf(wiring, 'host-a').overlays[0]?.peers).toEqual([]);
    expect(hostOf(wiring, 'host-b').overlays).toEqual([]);
  });

  it('removes a host taken out of the file, with nothing created for it', () => {
    const before = labOf(THREE_HOSTS);
    const after = edit(before, (lab) => {
      lab.hosts = lab.hosts.filter((h) => h.name !== 'host-c');
      lab.containers = lab.containers.filter((c) => c.host !== 'host-c');
    });
    const { plan } = planFromTo(before, after);
    expect(plan.removeHosts).toEqual(['host-c']);
    expect(plan.createHosts).toEqual([]);
    expect(plan.createContainers).toEqual([]);
    // Its containers go with it rather than being removed one by one.
    expect(plan.removeContainers).toEqual([]);
  });
});

describe('planWiring of every template in lab-templates', () => {
  const directory = new URL('../../lab-templates/', import.meta.url);
  const templates = readdirSync(directory).filter((file) => file.endsWith('.yaml'));

  it('finds the templates', () => {
    expect(templates).toEqual(expect.arrayContaining(['vxlan-basics.yaml']));
  });

  for (const file of templates) {
    it(`${file}: floods to exactly the other hosts on each overlay, with unique MACs and veth names`, () => {
      const lab = labOf(readFileSync(new URL(file, directory), 'utf8'));
      const wiring = planWiring(lab);
      const macs = wiring.flatMap((h) => h.containers.flatMap((c) => c.interfaces.map((i) => i.mac)));
      expect(new Set(macs).size).toBe(macs.length);
      for (const host of wiring) {
        for (const tunnel of host.overlays) {
          const expected = lab.hosts
            .filter((other) => other.name !== host.host)
            .filter((other) => lab.containers.some((c) => c.host === other.name && c.interfaces.some((i) => i.overlay === tunnel.overlay)))
            .map((other) => other.ip);
          expect(tunnel.peers).toEqual(expected);
        }
        const veths = host.containers.flatMap((c) => c.interfaces.map((i) => i.hostVeth));
        expect(new Set(veths).size).toBe(veths.length);
        for (const veth of veths) expect(veth.length).toBeLessThanOrEqual(15);
      }
    });
  }

  it('multi-tenant.yaml: two bridges on each host for the same subnet', () => {
    const wiring = planWiring(labOf(readFileSync(new URL('multi-tenant.yaml', directory), 'utf8')));
    for (const host of wiring) expect(host.overlays.map((o) => o.bridge)).toEqual(['vxbr100', 'vxbr200']);
  });

  it('three-hosts.yaml: each host floods to the two others', () => {
    const wiring = planWiring(labOf(readFileSync(new URL('three-hosts.yaml', directory), 'utf8')));
    for (const host of wiring) {
      expect(host.overlays[0]?.peers).toHaveLength(2);
      expect(host.overlays[0]?.peers).not.toContain(host.ip);
    }
  });
});
