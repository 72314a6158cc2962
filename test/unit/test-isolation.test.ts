// Engine and end-to-end tests run on the same Docker engine as a person's own labs. They must
// never name a lab like a template (or the editor's "new-lab") nor use an underlay outside the
// test range: Docker would refuse their networks, or `down` would take the person's lab.
// The harness checks every lab at `up` too; this catches the literal before it ever runs.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshLabName } from '../../renderer/src/app/new-lab.js';
import { escapeRegExp, FIRST_TEST_UNDERLAY_OCTET } from '../engine/test-underlays.js';

const root = join(import.meta.dirname, '..', '..');

/** The names a person's labs get: the templates' and the editor's first new lab. */
function peopleLabNames(): string[] {
  const templates = readdirSync(join(root, 'lab-templates')).filter((file) => file.endsWith('.yaml'));
  const names = templates.map((file) => /^name:\s*(\S+)/m.exec(readFileSync(join(root, 'lab-templates', file), 'utf8'))?.[1] ?? '');
  return [...names.filter((name) => name !== ''), freshLabName([])];
}

/** Every place in a source that names a person's lab or an underlay address below the test range. */
export function isolationProblems(source: string, labNames: readonly string[]): string[] {
  const problems: { line: number; text: string }[] = [];
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  for (const name of labNames) {
    const quoted = new RegExp(`(['"\`])${escapeRegExp(name)}\\1|^\\s*name:\\s*${escapeRegExp(name)}\\s*$`, 'gm');
    for (const match of source.matchAll(quoted)) problems.push({ line: lineOf(match.index), text: `the lab name ${name} is a person's; use uniqueName()` });
  }
  // 192.168.N. as written in code, in a string or in a RegExp (192\.168\.N\.).
  for (const match of source.matchAll(/192\\?\.168\\?\.(\d{1,3})\b/g)) {
    if (Number(match[1]) < FIRST_TEST_UNDERLAY_OCTET) {
      problems.push({ line: lineOf(match.index), text: `${match[0]} is outside the test underlays; use testUnderlay() or renamedTemplate()` });
    }
  }
  return problems.sort((a, b) => a.line - b.line).map((problem) => `line ${problem.line}: ${problem.text}`);
}

function sourcesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('engine and end-to-end tests stay off a person\'s labs', () => {
  const names = peopleLabNames();

  it('knows the names a person\'s labs have', () => {
    expect(names).toEqual(expect.arrayContaining(['vxlan-basics', 'multi-tenant', 'three-hosts', 'new-lab']));
  });

  it('finds a person\'s lab name or underlay written into a test', () => {
    const offending = [
      "await engine.down('vxlan-basics');",
      'const text = `name: x`;\nname: three-hosts',
      "writeFileSync(file, text.replace(/192\\.168\\.1\\./g, '192.168.4.'));",
      "expect(view.fdb).toContainEqual({ dst: '192.168.3.20' });",
    ].join('\n');
    expect(isolationProblems(offending, names)).toEqual([
      "line 1: the lab name vxlan-basics is a person's; use uniqueName()",
      "line 3: the lab name three-hosts is a person's; use uniqueName()",
      'line 4: 192\\.168\\.1 is outside the test underlays; use testUnderlay() or renamedTemplate()',
      'line 4: 192.168.4 is outside the test underlays; use testUnderlay() or renamedTemplate()',
      'line 5: 192.168.3 is outside the test underlays; use testUnderlay() or renamedTemplate()',
    ]);
    expect(isolationProblems("renamedTemplate('vxlan-basics.yaml', uniqueName('basics'), 'basics'); ping('10.0.2.3'); '192.168.230.10'", names)).toEqual([]);
  });

  it('no engine or end-to-end test source holds one', () => {
    const found = [join(root, 'test', 'engine'), join(root, 'test', 'e2e')].flatMap(sourcesUnder).flatMap((file) =>
      isolationProblems(readFileSync(file, 'utf8'), names).map((problem) => `${relative(root, file)} ${problem}`),
    );
    expect(found).toEqual([]);
  });
});
