// The packet walk put together from captures, without Docker: the frames are those of a
// real `vxlab trace` (test/fixtures/trace: container1 -> container2 of vxlan-basics on the
// test underlay 192.168.214.0/24), handed back per capture point as pcaps, with the hosts'
// VTEP views read right after that ping.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceHop, TraceResult, VtepView } from '../../electron/api/types.js';
import type { HostTraceOutput } from '../../electron/engine/trace-path.js';
import { tracePath } from '../../electron/engine/trace-path.js';
import { stitchTrace } from '../../electron/engine/trace-stitch.js';
import { planWiring } from '../../electron/lab/plan.js';
import { parseLabText } from '../../electron/lab/parse.js';
import { writePcap } from '../../electron/packets/pcap.js';
import type { Frame } from '../../electron/packets/pcap.js';

const fixtures = join(import.meta.dirname, '../fixtures/trace');
const read = (file: string) => readFileSync(join(fixtures, file), 'utf8');
const parsed = parseLabText(read('lab.yaml'));
if (!parsed.ok) throw new Error('the trace fixture lab is invalid');
const lab = parsed.lab;
const recorded = JSON.parse(read('trace-result.json')) as TraceResult;
const views = new Map<string, VtepView>([
  ['host-a', JSON.parse(read('host-a-view.json')) as VtepView],
  ['host-b', JSON.parse(read('host-b-view.json')) as VtepView],
]);
const path = tracePath(lab, planWiring(lab), 'container1', 'container2');

/** An ARP frame: what a capture holds beside the ping, and must be passed over. */
const arp = Uint8Array.from(Buffer.from('ffffffffffff0237dbb71da108060001080006040001' + '0237dbb71da10a000102' + '0000000000000a000203', 'hex'));

/** What each host's script would have printed: per point, the recorded hops' frames (in capture order) after a stray ARP. */
function outputsFrom(result: TraceResult, drop: (hop: TraceHop) => boolean = () => false): Map<string, HostTraceOutput> {
  const outputs = new Map<string, HostTraceOutput>();
  for (const point of path.points) {
    const hops = [...result.request, ...result.reply].filter((hop) => hop.node === point.node && hop.iface === point.iface && !drop(hop));
    const frames: Frame[] = [
      { index: 1, timeUs: (hops[0]?.timeUs ?? 0) - 50, capturedLength: arp.length, originalLength: arp.length, bytes: arp },
      ...hops.map((hop, i) => {
        const bytes = Uint8Array.from(Buffer.from(hop.frame.data, 'base64'));
        return { index: i + 2, timeUs: hop.timeUs, capturedLength: bytes.length, originalLength: hop.frame.originalLength, bytes };
      }),
    ];
    const output = outputs.get(point.host) ?? { pcaps: new Map(), neighbours: new Map(), failures: new Map() };
    output.pcaps.set(point.key, writePcap(frames));
    outputs.set(point.host, output);
  }
  outputs.get('host-a')?.neighbours.set('container1', [{ dst: '10.0.2.3', dev: 'eth0', lladdr: '02:0c:8b:e1:b8:b2', state: ['REACHABLE'] }]);
  outputs.get('host-b')?.neighbours.set('container2', [{ dst: '10.0.1.2', dev: 'eth0', lladdr: '02:37:db:b7:1d:a1', state: ['STALE'] }]);
  return outputs;
}

describe('stitchTrace', () => {
  it('orders the request from container1 to container2 and the reply back, with real µs gaps', () => {
    const result = stitchTrace({ path, outputs: outputsFrom(recorded), views });
    expect(result.problems).toEqual([]);
    expect(result.request.map((h) => `${h.node} ${h.iface} ${h.role}`)).toEqual(recorded.request.map((h) => `${h.node} ${h.iface} ${h.role}`));
    expect(result.request.map((h) => h.role)).toEqual(['sender', 'bridge-port', 'vtep', 'underlay-out', 'underlay-in', 'vtep', 'bridge-port', 'receiver']);
    expect(result.reply.map((h) => h.node)).toEqual(['container2', 'host-b', 'host-b', 'host-b', 'host-a', 'host-a', 'host-a', 'container1']);
    const hops = [...result.request, ...result.reply];
    expect(hops.map((h) => h.step)).toEqual(hops.map((_, i) => i + 1));
    expect(hops[0]?.sinceFirstUs).toBe(0);
    for (let i = 1; i < hops.length; i++) expect(hops[i]?.sinceFirstUs).toBeGreaterThanOrEqual(hops[i - 1]?.sinceFirstUs ?? 0);
  });

  it('names the entry that decided each hop: ARP at the sender, FDB at bridge and VTEP, underlay ARP on the way out', () => {
    const result = stitchTrace({ path, outputs: outputsFrom(recorded), views });
    const decisions = Object.fromEntries(result.request.map((h) => [`${h.node} ${h.role}`, h.decision]));
    expect(decisions['container1 sender']).toMatchObject({ table: 'neighbour', entry: '10.0.2.3 lladdr 02:0c:8b:e1:b8:b2 dev eth0 REACHABLE (container2)' });
    expect(decisions['host-a bridge-port']).toMatchObject({ table: 'fdb', pointsTo: 'vxlan42' });
    expect(decisions['host-a vtep']).toMatchObject({ table: 'fdb', pointsTo: '192.168.214.20', entry: '02:0c:8b:e1:b8:b2 dev vxlan42 dst 192.168.214.20 learned (container2 eth0)' });
    expect(decisions['host-a underlay-out']).toMatchObject({ table: 'neighbour', ip: '192.168.214.20' });
    expect(decisions['host-b vtep']).toBeUndefined();
    expect(decisions['host-b bridge-port']).toMatchObject({ table: 'fdb', pointsTo: path.dest.iface.hostVeth });
    expect(result.reply.find((h) => h.node === 'host-b' && h.role === 'vtep')?.decision).toMatchObject({ pointsTo: '192.168.214.10' });
  });

  it('points at the flood entries when the VTEP has not learned the MAC yet', () => {
    const hostA = views.get('host-a') as VtepView;
    const unlearned = new Map(views).set('host-a', { ...hostA, fdb: hostA.fdb.filter((e) => !(e.table === 'vtep' && e.kind === 'learned')) });
    const result = stitchTrace({ path, outputs: outputsFrom(recorded), views: unlearned });
    expect(result.request[2]?.decision).toMatchObject({ mac: '00:00:00:00:00:00', entry: '00:00:00:00:00:00 dev vxlan42 dst 192.168.214.20 flood (host-b)' });
  });

  it('says which hop is missing and keeps the others; no reply is a problem, not a crash', () => {
    const withoutVtepB = stitchTrace({ path, outputs: outputsFrom(recorded, (hop) => hop.node === 'host-b' && hop.iface === 'vxlan42' && hop.role === 'vtep' && hop.step < 9), views });
    expect(withoutVtepB.request).toHaveLength(7);
    expect(withoutVtepB.problems).toEqual(['The request was not seen on host-b vxlan42 (vtep).']);
    const noReply = stitchTrace({ path, outputs: outputsFrom(recorded, (hop) => hop.step >= 9), views });
    expect(noReply.reply).toEqual([]);
    expect(noReply.problems).toContainEqual(expect.stringContaining('No echo reply from container2 (10.0.2.3)'));
    const downOutputs = outputsFrom(recorded, (hop) => hop.node === 'container2');
    downOutputs.get('host-b')?.failures.set('r', 'tcpdump: eth0: That device is not up');
    expect(stitchTrace({ path, outputs: downOutputs, views }).problems).toContain('Could not capture on container2 eth0: tcpdump: eth0: That device is not up');
    const nothing = stitchTrace({ path, outputs: new Map(), views });
    expect(nothing.request).toEqual([]);
    expect(nothing.problems.at(-1)).toContain('No echo request from container1');
  });
});
