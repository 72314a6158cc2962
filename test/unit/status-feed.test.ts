import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabStatus } from '../../electron/api/types.js';
import type { EngineEvent } from '../../electron/engine/events.js';
import { RECONNECT_DELAY_MS, STATUS_DELAY_MS, StatusFeed } from '../../electron/engine/status-feed.js';

function statusOf(name: string, state: LabStatus['state'] = 'running'): LabStatus {
  return { name, title: '', state, nodes: [{ name: 'host-a', kind: 'host', state: state === 'running' ? 'running' : 'exited', addresses: [] }] };
}

function dockerEvent(action: string, lab: string): string {
  return JSON.stringify({ Type: 'container', Action: action, Actor: { ID: 'id', Attributes: { 'vxlab.lab': lab } } }) + '\n';
}

/** Fake sources: statuses from a table, event streams the test writes into. */
function fakeSources() {
  const statuses = new Map<string, LabStatus | undefined>();
  const reads: string[] = [];
  const streams: PassThrough[] = [];
  const signals: AbortSignal[] = [];
  let failReads = false;
  const sources = {
    status: async (lab: string) => {
      reads.push(lab);
      if (failReads) throw new Error('engine gone');
      return statuses.get(lab);
    },
    events: async (signal: AbortSignal): Promise<Readable> => {
      const stream = new PassThrough();
      streams.push(stream);
      signals.push(signal);
      return stream;
    },
  };
  return { sources, statuses, reads, streams, signals, setFailing: (value: boolean) => (failReads = value) };
}

type Pushed = [string, LabStatus | undefined];

function recorder(): { pushed: Pushed[]; listener: (lab: string, status: LabStatus | undefined) => void } {
  const pushed: Pushed[] = [];
  return { pushed, listener: (lab, status) => pushed.push([lab, status]) };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('StatusFeed', () => {
  it('reads a lab once per burst of changes, after the delay', async () => {
    const fake = fakeSources();
    fake.statuses.set('lab-a', statusOf('lab-a'));
    const feed = new StatusFeed(fake.sources);
    const { pushed, listener } = recorder();
    const stop = feed.watch(listener);
    for (let i = 0; i < 10; i++) feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS - 1);
    expect(fake.reads).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.reads).toEqual(['lab-a']);
    expect(pushed).toEqual([['lab-a', statusOf('lab-a')]]);
    stop();
  });

  it('keeps labs apart: a burst on one does not hold back the other', async () => {
    const fake = fakeSources();
    fake.statuses.set('lab-a', statusOf('lab-a'));
    fake.statuses.set('lab-b', statusOf('lab-b'));
    const feed = new StatusFeed(fake.sources);
    const { pushed, listener } = recorder();
    const stop = feed.watch(listener);
    feed.touch('lab-a');
    feed.touch('lab-b');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(pushed.map(([lab]) => lab).sort()).toEqual(['lab-a', 'lab-b']);
    stop();
  });

  it('pushes a changed status, not a repeated one, and undefined once the lab is gone', async () => {
    const fake = fakeSources();
    fake.statuses.set('lab-a', statusOf('lab-a'));
    const feed = new StatusFeed(fake.sources);
    const { pushed, listener } = recorder();
    const stop = feed.watch(listener);
    feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(pushed).toHaveLength(1);
    fake.statuses.set('lab-a', statusOf('lab-a', 'stopped'));
    feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    fake.statuses.delete('lab-a');
    feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(pushed).toEqual([
      ['lab-a', statusOf('lab-a')],
      ['lab-a', statusOf('lab-a', 'stopped')],
      ['lab-a', undefined],
    ]);
    stop();
  });

  it('reads again after a read that a change overtook', async () => {
    const fake = fakeSources();
    let release: () => void = () => {};
    fake.statuses.set('lab-a', statusOf('lab-a'));
    const slow = { ...fake.sources, status: async (lab: string) => {
      fake.reads.push(lab);
      if (fake.reads.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return fake.statuses.get(lab);
    } };
    const feed = new StatusFeed(slow);
    const { pushed, listener } = recorder();
    const stop = feed.watch(listener);
    feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(fake.reads).toEqual(['lab-a']);
    fake.statuses.set('lab-a', statusOf('lab-a', 'degraded'));
    feed.touch('lab-a'); // during the read: its result may already be old
    release();
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(fake.reads).toEqual(['lab-a', 'lab-a']);
    expect(pushed.at(-1)).toEqual(['lab-a', statusOf('lab-a', 'degraded')]);
    stop();
  });

  it("turns Docker's events of a lab's containers into a status of that lab", async () => {
    const fake = fakeSources();
    fake.statuses.set('lab-a', statusOf('lab-a', 'degraded'));
    const feed = new StatusFeed(fake.sources);
    const { pushed, listener } = recorder();
    const stop = feed.watch(listener);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.streams).toHaveLength(1);
    fake.streams[0]?.write(dockerEvent('die', 'lab-a'));
    fake.streams[0]?.write(dockerEvent('destroy', 'lab-a'));
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(fake.reads).toEqual(['lab-a']);
    expect(pushed).toEqual([['lab-a', statusOf('lab-a', 'degraded')]]);
    stop();
  });

  it('ignores events whose lab label is not a valid lab name: no read, no push', async () => {
    const fake = fakeSources();
    const feed = new StatusFeed(fake.sources);
    const { pushed, listener } = recorder();
    const stop = feed.watch(listener);
    await vi.advanceTimersByTimeAsync(0);
    for (const lab of ['../..', 'UPPER', '', 'x'.repeat(100)]) fake.streams[0]?.write(dockerEvent('start', lab));
    fake.streams[0]?.write('{not json\n');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS * 2);
    expect(fake.reads).toEqual([]);
    expect(pushed).toEqual([]);
    stop();
  });

  it("touches a lab after the engine's own steps that change nodes, passing every event on", async () => {
    const fake = fakeSources();
    fake.statuses.set('lab-a', statusOf('lab-a'));
    const feed = new StatusFeed(fake.sources);
    const stop = feed.watch(() => {});
    const seen: EngineEvent[] = [];
    const emit = feed.followSteps('lab-a', (event) => seen.push(event));
    emit({ type: 'step-finished', step: 'load-image', node: 'host-a', ms: 1 });
    emit({ type: 'step-started', step: 'container', node: 'host-a', nodes: ['c1'] });
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(fake.reads).toEqual([]);
    emit({ type: 'step-finished', step: 'container', node: 'host-a', nodes: ['c1'], ms: 1 });
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(fake.reads).toEqual(['lab-a']);
    emit({ type: 'step-failed', step: 'host', node: 'host-b', error: 'no' });
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(fake.reads).toEqual(['lab-a', 'lab-a']);
    expect(seen.map((event) => event.type)).toEqual(['step-finished', 'step-started', 'step-finished', 'step-failed']);
    stop();
  });

  it('reads nothing while nobody watches', async () => {
    const fake = fakeSources();
    const feed = new StatusFeed(fake.sources);
    feed.touch('lab-a');
    feed.followSteps('lab-a', () => {})({ type: 'step-finished', step: 'host', ms: 1 });
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS * 2);
    expect(fake.reads).toEqual([]);
    expect(fake.streams).toEqual([]);
    expect(feed.streaming).toBe(false);
  });

  it('a stopped watch leaves no stream open and no read pending', async () => {
    const fake = fakeSources();
    fake.statuses.set('lab-a', statusOf('lab-a'));
    const feed = new StatusFeed(fake.sources);
    const { pushed, listener } = recorder();
    const stopFirst = feed.watch(listener);
    const stopSecond = feed.watch(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.streams).toHaveLength(1); // one stream for all watchers
    feed.touch('lab-a');
    stopFirst();
    expect(fake.streams[0]?.destroyed).toBe(false); // another still watches
    stopSecond();
    expect(fake.streams[0]?.destroyed).toBe(true);
    expect(fake.signals[0]?.aborted).toBe(true);
    expect(feed.streaming).toBe(false);
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS * 2);
    expect(fake.reads).toEqual([]);
    expect(pushed).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes a stream that opens only after the watch stopped', async () => {
    const fake = fakeSources();
    let open: (stream: Readable) => void = () => {};
    const stream = new PassThrough();
    const feed = new StatusFeed({ ...fake.sources, events: () => new Promise<Readable>((resolve) => (open = resolve)) });
    const stop = feed.watch(() => {});
    stop();
    open(stream);
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.destroyed).toBe(true);
    expect(feed.streaming).toBe(false);
  });

  it('opens the stream again when the engine drops it, and re-reads the labs it reported', async () => {
    const fake = fakeSources();
    fake.statuses.set('lab-a', statusOf('lab-a'));
    const feed = new StatusFeed(fake.sources);
    const { pushed, listener } = recorder();
    const stop = feed.watch(listener);
    feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(pushed).toHaveLength(1);
    fake.streams[0]?.destroy(new Error('engine restarted'));
    fake.statuses.set('lab-a', statusOf('lab-a', 'stopped'));
    await vi.advanceTimersByTimeAsync(RECONNECT_DELAY_MS + STATUS_DELAY_MS);
    expect(fake.streams).toHaveLength(2);
    expect(pushed.at(-1)).toEqual(['lab-a', statusOf('lab-a', 'stopped')]);
    stop();
    expect(fake.streams[1]?.destroyed).toBe(true);
  });

  it('goes on when the engine does not answer a read, or a listener throws', async () => {
    const fake = fakeSources();
    fake.statuses.set('lab-a', statusOf('lab-a'));
    const feed = new StatusFeed(fake.sources);
    const { pushed, listener } = recorder();
    const stopThrowing = feed.watch(() => {
      throw new Error('listener bug');
    });
    const stop = feed.watch(listener);
    fake.setFailing(true);
    feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(pushed).toEqual([]);
    fake.setFailing(false);
    feed.touch('lab-a');
    await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
    expect(pushed).toEqual([['lab-a', statusOf('lab-a')]]);
    stop();
    stopThrowing();
  });

  describe("following each running host's own engine", () => {
    function twoHosts(lab: string, hostB = 'running'): LabStatus {
      return {
        name: lab,
        title: '',
        state: hostB === 'running' ? 'running' : 'degraded',
        nodes: [
          { name: 'host-a', kind: 'host', state: 'running', addresses: [] },
          { name: 'host-b', kind: 'host', state: hostB, addresses: [] },
          { name: 'c1', kind: 'container', host: 'host-a', state: 'running', addresses: [] },
        ],
      };
    }

    function withInner() {
      const fake = fakeSources();
      const inner = new Map<string, { stream: PassThrough; signal: AbortSignal }>();
      const opened: string[] = [];
      const sources = {
        ...fake.sources,
        innerEvents: async (lab: string, host: string, signal: AbortSignal): Promise<Readable> => {
          const stream = new PassThrough();
          inner.set(`${lab}/${host}`, { stream, signal });
          opened.push(`${lab}/${host}`);
          return stream;
        },
      };
      return { fake, inner, opened, feed: new StatusFeed(sources) };
    }

    it("follows every running host of a lab it reported, and re-reads the lab when a host's engine speaks", async () => {
      const { fake, inner, opened, feed } = withInner();
      fake.statuses.set('lab-a', twoHosts('lab-a'));
      const stop = feed.watch(() => {});
      feed.touch('lab-a');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      expect(feed.followedHosts).toEqual(['lab-a/host-a', 'lab-a/host-b']);
      inner.get('lab-a/host-a')?.stream.write('destroy\n');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      expect(fake.reads).toEqual(['lab-a', 'lab-a']);
      expect(opened).toEqual(['lab-a/host-a', 'lab-a/host-b']); // followed once, not again on each read
      stop();
    });

    it('stops following a host that stopped, and every host of a lab that is gone', async () => {
      const { fake, inner, feed } = withInner();
      fake.statuses.set('lab-a', twoHosts('lab-a'));
      const stop = feed.watch(() => {});
      feed.touch('lab-a');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      fake.statuses.set('lab-a', twoHosts('lab-a', 'exited'));
      feed.touch('lab-a');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      expect(inner.get('lab-a/host-b')?.signal.aborted).toBe(true);
      expect(feed.followedHosts).toEqual(['lab-a/host-a']);
      fake.statuses.delete('lab-a');
      feed.touch('lab-a');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      expect(inner.get('lab-a/host-a')?.signal.aborted).toBe(true);
      expect(feed.followedHosts).toEqual([]);
      stop();
    });

    it('follows a host again after its stream ended, at the next read', async () => {
      const { fake, inner, opened, feed } = withInner();
      fake.statuses.set('lab-a', twoHosts('lab-a'));
      const stop = feed.watch(() => {});
      feed.touch('lab-a');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      inner.get('lab-a/host-b')?.stream.destroy(); // its engine was not up yet, say
      await vi.advanceTimersByTimeAsync(0);
      expect(feed.followedHosts).toEqual(['lab-a/host-a']);
      feed.touch('lab-a');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      expect(opened).toEqual(['lab-a/host-a', 'lab-a/host-b', 'lab-a/host-b']);
      stop();
    });

    it('never follows a host whose name is not a valid node name', async () => {
      const { fake, opened, feed } = withInner();
      const status = twoHosts('lab-a');
      status.nodes.push({ name: '../../containers/json', kind: 'host', state: 'running', addresses: [] });
      fake.statuses.set('lab-a', status);
      const stop = feed.watch(() => {});
      feed.touch('lab-a');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      expect(opened).toEqual(['lab-a/host-a', 'lab-a/host-b']);
      stop();
    });

    it('ends every host it follows when the last watch stops', async () => {
      const { fake, inner, feed } = withInner();
      fake.statuses.set('lab-a', twoHosts('lab-a'));
      const stop = feed.watch(() => {});
      feed.touch('lab-a');
      await vi.advanceTimersByTimeAsync(STATUS_DELAY_MS);
      stop();
      expect([...inner.values()].map((watch) => watch.signal.aborted)).toEqual([true, true]);
      expect(feed.followedHosts).toEqual([]);
    });
  });
});
