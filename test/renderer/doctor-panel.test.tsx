// The doctor in the app (issue 8, section 4): the toolbar's "Doctor" opens a dock tab that
// asks 'lab.doctor', shows "Checking…", then the findings' cause and fix, or that the lab
// is healthy; "Check again" asks again; the hosts the findings name light up on the canvas.
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Result } from '../../electron/api/contract';
import { App } from '../../renderer/src/App';
import type { LabEditorProps } from '../../renderer/src/editor';
import { BASICS_RUNNING, BASICS_TEXT, FakeClient, createFakeTerminal, deferred, fakeStore, memoryStorage } from './app-fakes';

vi.mock('../../renderer/src/editor', async () => {
  const fakes = await import('./app-fakes');
  /** The fake canvas plus its highlight, as the doctor sets it. */
  function HighlightEditor(props: LabEditorProps) {
    return (
      <div>
        <fakes.FakeEditor {...props} />
        <output aria-label="Canvas highlight">{JSON.stringify(props.highlight ?? null)}</output>
      </div>
    );
  }
  return { LabEditor: HighlightEditor, createEditorStore: () => fakes.fakeStore() };
});

type Report = Result<'lab.doctor'>;

const HEALTHY: Report = { lab: 'vxlan-basics', healthy: true, findings: [] };

const VNI_MISMATCH: Report = {
  lab: 'vxlan-basics',
  healthy: false,
  findings: [
    {
      code: 'vni-mismatch',
      host: 'host-b',
      overlay: 'blue',
      device: 'vxlan42',
      cause: "host-b's vxlan42 has VNI 43 but host-a sends VNI 42: host-b drops host-a's frames, and its own frames are dropped by them.",
      fix: '`vxlab up` with the lab file restores VNI 42.',
    },
  ],
};

function renderApp(doctor: () => Report | Promise<Report>, running = true) {
  const client = new FakeClient({
    'lab.status': () => (running ? BASICS_RUNNING : { ...BASICS_RUNNING, state: 'stopped', nodes: [] }),
    'lab.doctor': doctor,
  });
  render(
    <App client={client} store={fakeStore({ text: BASICS_TEXT, labName: 'vxlan-basics' })} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />,
  );
  return client;
}

async function openDoctor() {
  const button = screen.getByRole('button', { name: 'Doctor' }) as HTMLButtonElement;
  await waitFor(() => expect(button.disabled).toBe(false));
  fireEvent.click(button);
  expect((await screen.findByRole('tab', { name: 'Doctor' })).getAttribute('aria-selected')).toBe('true');
  return screen.getByRole('tabpanel', { name: 'Doctor' });
}

const highlight = () => screen.getByRole('status', { name: 'Canvas highlight' }).textContent;

describe('the doctor panel', () => {
  it('shows "Checking…" while it asks, then that a healthy lab has no fault', async () => {
    const answer = deferred<Report>();
    const client = renderApp(() => answer.promise);
    const panel = await openDoctor();
    expect(within(panel).getByText('Checking…')).toBeTruthy();
    expect(client.paramsOf('lab.doctor')).toEqual([{ name: 'vxlan-basics' }]);
    answer.resolve(HEALTHY);
    expect(await within(panel).findByText(/No fault found/)).toBeTruthy();
    expect(within(panel).queryByText('Checking…')).toBeNull();
    expect(within(panel).queryByRole('list')).toBeNull();
    expect(highlight()).toBe('null');
  });

  it("lists a VNI mismatch's host, device, cause and fix, lights its host, and asks again on Check again", async () => {
    let report = VNI_MISMATCH;
    const client = renderApp(() => report);
    const panel = await openDoctor();
    const findings = await within(panel).findByRole('list', { name: 'Findings of lab vxlan-basics' });
    const item = within(findings).getByRole('listitem');
    expect(within(item).getByText('host-b')).toBeTruthy();
    expect(within(item).getByText('vxlan42')).toBeTruthy();
    expect(item.textContent).toContain("host-b's vxlan42 has VNI 43 but host-a sends VNI 42");
    expect(item.textContent).toContain('Fix: vxlab up with the lab file restores VNI 42.');
    expect(within(item).getByText('vxlab up').tagName).toBe('CODE');
    expect(within(panel).getByText(/1 problem found/)).toBeTruthy();
    expect(JSON.parse(highlight() ?? 'null')).toEqual({ nodes: ['host-b'] });

    // The Progress tab hides the doctor's highlight; its tab shows it again.
    fireEvent.click(screen.getByRole('tab', { name: /Progress/ }));
    expect(highlight()).toBe('null');
    fireEvent.click(screen.getByRole('tab', { name: 'Doctor' }));
    expect(JSON.parse(highlight() ?? 'null')).toEqual({ nodes: ['host-b'] });

    report = HEALTHY;
    fireEvent.click(within(panel).getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(client.paramsOf('lab.doctor')).toHaveLength(2));
    expect(await within(panel).findByText(/No fault found/)).toBeTruthy();
    expect(within(panel).queryByRole('list')).toBeNull();
    expect(highlight()).toBe('null');
  });

  it("shows the service's error when the doctor cannot check, and closes with its tab", async () => {
    renderApp(() => {
      throw Object.assign(new Error('no'), { error: { code: 'lab-not-running', message: 'The lab vxlan-basics is not running. Launch it first.' } });
    });
    const panel = await openDoctor();
    expect((await within(panel).findByRole('alert')).textContent).toContain('The lab vxlan-basics is not running. Launch it first.');
    fireEvent.click(screen.getByRole('button', { name: 'Close Doctor' }));
    expect(screen.queryByRole('tab', { name: 'Doctor' })).toBeNull();
    expect(screen.getByRole('tab', { name: /Progress/ }).getAttribute('aria-selected')).toBe('true');
  });

  it("asks again when the toolbar's Doctor is pressed with its tab already open, keeping one tab", async () => {
    const client = renderApp(() => VNI_MISMATCH);
    const panel = await openDoctor();
    await within(panel).findByRole('list', { name: 'Findings of lab vxlan-basics' });
    fireEvent.click(screen.getByRole('tab', { name: /Progress/ }));
    await openDoctor();
    await waitFor(() => expect(client.paramsOf('lab.doctor')).toHaveLength(2));
    expect(screen.getAllByRole('tab', { name: 'Doctor' })).toHaveLength(1);
  });

  it('is not offered while the lab is not running', async () => {
    const client = renderApp(() => HEALTHY, false);
    await waitFor(() => expect(client.paramsOf('lab.status').length).toBeGreaterThan(0));
    const button = screen.getByRole('button', { name: 'Doctor' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(client.paramsOf('lab.doctor')).toEqual([]);
  });
});
