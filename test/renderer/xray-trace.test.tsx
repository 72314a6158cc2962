// The packet walk in the app, from the walk X3's engine answered on a real lab
// (test/fixtures/trace): stepping forward and back, the canvas highlight of each step's
// node and tunnel, the hop's headers in the layer view, and the deciding entry.
import { describe, expect, it } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderXray, xrayClient } from './xray-fakes';

async function openWalk() {
  const client = xrayClient();
  const { store } = renderXray(client);
  act(() => void store.open('trace', 'vxlan-basics', 'container1', { ports: [4789], destinations: ['container1', 'container2'] }));
  const panel = screen.getByRole('region', { name: 'Packet walk from container1 (vxlan-basics)' });
  return { client, store, panel };
}

const stepNow = (panel: HTMLElement) => panel.querySelector('.xr-step-now')?.textContent;

describe('the packet walk', () => {
  it('sends lab.trace to the destination and steps forward and back through the hops there and back', async () => {
    const { client, panel } = await openWalk();
    const destination = within(panel).getByRole('combobox', { name: 'Trace from container1 to' });
    expect((destination as HTMLInputElement).value).toBe('container2');
    fireEvent.click(within(panel).getByRole('button', { name: 'Trace' }));
    await waitFor(() => expect(client.paramsOf('lab.trace')).toEqual([{ lab: 'vxlan-basics', from: 'container1', dest: 'container2' }]));
    await waitFor(() => expect(stepNow(panel)).toBe('Step 1 of 16: request, container1 eth0 (sends)'));
    expect(within(panel).getByRole('list', { name: 'Hops' }).querySelectorAll('button')).toHaveLength(16);
    expect((within(panel).getByRole('button', { name: 'Previous hop' }) as HTMLButtonElement).disabled).toBe(true);

    const forward = within(panel).getByRole('button', { name: 'Next hop' });
    fireEvent.click(forward);
    expect(stepNow(panel)).toBe('Step 2 of 16: request, host-a ve11582aa9i0 (bridge port)');
    fireEvent.click(forward);
    fireEvent.click(forward);
    expect(stepNow(panel)).toBe('Step 4 of 16: request, host-a eth0 (underlay, out)');
    fireEvent.click(within(panel).getByRole('button', { name: 'Previous hop' }));
    expect(stepNow(panel)).toBe('Step 3 of 16: request, host-a vxlan42 (VXLAN device)');
    // The keyboard steps too.
    fireEvent.keyDown(panel.querySelector('.xr-stepper')!, { key: 'ArrowRight' });
    expect(stepNow(panel)).toBe('Step 4 of 16: request, host-a eth0 (underlay, out)');
    // A hop in the list jumps there; the reply follows the request.
    fireEvent.click(within(panel).getByRole('button', { name: /^container2 eth0 \(sends\)/ }));
    expect(stepNow(panel)).toBe('Step 9 of 16: reply, container2 eth0 (sends)');
    expect(within(panel).getByRole('button', { name: /^container2 eth0 \(sends\)/ }).getAttribute('aria-current')).toBe('step');
  });

  it("highlights each step's node on the canvas, and the tunnel while the packet crosses the underlay", async () => {
    const { store, panel } = await openWalk();
    fireEvent.click(within(panel).getByRole('button', { name: 'Trace' }));
    await waitFor(() => expect(store.getSnapshot().highlight).toEqual({ nodes: ['container1'] }));
    const forward = within(panel).getByRole('button', { name: 'Next hop' });
    fireEvent.click(forward);
    expect(store.getSnapshot().highlight).toEqual({ nodes: ['host-a'] });
    fireEvent.click(forward);
    expect(store.getSnapshot().highlight).toEqual({ nodes: ['host-a'], tunnel: { hosts: ['host-a', 'host-b'] } });
    fireEvent.click(forward);
    // On the underlay the frame is VXLAN: the tunnel of VNI 42.
    expect(store.getSnapshot().highlight).toEqual({ nodes: ['host-a'], tunnel: { hosts: ['host-a', 'host-b'], vni: 42 } });
    fireEvent.click(within(panel).getByRole('button', { name: /^host-a eth0 \(underlay, in\)/ }));
    expect(store.getSnapshot().highlight).toEqual({ nodes: ['host-a'], tunnel: { hosts: ['host-b', 'host-a'], vni: 42 } });
    fireEvent.click(within(panel).getByRole('button', { name: /^container1 eth0 \(receives\)/ }));
    expect(store.getSnapshot().highlight).toEqual({ nodes: ['container1'] });
    // Closing the walk takes its highlight off the canvas.
    act(() => store.close(store.getSnapshot().panels[0]!.key));
    expect(store.getSnapshot().highlight).toBeUndefined();
  });

  it("shows the hop's headers as they are there, and names the entry that sent the packet on", async () => {
    const { panel } = await openWalk();
    fireEvent.click(within(panel).getByRole('button', { name: 'Trace' }));
    await waitFor(() => expect(stepNow(panel)).toMatch(/^Step 1 of 16/));
    const layerNames = () =>
      within(panel)
        .getAllByRole('treeitem')
        .filter((item) => item.getAttribute('aria-expanded') !== null)
        .map((item) => item.getAttribute('aria-label'));
    // Before encapsulation: the inner headers only.
    expect(layerNames()).toEqual([expect.stringMatching(/^Ethernet II /), 'IPv4 10.0.1.2 → 10.0.2.3', 'ICMP Echo (ping) request seq 1', 'Data 56 bytes']);
    expect(within(panel).getByLabelText('Deciding entry').textContent).toContain('neighbour entry 10.0.2.3 lladdr 02:0c:8b:e1:b8:b2 dev eth0 REACHABLE → 02:0c:8b:e1:b8:b2');

    fireEvent.click(within(panel).getByRole('button', { name: /^host-a eth0 \(underlay, out\)/ }));
    expect(within(panel).getByRole('tree', { name: 'Layers at step 4' })).toBeTruthy();
    expect(layerNames()).toEqual(
      expect.arrayContaining(['Outer IPv4 192.168.214.10 → 192.168.214.20', 'VXLAN VNI 42', 'Inner IPv4 10.0.1.2 → 10.0.2.3']),
    );
    expect(within(panel).getByRole('figure', { name: 'VXLAN adds 50 bytes' })).toBeTruthy();
    fireEvent.click(within(panel).getAllByRole('button', { name: /^host-a vxlan42 \(VXLAN device\)/ })[0]!);
    expect(within(panel).getByLabelText('Deciding entry').textContent).toContain('FDB entry 02:0c:8b:e1:b8:b2 dev vxlan42 dst 192.168.214.20 learned (container2 eth0) → 192.168.214.20');
  });

  it('says why a walk failed, with its code', async () => {
    const client = xrayClient({
      'lab.trace': () => {
        throw Object.assign(new Error('x'), { error: { code: 'trace-no-reply', message: 'container2 did not answer the ping.', hint: 'Check that both containers run.' } });
      },
    });
    const { store } = renderXray(client);
    act(() => void store.open('trace', 'vxlan-basics', 'container1', { destinations: ['container2'] }));
    fireEvent.click(screen.getByRole('button', { name: 'Trace' }));
    const status = await screen.findByText(/The walk failed/);
    expect(status.textContent).toContain('container2 did not answer the ping. Check that both containers run.');
    expect(status.textContent).toContain('trace-no-reply');
    expect(store.getSnapshot().highlight).toBeUndefined();
  });
});
