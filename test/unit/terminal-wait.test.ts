// A terminal into a node that does not run yet (Launch is still making it) opens at
// once, says it waits, and attaches by itself when the node runs; it gives up at its
// bound with the reason, and closing it stops the waiting. Also the limits on how many
// terminals one window, and all together, may hold. The engine is a fake: these are the
// manager's rules, the real attach is in test/engine/terminals.test.ts.
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../electron/engine/errors.js';
import type { LocatedNode } from '../../electron/engine/lab-engine.js';
import type { NodeEngine } from '../../electron/engine/node-presence.js';
import type { TerminalSink } from '../../electron/engine/terminals.js';
import { createTerminalManager, waitingNotice } from '../../electron/engine/terminals.js';
import { quietPty } from './terminal-fakes.js';

/** A shell's stream: what is written to it is recorded; `say` is its output. */
class FakeShell extends Duplex {
  readonly typed: string[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.typed.push(chunk.toString());
    done();
  }
  say(text: string): void {
    this.push(text);
  }
}

/** An engine whose node `host-a` runs once `start()` is called, reached through a fake host container. */
function fakeEngine(options: { failWith?: () => Error } = {}) {
  let running = false;
  const state = { locates: 0, shells: [] as FakeShell[], sizes: [] as { w: number; h: number }[] };
  const host = {
    inspect: async () => ({ State: { Running: true, Status: 'running' } }),
    exec: async () => {
      const shell = new FakeShell();
      state.shells.push(shell);
      return {
        start: async () => shell,
        resize: async (size: { w: number; h: number }) => void state.sizes.push(size),
        inspect: async () => ({ ExitCode: 0 }),
      };
    },
  };
  const engine: NodeEngine = {
    docker: {} as NodeEngine['docker'],
    locateNode: async (lab: string, node: string): Promise<LocatedNode> => {
      state.locates += 1;
      if (options.failWith) throw options.failWith();
      if (!running) throw new EngineError('node-not-found', `Lab ${lab} has no running host or container named ${node}.`);
      return { host: host as unknown as LocatedNode['host'], hostName: node };
    },
  };
  return { engine, state, start: () => (running = true) };
}

class Recorder implements TerminalSink {
  output = new Map<string, string>();
  exits = new Map<string, { exitCode: number | undefined; reason: string | undefined; calls: number }>();
  data(id: string, data: string): void {
    this.output.set(id, (this.output.get(id) ?? '') + data);
  }
  exit(id: string, exitCode: number | undefined, reason?: string): void {
    this.exits.set(id, { exitCode, reason, calls: (this.exits.get(id)?.calls ?? 0) + 1 });
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`never: ${what}`);
}

const size = { cols: 80, rows: 24 };
const hostA = { kind: 'node' as const, lab: 'lab1', node: 'host-a' };

describe('a terminal into a node that does not run yet', () => {
  it('opens at once, says it waits, and attaches by itself when the node runs', async () => {
    const { engine, state, start } = fakeEngine();
    const manager = createTerminalManager(engine, { nodeWait: { pollMs: 5, limitMs: 60_000 } });
    const sink = new Recorder();
    const { id, title } = await manager.open(hostA, size, sink);
    expect(title).toBe('host-a (lab1)');
    await until(() => (sink.output.get(id) ?? '').includes(waitingNotice('host-a')), 'the waiting notice');
    expect(waitingNotice('host-a')).toBe('waiting for host-a to start…');
    expect(state.shells).toHaveLength(0);
    manager.input(id, 'typed too early\r'); // dropped: there is no shell yet
    await manager.resize(id, { cols: 100, rows: 30 }); // remembered for the attach

    const polls = state.locates;
    await until(() => state.locates > polls + 2, 'more polls');
    start();
    await until(() => state.shells.length === 1, 'a shell');
    state.shells[0]!.say('host-a# ');
    await until(() => (sink.output.get(id) ?? '').endsWith('host-a# '), 'the prompt');
    expect(state.sizes).toEqual([{ w: 100, h: 30 }]);
    manager.input(id, 'echo hi\r');
    await until(() => state.shells[0]!.typed.length > 0, 'input');
    expect(state.shells[0]!.typed).toEqual(['echo hi\r']);
    expect(sink.exits.has(id)).toBe(false);
    const polled = state.locates;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(state.locates).toBe(polled); // attached: no more polling

    state.shells[0]!.push(null); // the shell exits
    await until(() => sink.exits.has(id), 'the exit');
    expect(sink.exits.get(id)).toEqual({ exitCode: 0, reason: undefined, calls: 1 });
  });

  it('gives up at its bound, ending the tab with the reason', async () => {
    const { engine, state } = fakeEngine();
    const manager = createTerminalManager(engine, { nodeWait: { pollMs: 5, limitMs: 1_000 } });
    const sink = new Recorder();
    const { id } = await manager.open(hostA, size, sink);
    await until(() => sink.exits.has(id), 'the end of the wait');
    expect(sink.exits.get(id)).toEqual({
      exitCode: undefined,
      reason: 'host-a did not start within 1 second: Lab lab1 has no running host or container named host-a.',
      calls: 1,
    });
    const polls = state.locates;
    expect(polls).toBeGreaterThan(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(state.locates).toBe(polls);
    expect(() => manager.input(id, 'x')).toThrow(/not open/);
    expect(manager.stats().open).toBe(0);
  });

  it('stops waiting when the tab is closed, and never attaches afterwards', async () => {
    const { engine, state, start } = fakeEngine();
    const manager = createTerminalManager(engine, { nodeWait: { pollMs: 5, limitMs: 60_000 } });
    const sink = new Recorder();
    const { id } = await manager.open(hostA, size, sink);
    await until(() => state.locates > 2, 'polling');
    manager.close(id);
    expect(sink.exits.get(id)).toEqual({ exitCode: undefined, reason: 'closed', calls: 1 });
    const polls = state.locates;
    start();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(state.locates).toBeLessThanOrEqual(polls + 1); // at most the poll already under way
    expect(state.shells).toHaveLength(0);
    expect(sink.exits.get(id)?.calls).toBe(1);
    expect(manager.stats().open).toBe(0);
  });

  it('a window that goes away stops its waiting terminals too', async () => {
    const { engine, state, start } = fakeEngine();
    const manager = createTerminalManager(engine, { nodeWait: { pollMs: 5, limitMs: 60_000 } });
    const sink = new Recorder();
    const { id } = await manager.open(hostA, size, sink);
    manager.closeAllFor(sink);
    expect(sink.exits.get(id)?.reason).toBe('closed');
    start();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(state.shells).toHaveLength(0);
  });

  it('a node that runs attaches at once, without a waiting notice', async () => {
    const { engine, state, start } = fakeEngine();
    start();
    const manager = createTerminalManager(engine);
    const sink = new Recorder();
    const { id } = await manager.open(hostA, size, sink);
    expect(state.shells).toHaveLength(1);
    state.shells[0]!.say('host-a# ');
    await until(() => sink.output.get(id) === 'host-a# ', 'the prompt');
    manager.close(id);
  });

  it('an error that waiting cannot cure refuses the terminal at once', async () => {
    const { engine, state } = fakeEngine({ failWith: () => new EngineError('engine-unreachable', 'No Docker engine answers.') });
    const manager = createTerminalManager(engine, { nodeWait: { pollMs: 5 } });
    await expect(manager.open(hostA, size, new Recorder())).rejects.toThrow('No Docker engine answers.');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(state.locates).toBe(1);
    expect(manager.stats().open).toBe(0);
  });
});

describe('limits on open terminals', () => {
  const machine = { kind: 'machine' as const };

  it('refuses a terminal beyond the per-window limit with a clear error; other windows still open theirs', async () => {
    const { engine } = fakeEngine();
    const manager = createTerminalManager(engine, { loadPty: async () => quietPty, limits: { perWindow: 2, total: 10 } });
    const window1 = new Recorder();
    const first = await manager.open(machine, size, window1);
    await manager.open(hostA, size, window1); // a waiting terminal counts as well
    const refused = manager.open(machine, size, window1);
    await expect(refused).rejects.toMatchObject({ code: 'limit-reached', message: 'This window already has 2 terminals open, the most one window may have.' });
    await expect(refused).rejects.toHaveProperty('hint', 'Close a terminal you no longer use, then open this one.');
    await manager.open(machine, size, new Recorder());
    manager.close(first.id);
    await manager.open(machine, size, window1); // a closed one frees its place
    manager.closeAllFor(window1);
  });

  it('refuses a terminal beyond the limit of all windows together', async () => {
    const { engine } = fakeEngine();
    const manager = createTerminalManager(engine, { loadPty: async () => quietPty, limits: { perWindow: 5, total: 3 } });
    const windows = [new Recorder(), new Recorder(), new Recorder(), new Recorder()];
    for (const window of windows.slice(0, 3)) await manager.open(machine, size, window);
    await expect(manager.open(machine, size, windows[3]!)).rejects.toMatchObject({
      code: 'limit-reached',
      message: 'vxlab already runs 3 terminals, the most it allows at once.',
    });
    manager.closeAllFor(windows[0]!);
    await manager.open(machine, size, windows[3]!);
    expect(manager.stats().open).toBe(3);
  });
});
