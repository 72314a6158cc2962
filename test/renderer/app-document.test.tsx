// What the shell keeps around the open document: the window's title, the warning
// before closing with unsaved changes, a status message that fades, and Ctrl+S that
// belongs to a terminal's program while the terminal has focus.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { MESSAGE_MS } from '../../renderer/src/app/use-notices';
import { BASICS_TEXT, FakeClient, fakeStore } from './app-fakes';
import { renderLabEditor } from './app-render';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  return { LabEditor: fakes.FakeEditor, createEditorStore: () => fakes.fakeStore() };
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const dirtyStore = () => fakeStore({ text: BASICS_TEXT, labName: 'vxlan-basics', dirty: true });

describe('the open document', () => {
  it('names the window after the lab, with a mark while unsaved, and the start screen after nothing', () => {
    const store = dirtyStore();
    renderLabEditor(new FakeClient(), store);
    expect(document.title).toBe('vxlan-basics • — vxlab');
    act(() => store.set({ dirty: false }));
    expect(document.title).toBe('vxlan-basics — vxlab');
    fireEvent.click(screen.getByRole('button', { name: 'Home' }));
    expect(document.title).toBe('vxlab');
  });

  it('asks before the window closes on unsaved changes, and not once they are saved', () => {
    const store = dirtyStore();
    renderLabEditor(new FakeClient(), store);
    const closing = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(closing()).toBe(true);
    act(() => store.set({ dirty: false }));
    expect(closing()).toBe(false);
  });

  it('shows "Saved to …" in the status bar for a few seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const client = new FakeClient({ 'file.save': () => ({ path: '/home/me/vxlan-basics.yaml' }) }, 'desktop');
    renderLabEditor(client, dirtyStore());
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toContain('Saved to /home/me/vxlan-basics.yaml'));
    await act(async () => vi.advanceTimersByTimeAsync(MESSAGE_MS + 100));
    expect(screen.getByRole('contentinfo').textContent).not.toContain('Saved to');
  });

  it('leaves Ctrl+S to a terminal that has focus', async () => {
    const client = new FakeClient({ 'file.save': () => ({ path: '/home/me/vxlan-basics.yaml' }) }, 'desktop');
    const store = renderLabEditor(client, dirtyStore());
    const terminal = document.createElement('div');
    terminal.className = 'terminal-view';
    document.body.appendChild(terminal);
    fireEvent.keyDown(terminal, { key: 's', ctrlKey: true });
    fireEvent.keyDown(window, { key: 's', ctrlKey: true });
    await waitFor(() => expect(store.saves).toBe(1));
    expect(client.paramsOf('file.save')).toHaveLength(1);
    terminal.remove();
  });
});
