// An objective's check judged on recorded outputs: pings (answered, lost, too big for DF),
// commands (exit code, pattern) and a host's VTEP view.
import { describe, expect, it } from 'vitest';
import type { VtepView } from '../../electron/api/types.js';
import {
  describeCheck,
  evaluateCommand,
  evaluatePing,
  evaluateState,
  messageOf,
  pingCommand,
  targetAddress,
} from '../../electron/engine/check-evaluation.js';
import type { ObjectiveCheck } from '../../electron/lab/model.js';

const common = { expect: 'pass' as const, timeoutSeconds: 5, retries: 0, passMessage: 'Through the tunnel', failMessage: 'No reply: look at the VTEPs' };

const ANSWERED = `PING 10.0.2.3 (10.0.2.3) 56(84) bytes of data.
64 bytes from 10.0.2.3: icmp_seq=1 ttl=64 time=0.321 ms

--- 10.0.2.3 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
`;
const LOST = `PING 10.0.9.9 (10.0.9.9) 56(84) bytes of data.

--- 10.0.9.9 ping statistics ---
1 packets transmitted, 0 received, 100% packet loss, time 0ms
`;
const TOO_BIG = `PING 10.0.2.3 (10.0.2.3) 1472(1500) bytes of data.
ping: local error: message too long, mtu=1450

--- 10.0.2.3 ping statistics ---
1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms
`;

const view: VtepView = {
  lab: 'guided',
  host: 'host-a',
  underlay: { device: 'eth0', ip: '192.168.1.10' },
  vteps: [{ device: 'vxlan42', vni: 42, port: 4789, localIp: '192.168.1.10', underlayDevice: 'eth0', mtu: 1450, learning: true, state: 'UNKNOWN' }],
  fdb: [
    { table: 'vtep', mac: '00:00:00:00:00:00', device: 'vxlan42', dst: '192.168.1.20', kind: 'flood', owner: 'host-b' },
    { table: 'vtep', mac: '02:42:0a:00:02:03', device: 'vxlan42', dst: '192.168.1.20', kind: 'learned', owner: 'container2' },
  ],
  bridgePorts: [],
  neighbours: [],
  routes: [],
};

describe('check evaluation', () => {
  it('passes a reach check on an answered ping and fails it, with the author message, on a lost one', () => {
    const check: ObjectiveCheck = { ...common, kind: 'reach', from: 'container1', to: 'container2' };
    const answered = evaluatePing(check, { exitCode: 0, output: ANSWERED });
    expect(answered).toEqual({ passed: true, observed: 'the ping was answered' });
    expect(messageOf(check, answered)).toBe('Through the tunnel');
    const lost = evaluatePing(check, { exitCode: 1, output: LOST });
    expect(lost.passed).toBe(false);
    expect(messageOf(check, lost)).toBe('No reply: look at the VTEPs');
  });

  it('turns the outcome round for a check that must fail', () => {
    const check: ObjectiveCheck = { ...common, expect: 'fail', kind: 'reach', from: 'container1', to: '10.0.9.9' };
    expect(evaluatePing(check, { exitCode: 1, output: LOST }).passed).toBe(true);
    expect(evaluatePing(check, { exitCode: 0, output: ANSWERED }).passed).toBe(false);
  });

  it('does not take exit 0 without a reply for an answer', () => {
    const check: ObjectiveCheck = { ...common, kind: 'reach', from: 'container1', to: 'container2' };
    expect(evaluatePing(check, { exitCode: 0, output: LOST }).passed).toBe(false);
  });

  it('sends a DF ping whose whole packet is the size asked, and names a packet too big for the path', () => {
    const check: ObjectiveCheck = { ...common, kind: 'mtu', from: 'container1', to: 'container2', size: 1500 };
    expect(pingCommand(check, '10.0.2.3')).toEqual(['ping', '-n', '-c', '1', '-M', 'do', '-s', '1472', '-W', '5', '10.0.2.3']);
    expect(evaluatePing(check, { exitCode: 1, output: TOO_BIG })).toEqual({ passed: false, observed: 'the ping was refused as larger than the path MTU' });
    expect(describeCheck(check)).toBe('mtu 1500 DF container1 -> container2');
  });

  it('judges a command by its exit code, or by its output when a pattern is given', () => {
    const plain: ObjectiveCheck = { ...common, kind: 'command', node: 'host-a', run: 'true' };
    expect(evaluateCommand(plain, { exitCode: 0, output: '' }).passed).toBe(true);
    expect(evaluateCommand(plain, { exitCode: 2, output: '' })).toEqual({ passed: false, observed: 'the command exited with 2' });
    const matching: ObjectiveCheck = { ...common, kind: 'command', node: 'host-a', run: 'ip -br link', match: '^vxlan42\\s+UNKNOWN' };
    expect(evaluateCommand(matching, { exitCode: 0, output: 'eth0 UP\nvxlan42          UNKNOWN\n' }).passed).toBe(true);
    expect(evaluateCommand(matching, { exitCode: 0, output: 'eth0 UP\n' }).passed).toBe(false);
  });

  it('finds a VNI on a device, a flood entry by host name or address, and a learned MAC in a VTEP view', () => {
    const state = (entry: Extract<ObjectiveCheck, { kind: 'state' }>['entry'], expect: 'pass' | 'fail' = 'pass') =>
      evaluateState({ ...common, expect, kind: 'state', host: 'host-a', entry }, view);
    expect(state({ vni: 42 }).passed).toBe(true);
    expect(state({ vni: 42, device: 'vxlan42' }).passed).toBe(true);
    expect(state({ vni: 42, device: 'vxlan43' })).toEqual({ passed: false, observed: 'host-a lacks a VXLAN device vxlan43 with VNI 42' });
    expect(state({ vni: 43 }).passed).toBe(false);
    expect(state({ vni: 42, port: 4789 }).passed).toBe(true);
    expect(state({ vni: 42, port: 8472 })).toEqual({ passed: false, observed: 'host-a lacks a VXLAN device with VNI 42 on UDP port 8472' });
    expect(state({ flood: 'host-b' }).passed).toBe(true);
    expect(state({ flood: '192.168.1.20' }).passed).toBe(true);
    expect(state({ flood: '192.168.1.30' }).passed).toBe(false);
    expect(state({ mac: 'container2' }).passed).toBe(true);
    expect(state({ mac: 'container3' }).passed).toBe(false);
    expect(state({ mac: 'container3' }, 'fail').passed).toBe(true);
  });

  it('pings a container at its first overlay address and a host at its underlay address', () => {
    const lab = {
      hosts: [{ name: 'host-a', ip: '192.168.1.10' }],
      containers: [{ name: 'container2', host: 'host-a', interfaces: [{ overlay: 'blue', ip: '10.0.2.3' }] }],
    } as never;
    expect(targetAddress(lab, 'container2')).toBe('10.0.2.3');
    expect(targetAddress(lab, 'host-a')).toBe('192.168.1.10');
    expect(targetAddress(lab, '10.0.9.9')).toBe('10.0.9.9');
    expect(targetAddress(lab, 'nobody')).toBeUndefined();
  });
});
