import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../renderer/src/App';
import { RECENT_KEY } from '../../renderer/src/app/recent';
import { parseLabText } from '../../electron/lab/parse';
import { BASICS_TEXT, FakeClient, createFakeTerminal, fakeStore, memoryStorage } from './app-fakes';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  return { LabEditor: fakes.FakeEditor, createEditorStore: () => fakes.fakeStore() };
});

afterEach(cleanup);

function renderApp(options: { client?: FakeClient; store?: ReturnType<typeof fakeStore>; storage?: Storage } = {}) {
  const client = options.client ?? new FakeClient();
  const store = options.store ?? fakeStore();
  const storage = options.storage ?? memoryStorage();
  render(<App client={client} store={store} storage={storage} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
  return { client, store, storage };
}

describe('start screen', () => {
  it('lists the templates from templates.list as cards with title and description', async () => {
    const { client } = renderApp();
    const list = await screen.findByRole('list', { name: 'Templates' });
    const cards = within(list).getAllByRole('button');
    expect(cards).toHaveLength(2);
    expect(cards[0]!.textContent).toContain('Containers on two hosts over VXLAN');
    expect(cards[0]!.textContent).toContain('The textbook scenario.');
    expect(cards[0]!.textContent).toContain('2 hosts');
    expect(cards[1]!.textContent).toContain('Three hosts on one overlay');
    expect(client.paramsOf('templates.list')).toHaveLength(1);
  });

  it('opening a template loads its text into the editor store and shows the editor', async () => {
    const { store } = renderApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Containers on two hosts over VXLAN' }));
    await waitFor(() => expect(store.loads).toEqual([BASICS_TEXT]));
    expect(screen.getByTestId('editor-text').textContent).toBe(BASICS_TEXT);
    expect(screen.getByRole('button', { name: 'Launch' })).toBeTruthy();
    expect(screen.getByRole('main', { name: 'Lab vxlan-basics' })).toBeTruthy();
  });

  it('New lab opens a lab that validates: version 1, a name, underlay 192.168.10.0/24, one host', async () => {
    const { store } = renderApp();
    fireEvent.click(await screen.findByRole('button', { name: /New lab/ }));
    await waitFor(() => expect(store.loads).toHaveLength(1));
    const parsed = parseLabText(store.loads[0]!);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.lab.name).toBe('new-lab');
    expect(parsed.lab.underlay.subnet).toBe('192.168.10.0/24');
    expect(parsed.lab.hosts).toHaveLength(1);
  });

  it('shows recent labs newest first and reopens one', async () => {
    const storage = memoryStorage({
      [RECENT_KEY]: JSON.stringify([
        { name: 'older', title: 'An older lab', text: 'version: 1\nname: older\n', when: Date.now() - 3 * 3600_000 },
        { name: 'newer', title: 'A newer lab', text: 'version: 1\nname: newer\n', when: Date.now() - 60_000 },
      ]),
    });
    const { store } = renderApp({ storage });
    const list = await screen.findByRole('list', { name: 'Recent labs' });
    const open = within(list).getAllByRole('button', { name: /^Open / });
    expect(open.map((button) => button.getAttribute('aria-label'))).toEqual(['Open newer: A newer lab', 'Open older: An older lab']);
    fireEvent.click(open[1]!);
    await waitFor(() => expect(store.loads).toEqual(['version: 1\nname: older\n']));
    // Reopening makes it the newest.
    expect(JSON.parse(storage.getItem(RECENT_KEY)!)[0].name).toBe('older');
  });

  it('asks before discarding unsaved changes when another lab is opened', async () => {
    const store = fakeStore({ text: BASICS_TEXT, labName: 'vxlan-basics', dirty: true });
    renderApp({ store });
    fireEvent.click(screen.getByRole('button', { name: 'Home' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Three hosts on one overlay' }));
    const dialog = await screen.findByRole('dialog', { name: 'Discard unsaved changes?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(store.loads).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Three hosts on one overlay' }));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Discard changes' }));
    await waitFor(() => expect(store.loads).toEqual(['version: 1\nname: three-hosts\n']));
  });

  it('has the landmarks header, main and footer', async () => {
    renderApp();
    await screen.findByRole('list', { name: 'Templates' });
    expect(screen.getByRole('banner')).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getByRole('contentinfo').textContent).toContain('Docker 20.10.24');
  });
});
