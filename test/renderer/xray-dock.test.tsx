// The x-ray in the shell: the editor's "Capture…", "Trace to…" and "Tables" open dock
// tabs; closing a tab stops what it runs; a trace step's highlight reaches the canvas.
import { describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../renderer/src/App';
import type { LabEditorProps } from '../../renderer/src/editor';
import { BASICS_RUNNING, BASICS_TEXT, createFakeTerminal, fakeStore, memoryStorage } from './app-fakes';
import { PING_UNDERLAY, wireFrames, xrayClient } from './xray-fakes';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  /** The fake canvas plus what the x-ray needs of it: its menu items and its highlight. */
  function XrayEditor(props: LabEditorProps) {
    return (
      <div>
        <fakes.FakeEditor {...props} />
        <button type="button" onClick={() => props.onXray?.('capture', 'host-a')}>
          Capture… host-a
        </button>
        <button type="button" onClick={() => props.onXray?.('trace', 'container1')}>
          Trace to… container1
        </button>
        <button type="button" onClick={() => props.onXray?.('tables', 'host-a')}>
          Tables host-a
        </button>
        <output aria-label="Canvas highlight">{JSON.stringify(props.highlight ?? null)}</output>
      </div>
    );
  }
  return { LabEditor: XrayEditor, createEditorStore: () => fakes.fakeStore() };
});

function renderApp(running = true) {
  const client = xrayClient({ 'lab.status': () => (running ? BASICS_RUNNING : { ...BASICS_RUNNING, state: 'stopped', nodes: [] }) });
  render(
    <App client={client} store={fakeStore({ text: BASICS_TEXT, labName: 'vxlan-basics' })} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />,
  );
  return client;
}

describe('the x-ray in the dock', () => {
  it('opens a capture tab from the node menu, shows its packets, and stops the capture when the tab closes', async () => {
    const client = renderApp();
    await waitFor(() => expect(client.paramsOf('lab.status').length).toBeGreaterThan(0));
    fireEvent.click(screen.getByRole('button', { name: 'Capture… host-a' }));
    const tab = await screen.findByRole('tab', { name: 'Capture host-a' });
    expect(tab.getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(client.paramsOf('capture.start')).toEqual([{ lab: 'vxlan-basics', node: 'host-a' }]));
    act(() => client.emit({ type: 'capture-frames', id: 'cap-1', frames: wireFrames(PING_UNDERLAY) }));
    const panel = screen.getByRole('tabpanel', { name: 'Capture host-a' });
    const grid = await within(panel).findByRole('grid', { name: 'Packets of host-a eth0' });
    await waitFor(() => expect(within(grid).getAllByRole('row')).toHaveLength(9));

    fireEvent.click(screen.getByRole('button', { name: 'Close Capture host-a' }));
    await waitFor(() => expect(client.paramsOf('capture.stop')).toEqual([{ id: 'cap-1' }]));
    expect(screen.queryByRole('tab', { name: 'Capture host-a' })).toBeNull();
    expect(screen.getByRole('tab', { name: /Progress/ }).getAttribute('aria-selected')).toBe('true');
  });

  it("opens a walk and the host's tables; the walk's step lights up the canvas", async () => {
    const client = renderApp();
    await waitFor(() => expect(client.paramsOf('lab.status').length).toBeGreaterThan(0));
    fireEvent.click(screen.getByRole('button', { name: 'Tables host-a' }));
    await screen.findByRole('tab', { name: 'Tables host-a' });
    await waitFor(() => expect(client.paramsOf('tables.watch')).toEqual([{ lab: 'vxlan-basics', host: 'host-a' }]));

    fireEvent.click(screen.getByRole('button', { name: 'Trace to… container1' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Trace from container1' });
    // The lab's other container is offered as the destination.
    expect((within(panel).getByRole('combobox', { name: 'Trace from container1 to' }) as HTMLInputElement).value).toBe('container2');
    fireEvent.click(within(panel).getByRole('button', { name: 'Trace' }));
    await waitFor(() => expect(screen.getByLabelText('Canvas highlight').textContent).toBe('{"nodes":["container1"]}'));
    fireEvent.click(within(panel).getByRole('button', { name: 'Next hop' }));
    await waitFor(() => expect(screen.getByLabelText('Canvas highlight').textContent).toBe('{"nodes":["host-a"]}'));

    fireEvent.click(screen.getByRole('button', { name: 'Close Trace from container1' }));
    await waitFor(() => expect(screen.getByLabelText('Canvas highlight').textContent).toBe('null'));
    fireEvent.click(screen.getByRole('button', { name: 'Close Tables host-a' }));
    await waitFor(() => expect(client.paramsOf('tables.unwatch')).toEqual([{ id: 'watch-host-a' }]));
  });

  it('says the lab is not running instead of capturing in it', async () => {
    const client = renderApp(false);
    await waitFor(() => expect(client.paramsOf('lab.status').length).toBeGreaterThan(0));
    await act(async () => new Promise((resolve) => setTimeout(resolve, 20)));
    fireEvent.click(screen.getByRole('button', { name: 'Capture… host-a' }));
    expect((await screen.findByText(/No capture in host-a/)).textContent).toContain('lab-not-running');
    expect(screen.queryByRole('tab', { name: 'Capture host-a' })).toBeNull();
    expect(client.paramsOf('capture.start')).toEqual([]);
  });
});
