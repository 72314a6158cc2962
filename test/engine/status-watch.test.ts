// The engine pushes a lab's status as its nodes change: after its own steps, on Docker
// events of the lab's hosts whoever caused them, on events inside a host's own engine
// (its containers), and `undefined` once the lab is gone. A stopped watch leaves no
// event stream open here and no watcher running inside a host.
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabStatus } from '../../electron/api/types.js';
import { execCapture } from '../../electron/engine/exec.js';
import { hostContainerName } from '../../electron/engine/hosts.js';
import { leftovers, nothingLeft, renamedTemplate, testEngine, uniqueName } from './lab-harness.js';

const engine = testEngine();
const name = uniqueName('watch');
const { text, lab } = renamedTemplate('vxlan-basics.yaml', name, { subnet: '192.168.220.0/24', prefix: '192.168.220.' });
const hostA = engine.docker.getContainer(hostContainerName(name, 'host-a'));

/** Every event stream the engine opens on this machine's engine, to see that stopping closes it. */
const streams: Readable[] = [];
const openEvents = engine.docker.getEvents.bind(engine.docker) as (options?: object) => Promise<NodeJS.ReadableStream>;
engine.docker.getEvents = (async (options?: object) => {
  const stream = await openEvents(options);
  streams.push(stream as Readable);
  return stream;
}) as typeof engine.docker.getEvents;

/** What the watches pushed for this test's lab, in order (other labs on the engine are not ours). */
const pushed: (LabStatus | undefined)[] = [];
const waiters: (() => void)[] = [];
function onStatus(labName: string, status: LabStatus | undefined): void {
  if (labName !== name) return;
  pushed.push(status);
  for (const wake of waiters.splice(0)) wake();
}

/** Waits until a status pushed after index `from` satisfies `test`; fails after `limitMs` listing what was pushed. */
async function pushedStatus(test: (status: LabStatus | undefined) => boolean, from: number, limitMs = 120_000): Promise<LabStatus | undefined> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const index = pushed.findIndex((status, at) => at >= from && test(status));
    if (index >= 0) return pushed[index];
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no such status was pushed; pushed: ${JSON.stringify(pushed.slice(from))}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function stateOf(status: LabStatus | undefined, node: string): string | undefined {
  return status?.nodes.find((n) => n.name === node)?.state;
}

/**
 * How many of this engine's `docker events` watchers run inside host-a. Another vxlab
 * process on the machine (a person's `vxlab serve`) may watch the same host: its
 * watchers carry another tag and are not counted.
 */
async function innerWatchers(): Promise<number> {
  const tag = `vxlab-watcher=${engine.watcherTag}`;
  const result = await execCapture(hostA, ['sh', '-c', `ps -eo args | grep -c "^sh -c : ${tag}" || true`]);
  return Number(result.stdout.trim());
}

describe('watchStatus on a real engine', () => {
  let stop = engine.watchStatus(onStatus);

  afterAll(async () => {
    stop();
    await engine.down(name);
  });

  it('pushes the running lab, containers included, after up', async () => {
    await engine.up(lab, undefined, { sourceText: text });
    const status = await pushedStatus(
      (s) => s?.state === 'running' && ['host-a', 'host-b', 'container1', 'container2'].every((node) => stateOf(s, node) === 'running'),
      0,
    );
    expect(status?.name).toBe(name);
    expect(status?.nodes.find((n) => n.name === 'host-a')?.addresses).toEqual([lab.hosts[0]?.ip]);
  });

  it("pushes a container removed inside its host, by the host's own engine", async () => {
    const from = pushed.length;
    const removed = await execCapture(hostA, ['docker', 'rm', '-f', 'container1']);
    expect(removed.exitCode).toBe(0);
    const status = await pushedStatus((s) => s !== undefined && stateOf(s, 'container1') === undefined, from);
    expect(stateOf(status, 'container2')).toBe('running');
  });

  it('a stopped watch closes its event stream and ends its watchers inside the hosts', async () => {
    expect(await innerWatchers()).toBe(1);
    expect(streams).toHaveLength(1);
    expect(streams[0]?.destroyed).toBe(false);
    stop();
    expect(streams[0]?.destroyed).toBe(true);
    // The watcher inside the host ends when its input closes: give it a moment, not a deadline to meet.
    for (let attempt = 0; attempt < 50 && (await innerWatchers()) > 0; attempt++) await new Promise((r) => setTimeout(r, 200));
    expect(await innerWatchers()).toBe(0);
  });

  it('pushes a host that died without the engine doing it', async () => {
    stop = engine.watchStatus(onStatus);
    const from = pushed.length;
    await engine.docker.getContainer(hostContainerName(name, 'host-b')).kill();
    const status = await pushedStatus((s) => s !== undefined && stateOf(s, 'host-b') !== 'running', from);
    expect(status?.state).toBe('degraded');
    expect(stateOf(status, 'host-a')).toBe('running');
  });

  it('pushes undefined once down has removed the lab', async () => {
    const from = pushed.length;
    await engine.down(name);
    await pushedStatus((s) => s === undefined, from);
    expect(pushed.at(-1)).toBeUndefined();
    expect(await leftovers(name)).toEqual(nothingLeft);
    stop();
    expect(streams).toHaveLength(2);
    expect(streams.every((stream) => stream.destroyed)).toBe(true);
  });
});
