// The packet walk and the live tables on a real engine, on one lab of their own: after a
// fresh `up`, the first ping's learned MAC is pushed by the tables watch; then a trace
// follows a ping from container1 to container2 and back, hop by hop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableChange, VtepView } from '../../electron/api/types.js';
import { VxlabService } from '../../electron/api/service.js';
import type { ApiEvent } from '../../electron/api/contract.js';
import { engineTablesSource, watchTables } from '../../electron/engine/tables-watch.js';
import { traceLab } from '../../electron/engine/trace.js';
import { planWiring } from '../../electron/lab/plan.js';
import { cli, escapeRegExp, hostAddress, leftovers, nothingLeft, ping, renamedTemplate, repoRoot, run, stateDirectory, testEngine, uniqueName } from './lab-harness.js';
import { underlayFromOctet } from './test-underlays.js';
import { join } from 'node:path';

const engine = testEngine();
const name = uniqueName('trace');
const { text, lab } = renamedTemplate('vxlan-basics.yaml', name, underlayFromOctet(214));
const [hostA, hostB] = [hostAddress(lab, 'host-a'), hostAddress(lab, 'host-b')];
const wiring = planWiring(lab);
const macOf = (container: string) => wiring.flatMap((h) => h.containers).find((c) => c.name === container)?.interfaces[0]?.mac as string;

/** The processes of a host whose command starts with one of `commands`. */
async function processes(host: string, ...commands: string[]): Promise<string[]> {
  const result = await run(engine, name, host, ['ps', '-eo', 'args']);
  return result.stdout.split('\n').filter((line) => commands.some((command) => line.startsWith(command)));
}
const monitors = (host: string) => processes(host, 'bridge monitor', 'ip monitor');

/** Waits for `find` to give something, with a generous bound (an assertion of arrival, not of speed). */
async function until<T>(find: () => T | undefined | Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() - started > ms) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  await engine.up(lab, undefined, { sourceText: text });
});

afterAll(async () => {
  await engine.down(name);
  expect(await leftovers(name)).toEqual(nothingLeft);
});

describe('the hosts tables, live', () => {
  it("after a fresh up, the first ping's remote MAC is pushed as learned on host-a's VXLAN device, and stop ends the monitors", async () => {
    const remoteMac = macOf('container2');
    const pushes: { view: VtepView; changes: TableChange[] }[] = [];
    const watch = await watchTables(engineTablesSource(engine, name, 'host-a'), (view, changes) => pushes.push({ view, changes }));
    try {
      expect(watch.view.fdb.filter((e) => e.table === 'vtep' && e.mac === remoteMac)).toEqual([]);
      expect(await monitors('host-a')).toEqual(['bridge monitor fdb', 'ip monitor neigh']);
      expect(await ping(engine, name, 'container1', '10.0.2.3', 1)).toBe(0);
      const learned = await until(
        () => pushes.flatMap((p) => p.changes).find((c) => c.table === 'fdb' && c.change === 'added' && c.mac === remoteMac && c.device === 'vxlan42' && c.ip !== undefined),
        `the push of ${remoteMac} learned on vxlan42`,
      );
      expect(learned.ip).toBe(hostB);
      expect(learned.entry).toContain(`dst ${hostB} learned (container2 eth0)`);
      const last = pushes.at(-1)?.view;
      expect(last?.fdb).toContainEqual(expect.objectContaining({ table: 'vtep', mac: remoteMac, dst: hostB, kind: 'learned' }));
    } finally {
      await watch.stop();
    }
    expect(await monitors('host-a')).toEqual([]);
  });

  it("a session's watch pushes 'tables-changed' to that session only, and its disconnect ends the monitors", async () => {
    const service = new VxlabService({ engine, templatesDirectory: join(repoRoot, 'lab-templates'), stateDirectory });
    const mine: ApiEvent[] = [];
    const others: ApiEvent[] = [];
    const session = service.connect((event) => mine.push(event), { statusEvents: false });
    service.connect((event) => others.push(event), { statusEvents: false });
    const started = await session.handle('tables.watch', { lab: name, host: 'host-b' });
    expect('result' in started).toBe(true);
    const id = 'result' in started ? (started.result as { id: string }).id : '';
    // A neighbour entry that nothing else adds or removes: a change no debounced read can miss. No packet is sent.
    const unused = hostB.replace(/\d+$/, '99');
    await run(engine, name, 'host-b', ['ip', 'neigh', 'replace', unused, 'lladdr', '02:00:00:00:00:99', 'dev', 'eth0', 'nud', 'permanent']);
    const event = await until(() => mine.find((e) => e.type === 'tables-changed'), "a 'tables-changed' event");
    expect(event).toMatchObject({ type: 'tables-changed', id, changes: [{ table: 'neighbour', change: 'added', ip: unused, mac: '02:00:00:00:00:99' }] });
    expect(others.filter((e) => e.type === 'tables-changed')).toEqual([]);
    expect(await monitors('host-b')).toHaveLength(2);
    session.dispose();
    expect(service.tablesWatches.size).toBe(0);
    await until(async () => ((await monitors('host-b')).length === 0 ? true : undefined), "host-b's monitors to end");
    const refused = await session.handle('tables.unwatch', { id });
    expect('error' in refused).toBe(true);
  });
});

describe('the packet walk', () => {
  it('follows one ping from container1 to container2 hop by hop, and the reply back, in time order', async () => {
    const result = await traceLab(engine, name, 'container1', 'container2');
    expect(result.problems).toEqual([]);
    expect(result.destIp).toBe('10.0.2.3');
    expect(result.request.map((hop) => `${hop.node} ${hop.role}`)).toEqual([
      'container1 sender',
      'host-a bridge-port',
      'host-a vtep',
      'host-a underlay-out',
      'host-b underlay-in',
      'host-b vtep',
      'host-b bridge-port',
      'container2 receiver',
    ]);
    expect(result.reply.map((hop) => `${hop.node} ${hop.role}`)).toEqual([
      'container2 sender',
      'host-b bridge-port',
      'host-b vtep',
      'host-b underlay-out',
      'host-a underlay-in',
      'host-a vtep',
      'host-a bridge-port',
      'container1 receiver',
    ]);
    const hops = [...result.request, ...result.reply];
    hops.forEach((hop, index) => {
      expect(hop.step).toBe(index + 1);
      if (index > 0) expect(hop.timeUs).toBeGreaterThanOrEqual((hops[index - 1] as typeof hop).timeUs);
    });
    expect(result.request[0]?.sinceFirstUs).toBe(0);
    // host-a's VTEP sent the request to host-b's underlay address, host-b's the reply to host-a's.
    expect(result.request[2]?.decision).toMatchObject({ table: 'fdb', pointsTo: hostB, mac: macOf('container2') });
    expect(result.reply[2]?.decision).toMatchObject({ table: 'fdb', pointsTo: hostA, mac: macOf('container1') });
    expect(result.request[0]?.decision).toMatchObject({ table: 'neighbour', ip: '10.0.2.3', mac: macOf('container2') });
    // Nothing of the trace runs on in the hosts.
    for (const host of ['host-a', 'host-b']) {
      expect(await processes(host, 'tcpdump', 'timeout', 'nsenter', 'ping')).toEqual([]);
      expect((await run(engine, name, host, ['ls', '/tmp'])).stdout).not.toContain('vxlab-trace');
    }
  });

  it('`vxlab trace` prints the walk, one line per hop, naming the VTEP the request went to', async () => {
    const { code, stdout } = await cli(['trace', name, 'container1', 'container2']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`host-a eth0 +\\(underlay-out\\) ${escapeRegExp(hostA)}:\\d+ > ${escapeRegExp(hostB)}:4789 VXLAN vni 42 \\| 10\\.0\\.1\\.2 > 10\\.0\\.2\\.3 ICMP echo request`));
    expect(stdout).toMatch(new RegExp(`fdb: \\S+ dev vxlan42 dst ${escapeRegExp(hostB)} learned \\(container2 eth0\\) -> ${escapeRegExp(hostB)}`));
  });

  it('takes an address as DEST, and refuses a host or an address no container has, naming the fix', async () => {
    const byAddress = await traceLab(engine, name, 'container2', '10.0.1.2');
    expect(byAddress.dest).toBe('container1');
    expect(byAddress.reply.at(-1)?.node).toBe('container2');
    await expect(traceLab(engine, name, 'host-a', 'container2')).rejects.toMatchObject({ code: 'node-not-found', message: expect.stringContaining('is a host') });
    await expect(traceLab(engine, name, 'container1', '10.9.9.9')).rejects.toMatchObject({ code: 'node-not-found', message: expect.stringContaining('No container') });
  });
});
