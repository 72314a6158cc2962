import { describe, it, expect } from 'vitest';
import { formatProblem, parseLabText, splitProblemPath, stringifyLab } from '../../electron/lab/parse.js';
import type { Lab, LabData, Problem } from '../../electron/lab/model.js';

const TEXTBOOK = `version: 1
name: vxlan-basics
title: Containers on two hosts over VXLAN
underlay:
  subnet: 192.168.1.0/24
hosts:
  - { name: host-a, ip: 192.168.1.10 }
  - { name: host-b, ip: 192.168.1.20 }
overlays:
  - name: blue
    vni: 42
    subnet: 10.0.0.0/16
containers:
  - name: container1
    host: host-a
    interfaces: [ { overlay: blue, ip: 10.0.1.2 } ]
  - name: container2
    host: host-b
    interfaces: [ { overlay: blue, ip: 10.0.2.3 } ]
`;

function problemsOf(text: string): Problem[] {
  const result = parseLabText(text);
  return result.ok ? [] : result.problems;
}

function only(text: string): Problem {
  const problems = problemsOf(text);
  expect(problems).toHaveLength(1);
  return problems[0] as Problem;
}

describe('parseLabText', () => {
  it('reads the textbook lab with defaults applied', () => {
    const result = parseLabText(TEXTBOOK);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.lab.title).toBe('Containers on two hosts over VXLAN');
    expect(result.lab.overlays[0]).toMatchObject({ port: 4789, mtu: 1450 });
    expect(result.lab.containers[1]?.interfaces).toEqual([{ overlay: 'blue', ip: '10.0.2.3' }]);
  });

  it('points at the offending value in a flow mapping', () => {
    const problem = only(TEXTBOOK.replace('ip: 192.168.1.20', 'ip: 192.168.1.10'));
    expect(problem).toMatchObject({ code: 'duplicate-ip', path: 'hosts[1].ip', line: 8, column: 25 });
  });

  it('points at the offending value in a block mapping', () => {
    const problem = only(TEXTBOOK.replace('vni: 42', 'vni: 0'));
    expect(problem).toMatchObject({ code: 'vni-range', path: 'overlays[0].vni', line: 11, column: 10 });
  });

  it('points at a value nested in a flow list', () => {
    const problem = only(TEXTBOOK.replace('overlay: blue, ip: 10.0.2.3', 'overlay: red, ip: 10.0.2.3'));
    expect(problem).toMatchObject({ code: 'unknown-overlay', path: 'containers[1].interfaces[0].overlay', line: 19, column: 30 });
  });

  it('points a missing field at its parent mapping', () => {
    const problem = only(TEXTBOOK.replace('    vni: 42\n', ''));
    expect(problem).toMatchObject({ code: 'required', path: 'overlays[0].vni', line: 10, column: 5 });
    const host = only(TEXTBOOK.replace('{ name: host-b, ip: 192.168.1.20 }', '{ name: host-b }'));
    expect(host).toMatchObject({ code: 'required', path: 'hosts[1].ip', line: 8, column: 5 });
  });

  it('points a top-level missing field at the start of the document', () => {
    const problem = only(TEXTBOOK.replace('version: 1\n', '# a comment\nversion: 1\n').replace('name: vxlan-basics\n', ''));
    expect(problem).toMatchObject({ code: 'required', path: 'name', line: 2, column: 1 });
  });

  it('reports YAML syntax errors with their position and does not validate further', () => {
    const problems = problemsOf('version: 1\nname: [oops\nhosts: {}\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => problem.code === 'yaml-syntax' && problem.line !== undefined && problem.column !== undefined)).toBe(true);
  });

  it('treats a repeated key as a YAML syntax error at the repeated key', () => {
    const problem = only(TEXTBOOK.replace('name: vxlan-basics\n', 'name: vxlan-basics\nname: other\n'));
    expect(problem).toMatchObject({ code: 'yaml-syntax', line: 3, column: 1 });
  });

  it('reports an empty file as one problem at 1:1', () => {
    expect(only('')).toMatchObject({ code: 'required', path: '', line: 1, column: 1 });
  });

  it('follows YAML aliases when locating and validating values', () => {
    const text = TEXTBOOK.replace('  - name: blue\n', '  - &blue\n    name: blue\n').concat('extra: *blue\n');
    expect(parseLabText(text).ok).toBe(true);
  });
});

describe('splitProblemPath', () => {
  it('turns a problem path into keys and indexes', () => {
    expect(splitProblemPath('containers[1].interfaces[0].ip')).toEqual(['containers', 1, 'interfaces', 0, 'ip']);
    expect(splitProblemPath('')).toEqual([]);
  });
});

describe('formatProblem', () => {
  const problem: Problem = { code: 'invalid-ip', path: 'hosts[0].ip', line: 7, column: 26, message: 'hosts[0].ip is wrong' };

  it('writes FILE:LINE:COL path: message', () => {
    expect(formatProblem(problem, 'lab.yaml')).toBe('lab.yaml:7:26 hosts[0].ip: hosts[0].ip is wrong');
  });

  it('leaves out the pieces a problem does not have', () => {
    expect(formatProblem(problem)).toBe('7:26 hosts[0].ip: hosts[0].ip is wrong');
    expect(formatProblem({ ...problem, line: undefined, column: undefined }, 'lab.yaml')).toBe('lab.yaml hosts[0].ip: hosts[0].ip is wrong');
    expect(formatProblem({ ...problem, path: '' }, 'lab.yaml')).toBe('lab.yaml:7:26: hosts[0].ip is wrong');
    expect(formatProblem({ code: 'required', path: '', message: 'empty' })).toBe('empty');
  });
});

describe('stringifyLab', () => {
  function textbookLab(): Lab {
    const result = parseLabText(TEXTBOOK);
    if (!result.ok) throw new Error('textbook lab must be valid');
    return result.lab;
  }

  it('writes a lab that reads back as the same lab', () => {
    const lab: LabData = { ...textbookLab(), description: 'multi\nline', layout: { positions: { 'host-a': { x: 10, y: 20 } } } };
    lab.containers[0] = { ...(lab.containers[0] as LabData['containers'][number]), image: 'alpine:3.20' };
    const again = parseLabText(stringifyLab(lab));
    expect(again).toEqual({ ok: true, lab });
  });

  it('writes fields in the documented order, one line per host and per interface list', () => {
    const text = stringifyLab(textbookLab());
    const topKeys = text.split('\n').filter((line) => /^[a-z]+:/.test(line)).map((line) => line.split(':')[0]);
    expect(topKeys).toEqual(['version', 'name', 'title', 'underlay', 'hosts', 'overlays', 'containers', 'layout']);
    expect(text).toContain('  - { name: host-a, ip: 192.168.1.10 }\n');
    expect(text).toContain('    interfaces: [ { overlay: blue, ip: 10.0.1.2 } ]\n');
    expect(text).toContain('  - name: blue\n    vni: 42\n    subnet: 10.0.0.0/16\n    port: 4789\n    mtu: 1450\n');
  });
});
