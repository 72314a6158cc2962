import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiRequestError } from '../../electron/api/contract';
import { App } from '../../renderer/src/App';
import type { Handlers } from './app-fakes';
import { BASICS_TEXT, FakeClient, FakeTerminal, createFakeTerminal, fakeStore, memoryStorage } from './app-fakes';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  return { LabEditor: fakes.FakeEditor, createEditorStore: () => fakes.fakeStore() };
});

beforeEach(() => {
  FakeTerminal.created = [];
});
afterEach(cleanup);

/** A client whose lab runs, unless the test says otherwise. */
function labClient(handlers: Handlers): FakeClient {
  return new FakeClient({ 'lab.status': () => ({ name: 'vxlan-basics', title: '', state: 'running', nodes: [] }), ...handlers });
}

function renderEditor(client: FakeClient) {
  render(
    <App
      client={client}
      store={fakeStore({ text: BASICS_TEXT, labName: 'vxlan-basics' })}
      storage={memoryStorage()}
      createTerminalAdapter={createFakeTerminal}
      enginePollMs={60_000}
    />,
  );
}

async function openContainer1(client: FakeClient) {
  fireEvent.click(screen.getByRole('button', { name: 'Open terminal container1' }));
  await waitFor(() => expect(client.paramsOf('terminal.open')).toHaveLength(1));
  await screen.findByRole('tab', { name: 'container1' });
  const terminal = FakeTerminal.created.at(-1)!;
  await waitFor(() => expect(screen.getByRole('tab', { name: 'container1' }).getAttribute('aria-description')).toBe('container1 (vxlan-basics)'));
  return terminal;
}

describe('terminal dock', () => {
  it('opens a tab on onOpenTerminal and sends terminal.open of kind node at the panel size', async () => {
    const client = labClient({ 'terminal.open': () => ({ id: 'T1', title: 'container1 (vxlan-basics)' }) });
    renderEditor(client);
    const terminal = await openContainer1(client);
    expect(client.paramsOf('terminal.open')).toEqual([{ kind: 'node', lab: 'vxlan-basics', node: 'container1', cols: 120, rows: 32 }]);
    const region = screen.getByRole('region', { name: 'Terminal container1' });
    expect(terminal.element).toBe(region);
    expect(screen.getByRole('tab', { name: 'container1' }).getAttribute('aria-selected')).toBe('true');
  });

  it('writes output, acknowledges drawn characters in batches, and sends what is typed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const client = labClient({ 'terminal.open': () => ({ id: 'T1', title: 'container1 (vxlan-basics)' }) });
      renderEditor(client);
      const terminal = await openContainer1(client);

      act(() => client.emit({ type: 'terminal-data', id: 'T1', data: 'root@container1:/# ' }));
      expect(terminal.text()).toBe('root@container1:/# ');
      // Not drawn yet: nothing acknowledged.
      await act(async () => vi.advanceTimersByTimeAsync(200));
      expect(client.paramsOf('terminal.ack')).toEqual([]);
      // Drawn, but fewer than 5000 characters: acknowledged within 100 ms.
      terminal.drain();
      expect(client.paramsOf('terminal.ack')).toEqual([]);
      await act(async () => vi.advanceTimersByTimeAsync(120));
      expect(client.paramsOf('terminal.ack')).toEqual([{ id: 'T1', chars: 19 }]);

      // A flood: once 5000 characters are drawn they are acknowledged at once, without waiting.
      act(() => {
        for (let i = 0; i < 4; i++) client.emit({ type: 'terminal-data', id: 'T1', data: 'y\n'.repeat(1500) });
      });
      terminal.drain();
      expect(client.paramsOf('terminal.ack').slice(1)).toEqual([{ id: 'T1', chars: 6000 }, { id: 'T1', chars: 6000 }]);
      act(() => client.emit({ type: 'terminal-data', id: 'T1', data: 'y\n'.repeat(1500) }));
      terminal.drain();
      await act(async () => vi.advanceTimersByTimeAsync(120));
      const acked = client.paramsOf('terminal.ack').reduce((sum, ack) => sum + ack.chars, 0);
      expect(acked).toBe(19 + 5 * 3000);

      // Output of another session is not this terminal's.
      act(() => client.emit({ type: 'terminal-data', id: 'OTHER', data: 'nope' }));
      expect(terminal.text()).not.toContain('nope');

      terminal.type('ls\r');
      await waitFor(() => expect(client.paramsOf('terminal.input')).toEqual([{ id: 'T1', data: 'ls\r' }]));
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows why the session ended in the terminal and marks its tab', async () => {
    const client = labClient({ 'terminal.open': () => ({ id: 'T1', title: 'container1 (vxlan-basics)' }) });
    renderEditor(client);
    const terminal = await openContainer1(client);
    act(() => client.emit({ type: 'terminal-exit', id: 'T1', reason: 'container1 is no longer running (its host host-a stopped)' }));
    expect(terminal.text()).toContain('[container1 is no longer running (its host host-a stopped)]');
    const tab = screen.getByRole('tab', { name: /container1/ });
    expect(within(tab).getByLabelText('ended')).toBeTruthy();
    expect(tab.getAttribute('aria-description')).toBe('container1 is no longer running (its host host-a stopped)');
  });

  it('closing the tab sends terminal.close and disposes the emulator', async () => {
    const client = labClient({ 'terminal.open': () => ({ id: 'T1', title: 'container1 (vxlan-basics)' }) });
    renderEditor(client);
    const terminal = await openContainer1(client);
    fireEvent.click(screen.getByRole('button', { name: 'Close terminal container1' }));
    await waitFor(() => expect(client.paramsOf('terminal.close')).toEqual([{ id: 'T1' }]));
    expect(terminal.disposed).toBe(true);
    expect(screen.queryByRole('tab', { name: 'container1' })).toBeNull();
    expect(screen.getByRole('tab', { name: 'Progress' }).getAttribute('aria-selected')).toBe('true');
  });

  it('keeps several terminals, each its own session; the machine shell is kind machine', async () => {
    let next = 1;
    const client = labClient({ 'terminal.open': (params) => ({ id: `T${next++}`, title: params.kind === 'node' ? params.node : 'Machine shell' }) });
    renderEditor(client);
    fireEvent.click(screen.getByRole('button', { name: 'Open terminal container1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Open terminal host-a' }));
    fireEvent.click(screen.getByRole('button', { name: 'Machine shell' }));
    await waitFor(() => expect(client.paramsOf('terminal.open')).toHaveLength(3));
    expect(client.paramsOf('terminal.open')[2]).toEqual({ kind: 'machine', cols: 120, rows: 32 });
    expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual(['Progress', 'container1', 'host-a', 'Machine shell']);
    expect(screen.getByRole('region', { name: 'Terminal machine shell' })).toBeTruthy();
    await waitFor(() => expect(screen.getByRole('tab', { name: 'host-a' }).getAttribute('aria-description')).toBe('host-a'));
    act(() => {
      client.emit({ type: 'terminal-data', id: 'T2', data: 'on host-a' });
      client.emit({ type: 'terminal-data', id: 'T1', data: 'in container1' });
    });
    expect(FakeTerminal.created[0]!.text()).toBe('in container1');
    expect(FakeTerminal.created[1]!.text()).toBe('on host-a');
  });

  it('offers no terminal while the lab is known not to run, and says why', async () => {
    const client = new FakeClient({ 'terminal.open': () => ({ id: 'T1', title: 'container1 (vxlan-basics)' }) });
    renderEditor(client);
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toContain('not running'));
    fireEvent.click(screen.getByRole('button', { name: 'Open terminal container1' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('No terminal in container1');
    expect(alert.textContent).toContain('vxlan-basics is not running.');
    expect(client.paramsOf('terminal.open')).toEqual([]);
    expect(screen.queryByRole('tab', { name: /container1/ })).toBeNull();
  });

  it('shows why a terminal could not open', async () => {
    const client = labClient({
      'terminal.open': () => {
        throw new ApiRequestError({ code: 'lab-not-found', message: 'No lab named vxlan-basics runs on this engine.', hint: 'Launch it first.' });
      },
    });
    renderEditor(client);
    fireEvent.click(screen.getByRole('button', { name: 'Open terminal container1' }));
    await waitFor(() => expect(FakeTerminal.created[0]?.text()).toContain('No lab named vxlan-basics runs on this engine.'));
    expect(FakeTerminal.created[0]!.text()).toContain('Launch it first.');
    await waitFor(() => expect(within(screen.getByRole('tab', { name: /container1/ })).getByLabelText('failed')).toBeTruthy());
  });

  it('a tab that could not open offers Retry, which opens it in the same tab', async () => {
    let attempts = 0;
    const client = labClient({
      'terminal.open': () => {
        attempts += 1;
        if (attempts === 1) {
          throw new ApiRequestError({ code: 'node-not-found', message: 'Lab vxlan-basics has no running host or container named container1.' });
        }
        return { id: 'T2', title: 'container1 (vxlan-basics)' };
      },
    });
    renderEditor(client);
    fireEvent.click(screen.getByRole('button', { name: 'Open terminal container1' }));
    const retry = await screen.findByRole('button', { name: 'Retry terminal container1' });
    expect(within(screen.getByRole('tab', { name: /container1/ })).getByLabelText('failed')).toBeTruthy();
    fireEvent.click(retry);
    await waitFor(() => expect(client.paramsOf('terminal.open')).toHaveLength(2));
    expect(client.paramsOf('terminal.open')[1]).toEqual(client.paramsOf('terminal.open')[0]);
    await waitFor(() => expect(screen.getByRole('tab', { name: 'container1' }).getAttribute('aria-description')).toBe('container1 (vxlan-basics)'));
    expect(screen.queryByRole('button', { name: 'Retry terminal container1' })).toBeNull();
    expect(screen.getAllByRole('tab')).toHaveLength(2); // the same tab, not a new one
    const terminal = FakeTerminal.created[0]!;
    expect(FakeTerminal.created).toHaveLength(1);
    act(() => client.emit({ type: 'terminal-data', id: 'T2', data: 'root@container1:/# ' }));
    expect(terminal.text()).toContain('Could not open a terminal');
    expect(terminal.text()).toContain('root@container1:/# ');
  });

  it('an ended tab offers Retry: a new session, and the old one is forgotten', async () => {
    let next = 1;
    const client = labClient({ 'terminal.open': () => ({ id: `T${next++}`, title: 'container1 (vxlan-basics)' }) });
    renderEditor(client);
    const terminal = await openContainer1(client);
    expect(screen.queryByRole('button', { name: 'Retry terminal container1' })).toBeNull();
    act(() => client.emit({ type: 'terminal-exit', id: 'T1', reason: 'container1 was removed from the lab' }));
    const retry = await screen.findByRole('button', { name: 'Retry terminal container1' });
    expect(retry.parentElement?.textContent).toContain('container1 was removed from the lab');
    fireEvent.click(retry);
    await waitFor(() => expect(client.paramsOf('terminal.open')).toHaveLength(2));
    await waitFor(() => expect(within(screen.getByRole('tab', { name: /container1/ })).queryByLabelText('ended')).toBeNull());
    act(() => {
      client.emit({ type: 'terminal-data', id: 'T1', data: 'stale' });
      client.emit({ type: 'terminal-data', id: 'T2', data: 'fresh' });
    });
    expect(terminal.text()).toContain('fresh');
    expect(terminal.text()).not.toContain('stale');
    terminal.type('ls\r');
    await waitFor(() => expect(client.paramsOf('terminal.input')).toEqual([{ id: 'T2', data: 'ls\r' }]));
    fireEvent.click(screen.getByRole('button', { name: 'Close terminal container1' }));
    await waitFor(() => expect(client.paramsOf('terminal.close')).toEqual([{ id: 'T2' }]));
  });
});
