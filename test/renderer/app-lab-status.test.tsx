// The open lab's status comes from the server's 'lab-status' pushes: one lab.status
// request when the open lab changes, no polling, and no re-reading of the lab text for
// each engine event.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import type { ApiEvent, Result } from '../../electron/api/contract';
import { ApiRequestError } from '../../electron/api/contract';
import { parseLabText } from '../../electron/lab/parse';
import { BASICS_RUNNING, FakeClient, deferred, notFound } from './app-fakes';
import { launchHeld, renderLabEditor as renderEditor } from './app-render';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  return { LabEditor: fakes.FakeEditor, createEditorStore: () => fakes.fakeStore() };
});

// The same parser, counted: the app may read a lab's text when it opens or launches it, not per event.
vi.mock('../../electron/lab/parse', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../electron/lab/parse')>();
  return { ...actual, parseLabText: vi.fn(actual.parseLabText) };
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Running, but container2 has exited. */
const RUNNING: Result<'lab.status'> = {
  ...BASICS_RUNNING,
  nodes: BASICS_RUNNING.nodes.map((node) => (node.name === 'container2' ? { ...node, state: 'exited', addresses: [] } : node)),
};

const labStatus = (status: Result<'lab.status'> | null, lab = 'vxlan-basics'): ApiEvent => ({ type: 'lab-status', lab, status });
const engine = (event: Extract<ApiEvent, { type: 'engine' }>['event']): ApiEvent => ({ type: 'engine', lab: 'vxlan-basics', event });

describe('lab status', () => {
  it('is asked once when the lab opens, never polled, while the lab runs', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const client = new FakeClient({ 'lab.status': () => RUNNING });
    renderEditor(client);
    await screen.findByRole('button', { name: 'Apply' });
    expect(client.paramsOf('lab.status')).toEqual([{ name: 'vxlan-basics' }]);
    await act(async () => vi.advanceTimersByTimeAsync(30_000));
    expect(client.paramsOf('lab.status')).toHaveLength(1);
  });

  it('follows the lab-status events of the open lab: running, a node that died, and gone', async () => {
    const client = new FakeClient();
    renderEditor(client);
    await waitFor(() => expect(client.paramsOf('lab.status')).toHaveLength(1));
    expect((screen.getByRole('button', { name: 'Destroy' }) as HTMLButtonElement).disabled).toBe(true);

    act(() => client.emit(labStatus(RUNNING)));
    expect(screen.getByRole('button', { name: 'Apply' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Destroy' }) as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId('runtime-container1').textContent).toBe('container1: running');
    expect(screen.getByTestId('runtime-container2').textContent).toBe('container2: stopped (exited)');

    const died = { ...RUNNING, state: 'degraded' as const, nodes: RUNNING.nodes.map((node) => (node.name === 'host-a' ? { ...node, state: 'exited' } : node)) };
    act(() => client.emit(labStatus(died)));
    expect(screen.getByTestId('runtime-host-a').textContent).toBe('host-a: stopped (exited)');

    // Another lab's news is not this document's.
    act(() => client.emit(labStatus(null, 'other-lab')));
    expect(screen.getByTestId('runtime-host-a').textContent).toBe('host-a: stopped (exited)');

    act(() => client.emit(labStatus(null)));
    expect(screen.getByRole('button', { name: 'Launch' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Destroy' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId('runtime-host-a')).toBeNull();
    expect(client.paramsOf('lab.status')).toHaveLength(1);
  });

  it('keeps a pushed status over an older answer that arrives after it', async () => {
    const answer = deferred<Result<'lab.status'>>();
    const client = new FakeClient({ 'lab.status': () => answer.promise });
    renderEditor(client);
    await waitFor(() => expect(client.paramsOf('lab.status')).toHaveLength(1));
    act(() => client.emit(labStatus(RUNNING)));
    await act(async () => answer.reject(notFound('vxlan-basics')));
    expect(screen.getByRole('button', { name: 'Apply' })).toBeTruthy();
  });
});

describe('engine events during Launch', () => {
  it('mark the containers of a host without reading the lab text again for each event', async () => {
    const { client, up } = await launchHeld();

    const parses = vi.mocked(parseLabText).mock.calls.length;
    act(() => {
      for (let round = 0; round < 20; round++) {
        client.emit(engine({ type: 'step-started', step: 'container', node: 'host-a' }));
        client.emit(engine({ type: 'step-progress', step: 'container', node: 'host-a', detail: 'starting container1' }));
      }
    });
    expect(screen.getByTestId('runtime-container1').textContent).toBe('container1: creating (starting)');
    act(() => client.emit(engine({ type: 'step-finished', step: 'container', node: 'host-a', ms: 700 })));
    expect(screen.getByTestId('runtime-container1').textContent).toBe('container1: running');
    expect(vi.mocked(parseLabText).mock.calls.length).toBe(parses);
    await act(async () => up.reject(new ApiRequestError({ code: 'step-failed', message: 'x' })));
  });

  it('mark the nodes an event names: those of the launched lab start, the others go', async () => {
    const { client, up } = await launchHeld();
    // An Apply that starts container2 on host-b and removes old-one, which the launched text no longer has.
    act(() => client.emit(engine({ type: 'step-started', step: 'container', node: 'host-b', nodes: ['container2', 'old-one'] })));
    expect(screen.getByTestId('runtime-container2').textContent).toBe('container2: creating (starting)');
    expect(screen.getByTestId('runtime-old-one').textContent).toBe('old-one: stopped (removing)');
    expect(screen.queryByTestId('runtime-container1')).toBeNull();
    act(() => client.emit(engine({ type: 'step-finished', step: 'container', node: 'host-b', nodes: ['container2', 'old-one'], ms: 900 })));
    expect(screen.getByTestId('runtime-container2').textContent).toBe('container2: running');
    expect(screen.getByTestId('runtime-old-one').textContent).toBe('old-one: stopped (removed)');
    act(() => client.emit(engine({ type: 'step-failed', step: 'container', node: 'host-a', nodes: ['container1'], error: 'No such image.' })));
    expect(screen.getByTestId('runtime-container1').textContent).toBe('container1: failed (No such image.)');
    await act(async () => up.reject(new ApiRequestError({ code: 'step-failed', message: 'x' })));
  });
});
