// The shell with the real editor: the boundary (createEditorStore, <LabEditor>) as the
// app uses it, against the real lab templates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../renderer/src/App';
import { createEditorStore } from '../../renderer/src/editor';
import { FakeClient, createFakeTerminal, memoryStorage } from './app-fakes';

const BASICS = readFileSync(join(import.meta.dirname, '../../lab-templates/vxlan-basics.yaml'), 'utf8');

afterEach(cleanup);

describe('the shell around the real editor', () => {
  it('opens a template into the editor, and disables Launch while the edited file has problems', async () => {
    const client = new FakeClient({
      'templates.list': () => [{ file: 'vxlan-basics.yaml', name: 'vxlan-basics', title: 'Containers on two hosts over VXLAN', description: 'The textbook scenario.', text: BASICS }],
    });
    const store = createEditorStore('');
    render(
      <div style={{ width: 1400, height: 900 }}>
        <App client={client} store={store} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />
      </div>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Containers on two hosts over VXLAN' }));
    await waitFor(() => expect(store.getSnapshot().labName).toBe('vxlan-basics'));
    const launch = screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement;
    await waitFor(() => expect(launch.disabled).toBe(false));

    act(() => store.load(BASICS.replace('ip: 192.168.1.20', 'ip: 192.168.1.10')));
    await waitFor(() => expect(launch.disabled).toBe(true));
    expect(launch.getAttribute('aria-description')).toMatch(/^Fix the lab file first: 1 problem\./);
    expect(screen.getByRole('contentinfo').textContent).toContain('1 problem');

    fireEvent.click(launch);
    expect(client.paramsOf('lab.up')).toEqual([]);
  });
});
