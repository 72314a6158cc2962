import { describe, expect, it } from 'vitest';
import type { DockerClient } from '../../electron/engine/docker.js';
import type { EngineEvent } from '../../electron/engine/events.js';
import { runStep } from '../../electron/engine/events.js';
import { listLabs } from '../../electron/engine/lab-queries.js';
import type { LabStore } from '../../electron/engine/lab-store.js';

/** A Docker engine that answers the calls `listLabs` makes with the given objects. */
function fakeDocker(containers: { Labels: Record<string, string>; State: string }[], networks: { Labels?: Record<string, string> }[]) {
  return {
    version: async () => ({ Version: '27', ApiVersion: '1.47', KernelVersion: '6' }),
    info: async () => ({ KernelVersion: '6', Driver: 'overlay2' }),
    listContainers: async () => containers,
    listNetworks: async () => networks,
  } as unknown as DockerClient;
}

function fakeStore(): { store: LabStore; loaded: string[] } {
  const loaded: string[] = [];
  const store = {
    load: async (name: string) => {
      loaded.push(name);
      return undefined;
    },
  } as unknown as LabStore;
  return { store, loaded };
}

describe('listLabs', () => {
  it('lists labs by their label, counting hosts and running ones', async () => {
    const docker = fakeDocker(
      [
        { Labels: { 'vxlab.lab': 'lab-b', 'vxlab.role': 'host' }, State: 'running' },
        { Labels: { 'vxlab.lab': 'lab-b', 'vxlab.role': 'host' }, State: 'exited' },
      ],
      [{ Labels: { 'vxlab.lab': 'lab-a' } }, { Labels: { 'vxlab.lab': 'lab-b' } }],
    );
    const { store } = fakeStore();
    expect(await listLabs(docker, store)).toEqual([
      { name: 'lab-a', title: '', hosts: 0, running: 0 },
      { name: 'lab-b', title: '', hosts: 2, running: 1 },
    ]);
  });

  it('ignores objects whose vxlab.lab label is not a valid lab name: never listed, never looked up', async () => {
    const bad = ['../..', '../../etc/passwd', '', 'Upper', 'x\u001b[2J', 'a'.repeat(200)];
    const docker = fakeDocker(
      [
        ...bad.map((lab) => ({ Labels: { 'vxlab.lab': lab, 'vxlab.role': 'host' }, State: 'running' })),
        { Labels: { 'vxlab.role': 'host' }, State: 'running' },
        { Labels: { 'vxlab.lab': 'good', 'vxlab.role': 'host' }, State: 'running' },
      ],
      [...bad.map((lab) => ({ Labels: { 'vxlab.lab': lab } })), {}],
    );
    const { store, loaded } = fakeStore();
    const labs = await listLabs(docker, store);
    expect(labs.map((lab) => lab.name)).toEqual(['good']);
    expect(loaded).toEqual(['good']);
  });
});

describe('runStep', () => {
  it('names the nodes a step affects on its start and its end', async () => {
    const events: EngineEvent[] = [];
    await runStep((event) => events.push(event), 'container', 'host-a', async () => {}, 'start c1', ['c1', 'c2']);
    await expect(
      runStep((event) => events.push(event), 'remove', 'host-b', async () => {
        throw new Error('gone');
      }, undefined, ['host-b']),
    ).rejects.toThrow('gone');
    expect(events.map((event) => ('nodes' in event ? event.nodes : 'none'))).toEqual([['c1', 'c2'], ['c1', 'c2'], ['host-b'], ['host-b']]);
  });

  it('leaves nodes out of a step that changes none', async () => {
    const events: EngineEvent[] = [];
    await runStep((event) => events.push(event), 'load-image', 'host-a', async () => {});
    for (const event of events) expect(event).not.toHaveProperty('nodes');
  });
});
