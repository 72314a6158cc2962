// A host's tables, live: the view tables.watch answers (host-a of a real lab, from
// test/fixtures/trace), a learned MAC that a 'tables-changed' event adds marked new, and
// the entry the selected packet or the current trace step used highlighted.
import { describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { VtepView } from '../../electron/api/contract';
import { hostAView, PING_CONTAINER, renderXray, wireFrames, xrayClient } from './xray-fakes';

/** container2's MAC in the ping fixtures (another run of the lab than the walk's). */
const CONTAINER2_MAC = '02:0b:fc:38:73:7f';

function rowsOf(table: HTMLElement): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.children].map((cell) => cell.textContent).join(' | '));
}

function markedRows(table: HTMLElement, className: string): string[] {
  return [...table.querySelectorAll(`tbody tr.${className}`)].map((row) => row.getAttribute('aria-label') ?? row.textContent ?? '');
}

async function openTables() {
  const client = xrayClient();
  const { store } = renderXray(client);
  act(() => void store.open('tables', 'vxlan-basics', 'host-a'));
  await act(() => store.settled());
  const panel = screen.getByRole('region', { name: 'Tables of host-a, live (vxlan-basics)' });
  return { client, store, panel };
}

function learned(view: VtepView): VtepView {
  return {
    ...view,
    fdb: [
      ...view.fdb,
      { table: 'bridge', mac: CONTAINER2_MAC, device: 'vxlan42', kind: 'learned', owner: 'container2 eth0' },
      { table: 'vtep', mac: CONTAINER2_MAC, device: 'vxlan42', dst: '192.168.214.20', kind: 'learned', owner: 'container2 eth0' },
    ],
  };
}

describe('the tables panel', () => {
  it("shows a host's VXLAN devices, FDB (flood entries and learned MACs named by their node), bridge ports, neighbours and routes", async () => {
    const { client, panel } = await openTables();
    expect(client.paramsOf('tables.watch')).toEqual([{ lab: 'vxlan-basics', host: 'host-a' }]);
    expect(rowsOf(within(panel).getByRole('table', { name: 'VXLAN devices' }))).toEqual(['vxlan42 | 42 | 4789 | 192.168.214.10 | 1450 | vxbr42 | UNKNOWN, learning']);
    const fdb = rowsOf(within(panel).getByRole('table', { name: 'Forwarding database (FDB)' }));
    expect(fdb).toContain('00:00:00:00:00:00 | all (flood to host-b) | vxlan42 | flood | 192.168.214.20 | ');
    expect(fdb).toContain('02:0c:8b:e1:b8:b2 | container2 eth0 | vxlan42 | learned | 192.168.214.20 | ');
    expect(fdb).toContain('02:37:db:b7:1d:a1 | container1 eth0 | ve11582aa9i0 (bridge) | learned |  | ');
    expect(rowsOf(within(panel).getByRole('table', { name: 'Bridge ports' }))).toEqual([
      'vxlan42 | vxbr42 | vxlan |  | forwarding | 1450',
      've11582aa9i0 | vxbr42 | veth | container1 eth0 | forwarding | 1450',
    ]);
    expect(rowsOf(within(panel).getByRole('table', { name: 'Neighbours' }))).toEqual(['192.168.214.20 | 02:42:c0:a8:d6:14 | host-b | eth0 | DELAY | ']);
    expect(rowsOf(within(panel).getByRole('table', { name: 'Routes' }))).toEqual(['192.168.214.0/24 | eth0 |  | 192.168.214.10 | ']);
  });

  it("marks a MAC learned since the panel opened as new, highlights it once a packet to it is selected, and logs what changed", async () => {
    const { client, store, panel } = await openTables();
    const fdb = () => within(panel).getByRole('table', { name: 'Forwarding database (FDB)' });
    expect(markedRows(fdb(), 'is-new')).toEqual([]);

    act(() =>
      client.emit({
        type: 'tables-changed',
        id: 'watch-host-a',
        view: learned(hostAView()),
        changes: [{ table: 'fdb', change: 'added', entry: `${CONTAINER2_MAC} dev vxlan42 dst 192.168.214.20`, mac: CONTAINER2_MAC }],
      }),
    );
    await waitFor(() => expect(markedRows(fdb(), 'is-new')).toEqual([`${CONTAINER2_MAC} container2 eth0 learned new`, `${CONTAINER2_MAC} container2 eth0 learned new`]));
    expect(within(panel).getByRole('region', { name: 'Recent changes' }).textContent).toContain(`added in FDB: ${CONTAINER2_MAC} dev vxlan42 dst 192.168.214.20`);
    expect(markedRows(fdb(), 'is-used')).toEqual([]);

    // A capture in container1; selecting its echo request (to container2's MAC) highlights the entries that carry it.
    act(() => void store.open('capture', 'vxlan-basics', 'container1'));
    await act(() => store.settled());
    act(() => client.emit({ type: 'capture-frames', id: 'cap-1', frames: wireFrames(PING_CONTAINER) }));
    const grid = await screen.findByRole('grid', { name: 'Packets of container1 eth0' });
    await waitFor(() => expect(within(grid).getAllByRole('row')).toHaveLength(7));
    fireEvent.click(within(grid).getAllByRole('row')[3]!);
    await waitFor(() => expect(markedRows(fdb(), 'is-used')).toEqual([`${CONTAINER2_MAC} container2 eth0 learned new used`, `${CONTAINER2_MAC} container2 eth0 learned new used`]));

    // Aged out: the mark goes, the log says so.
    act(() =>
      client.emit({
        type: 'tables-changed',
        id: 'watch-host-a',
        view: hostAView(),
        changes: [{ table: 'fdb', change: 'removed', entry: `${CONTAINER2_MAC} dev vxlan42 dst 192.168.214.20`, mac: CONTAINER2_MAC }],
      }),
    );
    await waitFor(() => expect(markedRows(fdb(), 'is-new')).toEqual([]));
    expect(within(panel).getByRole('region', { name: 'Recent changes' }).querySelector('li')?.textContent).toBe(`removed in FDB: ${CONTAINER2_MAC} dev vxlan42 dst 192.168.214.20`);
  });

  it('highlights the entry the current trace step names', async () => {
    const { store, panel } = await openTables();
    act(() => void store.open('trace', 'vxlan-basics', 'container1', { destinations: ['container2'] }));
    fireEvent.click(screen.getByRole('button', { name: 'Trace' }));
    const walk = screen.getByRole('region', { name: 'Packet walk from container1 (vxlan-basics)' });
    await waitFor(() => expect(walk.querySelector('.xr-step-now')?.textContent).toMatch(/^Step 1 of 16/));
    const fdb = within(panel).getByRole('table', { name: 'Forwarding database (FDB)' });
    const neighbours = within(panel).getByRole('table', { name: 'Neighbours' });
    // Step 1 is container1's own neighbour entry: nothing of host-a's.
    expect(markedRows(fdb, 'is-used')).toEqual([]);

    const forward = within(walk).getByRole('button', { name: 'Next hop' });
    fireEvent.click(forward);
    // The bridge sends container2's MAC to its VXLAN port: the bridge's entry.
    expect([...fdb.querySelectorAll('tbody tr.is-used')].map((row) => row.textContent)).toEqual(['02:0c:8b:e1:b8:b2container2 eth0vxlan42 (bridge)learnedused']);
    fireEvent.click(forward);
    // The VXLAN device sends it to VTEP 192.168.214.20: the device's own entry.
    expect([...fdb.querySelectorAll('tbody tr.is-used')].map((row) => row.textContent)).toEqual(['02:0c:8b:e1:b8:b2container2 eth0vxlan42learned192.168.214.20used']);
    fireEvent.click(forward);
    expect(markedRows(fdb, 'is-used')).toEqual([]);
    expect(markedRows(neighbours, 'is-used')).toEqual(['192.168.214.20 host-b DELAY used']);
  });

  it('stops watching when its tab closes, and says why a watch could not start', async () => {
    const { client, store } = await openTables();
    act(() => store.close(store.getSnapshot().panels[0]!.key));
    await waitFor(() => expect(client.paramsOf('tables.unwatch')).toEqual([{ id: 'watch-host-a' }]));

    const failing = xrayClient({
      'tables.watch': () => {
        throw Object.assign(new Error('x'), { error: { code: 'lab-not-running', message: 'vxlan-basics is not running.', hint: 'Launch it first.' } });
      },
    });
    const second = renderXray(failing);
    act(() => void second.store.open('tables', 'vxlan-basics', 'host-b'));
    await act(() => second.store.settled());
    expect((await screen.findByText(/Could not watch host-b/)).textContent).toContain('vxlan-basics is not running. Launch it first. lab-not-running');
  });
});
