// The capture panel with frames from the project's own pcap fixtures: the packet list
// and its filters, the layer tree and hex view, the 50 bytes of VXLAN, the bounded
// memory, the paired view, stopping and saving as .pcap.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { readPcap } from '../../electron/packets/pcap';
import { PING_CONTAINER, PING_UNDERLAY, renderXray, wireFrames, xrayClient } from './xray-fakes';
import type { FakeClient } from './app-fakes';
import type { XrayStore } from '../../renderer/src/xray/xray-store';

afterEach(() => vi.restoreAllMocks());

/** Opens a capture on `node` and waits until capture.start has answered. */
async function startCapture(store: XrayStore, client: FakeClient, node: string) {
  const before = client.paramsOf('capture.start').length;
  act(() => void store.open('capture', 'vxlan-basics', node));
  await waitFor(() => expect(client.paramsOf('capture.start')).toHaveLength(before + 1));
  await act(() => store.settled());
  return `cap-${before + 1}`;
}

/** A capture on `node` that has received `fixture`'s frames, and its packet list once it shows them all. */
async function captureWithFrames(store: XrayStore, client: FakeClient, node: string, fixture: string) {
  const id = await startCapture(store, client, node);
  const frames = wireFrames(fixture);
  act(() => client.emit({ type: 'capture-frames', id, frames }));
  const grid = await screen.findByRole('grid', { name: `Packets of ${node} eth0` });
  await waitFor(() => expect(packetRows(grid)).toHaveLength(frames.length));
  return { id, grid, frames };
}

function packetRows(grid: HTMLElement): HTMLElement[] {
  return within(grid).getAllByRole('row').slice(1);
}

function cells(row: HTMLElement): string[] {
  return within(row).getAllByRole('gridcell').map((cell) => cell.textContent ?? '');
}

const COLUMN = { no: 0, source: 2, destination: 3, protocol: 4, length: 5, vni: 6, info: 7 };

describe('the capture panel', () => {
  it('starts tcpdump in the node and lists each packet with its source, destination, protocol, length and VNI', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    const { grid } = await captureWithFrames(store, client, 'host-a', PING_UNDERLAY);
    expect(client.paramsOf('capture.start')).toEqual([{ lab: 'vxlan-basics', node: 'host-a' }]);
    const rows = packetRows(grid).map(cells);
    expect(rows.map((row) => row[COLUMN.vni])).toEqual(['', '', '42', '42', '42', '42', '42', '42']);
    expect(rows[4]).toEqual(expect.arrayContaining(['5', '10.0.1.2', '10.0.2.3', 'ICMP', '148', '42']));
    expect(rows[0]![COLUMN.protocol]).toBe('ARP');
    expect(screen.getAllByRole('status')[0]!.textContent).toContain('8 packets');
  });

  it("decodes VXLAN on the lab's own port (8472) and says how to make Wireshark do the same", async () => {
    const client = xrayClient({ 'capture.start': ({ node }) => ({ id: 'cap-8472', node, iface: 'eth0', vxlanPorts: [8472], linkType: 1 }) });
    const { store } = renderXray(client);
    act(() => void store.open('capture', 'vxlan-basics', 'host-a'));
    await act(() => store.settled());
    act(() => client.emit({ type: 'capture-frames', id: 'cap-8472', frames: wireFrames('vxlan-8472-ping-underlay.pcap') }));
    const grid = await screen.findByRole('grid', { name: 'Packets of host-a eth0' });
    await waitFor(() => expect(packetRows(grid).length).toBeGreaterThan(0));
    expect(packetRows(grid).map((row) => cells(row)[COLUMN.vni]).filter(Boolean)).toEqual(['77', '77', '77', '77']);
    expect(screen.getByText('-d udp.port==8472,vxlan')).toBeTruthy();
  });

  it('filters the list by text and by VNI', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    const { grid } = await captureWithFrames(store, client, 'host-a', PING_UNDERLAY);

    const vni = screen.getByRole('combobox', { name: 'Filter packets by VNI' });
    fireEvent.change(vni, { target: { value: 'none' } });
    expect(packetRows(grid).map((row) => cells(row)[COLUMN.info])).toEqual(['Who has 192.168.211.20? Tell 192.168.211.10', '192.168.211.20 is at 02:42:c0:a8:d3:14']);
    fireEvent.change(vni, { target: { value: '42' } });
    expect(packetRows(grid)).toHaveLength(6);

    const text = screen.getByRole('searchbox', { name: 'Filter packets by text' });
    fireEvent.change(text, { target: { value: 'echo reply' } });
    expect(packetRows(grid).map((row) => cells(row)[COLUMN.no])).toEqual(['6', '8']);
    fireEvent.change(text, { target: { value: 'seq=2 request' } });
    expect(packetRows(grid).map((row) => cells(row)[COLUMN.no])).toEqual(['7']);
    fireEvent.change(vni, { target: { value: 'all' } });
    fireEvent.change(text, { target: { value: 'ARP' } });
    expect(packetRows(grid).map((row) => cells(row)[COLUMN.no])).toEqual(['1', '2', '3', '4']);
    expect(screen.getAllByRole('status')[0]!.textContent).toContain('8 packets, 4 shown');
  });

  it('shows the selected packet layer by layer: VNI 42, both address pairs, and the selected layer highlighted in hex', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    const { grid } = await captureWithFrames(store, client, 'host-a', PING_UNDERLAY);

    fireEvent.click(packetRows(grid)[4]!);
    const tree = await screen.findByRole('tree', { name: 'Layers of packet 5' });
    const layers = within(tree)
      .getAllByRole('treeitem')
      .filter((item) => item.getAttribute('aria-expanded') !== null)
      .map((item) => item.getAttribute('aria-label'));
    expect(layers).toEqual([
      'Outer Ethernet II 02:42:c0:a8:d3:0a → 02:42:c0:a8:d3:14',
      'Outer IPv4 192.168.211.10 → 192.168.211.20',
      expect.stringMatching(/^Outer UDP \d+ → 4789$/),
      'VXLAN VNI 42',
      'Inner Ethernet II 02:55:7d:7f:69:ad → 02:0b:fc:38:73:7f',
      'Inner IPv4 10.0.1.2 → 10.0.2.3',
      'Inner ICMP Echo (ping) request seq 1',
      'Inner Data 56 bytes',
    ]);
    expect(within(tree).getByRole('treeitem', { name: /\bVNI\)?: 42$/ })).toBeTruthy();

    // The first layer is selected: its 14 bytes are highlighted.
    const highlighted = () => [...document.querySelectorAll('.xr-hex-bytes .is-highlighted')].map((byte) => Number(byte.getAttribute('data-offset')));
    expect(highlighted()).toEqual(Array.from({ length: 14 }, (_, i) => i));
    fireEvent.click(within(tree).getByText('Outer IPv4'));
    expect(highlighted()).toEqual(Array.from({ length: 20 }, (_, i) => 14 + i));
    expect(screen.getByRole('group', { name: 'Bytes 14 to 33 highlighted: Outer IPv4' })).toBeTruthy();
    // A field: the VNI's three bytes.
    fireEvent.click(within(tree).getByRole('treeitem', { name: /\bVNI\)?: 42$/ }));
    expect(highlighted()).toEqual([46, 47, 48]);
    expect(document.querySelector('[data-offset="48"]')?.textContent).toBe('2a');
  });

  it('calls out the 50 bytes VXLAN adds: outer Ethernet 14, IPv4 20, UDP 8, VXLAN 8', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    const { grid } = await captureWithFrames(store, client, 'host-a', PING_UNDERLAY);

    fireEvent.click(packetRows(grid)[0]!);
    expect(screen.queryByRole('figure')).toBeNull();
    fireEvent.click(packetRows(grid)[4]!);
    const figure = await screen.findByRole('figure', { name: 'VXLAN adds 50 bytes' });
    expect(within(figure).getAllByRole('button').map((part) => part.getAttribute('aria-label'))).toEqual([
      'Outer Ethernet II: 14 bytes',
      'Outer IPv4: 20 bytes',
      'Outer UDP: 8 bytes',
      'VXLAN: 8 bytes',
    ]);
    expect(figure.textContent).toContain('inner frame of 98 bytes');
    fireEvent.click(within(figure).getByRole('button', { name: 'VXLAN: 8 bytes' }));
    expect(screen.getByRole('group', { name: 'Bytes 42 to 49 highlighted: VXLAN' })).toBeTruthy();
  });

  it('keeps at most the configured number of packets, dropping the oldest with a visible count', async () => {
    const client = xrayClient();
    const { store } = renderXray(client, { ringLimits: { maxPackets: 5, maxBytes: 1_000_000 } });
    const id = await startCapture(store, client, 'host-a');
    act(() => client.emit({ type: 'capture-frames', id, frames: wireFrames(PING_UNDERLAY) }));
    const grid = await screen.findByRole('grid', { name: 'Packets of host-a eth0' });
    await waitFor(() => expect(packetRows(grid)).toHaveLength(5));
    expect(packetRows(grid).map((row) => cells(row)[COLUMN.no])).toEqual(['4', '5', '6', '7', '8']);
    const status = screen.getAllByRole('status')[0]!;
    expect(status.textContent).toContain('8 packets');
    expect(status.textContent).toContain('3 oldest dropped (keeps the newest 5)');
  });

  it('keeps the newest 50,000 packets of a long capture by default and draws only the rows in view', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    const id = await startCapture(store, client, 'host-a');
    const ping = wireFrames(PING_UNDERLAY)[4]!;
    for (let batch = 0; batch < 120; batch++) {
      const frames = Array.from({ length: 500 }, (_, i) => ({ ...ping, index: batch * 500 + i + 1, timeUs: ping.timeUs + batch * 500 + i }));
      act(() => client.emit({ type: 'capture-frames', id, frames }));
    }
    const status = () => screen.getAllByRole('status')[0]!.textContent;
    await waitFor(() => expect(status()).toContain('60,000 packets'), { timeout: 10_000 });
    expect(status()).toContain('10,000 oldest dropped (keeps the newest 50,000)');
    const grid = screen.getByRole('grid', { name: 'Packets of host-a eth0' });
    expect(grid.getAttribute('aria-rowcount')).toBe('50001');
    // Following the newest: the last rows are drawn, and only about a view's worth of them.
    const drawn = packetRows(grid);
    expect(drawn.length).toBeLessThan(80);
    expect(cells(drawn.at(-1)!)[COLUMN.no]).toBe('60000');
  });

  it('keeps frames that arrive before capture.start answers, and skips frames that are not base64', async () => {
    let answer!: () => void;
    const client = xrayClient({
      'capture.start': ({ node }) =>
        new Promise((resolve) => {
          answer = () => resolve({ id: 'cap-early', node, iface: 'eth0', vxlanPorts: [4789], linkType: 1 });
        }),
    });
    const { store } = renderXray(client);
    act(() => void store.open('capture', 'vxlan-basics', 'host-a'));
    await waitFor(() => expect(client.paramsOf('capture.start')).toHaveLength(1));
    const frames = wireFrames(PING_UNDERLAY);
    act(() => client.emit({ type: 'capture-frames', id: 'cap-early', frames: [...frames.slice(0, 3), { ...frames[3]!, data: '%%not base64%%' }] }));
    act(() => client.emit({ type: 'capture-frames', id: 'somebody-else', frames }));
    answer();
    await act(() => store.settled());
    const grid = await screen.findByRole('grid', { name: 'Packets of host-a eth0' });
    await waitFor(() => expect(packetRows(grid)).toHaveLength(3));
    expect(screen.getAllByRole('status')[0]!.textContent).toContain('1 unreadable frames skipped');
  });

  it('stops the capture in the node on Stop and on closing its tab, and says how it ended', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    await startCapture(store, client, 'host-a');
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(client.paramsOf('capture.stop')).toEqual([{ id: 'cap-1' }]));
    expect(screen.getAllByRole('status')[0]!.textContent).toContain('Capture on host-a eth0 ended: stopped');

    const second = await startCapture(store, client, 'container1');
    act(() => client.emit({ type: 'capture-ended', id: second, count: 0, reason: 'tcpdump: eth9: No such device exists' }));
    await screen.findByText(/ended: tcpdump: eth9: No such device exists/);
    const third = await startCapture(store, client, 'host-b');
    act(() => store.close(store.getSnapshot().panels.at(-1)!.key));
    await waitFor(() => expect(client.paramsOf('capture.stop')).toContainEqual({ id: third }));
  });

  it('says why a capture could not start, with the code and what to do', async () => {
    const client = xrayClient({
      'capture.start': () => {
        throw Object.assign(new Error('x'), { error: { code: 'capture-failed', message: 'tcpdump could not start in host-a.', hint: 'Check the interface name.' } });
      },
    });
    const { store } = renderXray(client);
    act(() => void store.open('capture', 'vxlan-basics', 'host-a', { iface: 'eth9' }));
    await act(() => store.settled());
    const status = await screen.findByText(/Could not capture on host-a/);
    expect(status.textContent).toContain('tcpdump could not start in host-a. Check the interface name.');
    expect(status.textContent).toContain('capture-failed');
  });

  it('captures again with another interface and BPF filter', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    await startCapture(store, client, 'host-a');
    fireEvent.change(screen.getByRole('textbox', { name: 'Interface' }), { target: { value: 'vxlan42' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Capture filter (BPF)' }), { target: { value: 'icmp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Restart capture' }));
    await waitFor(() => expect(client.paramsOf('capture.start')).toHaveLength(2));
    expect(client.paramsOf('capture.start')[1]).toEqual({ lab: 'vxlan-basics', node: 'host-a', iface: 'vxlan42', filter: 'icmp' });
    expect(client.paramsOf('capture.stop')).toEqual([{ id: 'cap-1' }]);
  });

  it('saves the kept packets as a pcap file that reads back frame for frame', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    const { frames } = await captureWithFrames(store, client, 'host-a', PING_UNDERLAY);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Save as .pcap' }) as HTMLButtonElement).disabled).toBe(false));

    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:fake';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save as .pcap' }));
    expect(downloads).toEqual(['vxlan-basics-host-a-eth0.pcap']);
    const saved = readPcap(new Uint8Array(await blobs[0]!.arrayBuffer()));
    expect(saved.problem).toBeUndefined();
    expect(saved.linkType).toBe(1);
    expect(saved.frames.map((frame) => Buffer.from(frame.bytes).toString('base64'))).toEqual(frames.map((frame) => frame.data));
    expect(saved.frames.map((frame) => frame.timeUs)).toEqual(frames.map((frame) => frame.timeUs));
  });

  it('shows the same packet in two captures side by side, with what changed', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    const container = await startCapture(store, client, 'container1');
    const underlay = await startCapture(store, client, 'host-a');
    act(() => client.emit({ type: 'capture-frames', id: container, frames: wireFrames(PING_CONTAINER) }));
    act(() => client.emit({ type: 'capture-frames', id: underlay, frames: wireFrames(PING_UNDERLAY) }));
    const panel = screen.getByRole('region', { name: 'Capture on container1 (vxlan-basics)' });
    const grid = within(panel).getByRole('grid', { name: 'Packets of container1 eth0' });
    await waitFor(() => expect(packetRows(grid)).toHaveLength(6));

    // The echo request with seq=2: in container1 as sent, on host-a's underlay wrapped in VXLAN.
    fireEvent.click(packetRows(grid)[4]!);
    fireEvent.change(within(panel).getByRole('combobox', { name: 'Pair with another capture' }), { target: { value: store.getSnapshot().panels[1]!.key } });
    const paired = within(panel).getByRole('region', { name: 'Paired view' });
    const changes = within(paired).getByRole('table', { name: 'What changed' });
    expect(changes.querySelector('caption')?.textContent).toMatch(/^Packet 5 in container1 eth0 and packet 7 in host-a eth0: \d+ fields? changed/);
    const rows = within(changes)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.children].map((cell) => cell.textContent));
    expect(rows).toContainEqual(['Encapsulation', 'none', expect.stringMatching(/^VXLAN VNI 42, 192\.168\.211\.10:\d+ → 192\.168\.211\.20:4789$/)]);
    expect(rows).toContainEqual(['Frame length', '98 bytes', '148 bytes']);
    expect(within(paired).getByRole('tree', { name: 'Layers in container1 eth0' })).toBeTruthy();
    const right = within(paired).getByRole('tree', { name: 'Layers in host-a eth0' });
    expect(within(right).getByRole('treeitem', { name: 'VXLAN VNI 42' })).toBeTruthy();
  });

  it('gives every control an accessible name', async () => {
    const client = xrayClient();
    const { store } = renderXray(client);
    const { grid } = await captureWithFrames(store, client, 'host-a', PING_UNDERLAY);
    await startCapture(store, client, 'container1');
    fireEvent.click(packetRows(grid)[4]!);
    fireEvent.change(screen.getAllByRole('combobox', { name: 'Pair with another capture' })[0]!, { target: { value: store.getSnapshot().panels[1]!.key } });
    const controls = [...document.querySelectorAll('button, input, select, [role="grid"], [role="tree"]')];
    expect(controls.length).toBeGreaterThan(15);
    for (const control of controls) {
      const labelled = control.getAttribute('aria-label') || control.textContent?.trim() || control.closest('label')?.textContent?.trim();
      expect(labelled, control.outerHTML.slice(0, 100)).toBeTruthy();
    }
  });
});
