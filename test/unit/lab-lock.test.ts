// One lab, one writer across processes: the app and a CLI changing the same lab take
// turns through a lock file in the state directory. The second waits and hears who
// holds the lab; the lock of a process that died is taken over.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/api/contract.js';
import { VxlabService } from '../../electron/api/service.js';
import { main } from '../../electron/cli.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import { describeHolder, LabLocks } from '../../electron/engine/lab-lock.js';
import type { LockHolder } from '../../electron/engine/lab-lock.js';
import type { TerminalManager } from '../../electron/engine/terminals.js';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'vxlab-locks-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

let count = 0;
const freshState = () => join(scratch, `state-${count++}`);
const terminals = { closeAllFor: () => {} } as unknown as TerminalManager;
const LAB = 'lock-lab';
const LAB_TEXT = `version: 1\nname: ${LAB}\nunderlay: { subnet: 192.168.77.0/24 }\nhosts: [ { name: host-a, ip: 192.168.77.10 } ]\n`;

/** Starts the lock-holder process on `lab` and resolves once it holds the lock. */
async function holderProcess(state: string, lab = LAB): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(root, 'bin/run-ts.js'), join(root, 'test/unit/lock-holder-process.ts'), state, lab], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('held ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before holding the lock`)));
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

function nextEvent(events: ApiEvent[], match: (event: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((resolve) => {
    const look = () => {
      const found = events.find(match);
      if (found) resolve(found);
      else setTimeout(look, 20);
    };
    look();
  });
}

const isBusyLog = (event: ApiEvent) => event.type === 'engine' && event.event.type === 'log' && /is busy/.test(event.event.message);

describe('a lab changed by two processes', () => {
  it('waits while another process holds the lab, names it, then runs', async () => {
    const state = freshState();
    const child = await holderProcess(state);
    let stdinClosed = false;
    const downs: { afterRelease: boolean; holderPid?: number }[] = [];
    const locks = new LabLocks(state);
    const engine = {
      down: async () => {
        downs.push({ afterRelease: stdinClosed, holderPid: (await locks.holder(LAB))?.pid });
        return { containers: 0, networks: 0, volumes: 0 };
      },
    } as unknown as LabEngine;
    const events: ApiEvent[] = [];
    const service = new VxlabService({ engine, terminals, templatesDirectory: scratch, stateDirectory: state, holder: 'the app under test' });
    const session = service.connect((event) => events.push(event));
    const down = session.handle('lab.down', { name: LAB });

    const busy = await nextEvent(events, isBusyLog);
    const message = busy.type === 'engine' && busy.event.type === 'log' ? busy.event.message : '';
    expect(message).toContain(`pid ${child.pid}`);
    expect(message).toContain('(lock-holder test process)');
    expect(message).toMatch(/since \d\d:\d\d:\d\d UTC/);
    expect(downs).toEqual([]);

    stdinClosed = true;
    child.stdin!.end();
    expect(await down).toEqual({ result: { containers: 0, networks: 0, volumes: 0 } });
    expect(downs).toEqual([{ afterRelease: true, holderPid: process.pid }]);
    await exited(child);
    expect(existsSync(locks.file(LAB))).toBe(false);
  });

  it('takes over the lock of a process that died holding it', async () => {
    const state = freshState();
    const child = await holderProcess(state);
    child.kill('SIGKILL');
    await exited(child);
    const locks = new LabLocks(state);
    expect((await locks.holder(LAB))?.pid).toBe(child.pid);

    const events: ApiEvent[] = [];
    let downs = 0;
    const engine = { down: async () => (downs++, { containers: 1, networks: 0, volumes: 0 }) } as unknown as LabEngine;
    const session = new VxlabService({ engine, terminals, templatesDirectory: scratch, stateDirectory: state }).connect((event) => events.push(event));
    expect(await session.handle('lab.down', { name: LAB })).toMatchObject({ result: { containers: 1 } });
    expect(downs).toBe(1);
    expect(events.filter(isBusyLog)).toEqual([]);
    expect(await locks.holder(LAB)).toBeUndefined();
  });

  it('serializes two services sharing a state directory (the app and a CLI in one test process)', async () => {
    const state = freshState();
    const order: string[] = [];
    let finishUp: () => void = () => {};
    let upStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (upStarted = resolve));
    const engineA = {
      up: async () => {
        order.push('A up started');
        upStarted();
        await new Promise<void>((resolve) => (finishUp = resolve));
        order.push('A up finished');
        return { plan: {} as never, ms: 1 };
      },
    } as unknown as LabEngine;
    const serviceA = new VxlabService({ engine: engineA, terminals, templatesDirectory: scratch, stateDirectory: state, holder: 'the vxlab app' });
    const upResult = serviceA.connect(() => {}).handle('lab.up', { text: LAB_TEXT });
    await started;

    const engineB = {
      down: async () => (order.push('B down'), { containers: 0, networks: 0, volumes: 0 }),
    } as unknown as LabEngine;
    let err = '';
    const cli = main(['down', LAB], { out: () => {}, err: (text) => (err += text) }, { engine: () => engineB, stateDirectory: state });
    await new Promise<void>((resolve) => {
      const look = () => (err.includes('is busy') ? resolve() : setTimeout(look, 20));
      look();
    });
    expect(err).toContain(`pid ${process.pid} (the vxlab app) since`);
    expect(order).toEqual(['A up started']);

    finishUp();
    await upResult;
    expect(await cli).toBe(0);
    expect(order).toEqual(['A up started', 'A up finished', 'B down']);
  });

  it('describes a holder in one plain line', () => {
    expect(describeHolder({ pid: 42, command: 'vxlab up lab.yaml', since: '2026-11-30T04:12:03.000Z', host: 'elsewhere', token: 't' }))
      .toBe('pid 42 on elsewhere (vxlab up lab.yaml) since 04:12:03 UTC');
  });

  it('takes over a lock file that is not a lock (garbage left by a crash) once it stays unreadable', async () => {
    const state = freshState();
    const locks = new LabLocks(state, { pollMs: 10, unreadableGraceMs: 100 });
    mkdirSync(join(state, 'locks'), { recursive: true });
    writeFileSync(locks.file(LAB), 'not json');
    const waited: unknown[] = [];
    const release = await locks.acquire(LAB, (holder) => waited.push(holder));
    expect((await locks.holder(LAB))?.pid).toBe(process.pid);
    expect(waited).toEqual([]);
    await release();
    expect(existsSync(locks.file(LAB))).toBe(false);
  });

  it('takes over a lock whose pid now belongs to another process (the holder died, its pid was reused)', async () => {
    const state = freshState();
    const locks = new LabLocks(state, { pollMs: 10 });
    mkdirSync(join(state, 'locks'), { recursive: true });
    // This test's own pid runs, but it did not start at tick 1 after boot: not the holder.
    const reused = { pid: process.pid, command: 'vxlab up old.yaml', since: new Date(0).toISOString(), host: hostname(), token: 'old', started: '1' };
    writeFileSync(locks.file(LAB), JSON.stringify(reused));
    const waited: unknown[] = [];
    const release = await locks.acquire(LAB, (holder) => waited.push(holder));
    expect(waited).toEqual([]);
    expect((await locks.holder(LAB))?.token).not.toBe('old');
    await release();
  });

  it('waits for a live holder of the same pid and start (it is the holder)', async () => {
    const state = freshState();
    const locks = new LabLocks(state, { pollMs: 10 });
    const release = await locks.acquire(LAB);
    const waited: LockHolder[] = [];
    const second = locks.acquire(LAB, (holder) => waited.push(holder));
    while (waited.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(waited[0]?.pid).toBe(process.pid);
    await release();
    await (await second)();
  });

  it('refuses a lab name that is not one: the lock never becomes a path outside', () => {
    const locks = new LabLocks(freshState());
    expect(() => locks.file('../../x')).toThrow(/not a lab name/);
  });
});
