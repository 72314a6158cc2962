// The x-ray on the real canvas: the node menu's Capture…, Trace to… and Tables, and the
// trace step's highlight of a node and of the tunnel it crosses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createEditorStore, LabEditor } from '../../renderer/src/editor/index';
import type { LabEditorProps } from '../../renderer/src/editor/index';

const BASICS = readFileSync(join(import.meta.dirname, '../../lab-templates/vxlan-basics.yaml'), 'utf8');

/** The real editor on vxlan-basics; `draw` draws it again with other props. */
function renderEditor(props: Omit<LabEditorProps, 'store'>) {
  const store = createEditorStore(BASICS);
  const view = render(<LabEditor store={store} {...props} />);
  const draw = (next: Omit<LabEditorProps, 'store'>) => view.rerender(<LabEditor store={store} {...next} />);
  return { draw };
}

/** React Flow's wrapper of a node. */
const node = (name: string) => document.querySelector<HTMLElement>(`.react-flow__node[aria-label="${name}"]`)!;

function menuItems(name: string): string[] {
  fireEvent.contextMenu(node(name), { clientX: 200, clientY: 200 });
  const menu = screen.getByRole('menu', { name: `Actions for ${name}` });
  return within(menu)
    .getAllByRole('menuitem')
    .map((item) => item.textContent ?? '');
}

describe('the x-ray on the canvas', () => {
  it("offers Capture… on every node, Trace to… on containers and Tables on hosts, and asks the shell to open them", async () => {
    const onXray = vi.fn();
    renderEditor({ onXray, onOpenTerminal: () => {} });
    await waitFor(() => expect(node('container1')).not.toBeNull());
    expect(menuItems('container1')).toEqual(['Open terminal', 'Capture…', 'Trace to…', 'Copy', 'Delete']);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Trace to…' }));
    expect(onXray).toHaveBeenLastCalledWith('trace', 'container1');

    expect(menuItems('host-a')).toEqual(['Open terminal', 'Capture…', 'Tables', 'Copy', 'Delete']);
    fireEvent.click(screen.getByRole('menuitem', { name: 'Tables' }));
    expect(onXray).toHaveBeenLastCalledWith('tables', 'host-a');
    menuItems('host-b');
    fireEvent.click(screen.getByRole('menuitem', { name: 'Capture…' }));
    expect(onXray).toHaveBeenLastCalledWith('capture', 'host-b');
  });

  it('offers no x-ray where the shell gives none', async () => {
    renderEditor({});
    await waitFor(() => expect(node('container1')).not.toBeNull());
    expect(menuItems('container1')).toEqual(['Copy', 'Delete']);
  });

  it("highlights the trace step's node, and the tunnel of its VNI between its two hosts", async () => {
    const { draw } = renderEditor({ highlight: { nodes: ['container1'] } });
    await waitFor(() => expect(node('container1').classList.contains('is-xray-step')).toBe(true));
    expect(document.querySelectorAll('.react-flow__node.is-xray-step')).toHaveLength(1);
    const tunnel = () => document.querySelector('.react-flow__edge[aria-label="Tunnel VNI 42 between host-a and host-b"]');
    expect(tunnel()?.classList.contains('is-xray-step')).toBe(false);

    draw({ highlight: { nodes: ['host-a'], tunnel: { hosts: ['host-b', 'host-a'], vni: 42 } } });
    await waitFor(() => expect(tunnel()?.classList.contains('is-xray-step')).toBe(true));
    expect(node('host-a').classList.contains('is-xray-step')).toBe(true);
    expect(node('container1').classList.contains('is-xray-step')).toBe(false);
    // Another VNI's tunnel is not this one.
    draw({ highlight: { nodes: ['host-a'], tunnel: { hosts: ['host-a', 'host-b'], vni: 77 } } });
    await waitFor(() => expect(tunnel()?.classList.contains('is-xray-step')).toBe(false));
    draw({});
    await waitFor(() => expect(document.querySelectorAll('.is-xray-step')).toHaveLength(0));
  });
});
