// The objectives of a lab file (issue 8 §1): read into the lab, and refused with the field,
// the line and the fix when wrong.
import { describe, expect, it } from 'vitest';
import { formatProblem, parseLabText } from '../../electron/lab/parse.js';
import type { Problem } from '../../electron/lab/model.js';
import { MAX_COMMAND_LENGTH, MAX_OBJECTIVE_STEPS } from '../../electron/lab/limits.js';

const BASE = `version: 1
name: guided
underlay:
  subnet: 192.168.1.0/24
hosts:
  - { name: host-a, ip: 192.168.1.10 }
  - { name: host-b, ip: 192.168.1.20 }
overlays:
  - { name: blue, vni: 42, subnet: 10.0.0.0/16 }
containers:
  - name: container1
    host: host-a
    interfaces: [ { overlay: blue, ip: 10.0.1.2 } ]
  - name: container2
    host: host-b
    interfaces: [ { overlay: blue, ip: 10.0.2.3 } ]
`;

function problemsOf(objectives: string): Problem[] {
  const result = parseLabText(BASE + objectives);
  return result.ok ? [] : result.problems;
}

describe('lab file objectives', () => {
  it('reads steps with every kind of check, filling in defaults', () => {
    const result = parseLabText(
      BASE +
        `objectives:
  - title: Über den Tunnel pingen
    explanation: |
      **Ping** container2 从 container1.
    setup: [ { node: container1, run: "ip link set eth1 mtu 1500" } ]
    solution: [ { node: container1, run: "ip link set eth1 mtu 1450" } ]
    checks:
      - { kind: reach, from: container1, to: container2, pass: Reached, fail: No reply }
      - { kind: reach, from: container1, to: 10.0.9.9, expect: fail, timeout: 2, retries: 1 }
      - { kind: mtu, from: container1, to: 10.0.2.3, size: 1400 }
      - { kind: command, node: host-a, run: "ip -br link", match: "vxlan42" }
      - { kind: state, host: host-a, vni: 42, device: vxlan42, port: 4789 }
      - { kind: state, host: host-a, flood: host-b }
      - { kind: state, host: host-a, mac: container2, expect: fail }
`,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [step] = result.lab.objectives ?? [];
    expect(step?.title).toBe('Über den Tunnel pingen');
    expect(step?.explanation).toContain('从');
    expect(step?.setup).toEqual([{ node: 'container1', run: 'ip link set eth1 mtu 1500' }]);
    expect(step?.checks[0]).toEqual({ kind: 'reach', from: 'container1', to: 'container2', expect: 'pass', timeoutSeconds: 5, retries: 0, passMessage: 'Reached', failMessage: 'No reply' });
    expect(step?.checks[1]).toMatchObject({ expect: 'fail', timeoutSeconds: 2, retries: 1 });
    expect(step?.checks[2]).toMatchObject({ kind: 'mtu', size: 1400 });
    expect(step?.checks[4]).toMatchObject({ kind: 'state', entry: { vni: 42, device: 'vxlan42', port: 4789 } });
    expect(step?.checks[5]).toMatchObject({ kind: 'state', entry: { flood: 'host-b' } });
    expect(step?.checks[6]).toMatchObject({ kind: 'state', entry: { mac: 'container2' }, expect: 'fail' });
  });

  it('leaves a lab without objectives as it was', () => {
    const result = parseLabText(BASE);
    expect(result.ok && 'objectives' in result.lab).toBe(false);
  });

  it('names an unknown node with its line, column and the names to use', () => {
    const problems = problemsOf(`objectives:
  - title: Ping
    checks:
      - { kind: reach, from: container9, to: container2 }
`);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe('unknown-node');
    expect(formatProblem(problems[0] as Problem, 'lab.yaml')).toBe(
      'lab.yaml:20:30 objectives[0].checks[0].from: objectives[0].checks[0].from is "container9" but no host or container has that name: use one of host-a, host-b, container1, container2',
    );
  });

  it('says which field a kind needs, and refuses fields it would ignore', () => {
    const problems = problemsOf(`objectives:
  - title: MTU
    checks:
      - { kind: mtu, from: container1, to: container2, node: host-a }
`);
    expect(problems.map((problem) => [problem.code, problem.path, problem.line])).toEqual([
      ['required', 'objectives[0].checks[0].size', 20],
      ['wrong-type', 'objectives[0].checks[0].node', 20],
    ]);
    expect(problems[0]?.message).toContain('a mtu check needs it, for example size: 1400');
  });

  it('refuses an unknown kind, a control character in a message and a bad pattern, each with the fix', () => {
    const problems = problemsOf(`objectives:
  - title: "Bad\\u001b[2J"
    checks:
      - { kind: ping, from: container1, to: container2 }
      - { kind: command, node: container1, run: "true", match: "(" }
`);
    expect(problems.map((problem) => [problem.code, problem.path])).toEqual([
      ['control-character', 'objectives[0].title'],
      ['wrong-type', 'objectives[0].checks[0].kind'],
      ['wrong-type', 'objectives[0].checks[1].match'],
    ]);
    expect(problems[0]?.message).toContain('remove it');
    expect(problems[1]?.message).toBe('objectives[0].checks[0].kind is "ping", which is not one of reach, mtu, command, state: write one of them');
    expect(problems[1]?.line).toBe(20);
    expect(problems[2]?.message).toContain('is not a regular expression');
  });

  it('bounds commands, steps, timeouts and retries', () => {
    const long = 'x'.repeat(MAX_COMMAND_LENGTH + 1);
    const problems = problemsOf(`objectives:
  - title: Long
    setup: [ { node: container1, run: "${long}" } ]
    checks:
      - { kind: reach, from: container1, to: container2, timeout: 600, retries: 99 }
`);
    expect(problems.map((problem) => [problem.code, problem.path])).toEqual([
      ['limit-exceeded', 'objectives[0].setup[0].run'],
      ['wrong-type', 'objectives[0].checks[0].timeout'],
      ['wrong-type', 'objectives[0].checks[0].retries'],
    ]);
    expect(problems[0]?.message).toContain(`more than the ${MAX_COMMAND_LENGTH} allowed: shorten it`);
    expect(problems[1]?.message).toContain('must be a whole number from 1 to 60');
    const steps = Array.from({ length: MAX_OBJECTIVE_STEPS + 1 }, () => '  - { title: s, checks: [ { kind: reach, from: container1, to: container2 } ] }').join('\n');
    expect(problemsOf(`objectives:\n${steps}\n`).map((problem) => problem.code)).toEqual(['limit-exceeded']);
  });

  it('asks a state check for exactly one entry, on a host', () => {
    const problems = problemsOf(`objectives:
  - title: State
    checks:
      - { kind: state, host: container1, vni: 42, flood: host-b }
`);
    expect(problems.map((problem) => problem.code)).toEqual(['wrong-type', 'unknown-host']);
    expect(problems[0]?.message).toContain('looks for exactly one entry');
    const portAlone = problemsOf(`objectives:
  - title: State
    checks:
      - { kind: state, host: host-a, flood: host-b, port: 8472 }
`);
    expect(portAlone.map((problem) => problem.message)).toEqual(['objectives[0].checks[0].port is read only with vni: add vni, or remove port']);
    const badPort = problemsOf(`objectives:
  - title: State
    checks:
      - { kind: state, host: host-a, vni: 42, port: 70000 }
`);
    expect(badPort.map((problem) => problem.code)).toEqual(['port-range']);
  });
});
