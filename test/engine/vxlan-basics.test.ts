// The textbook scenario for real: container1 (10.0.1.2) on host-a pings container2
// (10.0.2.3) on host-b through a kernel VXLAN tunnel, VNI 42, UDP 4789.
import { afterAll, describe, expect, it } from 'vitest';
import { readVtepView } from '../../electron/engine/vtep-view.js';
import { isEmptyPlan } from '../../electron/lab/plan.js';
import { escapeRegExp, hostAddress, leftovers, nothingLeft, ping, renamedTemplate, run, testEngine, uniqueName } from './lab-harness.js';

const engine = testEngine();
const name = uniqueName('basics');
const { text, lab } = renamedTemplate('vxlan-basics.yaml', name, 'basics');
const [hostA, hostB] = [hostAddress(lab, 'host-a'), hostAddress(lab, 'host-b')];

describe('vxlan-basics on a real engine', () => {
  afterAll(async () => {
    await engine.down(name);
  });

  it('without tunnels the underlay alone does not carry 10.0.0.0/16: the ping fails', async () => {
    await engine.up(lab, undefined, { tunnels: false });
    expect(await ping(engine, name, 'container1', '10.0.2.3', 2)).toBe(100);
    // host-a itself has no route to the overlay: it knows only the underlay subnet.
    const route = await run(engine, name, 'host-a', ['ip', 'route', 'get', '10.0.2.3']);
    expect(route.exitCode).not.toBe(0);
  });

  it('with the overlay configured, container1 and container2 ping each other with 0% loss', async () => {
    await engine.up(lab, undefined, { sourceText: text });
    expect(await ping(engine, name, 'container1', '10.0.2.3')).toBe(0);
    expect(await ping(engine, name, 'container2', '10.0.1.2')).toBe(0);
  });

  it("host-a's underlay interface carries the ping inside UDP 4789 with VNI 42", async () => {
    const capture = run(engine, name, 'host-a', [
      'timeout', '8', 'tcpdump', '-l', '-nn', '-i', 'eth0', '-c', '2', 'udp', 'port', '4789',
    ]);
    await new Promise((r) => setTimeout(r, 700)); // let tcpdump open the interface
    await ping(engine, name, 'container1', '10.0.2.3', 2);
    const { stdout } = await capture;
    expect(stdout).toMatch(new RegExp(`${escapeRegExp(hostA)}\\.\\d+ > ${escapeRegExp(hostB)}\\.4789: VXLAN, flags \\[I\\] \\(0x08\\), vni 42`));
    expect(stdout).toMatch(/10\.0\.1\.2 > 10\.0\.2\.3: ICMP echo request/);
  });

  it("host-a's VTEP view shows VNI 42 and a flood entry to host-b", async () => {
    const view = await readVtepView(engine, name, 'host-a');
    expect(view.vteps).toEqual([
      expect.objectContaining({ device: 'vxlan42', vni: 42, port: 4789, localIp: hostA, mtu: 1450 }),
    ]);
    expect(view.fdb).toContainEqual(expect.objectContaining({ kind: 'flood', dst: hostB, owner: 'host-b' }));
    expect(view.bridgePorts.map((p) => p.container)).toContain('container1 eth0');
    expect(view.routes.map((r) => r.destination)).not.toContain('default');
  });

  it('up of an unchanged file changes nothing, and neither does up of the export', async () => {
    expect(isEmptyPlan((await engine.up(lab, undefined, { sourceText: text })).plan)).toBe(true);
    const exported = await engine.exportLab(name);
    expect(exported).toBe(text);
    expect(isEmptyPlan((await engine.up(lab, undefined, { sourceText: exported })).plan)).toBe(true);
    expect(await ping(engine, name, 'container1', '10.0.2.3', 1)).toBe(0);
  });

  it('down leaves no container, network or volume labelled with the lab', async () => {
    const before = await leftovers(name);
    expect(before.containers.length).toBe(2);
    expect(before.volumes.length).toBe(2);
    await engine.down(name);
    expect(await leftovers(name)).toEqual(nothingLeft);
  });
});
