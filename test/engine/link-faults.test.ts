// Link faults for real, measured by their effect: loss on host-b's underlay link shows in
// container1 -> container2 pings and --clear takes it away; a container's link goes down
// and comes back; a rate limit is a tbf (or netem) qdisc on that link. Whichever
// mechanism this kernel allows (netem, or netfilter and tbf), the effect is the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyLinkRequest, linkChain } from '../../electron/engine/link-faults.js';
import { planLinkRequest } from '../../electron/lab/link-spec.js';
import { cli, hostAddress, leftovers, lossPercent, nothingLeft, parseOk, renamedTemplate, run, testEngine, uniqueName } from './lab-harness.js';
import { underlayFromOctet } from './test-underlays.js';

const engine = testEngine();
const name = uniqueName('link');
const { text } = renamedTemplate('vxlan-basics.yaml', name, underlayFromOctet(217));
const lab = parseOk(text);

beforeAll(async () => {
  await engine.up(lab, undefined, { sourceText: text });
}, 240_000);

afterAll(async () => {
  await engine.down(name);
  expect(await leftovers(name)).toEqual(nothingLeft);
}, 120_000);

async function pingLoss(count: number): Promise<number> {
  const result = await run(engine, name, 'container1', ['ping', '-n', '-c', String(count), '-i', '0.2', '-W', '1', '10.0.2.3']);
  return lossPercent(result.stdout + result.stderr);
}

/** What vxlab may leave on a link: its chain and a netem or tbf root qdisc. */
async function traces(node: string, iface: string): Promise<string> {
  const located = await engine.locateNode(name, node);
  const enter = located.container ? `nsenter -t $(docker inspect -f '{{.State.Pid}}' ${located.container}) -n ` : '';
  const result = await run(engine, name, located.hostName, [
    'sh',
    '-c',
    `${enter}tc qdisc show dev ${iface} root | grep -E 'netem|tbf'; ${enter}iptables -S 2>/dev/null | grep -F ${linkChain(iface)}; true`,
  ]);
  return result.stdout.trim();
}

describe('vxlab link', () => {
  it('loss 100% on host-b eth0 stops the overlay ping; --clear restores it and leaves nothing', async () => {
    expect(await pingLoss(3)).toBe(0);
    const set = await cli(['link', name, 'host-b', '--loss', '100%']);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/mechanism: (netem|netfilter)/);
    expect(set.stdout).toMatch(/100%/);
    expect(await pingLoss(3)).toBe(100);
    const cleared = await cli(['link', name, 'host-b', '--clear']);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout).toMatch(/drop: +none set by vxlab/);
    expect(await pingLoss(3)).toBe(0);
    expect(await traces('host-b', 'eth0')).toBe('');
  }, 120_000);

  it('loss 50% on host-b eth0 loses part of 40 pings, not all and not none', async () => {
    const state = await applyLinkRequest(engine, name, 'host-b', 'eth0', planLinkRequest({ loss: '50%' }));
    expect(state.mechanism === 'netem' ? state.qdisc : state.dropProbability).toBeDefined();
    try {
      const loss = await pingLoss(40);
      expect(loss).toBeGreaterThanOrEqual(10);
      expect(loss).toBeLessThanOrEqual(90);
    } finally {
      await applyLinkRequest(engine, name, 'host-b', 'eth0', { kind: 'clear' });
    }
    expect(await traces('host-b', 'eth0')).toBe('');
  }, 120_000);

  it('--down on container2 eth0 breaks its ping and --up restores it', async () => {
    const down = await cli(['link', name, 'container2', '--down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/eth0: link DOWN/);
    expect(await pingLoss(3)).toBe(100);
    const up = await cli(['link', name, 'container2', '--up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/eth0: link up/);
    expect(await pingLoss(3)).toBe(0);
  }, 120_000);

  it('--rate puts a rate-limiting qdisc on container2 eth0 that --clear removes', async () => {
    const state = await applyLinkRequest(engine, name, 'container2', 'eth0', planLinkRequest({ rate: '10mbit' }));
    expect(state.qdisc).toMatch(/^qdisc (tbf|netem) .*rate 10Mbit/);
    expect(await traces('container2', 'eth0')).toMatch(/rate 10Mbit/);
    expect(await pingLoss(3)).toBe(0);
    await applyLinkRequest(engine, name, 'container2', 'eth0', { kind: 'clear' });
    expect(await traces('container2', 'eth0')).toBe('');
  }, 120_000);

  it('loss on container2 eth0 is scoped to that link: the hosts\' underlay still answers', async () => {
    await applyLinkRequest(engine, name, 'container2', 'eth0', planLinkRequest({ loss: '100%' }));
    try {
      expect(await pingLoss(3)).toBe(100);
      const underlay = await run(engine, name, 'host-a', ['ping', '-n', '-c', '3', '-i', '0.2', '-W', '1', hostAddress(lab, 'host-b')]);
      expect(lossPercent(underlay.stdout + underlay.stderr)).toBe(0);
    } finally {
      await applyLinkRequest(engine, name, 'container2', 'eth0', { kind: 'clear' });
    }
    expect(await pingLoss(3)).toBe(0);
    expect(await traces('container2', 'eth0')).toBe('');
  }, 120_000);

  it('a 10mbit rate on container2 eth0 holds iperf3 from container2 under it', async () => {
    await applyLinkRequest(engine, name, 'container2', 'eth0', planLinkRequest({ rate: '10mbit' }));
    try {
      const server = await run(engine, name, 'container2', ['iperf3', '-s', '-1', '-D']);
      expect(server.exitCode, server.stderr).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const client = await run(engine, name, 'container1', ['iperf3', '-c', '10.0.2.3', '-R', '-t', '2', '-J']);
      expect(client.exitCode, client.stderr || client.stdout.slice(-400)).toBe(0);
      const report = JSON.parse(client.stdout) as { end: { sum_received: { bits_per_second: number } } };
      const bits = report.end.sum_received.bits_per_second;
      expect(bits).toBeGreaterThan(0);
      expect(bits).toBeLessThan(15_000_000);
    } finally {
      await applyLinkRequest(engine, name, 'container2', 'eth0', { kind: 'clear' });
    }
    expect(await traces('container2', 'eth0')).toBe('');
  }, 120_000);

  it('delay on a kernel without netem is refused and changes nothing; an unknown interface is named', async () => {
    const state = await applyLinkRequest(engine, name, 'host-b', 'eth0', { kind: 'show' });
    // The probe asks a throwaway namespace: it must be allowed to make one, or it would never see netem.
    const probe = await run(engine, name, 'host-b', ['unshare', '-n', 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'tbf', 'rate', '1mbit', 'burst', '16k', 'latency', '10ms']);
    expect(probe.exitCode, probe.stderr).toBe(0);
    const delayed = await cli(['link', name, 'host-b', '--delay', '50ms']);
    if (state.mechanism === 'netem') {
      expect(delayed.code, delayed.stderr).toBe(0);
      await cli(['link', name, 'host-b', '--clear']);
    } else {
      expect(delayed.code).toBe(1);
      expect(delayed.stderr).toMatch(/not yet available without sch_netem/);
    }
    expect(await traces('host-b', 'eth0')).toBe('');
    const missing = await cli(['link', name, 'host-b', '--iface', 'eth9', '--loss', '5%']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/no interface eth9/);
    expect(missing.stderr).toMatch(/eth0/);
  }, 120_000);
});
