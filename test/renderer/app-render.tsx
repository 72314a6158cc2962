// Renders the app for a test. Apart from app-fakes.tsx, because the tests' mock of the
// editor module imports app-fakes.tsx, and the app imports the editor module.
import { expect } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Result } from '../../electron/api/contract';
import { App } from '../../renderer/src/App';
import { BASICS_TEXT, FakeClient, createFakeTerminal, deferred, fakeStore, memoryStorage } from './app-fakes';

/** The app with vxlan-basics open in the editor (or what `store` holds). */
export function renderLabEditor(client: FakeClient, store = fakeStore({ text: BASICS_TEXT, labName: 'vxlan-basics' })) {
  render(<App client={client} store={store} storage={memoryStorage()} createTerminalAdapter={createFakeTerminal} enginePollMs={60_000} />);
  return store;
}

/** vxlan-basics open and Launch clicked; lab.up answers when the test settles `up`. */
export async function launchHeld() {
  const up = deferred<Result<'lab.up'>>();
  const client = new FakeClient({ 'lab.up': () => up.promise });
  renderLabEditor(client);
  await waitFor(() => expect((screen.getByRole('button', { name: 'Launch' }) as HTMLButtonElement).disabled).toBe(false));
  fireEvent.click(screen.getByRole('button', { name: 'Launch' }));
  await waitFor(() => expect(client.paramsOf('lab.up')).toHaveLength(1));
  return { client, up };
}
