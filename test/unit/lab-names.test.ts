// Lab names never become paths: the contract checks every lab and node name with the
// lab file's own rule, whichever door the request came through (the session behind IPC,
// the WebSocket of `vxlab serve`, the CLI), and the lab store refuses any other name.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VxlabService } from '../../electron/api/service.js';
import { main } from '../../electron/cli.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import { LabStore } from '../../electron/engine/lab-store.js';
import type { TerminalManager } from '../../electron/engine/terminals.js';
import { startBrowserServer } from '../../electron/transport/browser-server.js';
import * as client from './browser-server-helpers.js';

const BAD_LAB_NAMES = ['../../x', '..', 'a/b', 'Lab', '', 'x'.repeat(41), '-x', 'x\u001b[2J', '/etc/passwd'];

const scratch = mkdtempSync(join(tmpdir(), 'vxlab-names-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A state directory with a YAML file where `labs/../../x` would point, to prove it is never read or deleted. */
function stateWithBait(): { state: string; bait: string } {
  const state = join(scratch, `state-${Math.random().toString(36).slice(2)}`, 'vxlab');
  mkdirSync(join(state, 'labs'), { recursive: true });
  const bait = join(state, '..', 'x.yaml');
  writeFileSync(bait, 'name: someone-else\n');
  return { state, bait };
}

/** An engine that records every call and keeps applied files in `state`: any call is a failure of the check. */
function recordingEngine(state: string) {
  const calls: string[] = [];
  const store = new LabStore(state);
  const record = (name: string) => async (...args: unknown[]) => {
    calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(',')})`);
    if (name === 'exportLab') return store.load(args[0] as string);
    if (name === 'down') return store.remove(args[0] as string).then(() => ({ containers: 0, networks: 0, volumes: 0 }));
    return undefined;
  };
  const engine = {
    store,
    down: record('down'),
    status: record('status'),
    exportLab: record('exportLab'),
    locateNode: record('locateNode'),
    list: record('list'),
  } as unknown as LabEngine;
  return { engine, calls };
}

const terminals = { closeAllFor: () => {}, open: async () => ({ id: 't', title: 't' }) } as unknown as TerminalManager;

/** Every request that carries a lab or node name, with that name set to `bad`. */
function namedRequests(bad: string): [string, Record<string, unknown>][] {
  return [
    ['lab.export', { name: bad }],
    ['lab.down', { name: bad }],
    ['lab.status', { name: bad }],
    ['lab.inspect', { name: bad, host: 'host-a' }],
    ['lab.inspect', { name: 'ok-lab', host: bad }],
    ['terminal.open', { kind: 'node', lab: bad, node: 'host-a', cols: 80, rows: 24 }],
    ['terminal.open', { kind: 'node', lab: 'ok-lab', node: bad, cols: 80, rows: 24 }],
  ];
}

describe('the contract checks names with the lab file rule', () => {
  it('refuses every invalid lab or node name before the engine is reached (the session IPC uses)', async () => {
    const { state, bait } = stateWithBait();
    const { engine, calls } = recordingEngine(state);
    const session = new VxlabService({ engine, terminals, templatesDirectory: scratch, stateDirectory: state }).connect(() => {});
    for (const bad of BAD_LAB_NAMES) {
      for (const [method, params] of namedRequests(bad)) {
        const answer = await session.handle(method, params);
        expect(answer, `${method} ${JSON.stringify(params)}`).toMatchObject({ error: { code: 'invalid-params' } });
        expect((answer as { error: { message: string } }).error.message).toMatch(/(lab|node) name/);
      }
    }
    expect(calls).toEqual([]);
    expect(readFileSync(bait, 'utf8')).toBe('name: someone-else\n');
  });

  it('names the field and the rule in the error', async () => {
    const session = new VxlabService({ engine: {} as LabEngine, terminals, templatesDirectory: scratch }).connect(() => {});
    const answer = await session.handle('lab.export', { name: '../../x' });
    expect(answer).toEqual({
      error: {
        code: 'invalid-params',
        message: expect.stringMatching(/^Invalid parameters for lab\.export: name: a lab name may only contain lowercase letters a-z, digits and '-'/),
      },
    });
  });

  it('still passes valid names through to the engine', async () => {
    const { state } = stateWithBait();
    const { engine, calls } = recordingEngine(state);
    const session = new VxlabService({ engine, terminals, templatesDirectory: scratch, stateDirectory: state }).connect(() => {});
    await session.handle('lab.status', { name: 'vxlan-basics' });
    expect(calls).toEqual(['status("vxlan-basics")']);
  });

  it('refuses them over the WebSocket of vxlab serve alike', async () => {
    const { state, bait } = stateWithBait();
    const { engine, calls } = recordingEngine(state);
    const rendererDirectory = client.fakeRendererDirectory();
    const service = new VxlabService({ engine, terminals, templatesDirectory: scratch, stateDirectory: state });
    const server = await startBrowserServer({ service, rendererDirectory });
    const ws = await client.openAppSocket(server);
    try {
      let id = 1;
      for (const [method, params] of namedRequests('../../x')) {
        expect(await client.ask(ws, { id: id++, method, params })).toMatchObject({ error: { code: 'invalid-params' } });
      }
    } finally {
      ws.close();
      await server.close();
      rmSync(rendererDirectory, { recursive: true, force: true });
    }
    expect(calls).toEqual([]);
    expect(existsSync(bait)).toBe(true);
  });

  it('refuses them in the CLI alike, exec included, without touching the engine', async () => {
    const { state, bait } = stateWithBait();
    const { engine, calls } = recordingEngine(state);
    const deps = { engine: () => engine, stateDirectory: state };
    const commands = [
      ['export', '../../x'],
      ['down', '../../x'],
      ['status', '../../x'],
      ['inspect', '../../x', 'host-a'],
      ['inspect', 'ok-lab', '../x'],
      ['exec', '../../x', 'host-a', '--', 'true'],
      ['exec', 'ok-lab', 'a/b', '--', 'true'],
    ];
    for (const argv of commands) {
      let err = '';
      let out = '';
      const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) }, deps);
      expect(code, argv.join(' ')).toBe(1);
      expect(err).toMatch(/(lab|node) name/);
      expect(out).toBe('');
    }
    expect(calls).toEqual([]);
    expect(readFileSync(bait, 'utf8')).toBe('name: someone-else\n');
  });
});

describe('the lab store', () => {
  it('refuses to join an invalid name into a path: load, save and remove', async () => {
    const { state, bait } = stateWithBait();
    const store = new LabStore(state);
    for (const bad of ['../x', '../../x', 'a/b', '', 'X']) {
      await expect(store.load(bad)).rejects.toMatchObject({ code: 'invalid-name' });
      await expect(store.save(bad, 'text')).rejects.toMatchObject({ code: 'invalid-name' });
      await expect(store.remove(bad)).rejects.toMatchObject({ code: 'invalid-name' });
    }
    expect(readFileSync(bait, 'utf8')).toBe('name: someone-else\n');
  });

  it('keeps and returns the file of a valid lab name', async () => {
    const { state } = stateWithBait();
    const store = new LabStore(state);
    await store.save('vxlan-basics', 'name: vxlan-basics\n');
    expect(await store.load('vxlan-basics')).toBe('name: vxlan-basics\n');
    await store.remove('vxlan-basics');
    expect(await store.load('vxlan-basics')).toBeUndefined();
  });
});
