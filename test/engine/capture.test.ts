// Captures for real: tcpdump in host-a and in container1 of a test lab with two overlays,
// blue on UDP 4789 (VNI 42) and green on Linux's 8472 (VNI 4242). What vxlab decodes is
// held against tshark, field by field; stopping (a request, Ctrl+C, a session that goes
// away) leaves no tcpdump in the node.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VxlabService } from '../../electron/api/service.js';
import type { ApiEvent } from '../../electron/api/contract.js';
import type { CaptureEnd } from '../../electron/engine/capture.js';
import { labVxlanPorts, startCapture } from '../../electron/engine/capture.js';
import { decodeFrame } from '../../electron/packets/decode.js';
import type { DecodedPacket } from '../../electron/packets/decode.js';
import type { Frame } from '../../electron/packets/pcap.js';
import { readPcap } from '../../electron/packets/pcap.js';
import { cli, hostAddress, leftovers, nothingLeft, parseOk, renamedTemplate, repoRoot, run, stateDirectory, testEngine, uniqueName } from './lab-harness.js';
import { underlayFromOctet } from './test-underlays.js';

const engine = testEngine();
const name = uniqueName('capture');
/** vxlan-basics on an underlay of its own, plus an overlay on 8472 that both containers join. */
const text = renamedTemplate('vxlan-basics.yaml', name, underlayFromOctet(212))
  .text.replace(/^containers:/m, '  - { name: green, vni: 4242, subnet: 10.1.0.0/16, port: 8472, mtu: 1450 }\ncontainers:')
  .replace('{ overlay: blue, ip: 10.0.1.2 }', '{ overlay: blue, ip: 10.0.1.2 }, { overlay: green, ip: 10.1.1.2 }')
  .replace('{ overlay: blue, ip: 10.0.2.3 }', '{ overlay: blue, ip: 10.0.2.3 }, { overlay: green, ip: 10.1.2.3 }');
const lab = parseOk(text);
const hostA = hostAddress(lab, 'host-a');
const hostB = hostAddress(lab, 'host-b');
const scratch = mkdtempSync(join(tmpdir(), 'vxlab-capture-test-'));

beforeAll(async () => {
  await engine.up(lab, undefined, { sourceText: text });
}, 240_000);

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await engine.down(name);
  expect(await leftovers(name)).toEqual(nothingLeft);
}, 120_000);

/** The tcpdump processes in a node (a host sees those of its containers too). */
async function tcpdumps(node: string): Promise<string[]> {
  const script = 'for p in /proc/[0-9]*; do [ "$(cat "$p/comm" 2>/dev/null)" = tcpdump ] && echo "${p#/proc/}"; done; true';
  const result = await run(engine, name, node, ['sh', '-c', script]);
  return result.stdout.split('\n').filter(Boolean);
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function pingFromContainer1(target: string, count = 3) {
  return run(engine, name, 'container1', ['ping', '-c', String(count), '-i', '0.2', '-W', '1', target]);
}

/** The outer IPv4 header's TTL and ID, read from the bytes where the decoder says the layer is. */
function outerIp(packet: DecodedPacket, bytes: Uint8Array): { ttl: number; id: number } {
  const layer = packet.layers.find((l) => l.kind === 'ipv4' && !l.inner);
  if (!layer) throw new Error('no outer IPv4 layer');
  return { ttl: bytes[layer.offset + 8] as number, id: ((bytes[layer.offset + 4] as number) << 8) | (bytes[layer.offset + 5] as number) };
}

describe('capture in a lab node', () => {
  it('a capture on host-a underlay during ping -c 3 yields VXLAN packets with VNI 42, outer host-a -> host-b, inner 10.0.1.2 -> 10.0.2.3; the count is exact; stop ends tcpdump in the node', async () => {
    const frames: Frame[] = [];
    let ended: CaptureEnd | undefined;
    const capture = await startCapture(engine, name, 'host-a', { iface: 'eth0', filter: 'udp port 4789' }, {
      frames: (_id, batch) => frames.push(...batch),
      ended: (_id, end) => (ended = end),
    });
    expect(capture).toMatchObject({ node: 'host-a', iface: 'eth0', vxlanPorts: [4789, 8472], linkType: 1 });
    expect(await tcpdumps('host-a')).toHaveLength(1);
    const ping = await pingFromContainer1('10.0.2.3');
    expect(ping.exitCode).toBe(0);
    const end = await capture.stop();
    expect(ended).toEqual(end);
    expect(end.reason).toBeUndefined();
    expect(end.count).toBe(frames.length);
    expect(end.captured).toBe(frames.length);
    expect(frames.map((f) => f.index)).toEqual(frames.map((_, i) => i + 1));

    const requests = frames
      .map((frame) => decodeFrame(frame.bytes, { vxlanPorts: capture.vxlanPorts }, frame.originalLength))
      .filter((packet) => packet.keys.icmp?.type === 8);
    expect(requests.map((p) => p.keys.icmp?.seq)).toEqual([1, 2, 3]);
    for (const packet of requests) {
      expect(packet.keys.outer).toMatchObject({ vni: 42, srcIp: hostA, dstIp: hostB, dstPort: 4789 });
      expect(packet.keys).toMatchObject({ srcIp: '10.0.1.2', dstIp: '10.0.2.3' });
      expect(packet.summary.vni).toBe(42);
      expect(packet.problems).toEqual([]);
    }
    expect(await tcpdumps('host-a')).toEqual([]);
  }, 60_000);

  it.each([
    { port: 4789, vni: 42, target: '10.0.2.3', inner: ['10.0.1.2', '10.0.2.3'] },
    { port: 8472, vni: 4242, target: '10.1.2.3', inner: ['10.1.1.2', '10.1.2.3'] },
  ])('vxlab capture -w on port $port: the pcap read by tshark agrees with vxlab field by field (VNI, both address pairs, ports, TTL, IP ID, ICMP id/seq)', async ({ port, vni, target, inner }) => {
    const file = join(scratch, `capture-${port}.pcap`);
    // The neighbour entry first, so the six packets are the pings, not an ARP exchange.
    expect((await pingFromContainer1(target, 1)).exitCode).toBe(0);
    let pinging: Promise<unknown> | undefined;
    const result = await cli(['capture', name, 'host-a', '--filter', `udp port ${port}`, '--count', '6', '-w', file], {
      onStderr: (stderr) => {
        if (!pinging && stderr.includes('Ctrl+C stops')) pinging = pingFromContainer1(target);
      },
    });
    await pinging;
    expect(result.stderr).toContain('6 packets captured');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    for (const line of lines) expect(line).toMatch(new RegExp(` ICMP VNI ${vni} Echo \\(ping\\) (request|reply) `));
    // The lab has an overlay on 8472: the CLI says how to make Wireshark decode it.
    expect(result.stderr).toContain(`wireshark -d udp.port==8472,vxlan ${file}`);

    const pcap = readPcap(new Uint8Array(readFileSync(file)));
    expect(pcap.problem).toBeUndefined();
    expect(pcap.frames).toHaveLength(6);
    const fields = ['vxlan.vni', 'ip.src', 'ip.dst', 'udp.srcport', 'udp.dstport', 'ip.ttl', 'ip.id', 'icmp.ident', 'icmp.seq'];
    const tshark = (decodeAs: string[]) =>
      execFileSync('tshark', ['-r', file, ...decodeAs, '-T', 'fields', ...fields.flatMap((f) => ['-e', f]), '-E', 'occurrence=a', '-E', 'separator=/t'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .split('\n')
        .filter((row) => row.length > 0)
        .map((row) => row.split('\t'));
    const rows = tshark(port === 4789 ? [] : ['-d', `udp.port==${port},vxlan`]);
    expect(rows).toHaveLength(6);
    pcap.frames.forEach((frame, i) => {
      const packet = decodeFrame(frame.bytes, { vxlanPorts: [4789, 8472] }, frame.originalLength);
      const { keys } = packet;
      const outer = outerIp(packet, frame.bytes);
      const hex = (n: number | undefined) => `0x${(n ?? -1).toString(16).padStart(4, '0')}`;
      const mine = [
        String(keys.outer?.vni),
        `${keys.outer?.srcIp},${keys.srcIp}`,
        `${keys.outer?.dstIp},${keys.dstIp}`,
        String(keys.outer?.srcPort),
        String(keys.outer?.dstPort),
        `${outer.ttl},${keys.ttl}`,
        `${hex(outer.id)},${hex(keys.ipId)}`,
        String(keys.icmp?.id),
        String(keys.icmp?.seq),
      ];
      expect(mine, `frame ${i + 1}`).toEqual(rows[i]);
      expect([keys.srcIp, keys.dstIp].sort()).toEqual([...inner].sort());
      expect([keys.outer?.srcIp, keys.outer?.dstIp].sort()).toEqual([hostA, hostB].sort());
    });
    if (port !== 4789) {
      // Without the hint tshark sees plain UDP: the reason the CLI prints it.
      expect(tshark([]).every((row) => row[0] === '')).toBe(true);
    }
    expect(await tcpdumps('host-a')).toEqual([]);
  }, 60_000);

  it('Ctrl+C ends `vxlab capture` in a container: the packets so far are printed and no tcpdump remains in container1', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/vxlab.js'), 'capture', name, 'container1', '--filter', 'icmp', '--json'], {
      cwd: repoRoot,
      env: { ...process.env, VXLAB_STATE_DIR: stateDirectory },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await eventually(async () => stderr, (text) => text.includes('Ctrl+C stops'), 'the capture did not start');
    expect(await tcpdumps('container1')).toHaveLength(1);
    expect((await pingFromContainer1('10.0.2.3', 2)).exitCode).toBe(0);
    await eventually(async () => stdout.trim().split('\n').filter(Boolean).length, (n) => n >= 4, 'packets printed');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const packets = stdout.trim().split('\n').map((line) => JSON.parse(line) as { index: number; protocol: string; keys: { srcIp?: string } });
    expect(packets.map((p) => p.index)).toEqual([1, 2, 3, 4]);
    expect(packets.every((p) => p.protocol === 'ICMP' && p.keys.srcIp !== undefined)).toBe(true);
    expect(stderr).toContain('4 packets captured');
    expect(await tcpdumps('container1')).toEqual([]);
  }, 60_000);

  it('for a lab applied from elsewhere (no record of it here), the VXLAN ports come from the host\'s devices', async () => {
    const located = await engine.locateNode(name, 'host-a');
    const elsewhere = { docker: engine.docker, locateNode: engine.locateNode.bind(engine), appliedLab: async () => undefined };
    expect(await labVxlanPorts(elsewhere, name, located)).toEqual([4789, 8472]);
  }, 30_000);

  it('vxlab killed outright (SIGKILL, no clean-up of its own) leaves no tcpdump: the watchdog in the node sees its connection go', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/vxlab.js'), 'capture', name, 'container2', '--filter', 'icmp'], {
      cwd: repoRoot,
      env: { ...process.env, VXLAB_STATE_DIR: stateDirectory },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise((resolve) => child.on('close', resolve));
    await eventually(async () => stderr, (text) => text.includes('Ctrl+C stops'), 'the capture did not start');
    expect(await tcpdumps('container2')).toHaveLength(1);
    child.kill('SIGKILL');
    await exited;
    await eventually(() => tcpdumps('container2'), (pids) => pids.length === 0, 'tcpdump in container2');
    // Nor its watchdog: nothing of the capture is left in host-b.
    const shells = await run(engine, name, 'host-b', ['sh', '-c', 'grep -l VXLAB_CAPTURE /proc/[0-9]*/environ 2>/dev/null; true']);
    expect(shells.stdout.trim()).toBe('');
  }, 60_000);

  it('a window that goes away stops its captures: tcpdump ends in the node', async () => {
    const service = new VxlabService({ engine, templatesDirectory: join(repoRoot, 'lab-templates'), stateDirectory });
    const events: ApiEvent[] = [];
    const session = service.connect((event) => events.push(event), { statusEvents: false });
    const answer = await session.handle('capture.start', { lab: name, node: 'host-b', iface: 'eth0' });
    expect(answer).toMatchObject({ result: { node: 'host-b', iface: 'eth0', linkType: 1 } });
    expect(await tcpdumps('host-b')).toHaveLength(1);
    session.dispose();
    await eventually(() => tcpdumps('host-b'), (pids) => pids.length === 0, 'tcpdump in host-b');
    await eventually(async () => events.some((e) => e.type === 'capture-ended'), Boolean, 'the capture-ended event');
  }, 60_000);

  it('an interface the node lacks, or a filter tcpdump refuses, is a capture-failed error that says what to do; nothing keeps running', async () => {
    const service = new VxlabService({ engine, templatesDirectory: join(repoRoot, 'lab-templates'), stateDirectory });
    const session = service.connect(() => {}, { statusEvents: false });
    const noIface = await session.handle('capture.start', { lab: name, node: 'container1', iface: 'eth7' });
    expect(noIface).toMatchObject({ error: { code: 'capture-failed', message: 'container1 has no interface eth7.' } });
    expect((noIface as { error: { hint: string } }).error.hint).toMatch(/eth0, eth1, lo/);
    const badFilter = await session.handle('capture.start', { lab: name, node: 'host-a', filter: 'udp portx 4789' });
    expect(badFilter).toMatchObject({ error: { code: 'capture-failed' } });
    expect((badFilter as { error: { message: string } }).error.message).toContain('tcpdump refused the filter "udp portx 4789"');
    const shellish = await session.handle('capture.start', { lab: name, node: 'host-a', filter: 'icmp; reboot' });
    expect(shellish).toMatchObject({ error: { code: 'invalid-params' } });
    session.dispose();
    expect(await tcpdumps('host-a')).toEqual([]);
  }, 60_000);
});
