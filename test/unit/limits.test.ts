import { describe, it, expect } from 'vitest';
import { parseLabText } from '../../electron/lab/parse.js';
import { validateLab } from '../../electron/lab/validate.js';
import {
  MAX_CONTAINERS,
  MAX_HOSTS,
  MAX_INTERFACES,
  MAX_INTERFACES_PER_CONTAINER,
  MAX_LAB_FILE_BYTES,
  MAX_OVERLAYS,
  MAX_PROBLEMS,
  MAX_YAML_DEPTH,
  MAX_YAML_TOKENS,
  listSome,
  utf8Length,
} from '../../electron/lab/limits.js';
import type { Problem } from '../../electron/lab/model.js';
import { serializeLabDocument } from '../../electron/lab/document.js';
import { computeAutoLayout } from '../../electron/lab/layout.js';
import { generateLargeLab } from '../../electron/lab/sample-labs.js';

function problemsOf(text: string): Problem[] {
  const result = parseLabText(text);
  return result.ok ? [] : result.problems;
}

function hostLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `  - { name: host-${i}, ip: 192.168.${Math.floor(i / 250)}.${(i % 250) + 2} }`);
}

/** A lab whose every container names a host that does not exist. */
function unknownHostsLab(hosts: number, containers: number): string {
  const lines = ['version: 1', 'name: big', 'underlay: { subnet: 192.168.0.0/16 }', 'hosts:', ...hostLines(hosts), 'containers:'];
  for (let i = 0; i < containers; i++) lines.push(`  - { name: c-${i}, host: nowhere-${i}, interfaces: [] }`);
  return `${lines.join('\n')}\n`;
}

function totalLength(problems: Problem[]): number {
  return problems.reduce((sum, problem) => sum + problem.message.length, 0);
}

describe('lab size limits', () => {
  it('answers the 956 KB lab of containers naming unknown hosts with a few short problems', () => {
    let text = unknownHostsLab(500, 0);
    for (let i = 0; text.length < 956 * 1024; i++) text += `  - { name: c-${i}, host: nowhere-${i}, interfaces: [] }\n`;
    expect(text.length).toBeLessThan(MAX_LAB_FILE_BYTES);
    const problems = problemsOf(text);
    // So many entries are more YAML than a lab of the largest size needs: refused while parsing.
    expect(problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual(['limit-exceeded ']);
    expect(totalLength(problems)).toBeLessThan(1000);
  });

  it('names the count that is over its limit', () => {
    const problems = problemsOf(unknownHostsLab(MAX_HOSTS + 1, MAX_CONTAINERS + 1));
    expect(problems.map((problem) => `${problem.code} ${problem.path}`)).toEqual(['limit-exceeded hosts', 'limit-exceeded containers']);
    expect(problems[0]?.message).toBe(`hosts lists ${MAX_HOSTS + 1} hosts, more than the ${MAX_HOSTS} a lab may have: split the lab or remove some`);
    expect(problems[1]?.message).toContain(`more than the ${MAX_CONTAINERS} a lab may have`);
    expect(problems[1]).toMatchObject({ line: MAX_HOSTS + 7, column: 3 });
  });

  it('caps the problems of a lab within the limits, and the hosts each one offers', () => {
    const problems = problemsOf(unknownHostsLab(MAX_HOSTS, MAX_CONTAINERS));
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.slice(0, MAX_PROBLEMS).every((problem) => problem.code === 'unknown-host')).toBe(true);
    expect(problems[0]?.message).toContain(`use one of host-0, host-1, host-2, host-3, host-4 and ${MAX_HOSTS - 5} more`);
    expect(problems[MAX_PROBLEMS]).toMatchObject({ code: 'more-problems', path: '' });
    expect(problems[MAX_PROBLEMS]?.message).toContain(`${MAX_CONTAINERS - MAX_PROBLEMS} more problems`);
    expect(totalLength(problems)).toBeLessThan(MAX_PROBLEMS * 200);
  });

  it('caps YAML syntax errors too, counting the rest', () => {
    const problems = problemsOf(`a: b\n${'x: ]\n'.repeat(5000)}`);
    expect(problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(problems.slice(0, MAX_PROBLEMS).every((problem) => problem.code === 'yaml-syntax' && problem.line !== undefined)).toBe(true);
    expect(problems[MAX_PROBLEMS]?.code).toBe('more-problems');
    expect(problems[MAX_PROBLEMS]?.message).toMatch(/… and \d+ more problems not shown/);
  });

  it('refuses more hosts, containers, overlays or interfaces than a lab may have, naming the limit', () => {
    const overLimit = (data: Record<string, unknown>) =>
      (validateLab({ version: 1, name: 'x', underlay: { subnet: '10.0.0.0/8' }, hosts: [{ name: 'h', ip: '10.0.0.2' }], ...data }) as {
        problems?: Problem[];
      }).problems ?? [];
    const many = (count: number, item: unknown = {}) => Array.from({ length: count }, () => item);

    expect(overLimit({ hosts: many(MAX_HOSTS + 1) }).map((p) => `${p.code} ${p.path}`)).toEqual(['limit-exceeded hosts']);
    expect(overLimit({ containers: many(MAX_CONTAINERS + 1) })[0]?.message).toContain(`${MAX_CONTAINERS} a lab may have`);
    expect(overLimit({ overlays: many(MAX_OVERLAYS + 1) })[0]?.message).toContain(`${MAX_OVERLAYS} a lab may have`);
    const wide = overLimit({ containers: [{ interfaces: many(MAX_INTERFACES_PER_CONTAINER + 1) }] });
    expect(wide.map((p) => `${p.code} ${p.path}`)).toEqual(['limit-exceeded containers[0].interfaces']);
    expect(wide[0]?.message).toContain(`${MAX_INTERFACES_PER_CONTAINER} a container may have`);
    const perContainer = Math.ceil((MAX_INTERFACES + 1) / MAX_CONTAINERS);
    const all = overLimit({ containers: many(MAX_CONTAINERS, { interfaces: many(perContainer) }) });
    expect(all.map((p) => `${p.code} ${p.path}`)).toEqual(['limit-exceeded containers']);
    expect(all[0]?.message).toContain(`${MAX_INTERFACES} a lab may have`);
  });

  it('refuses a file over 1 MiB before reading it, naming the limit', () => {
    const text = `version: 1\n#${'x'.repeat(MAX_LAB_FILE_BYTES)}\n`;
    expect(problemsOf(text)).toEqual([
      expect.objectContaining({ code: 'limit-exceeded', path: '', line: 1, column: 1, message: expect.stringContaining('1.0 MiB a lab file may be') }),
    ]);
  });

  it('counts the size in UTF-8 bytes, so fewer characters than the limit can be too many', () => {
    const euros = '€'.repeat(Math.ceil(MAX_LAB_FILE_BYTES / 3) + 1);
    expect(euros.length).toBeLessThan(MAX_LAB_FILE_BYTES);
    expect(utf8Length(euros)).toBeGreaterThan(MAX_LAB_FILE_BYTES);
    expect(problemsOf(`# ${euros}\n`)[0]?.code).toBe('limit-exceeded');
    expect(utf8Length('a€😀')).toBe(Buffer.byteLength('a€😀'));
  });

  it('accepts a file of just under 1 MiB when it is a valid lab', () => {
    const text = `version: 1\nname: x\nunderlay: { subnet: 10.0.0.0/8 }\nhosts: [ { name: h, ip: 10.0.0.2 } ]\n`;
    const padded = `${text}# ${'x'.repeat(MAX_LAB_FILE_BYTES - text.length - 4)}\n`;
    expect(utf8Length(padded)).toBeLessThanOrEqual(MAX_LAB_FILE_BYTES);
    expect(parseLabText(padded).ok).toBe(true);
  });

  it('refuses a file of more YAML tokens than any lab needs', () => {
    const text = `version: 1\nlayout: [${'1,'.repeat(MAX_YAML_TOKENS)}1]\n`;
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'limit-exceeded', path: '' });
    expect(problems[0]?.message).toContain(`${MAX_YAML_TOKENS.toLocaleString('en-US')} YAML tokens`);
  });

  it('accepts a lab at the host, container and overlay limits, laid out', () => {
    const doc = generateLargeLab(MAX_HOSTS, MAX_CONTAINERS / MAX_HOSTS, MAX_OVERLAYS);
    const text = serializeLabDocument({ ...doc, layout: computeAutoLayout(doc) });
    const result = parseLabText(text);
    expect(result.ok && [result.lab.hosts.length, result.lab.containers.length, result.lab.overlays.length]).toEqual([
      MAX_HOSTS,
      MAX_CONTAINERS,
      MAX_OVERLAYS,
    ]);
  });
});

describe('nesting depth', () => {
  it('answers 5,000 levels of nesting with a clear problem, not a stack overflow', () => {
    for (const text of [`layout: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, `layout: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`]) {
      const problems = problemsOf(text);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ code: 'limit-exceeded', path: '', line: 1 });
      expect(problems[0]?.message).toContain(`more than ${MAX_YAML_DEPTH} levels deep`);
      expect(problems[0]?.message).not.toMatch(/call stack/i);
    }
  });

  it('finds deep block nesting too, at the line where it goes too deep', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}a:`);
    const problems = problemsOf(`layout:\n${lines.join('\n')} 1\n`);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe('limit-exceeded');
    // Level n starts on line n; the parser notices within the next lines.
    expect(problems[0]?.line).toBeGreaterThanOrEqual(MAX_YAML_DEPTH);
    expect(problems[0]?.line).toBeLessThanOrEqual(MAX_YAML_DEPTH + 3);
  });

  it(`accepts ${MAX_YAML_DEPTH} levels`, () => {
    const base = `version: 1\nname: x\nunderlay: { subnet: 10.0.0.0/8 }\nhosts: [ { name: h, ip: 10.0.0.2 } ]\n`;
    // The file's own mapping is level 1, layout level 2.
    const layout = `layout: ${'{a: '.repeat(MAX_YAML_DEPTH - 1)}1${'}'.repeat(MAX_YAML_DEPTH - 1)}\n`;
    expect(parseLabText(base + layout).ok).toBe(true);
    const deeper = `layout: ${'{a: '.repeat(MAX_YAML_DEPTH)}1${'}'.repeat(MAX_YAML_DEPTH)}\n`;
    expect(problemsOf(base + deeper)[0]?.code).toBe('limit-exceeded');
  });

  it('bounds the nesting of data given to validateLab directly', () => {
    let layout: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) layout = { a: layout };
    const result = validateLab({ version: 1, name: 'x', underlay: { subnet: '10.0.0.0/8' }, hosts: [{ name: 'h', ip: '10.0.0.2' }], layout });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.code)).toEqual(['limit-exceeded']);
  });
});

describe('listSome', () => {
  it('names a few and counts the rest', () => {
    expect(listSome(['a', 'b'], 2)).toBe('a, b');
    expect(listSome(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 7)).toBe('a, b, c, d, e and 2 more');
  });
});
