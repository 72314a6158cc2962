import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createEditorStore, LabEditor } from '../../renderer/src/editor/index';
import type { EditorStore, RuntimeState } from '../../renderer/src/editor/index';

const BASICS = readFileSync(join(import.meta.dirname, '../../lab-templates/vxlan-basics.yaml'), 'utf8');

function renderEditor(text = BASICS, props: { runtime?: RuntimeState; onOpenTerminal?: (node: string) => void } = {}) {
  const store = createEditorStore(text);
  const view = render(
    <div style={{ width: 1200, height: 800 }}>
      <LabEditor store={store} {...props} />
    </div>,
  );
  return { store, ...view };
}

/** React Flow's wrapper of a node, found by its accessible name. */
function node(name: string): HTMLElement {
  const wrapper = document.querySelector<HTMLElement>(`.react-flow__node[aria-label="${name}"]`);
  if (!wrapper) throw new Error(`no node named ${name}`);
  return wrapper;
}

/** happy-dom has no DragEvent: a plain event with what a palette drag carries. */
function paletteDrag(type: 'dragover' | 'drop', kind: string, clientX: number, clientY: number): Event {
  const event = new Event(type, { bubbles: true, cancelable: true });
  const data = new Map([['application/vxlab-node', kind]]);
  const dataTransfer = { types: [...data.keys(), `application/vxlab-kind-${kind}`], getData: (key: string) => data.get(key) ?? '', dropEffect: 'none' };
  Object.assign(event, { clientX, clientY, dataTransfer });
  return event;
}

function problemsOf(store: EditorStore) {
  return store.getSnapshot().problems;
}

describe('LabEditor with the vxlan-basics template', () => {
  it('draws host-a, host-b, container1, container2 and blue as named nodes', async () => {
    renderEditor();
    for (const name of ['host-a', 'host-b', 'container1', 'container2', 'blue']) {
      await waitFor(() => expect(screen.getByRole('group', { name })).toBeTruthy());
    }
    expect(node('container1').textContent).toContain('10.0.1.2');
    expect(node('blue').textContent).toContain('VNI 42');
  });

  it('draws a tunnel labelled VNI 42 between host-a and host-b', async () => {
    renderEditor();
    const tunnel = await waitFor(() => {
      const edge = document.querySelector<SVGElement>('.react-flow__edge[aria-label="Tunnel VNI 42 between host-a and host-b"]');
      if (!edge) throw new Error('no tunnel edge yet');
      return edge;
    });
    expect(tunnel.getAttribute('data-id')).toBe('tunnel:42:host-a:host-b');
    await waitFor(() => expect(document.querySelector('.vx-tunnel-label')?.textContent).toBe('VNI 42'));
    expect(document.querySelectorAll('.react-flow__edge[aria-label^="container"]')).toHaveLength(2);
  });

  it('shows a duplicate address as a problem on the element and in the list, and undo takes it back', async () => {
    const { store } = renderEditor();
    expect(problemsOf(store)).toEqual([]);
    fireEvent.click(await waitFor(() => node('container2')));
    const properties = screen.getByRole('complementary', { name: 'Properties' });
    const ip = within(properties).getByLabelText('IP address on blue');
    expect((ip as HTMLInputElement).value).toBe('10.0.2.3');

    fireEvent.change(ip, { target: { value: '10.0.1.2' } });

    expect(problemsOf(store).map((problem) => [problem.code, problem.path])).toEqual([['duplicate-ip', 'containers[1].interfaces[0].ip']]);
    expect(store.getSnapshot().dirty).toBe(true);
    const list = screen.getByRole('region', { name: 'Problems' });
    expect(within(list).getByText(/already used on overlay blue/)).toBeTruthy();
    await waitFor(() => expect(node('container2').classList.contains('has-problem')).toBe(true));
    expect(within(node('container2')).getByRole('note').textContent).toMatch(/already used/);
    expect(within(properties).getByText(/already used on overlay blue/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));

    expect(problemsOf(store)).toEqual([]);
    expect(store.getSnapshot().text).toBe(BASICS);
    expect(store.getSnapshot().dirty).toBe(false);
    await waitFor(() => expect(node('container2').classList.contains('has-problem')).toBe(false));
    expect((within(properties).getByLabelText('IP address on blue') as HTMLInputElement).value).toBe('10.0.2.3');
  });

  it('clicking a problem selects its element and focuses the field to fix', async () => {
    const { store } = renderEditor(BASICS.replace('vni: 42', 'vni: 0'));
    const list = screen.getByRole('region', { name: 'Problems' });
    fireEvent.click(within(list).getByRole('button', { name: /VNI/ }));
    expect(store.getState().selection).toEqual(['overlay:blue']);
    const vni = within(screen.getByRole('complementary', { name: 'Properties' })).getByLabelText('VNI');
    await waitFor(() => expect(document.activeElement).toBe(vni));
    await waitFor(() => expect(node('blue').classList.contains('has-problem')).toBe(true));
  });

  it('adds host-3 from the palette button, selected and ready to edit', async () => {
    const { store } = renderEditor();
    fireEvent.click(screen.getByRole('button', { name: 'Add host' }));
    await waitFor(() => expect(node('host-3')).toBeTruthy());
    expect(store.getState().selection).toEqual(['host:host-3']);
    expect(store.getSnapshot().text).toContain('- { name: host-3, ip: 192.168.1.30 }');
    expect(within(screen.getByRole('complementary', { name: 'Properties' })).getByLabelText('Underlay IP')).toHaveProperty('value', '192.168.1.30');
    expect(problemsOf(store)).toEqual([]);
  });

  it('adds a container into the selected host, and refuses one without hosts', async () => {
    const { store } = renderEditor();
    fireEvent.click(await waitFor(() => node('host-b')));
    fireEvent.click(screen.getByRole('button', { name: 'Add container' }));
    await waitFor(() => expect(node('container3')).toBeTruthy());
    expect(node('container3').closest('.react-flow__nodes')).toBeTruthy();
    expect(store.getSnapshot().text).toMatch(/name: container3\n\s+host: host-b/);

    act(() => store.load('version: 1\nname: empty\nunderlay: { subnet: 192.168.9.0/24 }\nhosts: []\n'));
    fireEvent.click(screen.getByRole('button', { name: 'Add container' }));
    expect(screen.getByRole('status').textContent).toMatch(/Add a host first/);
  });

  it('adds an element dropped from the palette where it was dropped', async () => {
    const { store } = renderEditor();
    const canvas = document.querySelector('.vx-canvas') as HTMLElement;
    fireEvent(canvas, paletteDrag('dragover', 'overlay', 300, 500));
    fireEvent(canvas, paletteDrag('drop', 'overlay', 300, 500));
    await waitFor(() => expect(node('overlay-2')).toBeTruthy());
    expect(store.getSnapshot().text).toMatch(/name: overlay-2\n\s+vni: 43\n\s+subnet: 10.1.0.0\/16/);
    // The drop point (300, 500) on the screen, in canvas coordinates, is the overlay's centre.
    const { x, y } = store.getSnapshot().text.match(/overlay-2: \{ x: (?<x>-?\d+), y: (?<y>-?\d+) \}/)?.groups ?? {};
    expect(Number.isFinite(Number(x)) && Number.isFinite(Number(y))).toBe(true);
  });

  it('deletes the selection with the Delete key, removing a host with its containers', async () => {
    const { store } = renderEditor();
    fireEvent.click(await waitFor(() => node('host-a')));
    fireEvent.keyDown(node('host-a'), { key: 'Delete' });
    await waitFor(() => expect(document.querySelector('.react-flow__node[aria-label="container1"]')).toBeNull());
    expect(document.querySelector('.react-flow__node[aria-label="host-a"]')).toBeNull();
    expect(store.getSnapshot().text).not.toContain('name: container1');
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(node('container1')).toBeTruthy());
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(document.querySelector('.react-flow__node[aria-label="host-a"]')).toBeNull());
  });

  it('copies and pastes a container with Ctrl+C and Ctrl+V under a fresh name', async () => {
    const { store } = renderEditor();
    fireEvent.click(await waitFor(() => node('container1')));
    fireEvent.keyDown(node('container1'), { key: 'c', ctrlKey: true });
    fireEvent.keyDown(node('container1'), { key: 'v', ctrlKey: true });
    await waitFor(() => expect(node('container3')).toBeTruthy());
    expect(store.getState().selection).toEqual(['container:container3']);
    expect(problemsOf(store)).toEqual([]);
  });

  it('renames a host from the property panel and its containers follow', async () => {
    const { store } = renderEditor();
    fireEvent.click(await waitFor(() => node('host-a')));
    const name = within(screen.getByRole('complementary', { name: 'Properties' })).getByLabelText('Name');
    fireEvent.change(name, { target: { value: 'edge' } });
    fireEvent.keyDown(name, { key: 'Enter' });
    await waitFor(() => expect(node('edge')).toBeTruthy());
    expect(store.getSnapshot().text).toMatch(/name: container1\n\s+host: edge/);
    expect(problemsOf(store)).toEqual([]);
  });

  it('edits the lab fields when nothing is selected', () => {
    const { store } = renderEditor();
    const properties = screen.getByRole('complementary', { name: 'Properties' });
    for (const label of ['Name', 'Title', 'Description', 'Underlay subnet', 'Underlay MTU']) expect(within(properties).getByLabelText(label)).toBeTruthy();
    fireEvent.change(within(properties).getByLabelText('Underlay MTU'), { target: { value: '1400' } });
    expect(problemsOf(store).map((problem) => problem.code)).toEqual(['mtu-too-large']);
  });

  it('shows live state on nodes, and opens a terminal on double-click and from the context menu', async () => {
    const onOpenTerminal = vi.fn();
    renderEditor(BASICS, {
      runtime: { 'host-a': { state: 'running' }, container2: { state: 'failed', detail: 'image vxlab-node not found' } },
      onOpenTerminal,
    });
    await waitFor(() => expect(within(node('host-a')).getByText('running')).toBeTruthy());
    expect(node('container2').textContent).toContain('image vxlab-node not found');

    fireEvent.doubleClick(node('container1'));
    expect(onOpenTerminal).toHaveBeenLastCalledWith('container1');

    fireEvent.contextMenu(node('host-b'), { clientX: 200, clientY: 200 });
    const menu = screen.getByRole('menu', { name: 'Actions for host-b' });
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Open terminal' }));
    expect(onOpenTerminal).toHaveBeenLastCalledWith('host-b');
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('gives every control an accessible name', () => {
    renderEditor();
    for (const button of screen.getAllByRole('button')) {
      expect(button.getAttribute('aria-label') ?? button.textContent, button.outerHTML.slice(0, 80)).not.toBe('');
    }
    for (const input of document.querySelectorAll('.vx-editor input, .vx-editor select, .vx-editor textarea')) {
      expect(document.querySelector(`label[for="${input.id}"]`), input.outerHTML).toBeTruthy();
    }
  });

  it('follows a load: the new lab replaces the old and history starts over', async () => {
    const { store } = renderEditor();
    const three = readFileSync(join(import.meta.dirname, '../../lab-templates/three-hosts.yaml'), 'utf8');
    act(() => store.load(three));
    await waitFor(() => expect(node('host-c')).toBeTruthy());
    expect(document.querySelectorAll('.react-flow__edge[aria-label^="Tunnel VNI 300"]')).toHaveLength(3);
    expect(store.getSnapshot()).toMatchObject({ labName: 'three-hosts', canUndo: false, dirty: false, text: three });
  });

  it('explains a file that is not a lab mapping instead of drawing it', () => {
    const { store } = renderEditor('- just\n- a list\n');
    expect(screen.getByRole('note').textContent).toMatch(/not a YAML mapping/);
    expect(problemsOf(store)[0]?.code).toBe('wrong-type');
    expect(store.getSnapshot().text).toBe('- just\n- a list\n');
  });
});
