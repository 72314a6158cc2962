import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { EngineStatus } from '../../electron/api/contract';
import { ApiRequestError } from '../../electron/api/contract';
import { App } from '../../renderer/src/App';
import { ENGINE_INFO, FakeClient, createFakeTerminal, fakeStore, memoryStorage } from './app-fakes';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  return { LabEditor: fakes.FakeEditor, createEditorStore: () => fakes.fakeStore() };
});

afterEach(cleanup);

const NO_ENGINE: EngineStatus = {
  error: {
    code: 'engine-unreachable',
    message: 'No Docker engine answers at /var/run/docker.sock (connect ENOENT).',
    hint: 'Start one: sudo systemctl start docker, or set DOCKER_HOST.',
  },
};

describe('engine status', () => {
  it('covers the window with the error and its hint when no engine answers, and Retry asks again', async () => {
    let answer: EngineStatus = NO_ENGINE;
    const client = new FakeClient({ 'engine.info': () => answer });
    render(<App client={client} store={fakeStore()} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
    const screenDialog = await screen.findByRole('alertdialog', { name: 'No Docker engine answers' });
    expect(screenDialog.textContent).toContain('No Docker engine answers at /var/run/docker.sock (connect ENOENT).');
    expect(screenDialog.textContent).toContain('Start one: sudo systemctl start docker, or set DOCKER_HOST.');
    // The app behind it cannot be used meanwhile.
    expect(document.querySelector('.app')?.hasAttribute('inert')).toBe(true);

    answer = { info: ENGINE_INFO };
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(client.paramsOf('engine.info')).toHaveLength(2);
    expect(screen.getByRole('contentinfo').textContent).toContain('Docker 20.10.24');
    expect(screen.getByRole('contentinfo').textContent).toContain('unix:///var/run/docker.sock');
  });

  it('says so when the vxlab server itself does not answer', async () => {
    const client = new FakeClient({
      'engine.info': () => {
        throw new ApiRequestError({ code: 'disconnected', message: 'The vxlab server does not answer. Is `vxlab serve` still running?' });
      },
    });
    render(<App client={client} store={fakeStore()} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
    const dialog = await screen.findByRole('alertdialog', { name: 'The vxlab server does not answer' });
    expect(dialog.textContent).toContain('Is vxlab serve still running?');
    expect(dialog.querySelector('code')?.textContent).toBe('vxlab serve');
  });

  it('polls engine.info', async () => {
    const client = new FakeClient();
    render(<App client={client} store={fakeStore()} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={40} />);
    await waitFor(() => expect(client.paramsOf('engine.info').length).toBeGreaterThanOrEqual(3));
  });
});
