import { describe, expect, it } from 'vitest';
import { MAX_EVENT_LINE, eventLineReader, labOfDockerEvent } from '../../electron/engine/docker-events.js';
import { labOfLabels } from '../../electron/engine/labels.js';

function containerEvent(action: string, attributes: Record<string, unknown>): unknown {
  return { Type: 'container', Action: action, Actor: { ID: 'abc', Attributes: { name: 'x', ...attributes } } };
}

describe('labOfLabels', () => {
  it('reads a valid lab name from the vxlab.lab label', () => {
    expect(labOfLabels({ 'vxlab.lab': 'vxlan-basics', 'vxlab.role': 'host' })).toBe('vxlan-basics');
  });

  it('ignores a label value that is not a valid lab name', () => {
    for (const value of ['../..', '', 'Upper', '-x', 'a/b', 'x\u001b[2J', 'a'.repeat(10_000), ' basics']) {
      expect(labOfLabels({ 'vxlab.lab': value })).toBeUndefined();
    }
    expect(labOfLabels({ 'vxlab.lab': 42 as unknown as string })).toBeUndefined();
    expect(labOfLabels({})).toBeUndefined();
    expect(labOfLabels(null)).toBeUndefined();
  });
});

describe('labOfDockerEvent', () => {
  it('maps start, die and destroy of a lab container to its lab', () => {
    for (const action of ['start', 'die', 'destroy', 'create']) {
      expect(labOfDockerEvent(containerEvent(action, { 'vxlab.lab': 't-watch' }))).toBe('t-watch');
    }
  });

  it('ignores actions that change no node, and objects that are not containers', () => {
    expect(labOfDockerEvent(containerEvent('exec_start: sh', { 'vxlab.lab': 't-watch' }))).toBeUndefined();
    expect(labOfDockerEvent(containerEvent('attach', { 'vxlab.lab': 't-watch' }))).toBeUndefined();
    expect(labOfDockerEvent({ Type: 'network', Action: 'destroy', Actor: { Attributes: { 'vxlab.lab': 't-watch' } } })).toBeUndefined();
  });

  it('ignores a label value that is not a valid lab name', () => {
    expect(labOfDockerEvent(containerEvent('start', { 'vxlab.lab': '../..' }))).toBeUndefined();
    expect(labOfDockerEvent(containerEvent('start', { 'vxlab.lab': 'a'.repeat(41) }))).toBeUndefined();
    expect(labOfDockerEvent(containerEvent('start', {}))).toBeUndefined();
  });

  it('ignores malformed events without throwing', () => {
    for (const event of [null, 42, 'start', [], {}, { Type: 'container' }, { Type: 'container', Action: 'start' },
      { Type: 'container', Action: 'start', Actor: null }, { Type: 'container', Action: 'start', Actor: { Attributes: [] } },
      { Type: 'container', Action: ['start'], Actor: { Attributes: { 'vxlab.lab': 'ok' } } }]) {
      expect(labOfDockerEvent(event)).toBeUndefined();
    }
  });
});

describe('eventLineReader', () => {
  function collect(): { events: unknown[]; push: (chunk: Buffer | string) => void } {
    const events: unknown[] = [];
    return { events, push: eventLineReader((event) => events.push(event)) };
  }

  it('parses one event per line, across chunk boundaries and several per chunk', () => {
    const { events, push } = collect();
    push('{"a":1}\n{"b"');
    expect(events).toEqual([{ a: 1 }]);
    push(':2}\n{"c":3}\n');
    expect(events).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('keeps a character split between two chunks whole', () => {
    const { events, push } = collect();
    const bytes = Buffer.from('{"name":"é"}\n');
    const split = bytes.indexOf(0xc3) + 1;
    push(bytes.subarray(0, split));
    push(bytes.subarray(split));
    expect(events).toEqual([{ name: 'é' }]);
  });

  it('skips lines that are not JSON and goes on', () => {
    const { events, push } = collect();
    push('not json\n\n{"ok":true}\n');
    expect(events).toEqual([{ ok: true }]);
  });

  it('drops a line longer than the limit whole, even when it arrives in pieces, and reads the next', () => {
    const { events, push } = collect();
    const piece = 'x'.repeat(MAX_EVENT_LINE / 2 + 1);
    push(`{"big":"${piece}`);
    push(piece);
    push(`${piece}"}\n{"next":1}\n`);
    expect(events).toEqual([{ next: 1 }]);
    push(`{"one":"${'y'.repeat(MAX_EVENT_LINE)}"}\n{"after":2}\n`);
    expect(events).toEqual([{ next: 1 }, { after: 2 }]);
  });
});
