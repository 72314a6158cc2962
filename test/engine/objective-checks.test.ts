// A lab's objectives checked on a real lab (issue 8 §1): reach and state checks pass on the
// running overlay, a DF ping of 1400 bytes fits the 1450 overlay and one of 1500 does not, a
// check that must fail fails with the author's message and exit 1, and `vxlab solve` of a
// step makes its check pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, leftovers, nothingLeft, parseOk, renamedTemplate, testEngine, uniqueName } from './lab-harness.js';
import { underlayFromOctet } from './test-underlays.js';

const engine = testEngine();
const name = uniqueName('check');
const base = renamedTemplate('vxlan-basics.yaml', name, underlayFromOctet(218));
const TOO_BIG = '1500 bytes with DF do not fit the 1450 overlay';
const text = `${base.text}
objectives:
  - title: Across the tunnel
    explanation: container1 pings container2 over VNI 42.
    checks:
      - { kind: reach, from: container1, to: container2, retries: 2, pass: container1 reaches container2, fail: No reply yet }
      - { kind: state, host: host-a, vni: 42 }
      - { kind: state, host: host-a, flood: host-b }
      - { kind: mtu, from: container1, to: container2, size: 1400, pass: 1400 bytes fit }
      - { kind: mtu, from: container1, to: container2, size: 1500, expect: fail }
  - title: Too big for the overlay
    checks:
      - { kind: mtu, from: container1, to: container2, size: 1500, pass: 1500 bytes got through, fail: ${TOO_BIG} }
  - title: Leave a mark
    setup: [ { node: container1, run: "rm -f /tmp/vxlab-check-mark" } ]
    solution: [ { node: container1, run: "echo done > /tmp/vxlab-check-mark" } ]
    checks:
      - { kind: command, node: container1, run: "cat /tmp/vxlab-check-mark", match: "^done$", pass: Marked, fail: Not marked yet }
`;
const lab = parseOk(text);

interface Record {
  step: number;
  check: number;
  passed: boolean;
  message: string;
}

function records(stdout: string): Record[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record);
}

describe('vxlab check and vxlab solve on a real lab', () => {
  beforeAll(async () => {
    await engine.up(lab, undefined, { sourceText: text });
  });

  afterAll(async () => {
    await engine.down(name);
    expect(await leftovers(name)).toEqual(nothingLeft);
  });

  it('passes reach, state and mtu checks that hold, and exits 0', async () => {
    const result = await cli(['check', name, '--step', '1']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Step 1: Across the tunnel — PASS');
    expect(result.stdout).toContain('[pass] reach container1 -> container2: container1 reaches container2');
    expect(result.stdout).toContain('[pass] mtu 1400 DF container1 -> container2: 1400 bytes fit');
    expect(result.stdout).toContain('[pass] mtu 1500 DF container1 -> container2 (must fail)');
    expect(result.stdout).toContain('5 of 5 checks passed.');
    expect(result.code).toBe(0);
  });

  it('fails a check that does not hold with the author message, and exits 1', async () => {
    const result = await cli(['check', name, '--step', '2']);
    expect(result.stdout).toContain('Step 2: Too big for the overlay — FAIL');
    expect(result.stdout).toContain(`[FAIL] mtu 1500 DF container1 -> container2: ${TOO_BIG}`);
    expect(result.code).toBe(1);
  });

  it('makes a step pass once `vxlab solve` ran its solution, and `vxlab setup` starts it over', async () => {
    const before = await cli(['check', name, '--step', '3', '--json']);
    expect(records(before.stdout)).toMatchObject([{ step: 3, check: 1, passed: false, message: 'Not marked yet' }]);
    expect(before.code).toBe(1);

    const solved = await cli(['solve', name, '--step', '3']);
    expect(solved.stdout).toContain('exit 0');
    expect(solved.code).toBe(0);

    const after = await cli(['check', name, '--step', '3', '--json']);
    expect(records(after.stdout)).toMatchObject([{ step: 3, check: 1, passed: true, message: 'Marked' }]);
    expect(after.code).toBe(0);

    // The step's setup starts it over: the mark is gone and the check fails again.
    const setup = await cli(['setup', name, '--step', '3']);
    expect(setup.stdout).toContain('Ran 1 setup command.');
    expect(setup.code).toBe(0);
    const again = await cli(['check', name, '--step', '3', '--json']);
    expect(records(again.stdout)).toMatchObject([{ step: 3, check: 1, passed: false, message: 'Not marked yet' }]);
    expect(again.code).toBe(1);

    await cli(['solve', name, '--step', '3']);
  });

  it('exits 1 over the whole lab while any step fails', async () => {
    const result = await cli(['check', name, '--json']);
    expect(records(result.stdout).map((record) => record.passed)).toEqual([true, true, true, true, true, false, true]);
    expect(result.code).toBe(1);
  });
});
