// .tsx, not .ts: the root tsconfig (NodeNext) takes test/**/*.ts, and the renderer is checked by renderer/tsconfig.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setField } from '../../electron/lab/edit-ops';
import { resolveLayout, setPositions } from '../../electron/lab/layout';
import { addOverlayAt, canConnect, connect, DROP_ON_A_HOST, dropNew } from '../../renderer/src/editor/commands';
import { createEditorStore } from '../../renderer/src/editor/index';
import { asLabEditorStore } from '../../renderer/src/editor/store';

const BASICS = readFileSync(join(import.meta.dirname, '../../lab-templates/vxlan-basics.yaml'), 'utf8');

function basicsStore() {
  return asLabEditorStore(createEditorStore(BASICS));
}

describe('createEditorStore', () => {
  it('starts from a new lab when given no text, and from the text as it is when given some', () => {
    const empty = createEditorStore();
    expect(empty.getSnapshot()).toMatchObject({ labName: 'new-lab', canUndo: false, dirty: false });
    expect(empty.getSnapshot().problems.map((problem) => problem.code)).toEqual(['required']);
    const basics = createEditorStore(BASICS);
    expect(basics.getSnapshot()).toMatchObject({ text: BASICS, labName: 'vxlan-basics', problems: [], dirty: false });
  });

  it('keeps the snapshot object while nothing changes', () => {
    const store = basicsStore();
    expect(store.getSnapshot()).toBe(store.getSnapshot());
    store.select(['host:host-a']);
    expect(store.getSnapshot()).toBe(store.getSnapshot());
  });

  it("keeps a template's editor modeline through edits, so the saved file is still checked by people's editors", () => {
    const store = basicsStore();
    store.apply((doc) => setField(doc, 'overlays[0].vni', 43));
    const text = store.getSnapshot().text;
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./vxlab.schema.json');
    expect(text).toContain('vni: 43');
  });

  it('checks the text it would save, with line numbers in that text', () => {
    const store = basicsStore();
    store.apply((doc) => setField(doc, 'overlays[0].vni', 0));
    const [problem] = store.getSnapshot().problems;
    expect(problem).toMatchObject({ code: 'vni-range', path: 'overlays[0].vni' });
    expect(store.getSnapshot().text.split('\n')[(problem?.line ?? 0) - 1]).toContain('vni: 0');
  });

  it('makes one undo step of typing in one field', () => {
    const store = basicsStore();
    for (const ip of ['1', '10', '10.0.2', '10.0.2.9']) store.apply((doc) => setField(doc, 'containers[1].interfaces[0].ip', ip), { coalesce: 'containers[1].interfaces[0].ip' });
    expect(store.getSnapshot().text).toContain('ip: 10.0.2.9');
    store.undo();
    expect(store.getSnapshot()).toMatchObject({ text: BASICS, dirty: false, canUndo: false, canRedo: true });
    store.redo();
    expect(store.getSnapshot().text).toContain('ip: 10.0.2.9');
  });

  it('starts a new undo step after the selection changes, even in the same field', () => {
    const store = basicsStore();
    const edit = (ip: string) => store.apply((doc) => setField(doc, 'hosts[0].ip', ip), { coalesce: 'hosts[0].ip' });
    edit('192.168.1.11');
    store.select(['host:host-a']);
    edit('192.168.1.12');
    store.undo();
    expect(store.getSnapshot().text).toContain('192.168.1.11');
  });

  it('makes one undo step of a drag, committed once when it stops', () => {
    const store = basicsStore();
    store.apply((doc) => setPositions(doc, [{ kind: 'host', name: 'host-a', x: 300, y: 200 }]));
    expect(store.getSnapshot().text).toMatch(/host-a: \{ x: 300, y: 200 \}/);
    store.undo();
    expect(store.getSnapshot().text).toBe(BASICS);
  });

  it('is clean again after undoing back to what was saved, and after markSaved', () => {
    const store = basicsStore();
    store.apply((doc) => setField(doc, 'title', 'Changed'));
    expect(store.getSnapshot().dirty).toBe(true);
    store.markSaved();
    expect(store.getSnapshot().dirty).toBe(false);
    store.apply((doc) => setField(doc, 'title', 'Changed again'), { coalesce: 'title' });
    store.apply((doc) => setField(doc, 'title', 'Changed again!'), { coalesce: 'title' });
    store.undo();
    expect(store.getSnapshot()).toMatchObject({ dirty: false });
    expect(store.getSnapshot().text).toContain('title: Changed\n');
  });

  it('load replaces the lab, clears history and selection', () => {
    const store = basicsStore();
    store.apply((doc) => setField(doc, 'title', 'x'));
    store.select(['host:host-a']);
    store.load('version: 1\nname: other\nunderlay: { subnet: 192.168.5.0/24 }\nhosts: [ { name: h, ip: 192.168.5.10 } ]\n');
    expect(store.getSnapshot()).toMatchObject({ labName: 'other', canUndo: false, dirty: false, problems: [] });
    expect(store.getState().selection).toEqual([]);
    expect(store.getState().generation).toBe(1);
  });

  it('keeps text that is not YAML as it is, with its problems, and refuses edits', () => {
    const store = asLabEditorStore(createEditorStore('name: [oops\n'));
    expect(store.getSnapshot().text).toBe('name: [oops\n');
    expect(store.getSnapshot().problems[0]?.code).toBe('yaml-syntax');
    expect(store.apply((doc) => setField(doc, 'name', 'x'))).toBe(false);
  });

  it('copies and pastes the selection, selecting the copies', () => {
    const store = basicsStore();
    store.select(['host:host-b']);
    store.copySelection();
    store.paste();
    expect(store.getState().selection).toEqual(['host:host-b-2', 'container:container3']);
    expect(store.getSnapshot().problems).toEqual([]);
  });

  it('deletes the selection in one undo step and drops ids that no longer exist', () => {
    const store = basicsStore();
    store.select(['overlay:blue', 'container:container1']);
    store.deleteSelection();
    expect(store.getState().selection).toEqual([]);
    expect(store.getSnapshot().text).not.toMatch(/name: blue/);
    store.undo();
    expect(store.getSnapshot().text).toBe(BASICS);
  });

  it('ignores ids of elements that do not exist', () => {
    const store = basicsStore();
    store.select(['host:nope', 'host:host-a']);
    expect(store.getState().selection).toEqual(['host:host-a']);
  });
});

describe('commands', () => {
  it('connect attaches a container to an overlay drawn either way, with a proposed address, and selects the line', () => {
    const store = basicsStore();
    addOverlayAt(store);
    expect(canConnect(store, 'overlay:overlay-2', 'container:container2')).toBe(true);
    connect(store, 'overlay:overlay-2', 'container:container2');
    expect(store.getSnapshot().text).toContain('interfaces: [ { overlay: blue, ip: 10.0.2.3 }, { overlay: overlay-2, ip: 10.1.2.2 } ]');
    expect(store.getState().selection).toEqual(['iface:container:container2>overlay-2#1']);
    expect(canConnect(store, 'container:container2', 'overlay:overlay-2')).toBe(false);
    expect(canConnect(store, 'host:host-a', 'overlay:blue')).toBe(false);
  });

  it('a container dropped outside every host is refused with a notice', () => {
    const store = basicsStore();
    const layout = resolveLayout(store.getState().doc!);
    dropNew(store, 'container', { x: -500, y: -500 }, layout);
    expect(store.getSnapshot().canUndo).toBe(false);
    expect(store.getState().notice).toMatchObject({ tone: 'error', text: DROP_ON_A_HOST });
    const host = layout.hosts.get('host-b')!;
    dropNew(store, 'container', { x: host.x + 120, y: host.y + 120 }, layout);
    expect(store.getSnapshot().text).toMatch(/name: container3\n\s+host: host-b/);
  });
});
