// The live tables without Docker: what counts as a change between two reads, one read per
// burst of netlink events, nothing pushed after stop, and the bounds on watches.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FdbEntry, Neighbour, VtepView } from '../../electron/api/types.js';
import { diffTables } from '../../electron/engine/table-entries.js';
import type { TablesSource } from '../../electron/engine/tables-watch.js';
import { MAX_WATCHES_PER_OWNER, MONITOR_SCRIPT, TablesWatches, watchTables } from '../../electron/engine/tables-watch.js';

const flood: FdbEntry = { table: 'vtep', mac: '00:00:00:00:00:00', device: 'vxlan42', dst: '192.168.1.20', kind: 'flood', owner: 'host-b' };
const learned: FdbEntry = { table: 'vtep', mac: '02:0c:8b:e1:b8:b2', device: 'vxlan42', dst: '192.168.1.20', kind: 'learned', owner: 'container2 eth0' };
const underlayArp: Neighbour = { ip: '192.168.1.20', mac: '02:42:c0:a8:01:14', device: 'eth0', state: 'REACHABLE', owner: 'host-b' };

function view(fdb: FdbEntry[], neighbours: Neighbour[] = []): VtepView {
  return { lab: 'vxlan-basics', host: 'host-a', underlay: { device: 'eth0' }, vteps: [], fdb, bridgePorts: [], neighbours, routes: [] };
}

describe('diffTables', () => {
  it('names a newly learned MAC as added, with the VTEP it points at', () => {
    expect(diffTables(view([flood]), view([flood, learned]))).toEqual([
      { table: 'fdb', change: 'added', entry: '02:0c:8b:e1:b8:b2 dev vxlan42 dst 192.168.1.20 learned (container2 eth0)', mac: learned.mac, device: 'vxlan42', ip: '192.168.1.20' },
    ]);
  });

  it('names an aged-out MAC as removed and a neighbour whose state moved as changed', () => {
    const stale = { ...underlayArp, state: 'STALE' };
    expect(diffTables(view([flood, learned], [underlayArp]), view([flood], [stale]))).toEqual([
      expect.objectContaining({ table: 'fdb', change: 'removed', mac: learned.mac }),
      { table: 'neighbour', change: 'changed', entry: '192.168.1.20 lladdr 02:42:c0:a8:01:14 dev eth0 STALE (host-b)', ip: '192.168.1.20', device: 'eth0', mac: underlayArp.mac },
    ]);
  });

  it('finds nothing between two equal reads, and a MAC moving to another VTEP is one removal and one addition', () => {
    expect(diffTables(view([flood, learned], [underlayArp]), view([flood, learned], [underlayArp]))).toEqual([]);
    const moved = { ...learned, dst: '192.168.1.30' };
    expect(diffTables(view([learned]), view([moved])).map((c) => `${c.change} ${c.ip}`)).toEqual(['added 192.168.1.30', 'removed 192.168.1.20']);
  });
});

/** A host whose monitors and view the test drives. */
function fakeHost(views: VtepView[]) {
  let emit: () => void = () => undefined;
  let end: () => void = () => undefined;
  const state = { reads: 0, monitorsRunning: false };
  const source: TablesSource = {
    readView: async () => views[Math.min(state.reads++, views.length - 1)] as VtepView,
    openMonitors: async (onEvent, onEnd) => {
      emit = onEvent;
      end = () => {
        state.monitorsRunning = false;
        onEnd();
      };
      state.monitorsRunning = true;
      return { stop: async () => void (state.monitorsRunning = false) };
    },
  };
  return { source, state, event: () => emit(), end: () => end() };
}

describe('watchTables', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads once per burst of netlink events and pushes what changed', async () => {
    const host = fakeHost([view([flood]), view([flood]), view([flood, learned])]);
    const pushes: unknown[][] = [];
    const watch = await watchTables(host.source, (_view, changes) => pushes.push(changes), 100);
    expect(watch.view.fdb).toEqual([flood]);
    await vi.advanceTimersByTimeAsync(150); // the re-read after start finds nothing new
    expect(pushes).toEqual([]);
    for (let i = 0; i < 5; i++) host.event();
    await vi.advanceTimersByTimeAsync(150);
    expect(host.state.reads).toBe(3);
    expect(pushes).toEqual([[expect.objectContaining({ change: 'added', mac: learned.mac })]]);
    await watch.stop();
  });

  it('stops the monitors on stop and pushes nothing after it', async () => {
    const host = fakeHost([view([flood]), view([flood]), view([flood, learned])]);
    const pushes: unknown[] = [];
    const watch = await watchTables(host.source, (_view, changes) => pushes.push(changes), 100);
    await vi.advanceTimersByTimeAsync(150);
    host.event();
    await watch.stop();
    await vi.advanceTimersByTimeAsync(500);
    expect(host.state.monitorsRunning).toBe(false);
    expect(pushes).toEqual([]);
  });

  it('stops the monitors again when the first read fails', async () => {
    const host = fakeHost([]);
    host.source.readView = async () => {
      throw new Error('host went away');
    };
    await expect(watchTables(host.source, () => undefined)).rejects.toThrow('host went away');
    expect(host.state.monitorsRunning).toBe(false);
  });
});

describe('TablesWatches', () => {
  it('bounds the watches per client, lets only their owner stop them, and stops a leaving client’s all', async () => {
    const watches = new TablesWatches();
    const [me, other] = [{}, {}];
    const hosts = Array.from({ length: MAX_WATCHES_PER_OWNER + 1 }, () => fakeHost([view([flood])]));
    const ids: string[] = [];
    for (const host of hosts.slice(0, MAX_WATCHES_PER_OWNER)) ids.push((await watches.start(me, host.source, () => undefined)).id);
    await expect(watches.start(me, (hosts.at(-1) as ReturnType<typeof fakeHost>).source, () => undefined)).rejects.toMatchObject({ code: 'limit-reached' });
    await expect(watches.stop(other, ids[0] as string)).rejects.toMatchObject({ code: 'node-not-found' });
    await watches.stop(me, ids[0] as string);
    expect(hosts[0]?.state.monitorsRunning).toBe(false);
    await watches.stopAllFor(me);
    expect(watches.size).toBe(0);
    expect(hosts.slice(0, MAX_WATCHES_PER_OWNER).every((h) => !h.state.monitorsRunning)).toBe(true);
  });

  it('frees the place of a watch whose monitors ended by themselves (its host went away)', async () => {
    const watches = new TablesWatches();
    const host = fakeHost([view([flood])]);
    await watches.start({}, host.source, () => undefined);
    expect(watches.size).toBe(1);
    host.end();
    expect(watches.size).toBe(0);
  });

  it('runs both monitors and ends them when the exec’s stdin closes', () => {
    expect(MONITOR_SCRIPT).toContain('bridge monitor fdb');
    expect(MONITOR_SCRIPT).toContain('ip monitor neigh');
    expect(MONITOR_SCRIPT).toMatch(/cat >\/dev\/null; kill \$f \$n/);
  });
});
