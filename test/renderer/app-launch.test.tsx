import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ApiEvent, Result } from '../../electron/api/contract';
import { ApiRequestError } from '../../electron/api/contract';
import { BASICS_RUNNING, BASICS_TEXT, FakeClient, deferred, fakeStore, notFound } from './app-fakes';
import { launchHeld, renderLabEditor as renderEditor } from './app-render';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  return { LabEditor: fakes.FakeEditor, createEditorStore: () => fakes.fakeStore() };
});

afterEach(cleanup);

const engine = (event: Extract<ApiEvent, { type: 'engine' }>['event']): ApiEvent => ({ type: 'engine', lab: 'vxlan-basics', event });

describe('Launch', () => {
  it('is disabled while the lab file has problems, and says why', async () => {
    const store = fakeStore({
      text: 'version: 1\nname: broken\n',
      labName: 'broken',
      problems: [{ code: 'required', path: 'underlay', line: 1, column: 1, message: 'underlay is missing: add underlay.subnet.' }],
    });
    renderEditor(new FakeClient(), store);
    const launch = screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement;
    await waitFor(() => expect(screen.getByRole('contentinfo').textContent).toContain('Docker 20.10.24'));
    expect(launch.disabled).toBe(true);
    expect(launch.getAttribute('aria-description')).toContain('1 problem');
    expect(launch.getAttribute('aria-description')).toContain('underlay is missing');
    expect(launch.closest('[data-tip]')?.getAttribute('data-tip')).toContain('underlay is missing');
    act(() => store.set({ problems: [] }));
    expect(launch.disabled).toBe(false);
  });

  it('sends lab.up with the text and shows a progress row per step and node from engine events', async () => {
    const up = deferred<Result<'lab.up'>>();
    const client = new FakeClient({ 'lab.up': () => up.promise });
    renderEditor(client);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
    await waitFor(() => expect(client.paramsOf('lab.up')).toEqual([{ text: BASICS_TEXT }]));
    expect(screen.getByRole('button', { name: 'Launching…' })).toBeTruthy();

    act(() => {
      client.emit(engine({ type: 'step-started', step: 'check-engine' }));
      client.emit(engine({ type: 'step-finished', step: 'check-engine', ms: 12 }));
      client.emit(engine({ type: 'step-started', step: 'host', node: 'host-a', detail: '192.168.1.10' }));
      client.emit(engine({ type: 'step-started', step: 'host', node: 'host-b', detail: '192.168.1.20' }));
      client.emit(engine({ type: 'step-finished', step: 'host', node: 'host-a', ms: 540 }));
      client.emit(engine({ type: 'step-failed', step: 'host', node: 'host-b', error: 'Starting the Docker engine of host host-b failed.' }));
      // Another lab's events are not this document's.
      client.emit({ type: 'engine', lab: 'other-lab', event: { type: 'step-started', step: 'host', node: 'x' } });
    });

    const table = screen.getByRole('table', { name: 'Progress' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]!.textContent).toContain('Check engine');
    expect(rows[0]!.textContent).toContain('12 ms');
    expect(within(rows[1]!).getByRole('img', { name: 'done' })).toBeTruthy();
    expect(rows[1]!.textContent).toContain('host-a');
    expect(rows[1]!.textContent).toContain('540 ms');
    expect(within(rows[2]!).getByRole('img', { name: 'failed' })).toBeTruthy();
    expect(rows[2]!.textContent).toContain('Starting the Docker engine of host host-b failed.');
    // The canvas learns the same: host-b failed, with the reason.
    expect(screen.getByTestId('runtime-host-b').textContent).toBe('host-b: failed (Starting the Docker engine of host host-b failed.)');

    client.handlers['lab.status'] = () => BASICS_RUNNING;
    await act(async () => up.resolve({ plan: { recreateUnderlay: false, removeHosts: [], createHosts: ['host-a', 'host-b'], removeContainers: [], createContainers: [] }, ms: 4900 }));
    await screen.findByRole('button', { name: 'Apply' });
    expect(screen.getByRole('heading', { name: /Launched vxlan-basics in 4\.9 s/ })).toBeTruthy();
    expect(screen.getByTestId('runtime-container1').textContent).toBe('container1: running');
  });

  it('marks nodes creating while their steps run', async () => {
    const { client, up } = await launchHeld();
    act(() => client.emit(engine({ type: 'step-started', step: 'container', node: 'host-a' })));
    expect(screen.getByTestId('runtime-host-a').textContent).toContain('host-a: creating');
    expect(screen.getByTestId('runtime-container1').textContent).toContain('container1: creating');
    act(() => client.emit(engine({ type: 'step-finished', step: 'container', node: 'host-a', ms: 700 })));
    expect(screen.getByTestId('runtime-container1').textContent).toBe('container1: running');
    await act(async () => up.reject(new ApiRequestError({ code: 'step-failed', message: 'x' })));
  });

  it('shows a lab-invalid error with its message, hint and every problem', async () => {
    const client = new FakeClient({
      'lab.up': () => {
        throw new ApiRequestError({
          code: 'lab-invalid',
          message: 'The lab file has 2 problem(s); nothing was changed.',
          hint: 'Fix them and launch again.',
          details: [
            { code: 'duplicate-ip', path: 'hosts[1].ip', line: 9, column: 30, message: '192.168.1.10 is used twice.' },
            { code: 'unknown-host', path: 'containers[0].host', line: 14, column: 9, message: 'There is no host host-z.' },
          ],
        });
      },
    });
    renderEditor(client);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Launch failed');
    expect(alert.textContent).toContain('The lab file has 2 problem(s); nothing was changed.');
    expect(alert.textContent).toContain('Fix them and launch again.');
    const problems = within(alert).getByRole('list', { name: 'Problems' });
    expect(within(problems).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'hosts[1].ip 9:30192.168.1.10 is used twice.',
      'containers[0].host 14:9There is no host host-z.',
    ]);
    expect(screen.getByRole('button', { name: 'Launch' })).toBeTruthy();
  });

  it('becomes Apply when the lab runs, and Destroy runs lab.down after confirmation', async () => {
    const client = new FakeClient({ 'lab.status': () => BASICS_RUNNING, 'lab.down': () => ({ containers: 6, networks: 1, volumes: 2 }) });
    renderEditor(client);
    await screen.findByRole('button', { name: 'Apply' });
    expect(screen.getByRole('contentinfo').textContent).toContain('running · 4/4 nodes');
    const nodes = screen.getByRole('region', { name: 'Nodes' });
    expect(nodes.textContent).toContain('10.0.1.2/16');

    fireEvent.click(screen.getByRole('button', { name: 'Destroy' }));
    const dialog = await screen.findByRole('dialog', { name: 'Destroy vxlan-basics?' });
    expect(client.paramsOf('lab.down')).toEqual([]);
    client.handlers['lab.status'] = ({ name }) => {
      throw notFound(name);
    };
    fireEvent.click(within(dialog).getByRole('button', { name: 'Destroy' }));
    await waitFor(() => expect(client.paramsOf('lab.down')).toEqual([{ name: 'vxlan-basics' }]));
    await screen.findByRole('button', { name: 'Launch' });
    expect(screen.getByRole('heading', { name: /Destroyed vxlan-basics/ })).toBeTruthy();
  });

  it('asks lab.status again when the lab changes', async () => {
    const client = new FakeClient();
    renderEditor(client);
    await waitFor(() => expect(client.paramsOf('lab.status')).toHaveLength(1));
    client.handlers['lab.status'] = () => BASICS_RUNNING;
    act(() => client.emit({ type: 'lab-changed', lab: 'vxlan-basics' }));
    await screen.findByRole('button', { name: 'Apply' });
    expect(screen.getByTestId('runtime-host-a').textContent).toBe('host-a: running');
  });
});
