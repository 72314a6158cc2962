// The doctor's rules on constructed VTEP views: a healthy two-host lab and each fault of
// the catalogue as the kernel shows it, whoever made it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requestSchemas } from '../../electron/api/contract.js';
import type { VtepView } from '../../electron/api/types.js';
import type { HostObservation } from '../../electron/engine/doctor-rules.js';
import { describeFinding, diagnose } from '../../electron/engine/doctor-rules.js';
import { faultScript, pickTarget, strayAddress } from '../../electron/engine/faults.js';
import { parseLabText } from '../../electron/lab/parse.js';
import type { HostWiring } from '../../electron/lab/plan.js';
import { planWiring } from '../../electron/lab/plan.js';

const TEMPLATE = readFileSync(new URL('../../lab-templates/vxlan-basics.yaml', import.meta.url), 'utf8');
const parsed = parseLabText(TEMPLATE);
if (!parsed.ok) throw new Error('the template does not parse');
const wiring = planWiring(parsed.lab);
const [hostA, hostB] = wiring as [HostWiring, HostWiring];

/** What a host's kernel shows when `vxlab up` has wired it as the file says. */
function healthyView(host: HostWiring): VtepView {
  return {
    lab: parsed.ok ? parsed.lab.name : '',
    host: host.host,
    underlay: { device: 'eth0', ip: host.ip, mtu: 1500 },
    vteps: host.overlays.map((t) => ({
      device: t.device,
      vni: t.vni,
      port: t.port,
      localIp: t.localIp,
      underlayDevice: 'eth0',
      mtu: t.mtu,
      bridge: t.bridge,
      learning: true,
      state: 'UNKNOWN',
    })),
    fdb: host.overlays.flatMap((t) =>
      t.peers.map((dst) => ({ table: 'vtep' as const, mac: '00:00:00:00:00:00', device: t.device, dst, kind: 'flood' as const })),
    ),
    bridgePorts: [],
    neighbours: [],
    routes: [],
  };
}

function views(change: (a: VtepView, b: VtepView) => void = () => {}): HostObservation[] {
  const a = healthyView(hostA);
  const b = healthyView(hostB);
  change(a, b);
  return [{ host: a.host, view: a }, { host: b.host, view: b }];
}

function vtepOf(view: VtepView) {
  const device = view.vteps[0];
  if (!device) throw new Error('no vtep in the view');
  return device;
}

describe('the doctor on VTEP views', () => {
  it('finds nothing wrong in a healthy lab', () => {
    expect(diagnose(wiring, views())).toEqual([]);
  });

  it('names a VNI mismatch, which host drops whose frames, and the fix', () => {
    const findings = diagnose(wiring, views((_a, b) => { vtepOf(b).vni = 43; }));
    expect(findings.map((f) => [f.code, f.host])).toEqual([['vni-mismatch', 'host-b']]);
    expect(describeFinding(findings[0]!)).toBe(
      "host-b's vxlan42 has VNI 43 but host-a sends VNI 42: host-b drops host-a's frames, and its own frames are dropped by them. " +
        '`vxlab up` with the lab file restores VNI 42.',
    );
  });

  it('names a UDP port mismatch', () => {
    const findings = diagnose(wiring, views((_a, b) => { vtepOf(b).port = 8472; }));
    expect(findings.map((f) => f.code)).toEqual(['port-mismatch']);
    expect(findings[0]?.cause).toContain("host-b's vxlan42 uses UDP port 8472 but host-a sends to port 4789");
    expect(findings[0]?.fix).toContain('restores UDP port 4789');
  });

  it('names a missing flood entry to a peer', () => {
    const findings = diagnose(wiring, views((a) => { a.fdb = []; }));
    expect(findings.map((f) => [f.code, f.host])).toEqual([['missing-flood', 'host-a']]);
    expect(findings[0]?.cause).toContain(`host-a's vxlan42 has no flood entry to host-b (${hostB.ip})`);
  });

  it('names a flood entry to an address that is no peer', () => {
    const stray = strayAddress(hostB.ip, [hostA.ip, hostB.ip]);
    const findings = diagnose(wiring, views((a) => { a.fdb[0]!.dst = stray; }));
    expect(findings.map((f) => f.code).sort()).toEqual(['missing-flood', 'stray-flood']);
    expect(findings.find((f) => f.code === 'stray-flood')?.cause).toContain(`floods to ${stray}`);
  });

  it('names a wrong local VTEP address', () => {
    const stray = strayAddress(hostB.ip, [hostA.ip, hostB.ip]);
    const findings = diagnose(wiring, views((_a, b) => { vtepOf(b).localIp = stray; }));
    expect(findings.map((f) => f.code)).toEqual(['wrong-local']);
    expect(findings[0]?.cause).toContain(`sends from ${stray} but host-b's underlay address is ${hostB.ip}`);
  });

  it('names a missing device, a device that is down and one off its bridge', () => {
    expect(diagnose(wiring, views((_a, b) => { b.vteps = []; })).map((f) => f.code)).toEqual(['device-missing']);
    expect(diagnose(wiring, views((a) => { vtepOf(a).state = 'DOWN'; })).map((f) => f.code)).toEqual(['device-down']);
    expect(diagnose(wiring, views((a) => { vtepOf(a).bridge = undefined; })).map((f) => f.code)).toEqual(['device-detached']);
  });

  it('reports a host whose tables could not be read, and still diagnoses the others', () => {
    const observations = views((a) => { a.fdb = []; });
    observations[1] = { host: 'host-b', error: 'host-b is not running' };
    expect(diagnose(wiring, observations).map((f) => [f.code, f.host])).toEqual([['missing-flood', 'host-a'], ['host-unreadable', 'host-b']]);
  });
});

describe('the fault catalogue', () => {
  it('targets the last host of the first overlay unless told, and refuses unknown hosts and overlays', () => {
    expect(pickTarget(wiring, {}).host.host).toBe('host-b');
    expect(pickTarget(wiring, { host: 'host-a' }).host.host).toBe('host-a');
    expect(() => pickTarget(wiring, { host: 'nope' })).toThrow(/nope is no host/);
    expect(() => pickTarget(wiring, { overlay: 'red' })).toThrow(/no host with an overlay/);
  });

  it('remakes the device with one value changed and every flood entry, or removes one flood entry', () => {
    const tunnel = hostB.overlays[0]!;
    const vni = faultScript('vni-mismatch', hostB, tunnel, wiring);
    expect(vni.script).toContain('ip link add vxlan42 type vxlan id 43 dstport 4789');
    expect(vni.script).toContain(`bridge fdb append 00:00:00:00:00:00 dev vxlan42 dst ${hostA.ip}`);
    expect(faultScript('port-mismatch', hostB, tunnel, wiring).script).toContain('id 42 dstport 8472');
    const local = faultScript('wrong-local', hostB, tunnel, wiring).script;
    expect(local).not.toContain(`local ${hostB.ip}`);
    expect(faultScript('missing-flood', hostB, tunnel, wiring).script).toBe(`bridge fdb del 00:00:00:00:00:00 dev vxlan42 dst ${hostA.ip}`);
    const remote = faultScript('wrong-remote', hostB, tunnel, wiring).script;
    expect(remote).toContain(`bridge fdb del 00:00:00:00:00:00 dev vxlan42 dst ${hostA.ip}`);
    expect(remote).toContain(`bridge fdb append 00:00:00:00:00:00 dev vxlan42 dst ${strayAddress(hostA.ip, [hostA.ip, hostB.ip])}`);
  });

  it('picks a stray local address that no host holds', () => {
    const taken = [hostA.ip, hostB.ip];
    expect(taken).not.toContain(strayAddress(hostB.ip, taken));
  });
});

describe('the lab.doctor request', () => {
  it('takes a lab name only, and refuses a bad one or an extra field', () => {
    expect(requestSchemas['lab.doctor'].safeParse({ name: 'my-lab' }).success).toBe(true);
    expect(requestSchemas['lab.doctor'].safeParse({ name: '../etc' }).success).toBe(false);
    expect(requestSchemas['lab.doctor'].safeParse({ name: 'my-lab', host: 'host-a' }).success).toBe(false);
  });
});
