// Where a trace captures, from the lab alone: the hops of a ping between two containers,
// the destinations it refuses, the script each host runs, and how its output is read back.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkParams } from '../../electron/api/contract.js';
import { parseTraceOutput, tracePath, traceHostScript } from '../../electron/engine/trace-path.js';
import { hostVethName, planWiring } from '../../electron/lab/plan.js';
import type { Lab } from '../../electron/lab/model.js';
import { parseLabText } from '../../electron/lab/parse.js';

function template(file: string, edit: (text: string) => string = (text) => text): Lab {
  const parsed = parseLabText(edit(readFileSync(join(import.meta.dirname, '../../lab-templates', file), 'utf8')));
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.problems)}`);
  return parsed.lab;
}

const basics = template('vxlan-basics.yaml');
const tenants = template('multi-tenant.yaml');

describe('tracePath', () => {
  it('captures at container1, host-a (bridge port, VTEP, underlay), host-b (underlay, VTEP, bridge port) and container2, in that order', () => {
    const path = tracePath(basics, planWiring(basics), 'container1', 'container2');
    expect(path.points.map((p) => `${p.node} ${p.iface} ${p.role}`)).toEqual([
      'container1 eth0 sender',
      `host-a ${hostVethName('container1', 0)} bridge-port`,
      'host-a vxlan42 vtep',
      'host-a eth0 underlay-out',
      'host-b eth0 underlay-in',
      'host-b vxlan42 vtep',
      `host-b ${hostVethName('container2', 0)} bridge-port`,
      'container2 eth0 receiver',
    ]);
    expect(path.points.filter((p) => p.container).map((p) => p.container)).toEqual(['container1', 'container2']);
    expect(path.dest).toMatchObject({ container: 'container2', host: 'host-b', ip: '10.0.2.3' });
    expect(path.tunnel?.port).toBe(4789);
  });

  it('takes an address as DEST, on the overlay FROM shares with it (tenants reuse addresses)', () => {
    const path = tracePath(tenants, planWiring(tenants), 'blue-a', '10.0.2.4');
    expect(path.dest.container).toBe('blue-b');
    expect(path.points.find((p) => p.role === 'vtep')?.iface).toBe('vxlan200');
  });

  it('between containers of one host, captures on the bridge only: no VTEP, no underlay', () => {
    const sameHost = template('vxlan-basics.yaml', (text) => text.replace(/(name: container2\n\s+host: )host-b/, '$1host-a'));
    const path = tracePath(sameHost, planWiring(sameHost), 'container1', 'container2');
    expect(path.points.map((p) => p.role)).toEqual(['sender', 'bridge-port', 'bridge-port', 'receiver']);
    expect(new Set(path.points.map((p) => p.host))).toEqual(new Set(['host-a']));
  });

  it('refuses a host, an unknown node, an address no container has and one on another tenant, each naming the fix', () => {
    const wiring = planWiring(tenants);
    expect(() => tracePath(tenants, wiring, 'host-a', 'red-b')).toThrow(/host-a is a host; a trace starts at a container/);
    expect(() => tracePath(tenants, wiring, 'red-a', 'host-b')).toThrow(/host-b is a host/);
    expect(() => tracePath(tenants, wiring, 'red-a', 'nobody')).toThrow(/no container named nobody/);
    expect(() => tracePath(tenants, wiring, 'red-a', '10.9.9.9')).toThrow(/No container of lab multi-tenant has the address 10\.9\.9\.9/);
    expect(() => tracePath(tenants, wiring, 'red-a', 'blue-b')).toThrow(/blue-b shares no overlay with red-a/);
    try {
      tracePath(tenants, wiring, 'red-a', 'blue-b');
    } catch (error) {
      expect(error).toMatchObject({ code: 'node-not-found', hint: expect.stringContaining('red') });
    }
  });
});

describe('traceHostScript', () => {
  const path = tracePath(basics, planWiring(basics), 'container1', 'container2');
  const hostA = traceHostScript(path.points.filter((p) => p.host === 'host-a'), {
    vxlanPort: 4789,
    ping: { container: 'container1', ip: '10.0.2.3' },
    neighbours: [{ container: 'container1', ip: '10.0.2.3' }],
  });
  const hostB = traceHostScript(path.points.filter((p) => p.host === 'host-b'), { vxlanPort: 4789, neighbours: [{ container: 'container2', ip: '10.0.1.2' }] });

  it('is valid sh that starts one bounded tcpdump per point, entering the container for its own interface', () => {
    for (const script of [hostA, hostB]) expect(spawnSync('sh', ['-n', '-c', script]).status).toBe(0);
    const tcpdumps = hostA.split('\n').filter((line) => line.includes('tcpdump -i'));
    expect(tcpdumps).toHaveLength(4);
    expect(tcpdumps[0]).toMatch(/^nsenter -t "\$p0" -n timeout 20 tcpdump -i eth0 --immediate-mode -U -s 512 -c 64 /);
    expect(tcpdumps.slice(1).every((line) => line.startsWith('timeout 20 tcpdump -i '))).toBe(true);
    expect(tcpdumps.every((line) => line.includes(`'icmp or udp port 4789'`))).toBe(true);
  });

  it("pings only from the sender's host, after every capture listens, and removes its files whatever happens", () => {
    expect(hostA).toMatch(/echo vxlab-trace-ready[\s\S]*nsenter -t "\$p0" -n ping -n -c 1 -W 2 10\.0\.2\.3/);
    expect(hostB).not.toContain('ping');
    expect(hostB).toContain(`trap cleanup EXIT; trap 'exit 1' HUP INT TERM`);
    expect(hostB).toContain('line=$(timeout 20 head -n 1)');
  });
});

describe('parseTraceOutput', () => {
  it('reads each pcap and neighbour list back and ignores whatever else a host printed', () => {
    const output = [
      'vxlab-trace-ready',
      'vxlab-pcap s AQID',
      'vxlab-pcap ../../etc AQID',
      'vxlab-pcap sp not*base64',
      'vxlab-neigh container1 [{"dst":"10.0.2.3","lladdr":"02:0c:8b:e1:b8:b2"}]',
      'vxlab-neigh container2 {not json',
      'vxlab-capture-failed r tcpdump: eth0: That device is not up',
      'vxlab-capture-failed ../x sneaky',
      'noise',
    ].join('\n');
    const parsed = parseTraceOutput(output);
    expect([...parsed.pcaps.keys()]).toEqual(['s']);
    expect([...(parsed.pcaps.get('s') ?? [])]).toEqual([1, 2, 3]);
    expect(parsed.neighbours.get('container1')).toEqual([{ dst: '10.0.2.3', lladdr: '02:0c:8b:e1:b8:b2' }]);
    expect(parsed.neighbours.get('container2')).toEqual([]);
    expect([...parsed.failures]).toEqual([['r', 'tcpdump: eth0: That device is not up']]);
  });
});

describe("lab.trace's parameters", () => {
  it('take a node name or an IPv4 address as DEST and refuse anything else, naming the field', () => {
    expect(checkParams('lab.trace', { lab: 'vxlan-basics', from: 'container1', dest: 'container2' }).ok).toBe(true);
    expect(checkParams('lab.trace', { lab: 'vxlan-basics', from: 'container1', dest: '10.0.2.3' }).ok).toBe(true);
    for (const dest of ['10.0.2.300', '$(reboot)', '', 'a'.repeat(200)]) {
      const checked = checkParams('lab.trace', { lab: 'vxlan-basics', from: 'container1', dest });
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.error.message).toContain('dest:');
    }
    expect(checkParams('tables.watch', { lab: 'vxlan-basics', host: '../host-a' }).ok).toBe(false);
    expect(checkParams('tables.unwatch', { id: '' }).ok).toBe(false);
  });
});
