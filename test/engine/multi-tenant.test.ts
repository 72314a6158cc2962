// Two tenants on the same hosts with overlapping addresses: a VNI is a separate
// layer-2 segment, and a host never routes between them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interfaceMac } from '../../electron/lab/plan.js';
import { leftovers, nothingLeft, ping, renamedTemplate, run, testEngine, uniqueName } from './lab-harness.js';

const engine = testEngine();
const name = uniqueName('tenants');
const { text, lab } = renamedTemplate('multi-tenant.yaml', name, 'tenants');

describe('multi-tenant on a real engine', () => {
  beforeAll(async () => {
    await engine.up(lab, undefined, { sourceText: text });
  });
  afterAll(async () => {
    await engine.down(name);
    expect(await leftovers(name)).toEqual(nothingLeft);
  });

  it('within a VNI the ping has 0% loss', async () => {
    expect(await ping(engine, name, 'red-a', '10.0.2.3')).toBe(0);
    expect(await ping(engine, name, 'blue-a', '10.0.2.4')).toBe(0);
  });

  it('across VNIs the ping has 100% loss', async () => {
    expect(await ping(engine, name, 'red-a', '10.0.2.4', 2)).toBe(100);
    expect(await ping(engine, name, 'blue-a', '10.0.2.3', 2)).toBe(100);
  });

  it('the address both tenants use answers from each tenant its own container', async () => {
    expect(await ping(engine, name, 'red-b', '10.0.1.2', 1)).toBe(0);
    expect(await ping(engine, name, 'blue-b', '10.0.1.2', 1)).toBe(0);
    const redView = await run(engine, name, 'red-b', ['ip', 'neigh', 'show', '10.0.1.2']);
    const blueView = await run(engine, name, 'blue-b', ['ip', 'neigh', 'show', '10.0.1.2']);
    expect(redView.stdout).toContain(interfaceMac(name, 'red-a', 0));
    expect(blueView.stdout).toContain(interfaceMac(name, 'blue-a', 0));
  });

  it('hosts do not forward between overlays', async () => {
    const forwarding = await run(engine, name, 'host-a', ['cat', '/proc/sys/net/ipv4/ip_forward']);
    expect(forwarding.stdout.trim()).toBe('0');
    const addresses = await run(engine, name, 'host-a', ['ip', '-4', '-o', 'addr', 'show']);
    expect(addresses.stdout).not.toMatch(/vxbr/);
  });
});
