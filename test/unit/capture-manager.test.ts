// Captures over the service: bounded per window and in all like terminals, stopped only
// by the window that started them, all stopped when it goes away, and their frames
// carried as base64 events. tcpdump itself is faked here; test/engine/capture.test.ts runs it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/api/contract.js';
import { VxlabService } from '../../electron/api/service.js';
import type { CaptureEnd, CaptureSink, RunningCapture } from '../../electron/engine/capture.js';
import type { StartCapture } from '../../electron/engine/captures.js';
import { createCaptureManager } from '../../electron/engine/captures.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';

const templatesDirectory = join(import.meta.dirname, '..', '..', 'lab-templates');
const stateDirectory = mkdtempSync(join(tmpdir(), 'vxlab-capture-manager-test-'));
afterAll(() => rmSync(stateDirectory, { recursive: true, force: true }));

/** A stand-in for tcpdump in a node: the test pushes frames and sees whether it was stopped. */
class FakeCaptures {
  readonly running = new Map<string, { sink: CaptureSink; stopped: boolean; finish(end: CaptureEnd): void }>();
  private next = 1;
  /** Resolves a start when the test says so (a tcpdump still starting). */
  gate: Promise<void> | undefined;

  readonly start: StartCapture = async (_lab, node, options, sink) => {
    await this.gate;
    const id = `capture-${this.next++}`;
    let finish: (end: CaptureEnd) => void = () => {};
    const done = new Promise<CaptureEnd>((resolve) => (finish = resolve));
    const entry = {
      sink,
      stopped: false,
      finish: (end: CaptureEnd) => {
        sink.ended(id, end);
        finish(end);
      },
    };
    this.running.set(id, entry);
    const capture: RunningCapture = {
      id,
      node,
      iface: options.iface ?? 'eth0',
      vxlanPorts: [4789],
      linkType: 1,
      done,
      stop: async () => {
        entry.stopped = true;
        entry.finish({ count: 0 });
        return done;
      },
    };
    return capture;
  };
}

const sink = (): CaptureSink => ({ frames: () => {}, ended: () => {} });
const noEngine = {} as LabEngine;

describe('the capture manager', () => {
  it('refuses a capture beyond the limit of a window and the limit of all windows, with what to do', async () => {
    const fakes = new FakeCaptures();
    const manager = createCaptureManager(noEngine, { start: fakes.start, limits: { perOwner: 2, total: 3 } });
    const [one, two] = [sink(), sink()];
    await manager.start('lab', 'host-a', {}, one);
    await manager.start('lab', 'host-a', {}, one);
    await expect(manager.start('lab', 'host-a', {}, one)).rejects.toMatchObject({ code: 'limit-reached', message: 'This window already runs 2 captures, the most one window may.' });
    await manager.start('lab', 'host-b', {}, two);
    await expect(manager.start('lab', 'host-b', {}, two)).rejects.toMatchObject({ code: 'limit-reached', message: 'vxlab already runs 3 captures, the most it allows at once.' });
    expect(manager.running()).toBe(3);
  });

  it('lets only the window that started a capture stop it, and forgets a capture that ended', async () => {
    const fakes = new FakeCaptures();
    const manager = createCaptureManager(noEngine, { start: fakes.start });
    const [owner, other] = [sink(), sink()];
    const { id } = await manager.start('lab', 'host-a', {}, owner);
    await expect(manager.stop(id, other)).rejects.toMatchObject({ code: 'capture-failed' });
    expect(fakes.running.get(id)?.stopped).toBe(false);
    await manager.stop(id, owner);
    expect(fakes.running.get(id)?.stopped).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(manager.running()).toBe(0);
    await expect(manager.stop(id, owner)).rejects.toMatchObject({ code: 'capture-failed' });
  });

  it('stops every capture of a window that goes away, even one still starting', async () => {
    const fakes = new FakeCaptures();
    const manager = createCaptureManager(noEngine, { start: fakes.start });
    const [leaving, staying] = [sink(), sink()];
    await manager.start('lab', 'host-a', {}, leaving);
    await manager.start('lab', 'host-a', {}, staying);
    let open: () => void = () => {};
    fakes.gate = new Promise((resolve) => (open = resolve));
    const late = manager.start('lab', 'host-b', {}, leaving);
    manager.stopAllFor(leaving);
    open();
    await expect(late).rejects.toMatchObject({ code: 'capture-failed' });
    expect([...fakes.running.values()].map((c) => c.stopped)).toEqual([true, false, true]);
  });
});

describe('captures over the service', () => {
  it('sends frames as base64 events and the end with its count; a session that disconnects stops its captures', async () => {
    const fakes = new FakeCaptures();
    const service = new VxlabService({ engine: noEngine, templatesDirectory, stateDirectory, captures: createCaptureManager(noEngine, { start: fakes.start }) });
    const events: ApiEvent[] = [];
    const session = service.connect((event) => events.push(event), { statusEvents: false });
    const answer = await session.handle('capture.start', { lab: 'lab', node: 'host-a', iface: 'vxlan-blue' });
    expect(answer).toMatchObject({ result: { node: 'host-a', iface: 'vxlan-blue', vxlanPorts: [4789], linkType: 1 } });
    const id = (answer as { result: { id: string } }).result.id;
    const bytes = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
    fakes.running.get(id)?.sink.frames(id, [{ index: 1, timeUs: 5, capturedLength: 2, originalLength: 60, bytes: bytes.subarray(1, 3) }]);
    expect(events).toEqual([{ type: 'capture-frames', id, frames: [{ index: 1, timeUs: 5, originalLength: 60, data: Buffer.from([0xad, 0xbe]).toString('base64') }] }]);
    const second = await session.handle('capture.start', { lab: 'lab', node: 'host-b' });
    const secondId = (second as { result: { id: string } }).result.id;
    expect(await session.handle('capture.stop', { id: secondId })).toEqual({ result: null });
    expect(events.at(-1)).toEqual({ type: 'capture-ended', id: secondId, count: 0 });
    expect(fakes.running.get(id)?.stopped).toBe(false);
    session.dispose();
    expect(fakes.running.get(id)?.stopped).toBe(true);
  });
});
