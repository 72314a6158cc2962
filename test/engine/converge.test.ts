// `up` on a running lab converges it to the file: containers come and go, and the
// flood entries of every peer follow the hosts that take part in each overlay.
import { afterAll, describe, expect, it } from 'vitest';
import { readVtepView } from '../../electron/engine/vtep-view.js';
import { hostAddress, leftovers, nothingLeft, parseOk, ping, renamedTemplate, testEngine, uniqueName } from './lab-harness.js';

const engine = testEngine();
const name = uniqueName('converge');
const { text: full, lab } = renamedTemplate('three-hosts.yaml', name, 'converge');
const [hostA, hostB, hostC] = ['host-a', 'host-b', 'host-c'].map((host) => hostAddress(lab, host));
// The same lab without c3: host-c runs, but takes no part in the overlay.
const withoutC3 = full.replace(/\n {2}- name: c3\n {4}host: host-c\n {4}interfaces: .*\n/, '\n');

async function floodTargets(host: string): Promise<string[]> {
  const view = await readVtepView(engine, name, host);
  return view.fdb.filter((e) => e.kind === 'flood').map((e) => e.dst ?? '').sort();
}

describe('converging a running lab to a changed file', () => {
  afterAll(async () => {
    await engine.down(name);
    expect(await leftovers(name)).toEqual(nothingLeft);
  });

  it('starts with two hosts on the overlay, each flooding to the other only', async () => {
    expect(withoutC3).not.toContain('c3');
    await engine.up(parseOk(withoutC3), undefined, { sourceText: withoutC3 });
    expect(await floodTargets('host-a')).toEqual([hostB]);
    expect(await ping(engine, name, 'c1', '10.0.2.2', 1)).toBe(0);
  });

  it('a container added to the file pings after up, and every host floods to both peers', async () => {
    const result = await engine.up(parseOk(full), undefined, { sourceText: full });
    expect(result.plan.createContainers).toEqual([{ host: 'host-c', name: 'c3' }]);
    expect(result.plan.createHosts).toEqual([]);
    expect(await ping(engine, name, 'c1', '10.0.3.2')).toBe(0);
    expect(await floodTargets('host-a')).toEqual([hostB, hostC]);
    expect(await floodTargets('host-c')).toEqual([hostA, hostB]);
  });

  it('a container removed from the file is gone, and the peers stop flooding to its host', async () => {
    const result = await engine.up(parseOk(withoutC3), undefined, { sourceText: withoutC3 });
    expect(result.plan.removeContainers).toEqual([{ host: 'host-c', name: 'c3' }]);
    const status = await engine.status(name);
    expect(status.nodes.map((n) => n.name)).not.toContain('c3');
    expect(await floodTargets('host-a')).toEqual([hostB]);
    expect(await floodTargets('host-b')).toEqual([hostA]);
    const viewC = await readVtepView(engine, name, 'host-c');
    expect(viewC.vteps).toEqual([]);
    // Learned entries that pointed at host-c went with it.
    const viewA = await readVtepView(engine, name, 'host-a');
    expect(viewA.fdb.filter((e) => e.dst === hostC)).toEqual([]);
  });
});
