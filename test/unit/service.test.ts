// The service behind every transport: payloads checked where they enter, errors as
// data, templates simplest first, and one lab's up/down never overlapping.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/api/contract.js';
import { VxlabService } from '../../electron/api/service.js';
import { EngineError } from '../../electron/engine/errors.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import type { TerminalManager } from '../../electron/engine/terminals.js';
import type { Lab } from '../../electron/lab/model.js';

const templatesDirectory = join(import.meta.dirname, '..', '..', 'lab-templates');
const terminals = { closeAllFor: () => {} } as unknown as TerminalManager;

function serviceWith(engine: Partial<LabEngine>) {
  const events: ApiEvent[] = [];
  const service = new VxlabService({ engine: engine as LabEngine, terminals, templatesDirectory });
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
