import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { overlayMembership, peersOnOverlay } from '../../electron/lab/overlay-membership.js';
import { parseLabDocument, serializeLabDocument } from '../../electron/lab/document.js';
import type { LabDocument } from '../../electron/lab/document.js';
import { parseLabText } from '../../electron/lab/parse.js';
import { planWiring } from '../../electron/lab/plan.js';
import { generateLargeLab } from '../../electron/lab/sample-labs.js';
import { hostsOnOverlay, tunnelsOf } from '../../electron/lab/tunnels.js';

const directory = new URL('../../lab-templates/', import.meta.url);
const templates = readdirSync(directory).filter((file) => file.endsWith('.yaml'));

function docOf(text: string): LabDocument {
  const result = parseLabDocument(text);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.doc;
}

/** Host pairs joined on each overlay, as the engine floods them: "overlay a-b" with a before b in the file. */
function enginePairs(text: string): string[] {
  const parsed = parseLabText(text);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const lab = parsed.lab;
  const nameOf = new Map<string, string>(lab.hosts.map((h) => [h.ip, h.name]));
  const order: string[] = lab.hosts.map((h) => h.name);
  const pairs = new Set<string>();
  for (const host of planWiring(lab)) {
    for (const tunnel of host.overlays) {
      for (const peerIp of tunnel.peers) {
        const pair = [host.host, nameOf.get(peerIp) ?? peerIp].sort((a, b) => order.indexOf(a) - order.indexOf(b));
        pairs.add(`${tunnel.overlay} ${pair.join('-')}`);
      }
    }
  }
  return [...pairs].sort();
}

function namesOf(hosts: readonly { name: string }[] | undefined): string[] {
  return (hosts ?? []).map((host) => host.name);
}

function editorPairs(text: string): string[] {
  return tunnelsOf(docOf(text))
    .map((t) => `${t.overlay} ${t.hosts.join('-')}`)
    .sort();
}

describe('overlayMembership', () => {
  const lab = {
    hosts: [{ name: 'host-a' }, { name: 'host-b' }, { name: 'host-c' }],
    containers: [
      { host: 'host-c', interfaces: [{ overlay: 'blue' }] },
      { host: 'host-a', interfaces: [{ overlay: 'blue' }, { overlay: 'red' }] },
      { host: 'host-a', interfaces: [{ overlay: 'blue' }] },
    ],
  };

  it("lists an overlay's hosts once each, in the order of the hosts in the file", () => {
    const membership = overlayMembership(lab);
    expect(namesOf(membership.get('blue'))).toEqual(['host-a', 'host-c']);
    expect(namesOf(membership.get('red'))).toEqual(['host-a']);
  });

  it('leaves out a host with no container on the overlay, and an overlay nobody joins', () => {
    const membership = overlayMembership(lab);
    expect(namesOf(membership.get('blue'))).not.toContain('host-b');
    expect(membership.has('green')).toBe(false);
  });

  it('ignores what is not typed yet: empty names, a container on an unknown host, a host named twice', () => {
    const membership = overlayMembership({
      hosts: [{ name: 'host-a' }, { name: '' }, { name: 'host-a' }],
      containers: [
        { host: '', interfaces: [{ overlay: 'blue' }] },
        { host: 'nowhere', interfaces: [{ overlay: 'blue' }] },
        { host: 'host-a', interfaces: [{ overlay: '' }, { overlay: 'blue' }] },
      ],
    });
    expect([...membership].map(([overlay, hosts]) => [overlay, namesOf(hosts)])).toEqual([['blue', ['host-a']]]);
  });

  it('gives each host the others on the overlay as peers, and none to a host not on it', () => {
    const membership = overlayMembership(lab);
    expect(namesOf(peersOnOverlay(membership, 'blue', 'host-a'))).toEqual(['host-c']);
    expect(namesOf(peersOnOverlay(membership, 'blue', 'host-c'))).toEqual(['host-a']);
    expect(peersOnOverlay(membership, 'blue', 'host-b')).toEqual([]);
    expect(peersOnOverlay(membership, 'red', 'host-a')).toEqual([]);
  });
});

describe("the editor's tunnels and the engine's flood lists follow one rule", () => {
  for (const file of templates) {
    it(`${file}: the editor draws a tunnel exactly between the hosts the engine makes peers`, () => {
      const text = readFileSync(new URL(file, directory), 'utf8');
      const pairs = enginePairs(text);
      expect(pairs.length).toBeGreaterThan(0);
      expect(editorPairs(text)).toEqual(pairs);
    });
  }

  it('agrees on a generated lab of 20 hosts and 20 overlays', () => {
    const text = serializeLabDocument(generateLargeLab(20, 3, 20));
    const pairs = enginePairs(text);
    expect(pairs.length).toBeGreaterThan(20);
    expect(editorPairs(text)).toEqual(pairs);
  });

  it("the property panel's host list of an overlay is the engine's membership", () => {
    const text = readFileSync(new URL('three-hosts.yaml', directory), 'utf8');
    const doc = docOf(text);
    const parsed = parseLabText(text);
    if (!parsed.ok) throw new Error('three-hosts.yaml does not validate');
    for (const overlay of parsed.lab.overlays) {
      expect(hostsOnOverlay(doc, overlay.name)).toEqual(namesOf(overlayMembership(parsed.lab).get(overlay.name)));
    }
  });
});
