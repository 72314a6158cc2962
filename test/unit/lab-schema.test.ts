import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { SCHEMA_FILE_NAME, SCHEMA_MODELINE, labJsonSchemaText } from '../../electron/lab/schema-file.js';
import { labFileSchema } from '../../electron/lab/schema.js';
import type { LabFile } from '../../electron/lab/schema.js';
import { parseLabText } from '../../electron/lab/parse.js';
import { validateLab } from '../../electron/lab/validate.js';
import { MAX_HOSTS } from '../../electron/lab/limits.js';

const templatesDirectory = join(import.meta.dirname, '../../lab-templates');
const templates = readdirSync(templatesDirectory).filter((file) => file.endsWith('.yaml'));

describe('the published JSON Schema', () => {
  it('is what scripts/lab-schema.ts makes from the schema (run it after changing electron/lab/schema.ts)', () => {
    expect(readFileSync(join(templatesDirectory, SCHEMA_FILE_NAME), 'utf8')).toBe(labJsonSchemaText());
  });

  it('says what editors need: required fields, ranges, name patterns and limits', () => {
    const schema = JSON.parse(labJsonSchemaText()) as {
      required: string[];
      properties: Record<string, { maxItems?: number; items?: { properties: Record<string, { pattern?: string; minimum?: number; maximum?: number }> } }>;
    };
    expect(schema.required).toEqual(['version', 'name', 'underlay', 'hosts']);
    expect(schema.properties.hosts?.maxItems).toBe(MAX_HOSTS);
    expect(schema.properties.hosts?.items?.properties.name?.pattern).toBe('^[a-z](?:[a-z0-9-]*[a-z0-9])?$');
    expect(schema.properties.overlays?.items?.properties.vni).toMatchObject({ minimum: 1, maximum: 16_777_215 });
  });

  it.each(templates)('is named by the first line of %s', (file) => {
    expect(readFileSync(join(templatesDirectory, file), 'utf8').split('\n')[0]).toBe(SCHEMA_MODELINE);
  });

  it.each(templates)('and %s, still a valid lab, passes the schema', (file) => {
    const text = readFileSync(join(templatesDirectory, file), 'utf8');
    expect(parseLabText(text).ok).toBe(true);
  });
});

describe('the schema in validate', () => {
  it('gives the type of a lab file as written, optional fields left out', () => {
    const file: LabFile = { version: 1, name: 'x', underlay: { subnet: '10.0.0.0/8' }, hosts: [{ name: 'h', ip: '10.0.0.2' }] };
    expect(labFileSchema.safeParse(file).success).toBe(true);
    expect(validateLab(file).ok).toBe(true);
  });

  it('reports a field the schema refuses with the Problem code and the field path first', () => {
    const result = validateLab({ version: 1, name: 'x', underlay: { subnet: '10.0.0.0/8', mtu: 'big' }, hosts: [{ name: 'h', ip: '10.0.0.2' }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { code: 'wrong-type', path: 'underlay.mtu', message: 'underlay.mtu is the text "big" but must be a number from 1280 to 9000' },
    ]);
  });

  it('names the field in a range problem, with its range code', () => {
    const result = validateLab({ version: 1, name: 'x', underlay: { subnet: '10.0.0.0/8' }, hosts: [{ name: 'h', ip: '10.0.0.2' }], overlays: [{ name: 'b', vni: 0, subnet: '172.16.0.0/16' }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { code: 'vni-range', path: 'overlays[0].vni', message: 'overlays[0].vni is 0 but the VNI must be a whole number from 1 to 16777215: pick one in that range' },
    ]);
  });

  it('says what to add, with an example, for a missing field', () => {
    const result = validateLab({ version: 1, name: 'x', underlay: { subnet: '10.0.0.0/8' }, hosts: [{ name: 'h' }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toBe("hosts[0].ip is missing: add the host's address on the underlay, for example ip: 192.168.1.10");
  });

  it('treats a field written with no value as left out', () => {
    const result = validateLab({ version: 1, name: 'x', title: null, underlay: { subnet: '10.0.0.0/8', mtu: null }, hosts: [{ name: 'h', ip: '10.0.0.2' }] });
    expect(result.ok && [result.lab.title, result.lab.underlay.mtu]).toEqual(['', 1500]);
  });

  it('lists problems in file order, a missing field where its mapping starts', () => {
    const result = parseLabText('name: x\nunderlay:\nhosts:\n  - name: h\n    ip:\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => `${problem.code} ${problem.path} ${problem.line}`)).toEqual([
      'required version 1',
      'required underlay 2',
      'required hosts[0].ip 5',
    ]);
  });
});

describe('keys that are not fields', () => {
  it('keeps a __proto__ key in the layout as a plain field, never as a prototype', () => {
    const layout = JSON.parse('{"__proto__": {"polluted": true}, "positions": {}}') as Record<string, unknown>;
    const result = validateLab({ version: 1, name: 'x', underlay: { subnet: '10.0.0.0/8' }, hosts: [{ name: 'h', ip: '10.0.0.2' }], layout });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.getPrototypeOf(result.lab.layout)).toBe(Object.prototype);
    expect(Object.keys(result.lab.layout)).toEqual(['__proto__', 'positions']);
    expect((result.lab.layout as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('does not take a host field from a __proto__ key', () => {
    const host = JSON.parse('{"__proto__": {"name": "h", "ip": "10.0.0.2"}}') as unknown;
    const result = validateLab({ version: 1, name: 'x', underlay: { subnet: '10.0.0.0/8' }, hosts: [host] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual(['required hosts[0].name', 'required hosts[0].ip']);
  });
});
