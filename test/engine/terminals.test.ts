// Terminals for real: a shell in container1 (nested through host-a's engine) that pings,
// resizes, survives a 50 MB flood under flow control, hangs up when closed, and tells
// when its host stopped; a terminal opened before its lab is up that attaches once its
// node runs, and ends saying so when Apply or Destroy removes the node; and a shell on
// the machine through node-pty.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostContainerName } from '../../electron/engine/hosts.js';
import type { TerminalSink } from '../../electron/engine/terminals.js';
import { createTerminalManager, waitingNotice } from '../../electron/engine/terminals.js';
import { parseOk, renamedTemplate, run, testEngine, uniqueName } from './lab-harness.js';

const engine = testEngine();
const name = uniqueName('term');
// An underlay no other test file uses.
const text = renamedTemplate('vxlan-basics.yaml', name, 'terminals').text;
const lab = parseOk(text);
const manager = createTerminalManager(engine);

/** Control sequences (bracketed paste on and off around each command, colours): matched without them. */
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** A whole line of output (bash puts a \r after turning bracketed paste off). */
function outputLine(text: string): RegExp {
  return new RegExp(`\\n\\r?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\r?\\n`);
}

/** Keeps this much of each terminal's latest output: a flood is not kept whole. */
const KEPT_CHARS = 256 * 1024;

/** A renderer stand-in: keeps recent output, acknowledges what it "drew" a little later. */
class FakeRenderer implements TerminalSink {
  static readonly all = new Set<FakeRenderer>();
  readonly output = new Map<string, string>();
  readonly received = new Map<string, number>();
  readonly exits = new Map<string, { exitCode: number | undefined; reason: string | undefined; calls: number }>();

  constructor(private readonly ackDelayMs = 1) {
    FakeRenderer.all.add(this);
  }

  data(id: string, data: string): void {
    const kept = (this.output.get(id) ?? '') + data;
    this.output.set(id, kept.length > KEPT_CHARS ? kept.slice(-KEPT_CHARS) : kept);
    this.received.set(id, (this.received.get(id) ?? 0) + data.length);
    setTimeout(() => manager.ack(id, data.length), this.ackDelayMs);
  }

  exit(id: string, exitCode: number | undefined, reason?: string): void {
    const previous = this.exits.get(id);
    this.exits.set(id, { exitCode, reason, calls: (previous?.calls ?? 0) + 1 });
  }

  clear(id: string): void {
    this.output.set(id, '');
  }

  async waitFor(id: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = (this.output.get(id) ?? '').replace(ESCAPES, '');
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`no ${pattern} in terminal output within ${timeoutMs} ms; the output ends with:\n${text.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async waitForExit(id: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (!this.exits.has(id)) {
      if (Date.now() > deadline) throw new Error(`terminal ${id} did not exit within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.exits.get(id);
  }
}

const size = { cols: 80, rows: 24 };

/** Opens a shell in container1 and waits for its prompt. */
async function openContainerShell(renderer: FakeRenderer, node = 'container1', labName = name) {
  const opened = await manager.open({ kind: 'node', lab: labName, node }, size, renderer);
  await renderer.waitFor(opened.id, /[#$] $/);
  return opened.id;
}

/** Processes in container1 that belong to some terminal session. */
async function markedProcesses(): Promise<number> {
  const result = await run(engine, name, 'container1', ['sh', '-c', 'grep -l VXLAB_SESSION= /proc/[0-9]*/environ 2>/dev/null | wc -l']);
  return Number(result.stdout.trim());
}

describe('terminals into lab nodes', () => {
  beforeAll(async () => {
    await engine.up(lab, undefined, { sourceText: text });
  });

  afterEach(() => {
    // A failed test leaves no session open to confuse the next.
    for (const renderer of FakeRenderer.all) manager.closeAllFor(renderer);
    FakeRenderer.all.clear();
  });

  afterAll(async () => {
    await engine.down(name);
  });

  it('opens a shell in container1 that pings container2 over the overlay', async () => {
    const renderer = new FakeRenderer();
    const started = Date.now();
    const opened = await manager.open({ kind: 'node', lab: name, node: 'container1' }, size, renderer);
    expect(opened.title).toBe(`container1 (${name})`);
    expect(opened.id).toMatch(/^[0-9a-f-]{36}$/);
    await renderer.waitFor(opened.id, /[#$] $/);
    console.log(`container1 prompt after ${Date.now() - started} ms`);
    manager.input(opened.id, 'ping -c 2 10.0.2.3\r');
    const output = await renderer.waitFor(opened.id, / 0% packet loss/);
    expect(output).toContain('2 packets transmitted, 2 received');
    manager.close(opened.id);
  });

  it('resizing reaches the nested shell: stty size prints "40 120"', async () => {
    const renderer = new FakeRenderer();
    const id = await openContainerShell(renderer);
    await manager.resize(id, { cols: 120, rows: 40 });
    // The docker CLI in host-a passes the size on to the nested exec a few ms after the outer one has it.
    const deadline = Date.now() + 5_000;
    for (;;) {
      renderer.clear(id);
      manager.input(id, 'stty size\r');
      const output = await renderer.waitFor(id, /\n\r?\d+ \d+\r?\n/);
      if (outputLine('40 120').test(output)) break;
      if (Date.now() > deadline) throw new Error(`the nested shell never saw 40 rows, 120 columns: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    manager.close(id);
  });

  it('a 50 MB flood is paused by flow control, and the prompt answers afterwards', async () => {
    const renderer = new FakeRenderer(2);
    const id = await openContainerShell(renderer);
    const pausesBefore = manager.stats().pauses;
    const started = Date.now();
    renderer.clear(id);
    manager.input(id, 'yes | head -c 50000000; echo DONE\r');
    await renderer.waitFor(id, outputLine('DONE'), 180_000);
    const seconds = (Date.now() - started) / 1000;
    const flow = manager.sessionStats(id);
    console.log(
      `flood: 50 MB (${renderer.received.get(id)} chars with the TTY's \\r) in ${seconds.toFixed(1)} s; ` +
        `${manager.stats().pauses - pausesBefore} pauses`,
    );
    expect(manager.stats().pauses - pausesBefore).toBeGreaterThan(0);
    expect(renderer.received.get(id)).toBeGreaterThanOrEqual(75_000_000); // "y\n" becomes "y\r\n"
    expect(flow?.unacknowledged).toBeLessThan(200_000);
    renderer.clear(id);
    manager.input(id, 'echo after-flood\r');
    await renderer.waitFor(id, outputLine('after-flood'));
    manager.close(id);
  });

  it('a command that exits reports its exit code', async () => {
    const renderer = new FakeRenderer();
    const id = await openContainerShell(renderer);
    manager.input(id, 'exit 3\r');
    expect(await renderer.waitForExit(id)).toEqual({ exitCode: 3, reason: undefined, calls: 1 });
    expect(() => manager.input(id, 'echo\r')).toThrow(/not open/);
  });

  it('closing reports "closed" once and hangs up the shell and its command in the container', async () => {
    const renderer = new FakeRenderer();
    const id = await openContainerShell(renderer);
    manager.input(id, 'sleep 300\r');
    await new Promise((r) => setTimeout(r, 300));
    expect(await markedProcesses()).toBeGreaterThanOrEqual(2); // the shell and sleep
    manager.close(id);
    expect(renderer.exits.get(id)).toEqual({ exitCode: undefined, reason: 'closed', calls: 1 });
    expect(() => manager.close(id)).toThrow(/not open/);
    expect(() => manager.input(id, 'x')).toThrow(/not open/);
    await expect(manager.resize(id, size)).rejects.toThrow(/not open/);
    manager.ack(id, 10); // a late acknowledgement is no error
    const deadline = Date.now() + 10_000;
    while ((await markedProcesses()) > 0) {
      if (Date.now() > deadline) throw new Error('the closed session left processes in container1');
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(renderer.exits.get(id)?.calls).toBe(1);
  });

  it('closeAllFor ends every session of that sink, and only those', async () => {
    const gone = new FakeRenderer();
    const staying = new FakeRenderer();
    const a = await openContainerShell(gone);
    const b = await openContainerShell(gone, 'host-a');
    const c = await openContainerShell(staying);
    manager.closeAllFor(gone);
    expect(gone.exits.get(a)?.reason).toBe('closed');
    expect(gone.exits.get(b)?.reason).toBe('closed');
    expect(staying.exits.has(c)).toBe(false);
    staying.clear(c);
    manager.input(c, 'echo still-here\r');
    await staying.waitFor(c, outputLine('still-here'));
    manager.close(c);
  });

  it('a terminal into a node that never runs waits, then ends naming the node', async () => {
    const impatient = createTerminalManager(engine, { nodeWait: { pollMs: 200, limitMs: 2_000 } });
    const renderer = new FakeRenderer();
    const { id } = await impatient.open({ kind: 'node', lab: name, node: 'container9' }, size, renderer);
    await renderer.waitFor(id, /waiting for container9 to start…/);
    expect(await renderer.waitForExit(id)).toEqual({
      exitCode: undefined,
      reason: `container9 did not start within 2 seconds: Lab ${name} has no running host or container named container9.`,
      calls: 1,
    });
  });

  it('when the host stops, the session ends saying so', async () => {
    const renderer = new FakeRenderer();
    const id = await openContainerShell(renderer);
    const started = Date.now();
    await engine.docker.getContainer(hostContainerName(name, 'host-a')).kill();
    const exit = await renderer.waitForExit(id, 30_000);
    console.log(`exit reported ${Date.now() - started} ms after the host was killed: ${exit?.reason}`);
    expect(exit).toEqual({ exitCode: undefined, reason: 'container1 is no longer running (its host host-a stopped)', calls: 1 });
  });
});

describe('a terminal opened before its lab runs', () => {
  const lateName = uniqueName('termwait');
  // An underlay of this test's own, in the range for tests that pick theirs.
  const late = renamedTemplate('vxlan-basics.yaml', lateName, { subnet: '192.168.219.0/24', prefix: '192.168.219.' });
  const withoutContainer2 = late.text.replace(/^ {2}- name: container2\n( {4}.*\n)+/m, '');

  afterEach(() => {
    for (const renderer of FakeRenderer.all) manager.closeAllFor(renderer);
    FakeRenderer.all.clear();
  });

  afterAll(async () => {
    await engine.down(lateName);
  });

  it('says it waits, attaches once the node runs, and ends with the reason when Apply or Destroy removes the node', async () => {
    const renderer = new FakeRenderer();
    // Double-clicked right after Launch: nothing of the lab exists yet.
    const opened = await manager.open({ kind: 'node', lab: lateName, node: 'container1' }, size, renderer);
    expect(opened.title).toBe(`container1 (${lateName})`);
    await renderer.waitFor(opened.id, new RegExp(waitingNotice('container1')));
    expect(renderer.exits.has(opened.id)).toBe(false);

    const started = Date.now();
    await engine.up(late.lab, undefined, { sourceText: late.text });
    await renderer.waitFor(opened.id, /[#$] $/, 60_000);
    console.log(`the waiting terminal attached ${Date.now() - started} ms after up began`);
    manager.input(opened.id, 'echo attached-$((6*7))\r');
    await renderer.waitFor(opened.id, outputLine('attached-42'));

    // Apply without container2: its terminal ends saying it was removed.
    const second = await openContainerShell(renderer, 'container2', lateName);
    expect(parseOk(withoutContainer2).containers.map((c) => c.name)).toEqual(['container1']);
    await engine.up(parseOk(withoutContainer2), undefined, { sourceText: withoutContainer2 });
    expect(await renderer.waitForExit(second, 30_000)).toEqual({ exitCode: undefined, reason: 'container2 was removed from the lab', calls: 1 });
    expect(renderer.exits.has(opened.id)).toBe(false);

    // Destroy: the rest end saying the lab is gone.
    await engine.down(lateName);
    expect(await renderer.waitForExit(opened.id, 30_000)).toEqual({
      exitCode: undefined,
      reason: `container1 was removed: lab ${lateName} was destroyed`,
      calls: 1,
    });
  });
});

describe('the machine shell', () => {
  it('runs the user shell through node-pty', async () => {
    const renderer = new FakeRenderer();
    const opened = await manager.open({ kind: 'machine' }, size, renderer);
    expect(opened.title).toBe('Machine shell');
    manager.input(opened.id, 'echo $((6*7))\r');
    await renderer.waitFor(opened.id, outputLine('42'));
    manager.close(opened.id);
    expect(renderer.exits.get(opened.id)).toEqual({ exitCode: undefined, reason: 'closed', calls: 1 });
  });

  it("reports the shell's exit code when it exits by itself", async () => {
    const renderer = new FakeRenderer();
    const opened = await manager.open({ kind: 'machine' }, size, renderer);
    manager.input(opened.id, 'exit 5\r');
    expect(await renderer.waitForExit(opened.id)).toEqual({ exitCode: 5, reason: undefined, calls: 1 });
  });
});
