import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  containersOf,
  formatPath,
  getField,
  hostsOf,
  overlaysOf,
  parseLabDocument,
  serializeLabDocument,
  leadingComment,
} from '../../electron/lab/document.js';
import type { LabDocument } from '../../electron/lab/document.js';
import { parseLabText } from '../../electron/lab/parse.js';
import { problemTarget } from '../../electron/lab/problem-targets.js';
import { generateLargeLab } from '../../electron/lab/sample-labs.js';
import { tunnelsOf } from '../../electron/lab/tunnels.js';
import { newLab, setField } from '../../electron/lab/edit-ops.js';

const templatesDirectory = join(import.meta.dirname, '../../lab-templates');
const templates = readdirSync(templatesDirectory).filter((file) => file.endsWith('.yaml'));

function read(text: string): LabDocument {
  const result = parseLabDocument(text);
  if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('\n'));
  return result.doc;
}

const WITH_UNKNOWN_FIELDS = `version: 1
name: kept
x-owner: team-net
underlay:
  subnet: 192.168.1.0/24
  x-vlan: 7
hosts:
  - { name: host-a, ip: 192.168.1.10, x-rack: r1 }
overlays:
  - name: blue
    x-tenant: acme
    vni: 42
    subnet: 10.0.0.0/16
containers:
  - name: c1
    host: host-a
    interfaces: [ { overlay: blue, ip: 10.0.1.2, x-mac: fixed } ]
    x-role: web
layout:
  zoom: 1.5
  hosts:
    host-a: { x: 0, y: 0, x-pinned: true }
`;

describe('parseLabDocument / serializeLabDocument', () => {
  it.each(templates)('round-trips %s to the same lab, and writes the same text again', (file) => {
    const text = readFileSync(join(templatesDirectory, file), 'utf8');
    const written = serializeLabDocument(read(text));
    expect(parseLabText(written)).toEqual(parseLabText(text));
    expect(read(written)).toEqual(read(text));
    expect(serializeLabDocument(read(written))).toBe(written);
  });

  it('writes the textbook template byte for byte as it is on disk', () => {
    // Folded text is re-wrapped at 80 columns, so only a template wrapped that way comes back unchanged.
    // The document holds data only: the file's leading comments (the editor modeline) are handed back.
    const text = readFileSync(join(templatesDirectory, 'vxlan-basics.yaml'), 'utf8');
    expect(text.startsWith('# yaml-language-server: $schema=./vxlab.schema.json\n')).toBe(true);
    expect(serializeLabDocument(read(text), leadingComment(text))).toBe(text);
  });

  it('keeps unknown fields, at every level, where they were', () => {
    const written = serializeLabDocument(read(WITH_UNKNOWN_FIELDS));
    expect(written).toBe(WITH_UNKNOWN_FIELDS);
    expect(read(written)).toEqual(read(WITH_UNKNOWN_FIELDS));
  });

  it('keeps unknown fields through an edit', () => {
    const edited = setField(read(WITH_UNKNOWN_FIELDS), 'hosts[0].ip', '192.168.1.11');
    const again = read(serializeLabDocument(edited));
    expect(again['x-owner']).toBe('team-net');
    expect(getField(again, 'hosts[0].x-rack')).toBe('r1');
    expect(getField(again, 'containers[0].interfaces[0].x-mac')).toBe('fixed');
    expect(getField(again, 'layout.zoom')).toBe(1.5);
    expect(getField(again, 'hosts[0].ip')).toBe('192.168.1.11');
  });

  it('writes known fields in the README order whatever order they were typed in', () => {
    const text = 'hosts:\n  - { ip: 192.168.1.10, name: host-a }\nname: shuffled\nversion: 1\nunderlay: { mtu: 1500, subnet: 192.168.1.0/24 }\n';
    const written = serializeLabDocument(read(text));
    expect(written.split('\n').slice(0, 6)).toEqual([
      'version: 1',
      'name: shuffled',
      'underlay:',
      '  subnet: 192.168.1.0/24',
      '  mtu: 1500',
      'hosts:',
    ]);
    expect(written).toContain('- { name: host-a, ip: 192.168.1.10 }');
  });

  it('writes a new lab in canonical order', () => {
    expect(serializeLabDocument(newLab('fresh'))).toBe(
      'version: 1\nname: fresh\nunderlay:\n  subnet: 192.168.50.0/24\n  mtu: 1500\nhosts: []\noverlays: []\ncontainers: []\nlayout: {}\n',
    );
  });

  it('writes a new field in its documented place, not at the end', () => {
    const doc = setField(read(WITH_UNKNOWN_FIELDS), 'overlays[0].mtu', 1400);
    const withPort = setField(doc, 'overlays[0].port', 4790);
    const lines = serializeLabDocument(withPort).split('\n');
    const start = lines.indexOf('  - name: blue');
    expect(lines.slice(start, start + 6)).toEqual([
      '  - name: blue',
      '    x-tenant: acme',
      '    vni: 42',
      '    subnet: 10.0.0.0/16',
      '    port: 4790',
      '    mtu: 1400',
    ]);
  });

  it('refuses text that is not a YAML mapping, with the problems of vxlab validate', () => {
    const syntax = parseLabDocument('name: [unclosed\n');
    expect(syntax.ok).toBe(false);
    if (!syntax.ok) expect(syntax.problems[0]?.code).toBe('yaml-syntax');
    const list = parseLabDocument('- 1\n- 2\n');
    expect(list.ok).toBe(false);
    if (!list.ok) expect(list.problems[0]?.code).toBe('wrong-type');
  });

  it('reads empty text as an empty lab', () => {
    expect(parseLabDocument('')).toEqual({ ok: true, doc: {} });
  });
});

describe('typed reads of a half-written lab', () => {
  it('skips entries that are not mappings but keeps their indices', () => {
    const doc = read('hosts: [oops, { name: host-b, ip: 192.168.1.20 }]\noverlays: [{ name: blue, vni: forty-two }]\n');
    expect(hostsOf(doc)).toEqual([{ index: 1, name: 'host-b', ip: '192.168.1.20' }]);
    expect(overlaysOf(doc)).toEqual([{ index: 0, name: 'blue', subnet: '' }]);
    expect(containersOf(doc)).toEqual([]);
  });

  it('formats paths the way problems name them', () => {
    expect(formatPath(['containers', 0, 'interfaces', 1, 'ip'])).toBe('containers[0].interfaces[1].ip');
  });
});

describe('problemTarget', () => {
  it('maps problem paths to the element they are about', () => {
    expect(problemTarget('hosts[1].ip')).toEqual({ kind: 'host', index: 1 });
    expect(problemTarget('overlays[0].vni')).toEqual({ kind: 'overlay', index: 0 });
    expect(problemTarget('containers[0].interfaces[0].ip')).toEqual({ kind: 'interface', container: 0, interface: 0 });
    expect(problemTarget('containers[2].host')).toEqual({ kind: 'container', index: 2 });
    expect(problemTarget('underlay.subnet')).toEqual({ kind: 'lab' });
    expect(problemTarget('hosts')).toEqual({ kind: 'lab' });
    expect(problemTarget('toString[0]')).toEqual({ kind: 'lab' });
  });
});

describe('tunnelsOf', () => {
  it('draws one tunnel per shared overlay between every two hosts', () => {
    const basics = read(readFileSync(join(templatesDirectory, 'vxlan-basics.yaml'), 'utf8'));
    expect(tunnelsOf(basics)).toEqual([{ overlay: 'blue', vni: 42, hosts: ['host-a', 'host-b'], lane: 0, lanes: 1 }]);

    const tenants = read(readFileSync(join(templatesDirectory, 'multi-tenant.yaml'), 'utf8'));
    expect(tunnelsOf(tenants).map((tunnel) => [tunnel.vni, tunnel.lane, tunnel.lanes])).toEqual([
      [100, 0, 2],
      [200, 1, 2],
    ]);

    const three = read(readFileSync(join(templatesDirectory, 'three-hosts.yaml'), 'utf8'));
    expect(tunnelsOf(three).map((tunnel) => tunnel.hosts.join('-'))).toEqual(['host-a-host-b', 'host-a-host-c', 'host-b-host-c']);
  });

  it('leaves out hosts with no container on the overlay', () => {
    const basics = read(readFileSync(join(templatesDirectory, 'vxlan-basics.yaml'), 'utf8'));
    expect(tunnelsOf(setField(basics, 'containers[1].interfaces', []))).toEqual([]);
  });
});

describe('generateLargeLab', () => {
  it('makes a valid lab of 200 elements', () => {
    const doc = generateLargeLab(20, 8, 20);
    expect(hostsOf(doc).length + containersOf(doc).length + overlaysOf(doc).length).toBe(200);
    const result = parseLabText(serializeLabDocument(doc));
    expect(result.ok ? [] : result.problems).toEqual([]);
    expect(tunnelsOf(doc).length).toBeGreaterThan(0);
  });
});
