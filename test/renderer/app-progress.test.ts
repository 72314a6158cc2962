import { describe, expect, it } from 'vitest';
import { applyEngineEvent, finishOperation, startOperation } from '../../renderer/src/app/progress';
import { applyRuntimeEvent, keepFailures, mergeRuntime } from '../../renderer/src/app/runtime';
import { MAX_RECENT, addRecent, formatWhen, loadRecent } from '../../renderer/src/app/recent';
import { freshLabName } from '../../renderer/src/app/new-lab';
import { memoryStorage } from './app-fakes';

describe('progress rows', () => {
  it('gives a host that runs the same step twice two rows, each finished by its own event', () => {
    let progress = startOperation('up', 0);
    progress = applyEngineEvent(progress, { type: 'step-started', step: 'host', node: 'host-a', detail: '192.168.1.10' }, 0);
    progress = applyEngineEvent(progress, { type: 'step-finished', step: 'host', node: 'host-a', ms: 500 }, 500);
    progress = applyEngineEvent(progress, { type: 'step-started', step: 'host', node: 'host-a', detail: 'waiting for its Docker engine' }, 500);
    progress = applyEngineEvent(progress, { type: 'step-progress', step: 'host', node: 'host-a', detail: 'almost', fraction: 0.5 }, 600);
    expect(progress.rows.map((row) => [row.detail, row.state, row.ms, row.fraction])).toEqual([
      ['192.168.1.10', 'done', 500, undefined],
      ['almost', 'running', undefined, 0.5],
    ]);
  });

  it('marks steps still running as failed when the request fails', () => {
    let progress = startOperation('up', 0);
    progress = applyEngineEvent(progress, { type: 'step-started', step: 'overlay', node: 'host-a' }, 0);
    progress = finishOperation(progress, { ok: false, message: 'boom' });
    expect(progress.rows[0]!.state).toBe('failed');
  });

  it('keeps log messages', () => {
    const progress = applyEngineEvent(startOperation('up', 0), { type: 'log', level: 'warn', message: 'slow mirror' });
    expect(progress.logs).toEqual([{ key: 1, level: 'warn', message: 'slow mirror' }]);
  });
});

describe('runtime state', () => {
  const containers = new Map([['host-a', ['container1']]]);

  it('follows a host through its steps and keeps failures after the operation', () => {
    let overrides = applyRuntimeEvent({}, { type: 'step-started', step: 'host', node: 'host-a', detail: '192.168.1.10' }, containers);
    expect(overrides['host-a']).toEqual({ state: 'creating', detail: '192.168.1.10' });
    overrides = applyRuntimeEvent(overrides, { type: 'step-failed', step: 'container', node: 'host-a', error: 'no image' }, containers);
    expect(overrides['container1']).toEqual({ state: 'failed', detail: 'no image' });
    expect(keepFailures(overrides)).toEqual(overrides);
  });

  it('lets events win over lab.status, which names what runs', () => {
    const status = {
      name: 'l',
      title: '',
      state: 'degraded' as const,
      nodes: [
        { name: 'host-a', kind: 'host' as const, state: 'running', addresses: [] },
        { name: 'host-b', kind: 'host' as const, state: 'exited', addresses: [] },
      ],
    };
    expect(mergeRuntime(status, { 'host-a': { state: 'creating' } })).toEqual({
      'host-a': { state: 'creating' },
      'host-b': { state: 'stopped', detail: 'exited' },
    });
  });
});

describe('recent labs', () => {
  it('keeps at most ten, newest first, one entry per lab name', () => {
    const storage = memoryStorage();
    for (let i = 0; i < 12; i++) addRecent(storage, `version: 1\nname: lab-${i}\ntitle: Lab ${i}\n`, 1000 + i);
    addRecent(storage, 'version: 1\nname: lab-5\ntitle: Lab 5 again\n', 5000);
    const recent = loadRecent(storage);
    expect(recent).toHaveLength(MAX_RECENT);
    expect(recent[0]).toMatchObject({ name: 'lab-5', title: 'Lab 5 again', when: 5000 });
    expect(recent.filter((entry) => entry.name === 'lab-5')).toHaveLength(1);
    expect(recent.map((entry) => entry.when)).toEqual([...recent.map((entry) => entry.when)].sort((a, b) => b - a));
  });

  it('survives a corrupt entry in storage', () => {
    expect(loadRecent(memoryStorage({ 'vxlab.recent': '{nope' }))).toEqual([]);
  });

  it('says when in words', () => {
    expect(formatWhen(0, 30_000)).toBe('just now');
    expect(formatWhen(0, 5 * 60_000)).toBe('5 min ago');
    expect(formatWhen(0, 3 * 3600_000)).toBe('3 h ago');
  });

  it('names a new lab so that it does not clash with a recent one', () => {
    expect(freshLabName([])).toBe('new-lab');
    expect(freshLabName(['new-lab', 'new-lab-2'])).toBe('new-lab-3');
  });
});
