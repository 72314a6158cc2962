import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getField, parseLabDocument } from '../../electron/lab/document.js';
import type { LabDocument } from '../../electron/lab/document.js';
import { addContainer, addHost, moveContainer, remove, rename } from '../../electron/lab/edit-ops.js';
import {
  autoLayout,
  computeAutoLayout,
  containerSize,
  GEOMETRY,
  hostAt,
  materializeLayout,
  resolveLayout,
  setPositions,
  storedPosition,
} from '../../electron/lab/layout.js';
import type { Box } from '../../electron/lab/layout.js';
import { generateLargeLab } from '../../electron/lab/sample-labs.js';

function template(name: string): LabDocument {
  const result = parseLabDocument(readFileSync(join(import.meta.dirname, '../../lab-templates', `${name}.yaml`), 'utf8'));
  if (!result.ok) throw new Error('template does not parse');
  return result.doc;
}

const basics = template('vxlan-basics');

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('computeAutoLayout', () => {
  it('puts hosts in a row, containers inside them and overlays below', () => {
    const layout = computeAutoLayout(basics);
    const a = layout.hosts.get('host-a');
    const b = layout.hosts.get('host-b');
    expect(a).toMatchObject({ x: 0, y: 0 });
    expect(b?.y).toBe(0);
    expect(b!.x).toBeGreaterThanOrEqual(a!.x + a!.w + GEOMETRY.hostGapX);
    const container = layout.containers.get('container1')!;
    expect(container.x).toBeGreaterThanOrEqual(GEOMETRY.hostPadding);
    expect(container.y).toBeGreaterThanOrEqual(GEOMETRY.hostHeader);
    expect(container.x + GEOMETRY.containerWidth).toBeLessThanOrEqual(a!.w);
    const blue = layout.overlays.get('blue')!;
    expect(blue.y).toBeGreaterThan(a!.y + a!.h);
    // Centred under the two hosts that use it.
    expect(blue.x + GEOMETRY.overlayWidth / 2).toBeCloseTo((a!.x + a!.w / 2 + b!.x + b!.w / 2) / 2, 0);
  });

  it('wraps many hosts into a grid with no two boxes overlapping', () => {
    const layout = computeAutoLayout(generateLargeLab(20, 8, 20));
    const boxes = [...layout.hosts.values()];
    expect(new Set(boxes.map((box) => box.y)).size).toBeGreaterThan(1);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!)).toBe(false);
    const overlays = [...layout.overlays.values()].map((point) => ({ ...point, w: GEOMETRY.overlayWidth, h: GEOMETRY.overlayHeight }));
    for (let i = 0; i < overlays.length; i++) for (let j = i + 1; j < overlays.length; j++) expect(overlap(overlays[i]!, overlays[j]!)).toBe(false);
  });

  it('sizes a host to hold its containers', () => {
    const doc = generateLargeLab(1, 8, 8);
    const layout = computeAutoLayout(doc);
    const host = layout.hosts.get('host-1')!;
    for (const [name, point] of layout.containers) {
      const size = containerSize({ interfaces: [{ index: 0, overlay: 'x', ip: '' }] });
      expect(point.x + size.w, name).toBeLessThanOrEqual(host.w);
      expect(point.y + size.h, name).toBeLessThanOrEqual(host.h);
    }
  });
});

describe('stored positions', () => {
  it('resolveLayout keeps stored places and finds free ones for the rest', () => {
    const doc = setPositions(addContainer(basics, 'host-a', { name: 'web' }), [{ kind: 'container', name: 'container1', x: 16, y: 58 }]);
    const layout = resolveLayout(doc);
    expect(layout.containers.get('container1')).toEqual({ x: 16, y: 58 });
    const web = layout.containers.get('web')!;
    const size = containerSize({ interfaces: [] });
    expect(overlap({ ...web, ...size }, { x: 16, y: 58, ...size })).toBe(false);
  });

  it('grows a host to hold a container placed beyond its edge', () => {
    const doc = setPositions(basics, [{ kind: 'container', name: 'container1', x: 400, y: 300 }]);
    const host = resolveLayout(doc).hosts.get('host-a')!;
    expect(host.w).toBeGreaterThanOrEqual(400 + GEOMETRY.containerWidth);
    expect(host.h).toBeGreaterThan(300);
  });

  it('setPositions pins everything else where it was drawn, and stores host sizes', () => {
    const before = resolveLayout(basics);
    const doc = setPositions(basics, [{ kind: 'host', name: 'host-b', x: 900, y: 40, w: 400, h: 300 }]);
    expect(storedPosition(doc, 'host', 'host-b')).toEqual({ x: 900, y: 40, w: 400, h: 300 });
    expect(storedPosition(doc, 'host', 'host-a')).toEqual({ x: before.hosts.get('host-a')!.x, y: before.hosts.get('host-a')!.y });
    expect(storedPosition(doc, 'overlay', 'blue')).toEqual(before.overlays.get('blue'));
    expect(resolveLayout(doc).hosts.get('host-b')).toMatchObject({ w: 400, h: 300 });
  });

  it('ignores positions that are not finite numbers', () => {
    expect(setPositions(basics, [{ kind: 'host', name: 'host-a', x: Number.NaN, y: 0 }])).toBe(basics);
  });

  it('keeps layout keys it does not know', () => {
    const doc = setPositions({ ...basics, layout: { zoom: 2, hosts: { 'host-a': { x: 1, y: 2, pinned: true } } } }, [{ kind: 'host', name: 'host-a', x: 5, y: 6 }]);
    expect(getField(doc, 'layout.zoom')).toBe(2);
    expect(getField(doc, 'layout.hosts.host-a')).toEqual({ x: 5, y: 6, pinned: true });
  });

  it('a new host joins the top row to the right of stored ones', () => {
    const placed = materializeLayout(basics);
    const doc = addHost(placed);
    const layout = resolveLayout(doc);
    const b = layout.hosts.get('host-b')!;
    expect(layout.hosts.get('host-3')).toMatchObject({ y: b.y, x: b.x + b.w + GEOMETRY.hostGapX });
  });

  it('a container moved to another host does not shift the containers already there', () => {
    const before = resolveLayout(basics).containers.get('container2');
    const doc = moveContainer(basics, 'container1', 'host-b', { position: { x: 16, y: 140 } });
    expect(resolveLayout(doc).containers.get('container2')).toEqual(before);
    expect(resolveLayout(doc).containers.get('container1')).toEqual({ x: 16, y: 140 });
  });

  it('follows renames and removals', () => {
    const placed = materializeLayout(basics);
    expect(storedPosition(rename(placed, 'overlay', 'blue', 'tenant'), 'overlay', 'tenant')).toEqual(storedPosition(placed, 'overlay', 'blue'));
    const removed = remove(placed, [{ kind: 'host', name: 'host-a' }]);
    expect(getField(removed, 'layout.hosts.host-a')).toBeUndefined();
    expect(getField(removed, 'layout.containers.container1')).toBeUndefined();
  });
});

describe('autoLayout', () => {
  it('writes every place and drops stored host sizes', () => {
    const resized = setPositions(basics, [{ kind: 'host', name: 'host-a', x: 700, y: 700, w: 900, h: 900 }]);
    const doc = autoLayout(resized);
    expect(storedPosition(doc, 'host', 'host-a')).toEqual({ x: 0, y: 0 });
    expect(storedPosition(doc, 'container', 'container2')).toBeDefined();
    expect(storedPosition(doc, 'overlay', 'blue')).toEqual(computeAutoLayout(basics).overlays.get('blue'));
  });
});

describe('hostAt', () => {
  it('finds the host under a point', () => {
    const layout = resolveLayout(basics);
    const b = layout.hosts.get('host-b')!;
    expect(hostAt(layout, { x: b.x + 10, y: b.y + 10 })).toBe('host-b');
    expect(hostAt(layout, { x: -50, y: -50 })).toBeUndefined();
  });
});

describe('moveContainer without a position', () => {
  it('finds the container a free slot in its new host and leaves the others where they were', () => {
    const before = resolveLayout(basics).containers.get('container2')!;
    const doc = moveContainer(basics, 'container1', 'host-b');
    const layout = resolveLayout(doc);
    expect(layout.containers.get('container2')).toEqual(before);
    const moved = layout.containers.get('container1')!;
    const size = containerSize({ interfaces: [{ index: 0, overlay: 'blue', ip: '' }] });
    expect(overlap({ ...moved, ...size }, { ...before, ...size })).toBe(false);
  });
});
