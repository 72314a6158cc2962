// The doctor's path probe and the rules over what it observed, on constructed output:
// which paths a host pings, how its output is read (made-up lines dropped), and the
// findings an MTU black hole, loss on a host's link and an unexplained lossy path give.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DoctorFinding } from '../../electron/api/types.js';
import { doctorCommand } from '../../electron/cli/doctor.js';
import { probeFindings } from '../../electron/engine/doctor-rules.js';
import { blackholeMtu, faultScript, pickTarget } from '../../electron/engine/faults.js';
import type { HostProbe } from '../../electron/engine/path-probe.js';
import { MAX_PATHS_PER_HOST, parseProbe, planHostProbe, probeScript, PROBE_COUNT } from '../../electron/engine/path-probe.js';
import { parseLabText } from '../../electron/lab/parse.js';
import type { HostWiring } from '../../electron/lab/plan.js';
import { planWiring } from '../../electron/lab/plan.js';

const TEMPLATE = readFileSync(new URL('../../lab-templates/vxlan-basics.yaml', import.meta.url), 'utf8');
const parsed = parseLabText(TEMPLATE);
if (!parsed.ok) throw new Error('the template does not parse');
const wiring = planWiring(parsed.lab);
const overlay = wiring[0]?.overlays[0]?.overlay ?? '';

describe('the path probe of one host', () => {
  it('pings from its container to the container of the overlay on every other host, and reads every interface MTU', () => {
    const plan = planHostProbe(wiring, 'host-a');
    expect(plan.pings.map((p) => `${p.container} -> ${p.to.host}/${p.to.container} ${p.to.address}`)).toEqual(['container1 -> host-b/container2 10.0.2.3']);
    expect(plan.mtus.map((m) => `${m.container} ${m.iface} ${m.overlayMtu} ${m.target ?? ''}`)).toEqual(['container1 eth0 1450 10.0.2.3']);
  });

  it('bounds the pings of a host, whatever the lab holds', () => {
    const first = wiring[1] as HostWiring;
    const many: HostWiring[] = [wiring[0] as HostWiring, ...Array.from({ length: 50 }, (_, i) => ({ ...first, host: `h${i}` as HostWiring['host'] }))];
    expect(planHostProbe(many, 'host-a').pings).toHaveLength(MAX_PATHS_PER_HOST);
  });

  it('is a script sh reads, each ping bounded in count and time, DF pings only above the overlay MTU', () => {
    const text = probeScript(wiring, 'host-b');
    expect(spawnSync('sh', ['-n', '-c', text]).status).toBe(0);
    expect(text).toContain(`timeout 5 nsenter -t "$pid0" -n ping -n -q -c ${PROBE_COUNT} -i 0.05 -W 1 10.0.1.2`);
    // The MTU is read with ip inside the namespace: the host's /sys would show the host's eth0.
    expect(text).toContain('m=$(nsenter -t "$pid0" -n ip -o link show dev eth0 2>/dev/null');
    expect(text).not.toContain('/sys/class/net');
    expect(text).toContain('if [ "$m" -gt 1450 ] && [ "$m" -le 65535 ]; then');
    expect(text).toContain('-M do -c 3 -i 0.1 -W 1 -s 1422 10.0.1.2');
    expect(text).toContain('-M do -c 3 -i 0.1 -W 1 -s $((m - 28)) 10.0.1.2');
  });

  it('reads pings, MTUs, DF pings and link faults, and drops lines the plan did not ask for', () => {
    const out = [
      'ping\tblue\tcontainer2\thost-a\tcontainer1\t10.0.1.2\t10 7',
      'ping\tblue\tcontainer2\thost-a\tcontainer1\t10.9.9.9\t10 10',
      'ping\tblue\tcontainer2\thost-a\tcontainer1\t10.0.1.2\t',
      'mtu\tcontainer2\teth0\t1500',
      'mtu\tintruder\teth0\t9000',
      'df\tcontainer2\teth0\t1450\t10.0.1.2\t3 3',
      'df\tcontainer2\teth0\t1500\t10.0.1.2\t3 0',
      'df\tcontainer2\teth0\t1500\t10.6.6.6\t3 3',
      'rule\t-A VXLAB-LINK-eth0 -m statistic --mode random --probability 0.30000000009 -j DROP',
      'rule\t-A OTHER -m statistic --mode random --probability 0.5 -j DROP',
      'netem\tqdisc netem 8001: root refcnt 2 limit 1000 loss 5%',
    ].join('\n').replaceAll('blue', overlay);
    const probe = parseProbe(wiring, 'host-b', out);
    expect(probe.paths).toEqual([{ overlay, from: { host: 'host-b', container: 'container2' }, to: { host: 'host-a', container: 'container1', address: '10.0.1.2' }, sent: 10, received: 7 }]);
    expect(probe.mtus.map((m) => [m.container, m.mtu, m.dfPings.map((p) => `${p.size}:${p.received}/${p.sent}`)])).toEqual([['container2', 1500, ['1450:3/3', '1500:0/3']]]);
    expect(probe.linkLosses).toEqual([
      { host: 'host-b', iface: 'eth0', loss: 0.30000000009, mechanism: 'netfilter' },
      { host: 'host-b', iface: 'eth0', loss: 0.05, mechanism: 'netem' },
    ]);
  });
});

function probe(host: string, parts: Partial<HostProbe> = {}): HostProbe {
  return { host, paths: [], mtus: [], linkLosses: [], ...parts };
}

const pathAB = { overlay, from: { host: 'host-a', container: 'container1' }, to: { host: 'host-b', container: 'container2', address: '10.0.2.3' }, sent: 10, received: 10 };

describe('the doctor on what the probe observed', () => {
  it('finds nothing when every path answers and every MTU is the overlay\'s, and forgives one lost ping of ten', () => {
    const readings = [{ host: 'host-a', container: 'container1', iface: 'eth0', overlay, overlayMtu: 1450, mtu: 1450, dfPings: [] }];
    expect(probeFindings('lab', [probe('host-a', { paths: [{ ...pathAB, received: 9 }], mtus: readings })], [])).toEqual([]);
  });

  it('names an MTU black hole: the container, both MTUs, what the DF pings showed, and the fix', () => {
    const reading = {
      host: 'host-b', container: 'container2', iface: 'eth0', overlay, overlayMtu: 1450, mtu: 1500,
      dfPings: [{ size: 1450, sent: 3, received: 3, to: '10.0.1.2' }, { size: 1500, sent: 3, received: 0, to: '10.0.1.2' }],
    };
    const [finding, ...rest] = probeFindings('lab', [probe('host-b', { mtus: [reading] })], []);
    expect(rest).toEqual([]);
    expect(finding?.code).toBe('mtu-blackhole');
    expect(finding?.cause).toBe(
      `container2's eth0 on host-b has MTU 1500, above overlay ${overlay}'s 1450: container2 sends packets the bridge drops silently, so large transfers hang while pings pass. ` +
        "The probe saw it: a don't-fragment ping of 1450 bytes to 10.0.1.2 came back, one of 1500 bytes died without an error.",
    );
    expect(finding?.fix).toBe('`vxlab up` with the lab file sets eth0 of container2 back to MTU 1450.');
  });

  it('names loss on a host\'s link with its rule, the pings lost through it, and how to clear it', () => {
    const findings = probeFindings('lab-x', [
      probe('host-a', { paths: [{ ...pathAB, received: 7 }] }),
      probe('host-b', { linkLosses: [{ host: 'host-b', iface: 'eth0', loss: 0.3, mechanism: 'netfilter' }] }),
    ], []);
    expect(findings.map((f) => f.code)).toEqual(['underlay-loss']);
    expect(findings[0]?.cause).toBe(
      "host-b drops 30% of what leaves its link eth0 (vxlab's netfilter chain VXLAB-LINK-eth0): every overlay frame through host-b may be lost. The path probe lost 3 of 10 pings through host-b.",
    );
    expect(findings[0]?.fix).toContain('`vxlab link lab-x host-b --iface eth0 --clear` removes it.');
  });

  it('names a path that loses pings when nothing else explains it, and not when a finding of the tables does', () => {
    const lossy = [probe('host-a', { paths: [{ ...pathAB, received: 0 }] })];
    const [finding] = probeFindings('lab', lossy, []);
    expect(finding?.code).toBe('path-loss');
    expect(finding?.cause).toContain('container1 on host-a pinged container2 on host-b (10.0.2.3)');
    expect(finding?.cause).toContain('0 of 10 came back, and no VTEP table explains it.');
    const explained: DoctorFinding = { code: 'vni-mismatch', host: 'host-b', overlay, cause: '', fix: '' };
    expect(probeFindings('lab', lossy, [explained])).toEqual([]);
  });
});

describe('break mtu-blackhole', () => {
  it('raises the MTU of the target host\'s container inside its namespace, above the overlay\'s', () => {
    const { host, tunnel } = pickTarget(wiring, {});
    const made = faultScript('mtu-blackhole', host, tunnel, wiring);
    expect(made.script).toContain("pid=$(docker inspect -f '{{.State.Pid}}' container2)");
    expect(made.script).toContain('nsenter -t "$pid" -n ip link set eth0 mtu 1500');
    expect(made.done).toBe(`container2's eth0 on host-b now has MTU 1500, above overlay ${overlay}'s 1450.`);
    expect(blackholeMtu(9000)).toBe(9050);
  });
});

describe('vxlab doctor in a terminal', () => {
  it('prints each probed path with the pings answered, its names made printable', async () => {
    let out = '';
    const io = { out: (text: string) => (out += text), err: () => undefined };
    const path = { ...pathAB, to: { ...pathAB.to, container: 'c\u001b[2J' }, received: 9 };
    const code = await doctorCommand(async () => ({ lab: 'lab', healthy: true, findings: [], paths: [path] }), 'lab', false, io);
    expect(code).toBe(0);
    expect(out).toContain('Nothing to fix.');
    expect(out).toContain(`  path host-a/container1 -> host-b/c\\x1b[2J (10.0.2.3) on ${overlay}: 9 of 10 pings answered\n`);
  });
});
