// The desktop app's IPC channel names are written once (electron/api/ipc-channels.ts):
// the main process and the preload bridge both take them from there, so they cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL } from '../../electron/api/ipc-channels.js';

const root = join(import.meta.dirname, '..', '..');
const source = (file: string) => readFileSync(join(root, file), 'utf8');

describe('IPC channel names', () => {
  it('are two distinct names in the vxlab namespace', () => {
    expect(IPC_REQUEST_CHANNEL).toMatch(/^vxlab:/);
    expect(IPC_EVENT_CHANNEL).toMatch(/^vxlab:/);
    expect(IPC_REQUEST_CHANNEL).not.toBe(IPC_EVENT_CHANNEL);
  });

  it.each(['electron/main.ts', 'electron/preload.ts'])('%s takes them from the one module and spells none itself', (file) => {
    const text = source(file);
    expect(text).toMatch(/import \{ IPC_EVENT_CHANNEL, IPC_REQUEST_CHANNEL \} from '\.\/api\/ipc-channels\.js';/);
    expect(text).not.toMatch(/['"`]vxlab:/);
    expect(text).toContain('IPC_REQUEST_CHANNEL');
    expect(text).toContain('IPC_EVENT_CHANNEL');
  });
});
