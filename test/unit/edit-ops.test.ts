import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containersOf, getField, hostsOf, overlaysOf, parseLabDocument, serializeLabDocument } from '../../electron/lab/document.js';
import type { LabDocument } from '../../electron/lab/document.js';
import {
  addContainer,
  addHost,
  addOverlay,
  attach,
  copyElements,
  detach,
  moveContainer,
  newLab,
  pasteElements,
  proposeHostIp,
  remove,
  rename,
  setField,
  uniqueName,
} from '../../electron/lab/edit-ops.js';
import { storedPosition } from '../../electron/lab/layout.js';
import { parseLabText } from '../../electron/lab/parse.js';
import type { Problem } from '../../electron/lab/model.js';

function template(name: string): LabDocument {
  const result = parseLabDocument(readFileSync(join(import.meta.dirname, '../../lab-templates', `${name}.yaml`), 'utf8'));
  if (!result.ok) throw new Error('template does not parse');
  return result.doc;
}

function problemsOf(doc: LabDocument): Problem[] {
  const result = parseLabText(serializeLabDocument(doc));
  return result.ok ? [] : result.problems;
}

const basics = template('vxlan-basics');

describe('edits are immutable', () => {
  it('never changes the document it is given', () => {
    const before = JSON.stringify(basics);
    addHost(basics);
    addOverlay(basics);
    addContainer(basics, 'host-a');
    attach(basics, 'container1', 'blue');
    moveContainer(basics, 'container1', 'host-b', { position: { x: 1, y: 2 } });
    rename(basics, 'host', 'host-a', 'host-z');
    remove(basics, [{ kind: 'host', name: 'host-a' }]);
    setField(basics, 'overlays[0].vni', 7);
    pasteElements(basics, copyElements(basics, [{ kind: 'host', name: 'host-a' }]));
    expect(JSON.stringify(basics)).toBe(before);
  });
});

describe('newLab', () => {
  it('is an empty lab whose only problem is that it has no host yet', () => {
    expect(problemsOf(newLab()).map((problem) => problem.code)).toEqual(['required']);
    expect(problemsOf(addHost(newLab()))).toEqual([]);
  });
});

describe('addHost', () => {
  it('names the host host-N, unique across hosts and containers', () => {
    expect(hostsOf(addHost(basics)).at(-1)).toMatchObject({ name: 'host-3' });
    const crowded = addContainer(basics, 'host-a', { name: 'host-3' });
    expect(hostsOf(addHost(crowded)).at(-1)?.name).toBe('host-4');
  });

  it('proposes the next address of the pattern, never a reserved one', () => {
    expect(hostsOf(addHost(basics)).at(-1)?.ip).toBe('192.168.1.30');
    expect(hostsOf(addHost(newLab())).at(-1)?.ip).toBe('192.168.50.10');
    expect(proposeHostIp(setField(newLab(), 'underlay.subnet', '10.9.9.0/29'))).toBe('10.9.9.2');
    const full = ['.2', '.3', '.4', '.5', '.6'].reduce(
      (doc, last) => addHost(doc, { ip: `10.9.9${last}` }),
      setField(newLab(), 'underlay.subnet', '10.9.9.0/29'),
    );
    expect(proposeHostIp(full)).toBe('');
    let doc = basics;
    for (let n = 0; n < 5; n++) doc = addHost(doc);
    expect(problemsOf(doc)).toEqual([]);
  });

  it('stores a drop position', () => {
    const doc = addHost(basics, { position: { x: 500, y: 40 } });
    expect(storedPosition(doc, 'host', 'host-3')).toEqual({ x: 500, y: 40 });
    // The others are pinned where they were drawn, so they do not jump.
    expect(storedPosition(doc, 'host', 'host-a')).toBeDefined();
  });
});

describe('addOverlay', () => {
  it('takes the next VNI and a /16 that overlaps neither the underlay nor another overlay', () => {
    const doc = addOverlay(basics);
    expect(overlaysOf(doc).at(-1)).toEqual({ index: 1, name: 'overlay-2', vni: 43, subnet: '10.1.0.0/16' });
    expect(getField(doc, 'overlays[1]')).toEqual({ name: 'overlay-2', vni: 43, subnet: '10.1.0.0/16' });
    const first = addOverlay(setField(newLab(), 'underlay.subnet', '10.0.0.0/8'));
    expect(overlaysOf(first)[0]).toMatchObject({ vni: 42, subnet: '172.16.0.0/16' });
    expect(problemsOf(addHost(first))).toEqual([]);
  });

  it('keeps its proposals valid', () => {
    expect(problemsOf(addOverlay(addOverlay(basics)))).toEqual([]);
  });
});

describe('addContainer and attach', () => {
  it('adds a container on a host, and attach proposes an address in that host range', () => {
    let doc = addContainer(basics, 'host-b');
    expect(containersOf(doc).at(-1)).toMatchObject({ name: 'container3', host: 'host-b', interfaces: [] });
    doc = attach(doc, 'container3', 'blue');
    expect(containersOf(doc).at(-1)?.interfaces).toEqual([{ index: 0, overlay: 'blue', ip: '10.0.2.2' }]);
    expect(problemsOf(doc)).toEqual([]);
  });

  it('takes a given address, and ignores a second attach to the same overlay', () => {
    const doc = attach(addContainer(basics, 'host-a'), 'container3', 'blue', '10.0.9.9');
    expect(attach(doc, 'container3', 'blue')).toBe(doc);
    expect(getField(doc, 'containers[2].interfaces')).toEqual([{ overlay: 'blue', ip: '10.0.9.9' }]);
  });

  it('detach removes only that interface', () => {
    const two = attach(addOverlay(basics, { name: 'red' }), 'container1', 'red');
    expect(containersOf(two)[0]?.interfaces.map((iface) => iface.overlay)).toEqual(['blue', 'red']);
    expect(getField(detach(two, 'container1', 'blue'), 'containers[0].interfaces')).toEqual([{ overlay: 'red', ip: '10.1.1.2' }]);
  });
});

describe('moveContainer', () => {
  it('re-proposes addresses that came from the old host range', () => {
    const doc = moveContainer(basics, 'container1', 'host-b');
    expect(containersOf(doc)[0]).toMatchObject({ host: 'host-b', interfaces: [{ overlay: 'blue', ip: '10.0.2.2' }] });
    expect(problemsOf(doc)).toEqual([]);
  });

  it('keeps addresses chosen by hand outside that range', () => {
    const handPicked = setField(basics, 'containers[0].interfaces[0].ip', '10.0.200.7');
    expect(containersOf(moveContainer(handPicked, 'container1', 'host-b'))[0]?.interfaces[0]?.ip).toBe('10.0.200.7');
  });

  it('stores the new place relative to the new host', () => {
    const doc = moveContainer(basics, 'container1', 'host-b', { position: { x: 16, y: 140 } });
    expect(storedPosition(doc, 'container', 'container1')).toEqual({ x: 16, y: 140 });
  });
});

describe('rename', () => {
  it('renaming a host updates the containers on it and its layout entry', () => {
    const placed = addHost(basics, { position: { x: 0, y: 0 } });
    const doc = rename(placed, 'host', 'host-a', 'edge-1');
    expect(hostsOf(doc)[0]?.name).toBe('edge-1');
    expect(containersOf(doc)[0]?.host).toBe('edge-1');
    expect(storedPosition(doc, 'host', 'edge-1')).toBeDefined();
    expect(storedPosition(doc, 'host', 'host-a')).toBeUndefined();
    expect(problemsOf(doc)).toEqual([]);
  });

  it('renaming an overlay updates every interface on it', () => {
    const doc = rename(basics, 'overlay', 'blue', 'tenant-1');
    expect(containersOf(doc).flatMap((container) => container.interfaces.map((iface) => iface.overlay))).toEqual(['tenant-1', 'tenant-1']);
    expect(problemsOf(doc)).toEqual([]);
  });

  it('renaming a container keeps its layout entry', () => {
    const doc = rename(addContainer(basics, 'host-a', { position: { x: 16, y: 60 } }), 'container', 'container3', 'web');
    expect(storedPosition(doc, 'container', 'web')).toEqual({ x: 16, y: 60 });
  });

  it('leaves references alone when the old name is shared, renaming only the chosen entry', () => {
    const twice = setField(basics, 'hosts[1].name', 'host-a');
    const doc = rename(twice, 'host', 'host-a', 'host-b', 1);
    expect(hostsOf(doc).map((host) => host.name)).toEqual(['host-a', 'host-b']);
    expect(containersOf(doc).map((container) => container.host)).toEqual(['host-a', 'host-b']);
  });
});

describe('remove', () => {
  it('removing a host removes its containers and their layout', () => {
    const placed = addContainer(basics, 'host-a', { position: { x: 16, y: 60 } });
    const doc = remove(placed, [{ kind: 'host', name: 'host-a' }]);
    expect(hostsOf(doc).map((host) => host.name)).toEqual(['host-b']);
    expect(containersOf(doc).map((container) => container.name)).toEqual(['container2']);
    expect(storedPosition(doc, 'container', 'container3')).toBeUndefined();
    expect(storedPosition(doc, 'host', 'host-a')).toBeUndefined();
  });

  it('removing an overlay detaches every interface on it', () => {
    const doc = remove(basics, [{ kind: 'overlay', name: 'blue' }]);
    expect(overlaysOf(doc)).toEqual([]);
    expect(containersOf(doc).map((container) => container.interfaces)).toEqual([[], []]);
    expect(problemsOf(doc)).toEqual([]);
  });

  it('removes a single interface and a single container', () => {
    const doc = remove(basics, [
      { kind: 'interface', container: 'container1', overlay: 'blue' },
      { kind: 'container', name: 'container2' },
    ]);
    expect(getField(doc, 'containers')).toEqual([{ name: 'container1', host: 'host-a', interfaces: [] }]);
  });

  it('removes only the chosen one of two hosts that share a name', () => {
    const twice = setField(basics, 'hosts[1].name', 'host-a');
    const doc = remove(twice, [{ kind: 'host', name: 'host-a', index: 1 }]);
    expect(hostsOf(doc).map((host) => host.ip)).toEqual(['192.168.1.10']);
    expect(containersOf(doc)).toHaveLength(2);
  });
});

describe('setField', () => {
  it('sets every field of the lab file', () => {
    const edits: [string, unknown][] = [
      ['name', 'renamed'],
      ['title', 'A title'],
      ['description', 'Words'],
      ['underlay.subnet', '192.168.7.0/24'],
      ['underlay.mtu', 9000],
      ['hosts[0].name', 'h1'],
      ['hosts[0].ip', '192.168.7.10'],
      ['hosts[1].ip', '192.168.7.20'],
      ['overlays[0].name', 'o1'],
      ['overlays[0].vni', 7],
      ['overlays[0].subnet', '10.7.0.0/16'],
      ['overlays[0].port', 4790],
      ['overlays[0].mtu', 8950],
      ['containers[0].name', 'web'],
      ['containers[0].host', 'h1'],
      ['containers[0].image', 'alpine:3'],
      ['containers[0].interfaces[0].overlay', 'o1'],
      ['containers[0].interfaces[0].ip', '10.7.1.2'],
      ['containers[1].interfaces[0].overlay', 'o1'],
      ['containers[1].interfaces[0].ip', '10.7.2.3'],
    ];
    const doc = edits.reduce((current, [path, value]) => setField(current, path, value), basics);
    for (const [path, value] of edits) expect(getField(doc, path), path).toEqual(value);
    expect(problemsOf(doc)).toEqual([]);
  });

  it('removes a field given undefined, so an optional one takes its default', () => {
    const doc = setField(basics, 'overlays[0].port', undefined);
    expect(getField(doc, 'overlays[0]')).toEqual({ name: 'blue', vni: 42, subnet: '10.0.0.0/16', mtu: 1450 });
  });

  it('makes missing mappings on the way', () => {
    expect(setField({}, 'underlay.subnet', '192.168.1.0/24')).toEqual({ underlay: { subnet: '192.168.1.0/24' } });
  });
});

describe('copy and paste', () => {
  it('pastes a host with its containers under fresh names and proposed addresses', () => {
    const clipboard = copyElements(basics, [{ kind: 'host', name: 'host-a' }]);
    expect(clipboard.containers.map((container) => container.name)).toEqual(['container1']);
    const { doc, pasted } = pasteElements(basics, clipboard);
    expect(pasted).toEqual([
      { kind: 'host', name: 'host-a-2' },
      { kind: 'container', name: 'container3' },
    ]);
    expect(hostsOf(doc).at(-1)).toMatchObject({ name: 'host-a-2', ip: '192.168.1.30' });
    expect(containersOf(doc).at(-1)).toMatchObject({ host: 'host-a-2', interfaces: [{ overlay: 'blue', ip: '10.0.3.2' }] });
    expect(problemsOf(doc)).toEqual([]);
  });

  it('pastes twice without a clash, and an overlay gets a new VNI', () => {
    const clipboard = copyElements(basics, [
      { kind: 'container', name: 'container2' },
      { kind: 'overlay', name: 'blue' },
    ]);
    const once = pasteElements(basics, clipboard).doc;
    const twice = pasteElements(once, clipboard).doc;
    expect(overlaysOf(twice).map((overlay) => [overlay.name, overlay.vni])).toEqual([
      ['blue', 42],
      ['blue-2', 43],
      ['blue-3', 44],
    ]);
    expect(containersOf(twice).map((container) => [container.name, container.interfaces[0]?.overlay])).toEqual([
      ['container1', 'blue'],
      ['container2', 'blue'],
      ['container3', 'blue-2'],
      ['container4', 'blue-3'],
    ]);
    expect(problemsOf(twice)).toEqual([]);
  });

  it('pastes a lone container into the chosen host', () => {
    const clipboard = copyElements(basics, [{ kind: 'container', name: 'container1' }]);
    const { doc } = pasteElements(basics, clipboard, { intoHost: 'host-b' });
    expect(containersOf(doc).at(-1)).toMatchObject({ name: 'container3', host: 'host-b', interfaces: [{ ip: '10.0.2.2' }] });
  });

  it('keeps unknown fields of what it copies', () => {
    const tagged = setField(basics, 'hosts[0].x-rack', 'r1');
    const { doc } = pasteElements(tagged, copyElements(tagged, [{ kind: 'host', name: 'host-a' }]));
    expect(getField(doc, 'hosts[2].x-rack')).toBe('r1');
  });
});

describe('uniqueName', () => {
  it('counts up a trailing number, or adds one', () => {
    expect(uniqueName('container1', new Set(['container1', 'container2']))).toBe('container3');
    expect(uniqueName('host-a', new Set(['host-a']))).toBe('host-a-2');
    expect(uniqueName('a'.repeat(30), new Set()).length).toBeLessThanOrEqual(30);
  });
});
