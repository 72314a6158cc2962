import { describe, it, expect } from 'vitest';
import { isCidrText, isImageRef, isIpv4Address, isLabName, isNodeName, isUdpPort, isVni, mustBe } from '../../electron/lab/brands.js';
import type { Ipv4Address, LabName, NodeName, Vni } from '../../electron/lab/brands.js';
import type { Lab } from '../../electron/lab/model.js';
import { parseLabText } from '../../electron/lab/parse.js';

describe('branded values', () => {
  it('are not plain strings or numbers to the compiler (npm run typecheck fails when a brand goes away)', () => {
    // @ts-expect-error a string is a lab name only once validation says so
    const name: LabName = 'x';
    // @ts-expect-error a string is an address only once validation says so
    const ip: Ipv4Address = '10.0.0.2';
    // @ts-expect-error a number is a VNI only once validation says so
    const vni: Vni = 42;
    // @ts-expect-error a Lab's host names are NodeNames, not any string
    const host: Lab['hosts'][number] = { name: 'h', ip: '10.0.0.2' };
    expect([name, ip, vni, host.name]).toEqual(['x', '10.0.0.2', 42, 'h']);
  });

  it('come out of validation, and read as the plain values they are', () => {
    const result = parseLabText('version: 1\nname: lab\nunderlay: { subnet: 10.0.0.0/8 }\nhosts: [ { name: h, ip: 10.0.0.2 } ]\n');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const name: LabName = result.lab.name;
    const host: NodeName = result.lab.hosts[0]!.name;
    expect([name, host, `${result.lab.hosts[0]?.ip}`]).toEqual(['lab', 'h', '10.0.0.2']);
  });

  it('are made only by guards that apply the lab file rules', () => {
    expect([isLabName('vxlan-basics'), isLabName('../x'), isLabName('a'.repeat(41)), isLabName(7)]).toEqual([true, false, false, false]);
    expect([isNodeName('host-a'), isNodeName('h'.repeat(31)), isNodeName('-v')]).toEqual([true, false, false]);
    expect([isIpv4Address('10.0.0.2'), isIpv4Address('10.0.0.02'), isIpv4Address("1.2.3.4' ; x")]).toEqual([true, false, false]);
    expect([isCidrText('10.0.0.0/8'), isCidrText('10.0.0.1/8'), isCidrText('10.0.0.0')]).toEqual([true, false, false]);
    expect([isVni(1), isVni(0), isVni(16_777_216), isVni(4.5)]).toEqual([true, false, false, false]);
    expect([isUdpPort(4789), isUdpPort(0), isUdpPort(65_536)]).toEqual([true, false, false]);
    expect([isImageRef('busybox'), isImageRef('--privileged'), isImageRef('../../containers/json?all=1')]).toEqual([true, false, false]);
  });

  it('mustBe throws, naming what was expected, for a value that was never checked', () => {
    expect(mustBe(isNodeName, 'host-a', 'a node name')).toBe('host-a');
    expect(() => mustBe(isNodeName, 'c1 $(reboot)', 'a node name')).toThrow('"c1 $(reboot)" is not a node name');
  });
});
