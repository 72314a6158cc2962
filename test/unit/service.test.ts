// The service behind every transport: payloads checked where they enter, errors as
// data, templates simplest first, one lab's up/down never overlapping, and the
// engine's status pushes relayed to connected windows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/api/contract.js';
import { VxlabService } from '../../electron/api/service.js';
import { EngineError } from '../../electron/engine/errors.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import type { TerminalManager } from '../../electron/engine/terminals.js';
import type { Lab } from '../../electron/lab/model.js';
import type { LabStatus } from '../../electron/api/types.js';

const templatesDirectory = join(import.meta.dirname, '..', '..', 'lab-templates');
const terminals = { closeAllFor: () => {} } as unknown as TerminalManager;
/** Lock files of these tests go here, never into a person's state directory. */
const stateDirectory = mkdtempSync(join(tmpdir(), 'vxlab-service-test-'));
afterAll(() => rmSync(stateDirectory, { recursive: true, force: true }));

function serviceWith(engine: Partial<LabEngine>) {
  const events: ApiEvent[] = [];
  const service = new VxlabService({ engine: engine as LabEngine, terminals, templatesDirectory, stateDirectory });
  const session = service.connect((event) => events.push(event));
  return { session, events };
}

describe('the API service', () => {
  it('lists the templates simplest first, vxlan-basics leading', async () => {
    const { session } = serviceWith({});
    const answer = await session.handle('templates.list', {});
    expect('result' in answer && (answer.result as { name: string }[]).map((t) => t.name)).toEqual(['vxlan-basics', 'three-hosts', 'multi-tenant']);
  });

  it('refuses an invalid lab with its problems as data, and never calls the engine', async () => {
    let called = false;
    const { session } = serviceWith({ up: async () => ((called = true), { plan: {} as never, ms: 0 }) });
    const answer = await session.handle('lab.up', { text: 'version: 1\nname: Bad Name\n' });
    expect(answer).toMatchObject({ error: { code: 'lab-invalid' } });
    expect(((answer as { error: { details: unknown[] } }).error.details).length).toBeGreaterThan(1);
    expect(called).toBe(false);
  });

  it('carries an engine error across as code, message and hint', async () => {
    const { session } = serviceWith({
      down: async () => {
        throw new EngineError('engine-unreachable', 'No Docker engine answers.', 'Start one.');
      },
    });
    expect(await session.handle('lab.down', { name: 'x' })).toEqual({
      error: { code: 'engine-unreachable', message: 'No Docker engine answers.', hint: 'Start one.' },
    });
  });

  it('rejects extra or mistyped parameters before anything runs', async () => {
    const { session } = serviceWith({});
    expect(await session.handle('lab.status', { name: 'x', extra: 1 })).toMatchObject({ error: { code: 'invalid-params' } });
    expect(await session.handle('terminal.open', { kind: 'node', lab: 'x', node: 'y', cols: 0, rows: 10 })).toMatchObject({
      error: { code: 'invalid-params' },
    });
    expect(await session.handle('no.such.method', {})).toMatchObject({ error: { code: 'unknown-method' } });
  });

  it('refuses null or a list as parameters on every door (IPC included), and takes absent ones as none', async () => {
    const { session } = serviceWith({});
    expect(await session.handle('templates.list', null)).toMatchObject({ error: { code: 'invalid-params' } });
    expect(await session.handle('templates.list', [])).toMatchObject({ error: { code: 'invalid-params' } });
    expect(await session.handle('templates.list', undefined)).toHaveProperty('result');
  });

  it('runs up and down of one lab one after the other, and broadcasts their events', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const { session, events } = serviceWith({
      up: async (lab: Lab, emit) => {
        order.push('up started');
        emit?.({ type: 'step-started', step: 'host', node: 'host-a' });
        await new Promise<void>((resolve) => (release = resolve));
        order.push('up finished');
        return { plan: {} as never, ms: 1 };
      },
      down: async () => {
        order.push('down');
        return { containers: 0, networks: 0, volumes: 0 };
      },
    });
    const text = 'version: 1\nname: q\nunderlay: { subnet: 192.168.7.0/24 }\nhosts: [ { name: host-a, ip: 192.168.7.10 } ]\n';
    const up = session.handle('lab.up', { text });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const down = session.handle('lab.down', { name: 'q' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['up started']);
    release();
    await Promise.all([up, down]);
    expect(order).toEqual(['up started', 'up finished', 'down']);
    expect(events).toContainEqual({ type: 'engine', lab: 'q', event: { type: 'step-started', step: 'host', node: 'host-a' } });
    expect(events.filter((e) => e.type === 'lab-changed')).toHaveLength(2);
  });
});

/** An engine that pushes status as shared-interfaces point 3 describes, and counts its watchers. */
function pushingEngine() {
  const listeners = new Set<(lab: string, status: LabStatus | undefined) => void>();
  let watches = 0;
  const engine = {
    watchStatus(listener: (lab: string, status: LabStatus | undefined) => void) {
      watches++;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    engine: engine as unknown as LabEngine,
    push: (lab: string, status: LabStatus | undefined) => listeners.forEach((listener) => listener(lab, status)),
    watching: () => listeners.size,
    watches: () => watches,
  };
}

describe('lab status pushed to windows', () => {
  const running: LabStatus = { name: 'q', title: 'Q', state: 'running', nodes: [{ name: 'host-a', kind: 'host', state: 'running', addresses: ['192.168.7.10'] }] };

  it('relays the engine status as lab-status events to every connected window, null when the lab is gone', () => {
    const feed = pushingEngine();
    const service = new VxlabService({ engine: feed.engine, terminals, templatesDirectory, stateDirectory });
    const first: ApiEvent[] = [];
    const second: ApiEvent[] = [];
    service.connect((event) => first.push(event));
    service.connect((event) => second.push(event));
    expect(feed.watches()).toBe(1);
    feed.push('q', running);
    feed.push('q', undefined);
    const expected = [
      { type: 'lab-status', lab: 'q', status: running },
      { type: 'lab-status', lab: 'q', status: null },
    ];
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
  });

  it('watches only while a window is connected', () => {
    const feed = pushingEngine();
    const service = new VxlabService({ engine: feed.engine, terminals, templatesDirectory, stateDirectory });
    expect(feed.watching()).toBe(0);
    const a = service.connect(() => {});
    const b = service.connect(() => {});
    expect(feed.watching()).toBe(1);
    a.dispose();
    expect(feed.watching()).toBe(1);
    b.dispose();
    expect(feed.watching()).toBe(0);
    service.connect(() => {});
    expect(feed.watching()).toBe(1);
    expect(feed.watches()).toBe(2);
  });

  it('does not watch for a session that asks for no status (the CLI)', () => {
    const feed = pushingEngine();
    const service = new VxlabService({ engine: feed.engine, terminals, templatesDirectory, stateDirectory });
    const events: ApiEvent[] = [];
    service.connect((event) => events.push(event), { statusEvents: false });
    expect(feed.watching()).toBe(0);
    feed.push('q', running);
    expect(events).toEqual([]);
  });

  it('works with an engine that does not push status', () => {
    const service = new VxlabService({ engine: {} as LabEngine, terminals, templatesDirectory, stateDirectory });
    expect(() => service.connect(() => {}).dispose()).not.toThrow();
  });
});

describe('a service without terminals (the CLI)', () => {
  it('answers terminal requests with an error that says where terminals are', async () => {
    const session = new VxlabService({ engine: {} as LabEngine, templatesDirectory, stateDirectory }).connect(() => {}, { statusEvents: false });
    const answer = await session.handle('terminal.open', { kind: 'machine', cols: 80, rows: 24 });
    expect(answer).toMatchObject({ error: { message: expect.stringContaining('only in the app'), hint: expect.stringContaining('vxlab exec') } });
  });

  it('makes its engine only when a request needs one', async () => {
    let made = 0;
    const service = new VxlabService({ engine: () => (made++, { status: async () => ({ name: 'q' }) } as unknown as LabEngine), templatesDirectory, stateDirectory });
    const session = service.connect(() => {}, { statusEvents: false });
    await session.handle('lab.validate', { text: 'version: 1\n' });
    expect(made).toBe(0);
    await session.handle('lab.status', { name: 'q' });
    await session.handle('lab.status', { name: 'q' });
    expect(made).toBe(1);
  });
});

describe('lab text size', () => {
  it('lets validation judge a file up to the lab file limit, and names the limit past it', async () => {
    const { session } = serviceWith({});
    // 600,000 characters, 1.2 MB of UTF-8: within the contract's bound, over the file limit.
    const justOver = `# ${'é'.repeat(600_000)}\n`;
    const answer = await session.handle('lab.validate', { text: justOver });
    expect(answer).toMatchObject({ result: { problems: [{ code: 'limit-exceeded' }] } });
    const farOver = 'x'.repeat(3 * 1024 * 1024);
    const refused = await session.handle('lab.validate', { text: farOver });
    expect(refused).toMatchObject({ error: { code: 'invalid-params', message: expect.stringContaining('text: a lab file may be at most 1 MiB') } });
  });
});
