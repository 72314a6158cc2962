// The VXLAN doctor against real hosts: it finds nothing on a healthy lab and sees its
// paths answer, names a fault made by hand with `ip link` inside a host, names every
// fault `vxlab break` makes, and `vxlab up` heals each one so the doctor is clean again
// (loss on the underlay is a link fault, cleared with `vxlab link --clear`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../electron/engine/doctor.js';
import { FAULTS } from '../../electron/engine/faults.js';
import { planWiring } from '../../electron/lab/plan.js';
import type { Fault } from '../../electron/engine/faults.js';
import { cli, hostAddress, leftovers, nothingLeft, ping, renamedTemplate, run, stateDirectory, testEngine, uniqueName } from './lab-harness.js';
import { underlayFromOctet } from './test-underlays.js';

const engine = testEngine();
const name = uniqueName('doctor');
const { text, lab } = renamedTemplate('vxlan-basics.yaml', name, underlayFromOctet(216));
const labFile = join(stateDirectory, `${name}.yaml`);
const hostA = hostAddress(lab, 'host-a');
/** host-b's VTEP and bridge as the lab names them. */
const tunnelB = planWiring(lab).find((h) => h.host === 'host-b')?.overlays[0];
if (!tunnelB) throw new Error('host-b of the test lab has no overlay');

/** The finding each fault must produce, on host-b where `break` puts it by default. */
const EXPECTED: Record<Fault, string> = {
  'vni-mismatch': 'vni-mismatch',
  'port-mismatch': 'port-mismatch',
  'missing-flood': 'missing-flood',
  'wrong-local': 'wrong-local',
  'wrong-remote': 'stray-flood',
  'mtu-blackhole': 'mtu-blackhole',
  'underlay-loss': 'underlay-loss',
};
/** Faults `vxlab up` heals; a link fault stays until `vxlab link --clear`. */
const HEALED_BY_UP = FAULTS.filter((fault) => fault !== 'underlay-loss');

async function findings(): Promise<string[]> {
  const report = await runDoctor(engine, name);
  return report.findings.map((f) => `${f.code} ${f.host}`);
}

describe('vxlab doctor and vxlab break on a real lab', () => {
  beforeAll(async () => {
    writeFileSync(labFile, text);
    await engine.up(lab, undefined, { sourceText: text });
  });

  afterAll(async () => {
    await engine.down(name);
    expect(await leftovers(name)).toEqual(nothingLeft);
  });

  it('finds nothing on the healthy lab, and the command exits 0', async () => {
    expect(await findings()).toEqual([]);
    const result = await cli(['doctor', name]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Nothing to fix');
    expect(result.code).toBe(0);
  });

  it('probes the paths of the healthy lab: host-a and host-b reach each other over the overlay', async () => {
    const report = await runDoctor(engine, name);
    const paths = (report.paths ?? []).map((p) => `${p.from.host}/${p.from.container} -> ${p.to.host}/${p.to.container} ${p.to.address}`);
    expect(paths.sort()).toEqual(['host-a/container1 -> host-b/container2 10.0.2.3', 'host-b/container2 -> host-a/container1 10.0.1.2']);
    for (const path of report.paths ?? []) {
      expect(path.sent).toBe(10);
      expect(path.received).toBeGreaterThanOrEqual(9);
    }
  });

  it('names a VNI mismatch made by hand with ip link inside host-b, and exits 1', async () => {
    const byHand = [
      'set -e',
      `ip link del ${tunnelB.device}`,
      `ip link add ${tunnelB.device} type vxlan id 43 dstport 4789 dev eth0 local ${hostAddress(lab, 'host-b')}`,
      `ip link set ${tunnelB.device} mtu 1450 master ${tunnelB.bridge} up`,
      `bridge fdb append 00:00:00:00:00:00 dev ${tunnelB.device} dst ${hostA}`,
    ].join('\n');
    const made = await run(engine, name, 'host-b', ['sh', '-c', byHand]);
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
    expect(await ping(engine, name, 'container1', '10.0.2.3', 2)).toBe(100);
    const result = await cli(['doctor', name]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`host-b's ${tunnelB.device} has VNI 43 but host-a sends VNI 42: host-b drops host-a's frames`);
    expect(result.stdout).toContain('restores VNI 42');
    const json = await cli(['doctor', name, '--json']);
    expect(JSON.parse(json.stdout).findings.map((f: { code: string }) => f.code)).toEqual(['vni-mismatch']);
    await engine.up(lab, undefined, { sourceText: text });
    expect(await findings()).toEqual([]);
    expect(await ping(engine, name, 'container1', '10.0.2.3', 2)).toBe(0);
  });

  it('names a VTEP set down by hand, and up sets it up again', async () => {
    const made = await run(engine, name, 'host-a', ['ip', 'link', 'set', tunnelB.device, 'down']);
    expect(made.exitCode).toBe(0);
    expect(await findings()).toEqual(['device-down host-a']);
    await engine.up(lab, undefined, { sourceText: text });
    expect(await findings()).toEqual([]);
  });

  it('names a VTEP deleted by hand, and up makes it again', async () => {
    const made = await run(engine, name, 'host-a', ['ip', 'link', 'del', tunnelB.device]);
    expect(made.exitCode).toBe(0);
    expect(await findings()).toEqual(['device-missing host-a']);
    await engine.up(lab, undefined, { sourceText: text });
    expect(await findings()).toEqual([]);
    expect(await ping(engine, name, 'container1', '10.0.2.3', 2)).toBe(0);
  });

  for (const fault of HEALED_BY_UP) {
    it(`break ${fault} is named by doctor, and up heals it`, async () => {
      const broke = await cli(['break', name, fault]);
      expect(broke.stderr).toBe('');
      expect(broke.code).toBe(0);
      expect(await findings()).toContain(`${EXPECTED[fault]} host-b`);
      await engine.up(lab, undefined, { sourceText: text });
      expect(await findings()).toEqual([]);
      expect(await ping(engine, name, 'container1', '10.0.2.3', 2)).toBe(0);
    });
  }

  it('names the MTU black hole break makes: the container, both MTUs, what the probe saw and the fix; up sets the MTU back', async () => {
    const broke = await cli(['break', name, 'mtu-blackhole']);
    expect(broke.code).toBe(0);
    const report = await runDoctor(engine, name);
    const finding = report.findings.find((f) => f.code === 'mtu-blackhole');
    expect(finding?.host).toBe('host-b');
    expect(finding?.cause).toContain("container2's eth0 on host-b has MTU 1500, above overlay");
    expect(finding?.cause).toContain("'s 1450");
    expect(finding?.cause).toContain("a don't-fragment ping of 1450 bytes to 10.0.1.2 came back, one of 1500 bytes died without an error");
    expect(finding?.fix).toContain('back to MTU 1450');
    await engine.up(lab, undefined, { sourceText: text });
    expect(await findings()).toEqual([]);
    const mtu = await run(engine, name, 'container2', ['cat', '/sys/class/net/eth0/mtu']);
    expect(mtu.stdout.trim()).toBe('1450');
  });

  it('names loss on host-b\'s underlay link that break makes, with the rule and the lost pings; vxlab link --clear removes it', async () => {
    const broke = await cli(['break', name, 'underlay-loss', '--host', 'host-b']);
    expect(broke.stderr).toBe('');
    expect(broke.code).toBe(0);
    expect(broke.stdout).toContain(`vxlab link ${name} host-b --clear`);
    const report = await runDoctor(engine, name);
    expect(report.findings.map((f) => `${f.code} ${f.host}`)).toEqual(['underlay-loss host-b']);
    const finding = report.findings[0];
    expect(finding?.cause).toMatch(/^host-b drops 30% of what leaves its link eth0 \((vxlab's netfilter chain VXLAB-LINK-eth0|a netem qdisc)\)/);
    expect(finding?.fix).toContain(`vxlab link ${name} host-b --iface eth0 --clear`);
    const cleared = await cli(['link', name, 'host-b', '--iface', 'eth0', '--clear']);
    expect(cleared.code).toBe(0);
    expect(await findings()).toEqual([]);
  });

  it('refuses an unknown fault and changes nothing', async () => {
    const result = await cli(['break', name, 'mtu-everything']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('vni-mismatch, port-mismatch, missing-flood, wrong-local, wrong-remote');
    expect(await findings()).toEqual([]);
  });
});
