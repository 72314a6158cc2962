import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../renderer/src/App';
import { RECENT_KEY } from '../../renderer/src/app/recent';
import { BASICS_TEXT, FakeClient, createFakeTerminal, fakeStore, memoryStorage } from './app-fakes';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  return { LabEditor: fakes.FakeEditor, createEditorStore: () => fakes.fakeStore() };
});

let downloads: { name: string; blob: Blob }[] = [];

beforeEach(() => {
  downloads = [];
  const blobs = new Map<string, Blob>();
  let next = 0;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:fake/${next++}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href)! });
  });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function dirtyStore() {
  return fakeStore({ text: BASICS_TEXT, labName: 'vxlan-basics', dirty: true });
}

describe('open, save and export', () => {
  it('Ctrl+S in a browser downloads <lab-name>.yaml, marks the document saved and remembers it', async () => {
    const store = dirtyStore();
    const storage = memoryStorage();
    render(<App client={new FakeClient()} store={store} storage={storage} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
    fireEvent.keyDown(window, { key: 's', ctrlKey: true });
    await waitFor(() => expect(store.saves).toBe(1));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.name).toBe('vxlan-basics.yaml');
    expect(await downloads[0]!.blob.text()).toBe(BASICS_TEXT);
    expect(JSON.parse(storage.getItem(RECENT_KEY)!)[0]).toMatchObject({ name: 'vxlan-basics', title: 'Containers on two hosts over VXLAN', text: BASICS_TEXT });
    expect(screen.getByRole('status').textContent).toContain('vxlan-basics.yaml');
  });

  it('Save in the desktop app uses the native dialog; a cancelled dialog leaves the document unsaved', async () => {
    const store = dirtyStore();
    let answer: { path: string } | null = null;
    const client = new FakeClient({ 'file.save': () => answer }, 'desktop');
    render(<App client={client} store={store} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(client.paramsOf('file.save')).toEqual([{ text: BASICS_TEXT, suggestedName: 'vxlan-basics.yaml' }]));
    expect(store.saves).toBe(0);
    answer = { path: '/home/me/labs/vxlan-basics.yaml' };
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(store.saves).toBe(1));
    expect(screen.getByRole('status').textContent).toContain('/home/me/labs/vxlan-basics.yaml');
    expect(downloads).toHaveLength(0);
  });

  it('Open in a browser reads the file chosen in the hidden file input', async () => {
    const store = fakeStore();
    render(<App client={new FakeClient()} store={store} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
    const input = screen.getByLabelText('Open lab file') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('.yaml,.yml');
    const click = vi.spyOn(input, 'click').mockImplementation(() => {});
    fireEvent.keyDown(window, { key: 'o', ctrlKey: true });
    expect(click).toHaveBeenCalled();
    const file = new File([BASICS_TEXT], 'vxlan-basics.yaml', { type: 'application/yaml' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    fireEvent.change(input);
    await waitFor(() => expect(store.loads).toEqual([BASICS_TEXT]));
    expect(screen.getByRole('button', { name: 'Launch' })).toBeTruthy();
  });

  it('Open in the desktop app uses the native dialog', async () => {
    const store = fakeStore();
    const client = new FakeClient({ 'file.open': () => ({ path: '/tmp/lab.yaml', text: BASICS_TEXT }) }, 'desktop');
    render(<App client={client} store={store} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
    fireEvent.click(await screen.findByRole('button', { name: /Open file/ }));
    await waitFor(() => expect(store.loads).toEqual([BASICS_TEXT]));
  });

  it('Export saves the running lab as deployed, not the edited text', async () => {
    const deployed = `${BASICS_TEXT}layout: { host-a: { x: 10, y: 20 } }\n`;
    const client = new FakeClient({
      'lab.status': () => ({ name: 'vxlan-basics', title: '', state: 'running', nodes: [] }),
      'lab.export': () => ({ text: deployed }),
    });
    const store = dirtyStore();
    render(<App client={client} store={store} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
    const exportButton = screen.getByRole('button', { name: 'Export' }) as HTMLButtonElement;
    await waitFor(() => expect(exportButton.disabled).toBe(false));
    fireEvent.click(exportButton);
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(client.paramsOf('lab.export')).toEqual([{ name: 'vxlan-basics' }]);
    expect(await downloads[0]!.blob.text()).toBe(deployed);
    expect(store.saves).toBe(0);
  });
});
