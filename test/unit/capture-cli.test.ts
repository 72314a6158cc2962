// `vxlab capture` over a stand-in service: one decoded line (or JSON object) per packet,
// the pcap written as frames come, the Wireshark hint for a port other than 4789, a stop
// on Ctrl+C, and --count checked before anything starts. The frames are a capture the
// project made itself (test/fixtures); test/engine/capture.test.ts runs the real thing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent, CaptureStarted } from '../../electron/api/contract.js';
import type { CaptureApi } from '../../electron/cli/capture.js';
import { captureCommand, CaptureUsageError } from '../../electron/cli/capture.js';
import type { Frame } from '../../electron/packets/pcap.js';
import { readPcap } from '../../electron/packets/pcap.js';

const fixture = readPcap(new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'vxlan-8472-ping-underlay.pcap'))));
const scratch = mkdtempSync(join(tmpdir(), 'vxlab-capture-cli-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const wire = (frame: Frame) => ({ index: frame.index, timeUs: frame.timeUs, originalLength: frame.originalLength, data: Buffer.from(frame.bytes).toString('base64') });

/** The service as the CLI sees it: a start answer, then whatever events the test plays. */
class FakeApi implements CaptureApi {
  readonly requests: { method: string; params: unknown }[] = [];
  private listener: ((event: ApiEvent) => void) | undefined;
  constructor(
    private readonly started: CaptureStarted,
    private readonly afterStart: (api: FakeApi) => void,
  ) {}
  async request(method: 'capture.start' | 'capture.stop', params: unknown): Promise<never> {
    this.requests.push({ method, params });
    if (method === 'capture.start') {
      setTimeout(() => this.afterStart(this), 0);
      return this.started as never;
    }
    setTimeout(() => this.emit({ type: 'capture-ended', id: this.started.id, count: 2, captured: 2 }), 0);
    return null as never;
  }
  onEvent(listener: (event: ApiEvent) => void) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  emit(event: ApiEvent) {
    this.listener?.(event);
  }
}

const started: CaptureStarted = { id: 'c1', node: 'host-a', iface: 'eth0', vxlanPorts: [8472], linkType: 1 };

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

const noSignals = () => () => {};

describe('vxlab capture', () => {
  it('prints one decoded line per packet (VXLAN on the lab port 8472), writes the pcap as frames come, and names the Wireshark decode-as option', async () => {
    const frames = fixture.frames;
    expect(frames.length).toBeGreaterThan(3);
    const api = new FakeApi(started, (fake) => {
      fake.emit({ type: 'capture-frames', id: 'other', frames: frames.map(wire) }); // another capture's: not ours
      fake.emit({ type: 'capture-frames', id: 'c1', frames: frames.slice(0, 2).map(wire) });
      fake.emit({ type: 'capture-frames', id: 'c1', frames: frames.slice(2).map(wire) });
      fake.emit({ type: 'capture-ended', id: 'c1', count: frames.length, captured: frames.length, droppedByKernel: 0 });
    });
    const file = join(scratch, 'out.pcap');
    const { io: streams, out, err } = io();
    const code = await captureCommand(api, { lab: 'lab', node: 'host-a', filter: 'udp port 8472', count: String(frames.length), write: file, json: false }, streams, noSignals);
    expect(code).toBe(0);
    expect(api.requests[0]).toEqual({ method: 'capture.start', params: { lab: 'lab', node: 'host-a', filter: 'udp port 8472', count: frames.length } });
    const lines = out.join('').trim().split('\n');
    expect(lines).toHaveLength(frames.length);
    expect(lines[0]).toMatch(/ VNI \d+ /);
    const written = readPcap(new Uint8Array(readFileSync(file)));
    expect(written.problem).toBeUndefined();
    expect(written.frames.map((f) => Buffer.from(f.bytes).toString('hex'))).toEqual(frames.map((f) => Buffer.from(f.bytes).toString('hex')));
    expect(written.frames.map((f) => f.timeUs)).toEqual(frames.map((f) => f.timeUs));
    const said = err.join('');
    expect(said).toContain(`${frames.length} packets captured.`);
    expect(said).toContain(`wireshark -d udp.port==8472,vxlan ${file}`);
  });

  it('--json prints one object per packet with its summary and keys', async () => {
    const api = new FakeApi(started, (fake) => {
      fake.emit({ type: 'capture-frames', id: 'c1', frames: fixture.frames.slice(0, 1).map(wire) });
      fake.emit({ type: 'capture-ended', id: 'c1', count: 1 });
    });
    const { io: streams, out } = io();
    expect(await captureCommand(api, { lab: 'lab', node: 'host-a', json: true }, streams, noSignals)).toBe(0);
    const packet = JSON.parse(out.join('')) as { index: number; protocol: string; vni: number; keys: { outer: { dstPort: number } } };
    expect(packet).toMatchObject({ index: 1, keys: { outer: { dstPort: 8472 } } });
    expect(typeof packet.vni).toBe('number');
  });

  it('Ctrl+C asks the service to stop the capture, then prints what came; an end with a reason is escaped and exits 1', async () => {
    let interrupt: () => void = () => {};
    const api = new FakeApi(started, () => interrupt());
    const { io: streams, err } = io();
    const signals = (onStop: () => void) => {
      interrupt = onStop;
      return () => {};
    };
    expect(await captureCommand(api, { lab: 'lab', node: 'host-a', json: false }, streams, signals)).toBe(0);
    expect(api.requests.map((r) => r.method)).toEqual(['capture.start', 'capture.stop']);
    expect(err.join('')).toContain('2 packets captured.');

    const gone = new FakeApi(started, (fake) => fake.emit({ type: 'capture-ended', id: 'c1', count: 0, reason: 'host-a \x1b[2Jwas removed' }));
    const second = io();
    expect(await captureCommand(gone, { lab: 'lab', node: 'host-a', json: false }, second.io, noSignals)).toBe(1);
    expect(second.err.join('')).toContain('the capture ended: host-a \\x1b[2Jwas removed');
  });

  it('Ctrl+C while tcpdump starts stops the capture as soon as its id is known', async () => {
    let interrupt: () => void = () => {};
    const api = new FakeApi(started, () => {});
    const request = api.request.bind(api);
    api.request = async (method, params) => {
      if (method === 'capture.start') interrupt(); // pressed before the answer came
      return request(method, params);
    };
    const signals = (onStop: () => void) => {
      interrupt = onStop;
      return () => {};
    };
    expect(await captureCommand(api, { lab: 'lab', node: 'host-a', json: false }, io().io, signals)).toBe(0);
    expect(api.requests.map((r) => r.method)).toEqual(['capture.start', 'capture.stop']);
  });

  it('refuses a -w path it cannot write before anything starts in the node', async () => {
    const api = new FakeApi(started, () => {});
    await expect(captureCommand(api, { lab: 'lab', node: 'host-a', write: join(scratch, 'no-such-dir', 'x.pcap'), json: false }, io().io, noSignals)).rejects.toThrow(/^-w .*x\.pcap: cannot write it \(ENOENT\)\. Give a file in a folder that exists/);
    expect(api.requests).toEqual([]);
  });

  it.each(['0', 'ten', '1000001', '-3', '2.5'])('refuses --count %s before starting anything', async (count) => {
    const api = new FakeApi(started, () => {});
    await expect(captureCommand(api, { lab: 'lab', node: 'host-a', count, json: false }, io().io, noSignals)).rejects.toBeInstanceOf(CaptureUsageError);
    expect(api.requests).toEqual([]);
  });
});
