// `vxlab serve` never falls over, whatever a connection sends: thousands of malformed
// frames from a seeded generator (the same frames on every run) each get an error
// reply, and afterwards a normal request is answered, the page still loads, and
// another connection's terminal still echoes what is typed into it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { VxlabService } from '../../electron/api/service.js';
import type { LabEngine } from '../../electron/engine/lab-engine.js';
import type { PtyModule } from '../../electron/engine/terminals.js';
import { createTerminalManager } from '../../electron/engine/terminals.js';
import type { BrowserServer } from '../../electron/transport/browser-server.js';
import { startBrowserServer } from '../../electron/transport/browser-server.js';
import { ask, fakeRendererDirectory, get, openAppSocket } from './browser-server-helpers.js';

const SEED = 0x5eed_2026;
const FRAMES = 1_500;

/** mulberry32: a small deterministic PRNG, so a failing frame can be found again. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Frame = { text: string } | { binary: Buffer };

/** Frames that are not requests, or requests that are wrong in some way. */
function malformedFrames(count: number, seed: number): Frame[] {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;
  const randomText = (max: number) => {
    let text = '';
    const length = int(max);
    for (let i = 0; i < length; i++) text += String.fromCharCode(int(random() < 0.9 ? 128 : 0xffff));
    return text;
  };
  const randomValue = (depth = 0): unknown => {
    switch (int(depth > 2 ? 6 : 8)) {
      case 0: return null;
      case 1: return int(1e9) - 5e8;
      case 2: return random() < 0.5;
      case 3: return randomText(20);
      case 4: return -0.5 + random();
      case 5: return '';
      case 6: return Array.from({ length: int(4) }, () => randomValue(depth + 1));
      default: return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['id', 'method', 'params', 'text', 'name', '__proto__', 'kind', randomText(8)]), randomValue(depth + 1)]));
    }
  };
  const methods = ['lab.validate', 'lab.status', 'lab.down', 'lab.export', 'lab.inspect', 'lab.up', 'terminal.input', 'terminal.resize', 'terminal.ack', 'terminal.close', 'terminal.open', 'file.open', 'engine.info'];
  const oddMethods = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'shell.exec', '', 'lab.list ', 'LAB.LIST'];
  /** Ids a reply cannot echo; '__INF__' becomes the JSON number 1e400, which parses as Infinity. */
  const notAnId = [{}, { id: 1 }, [], [1], true, false, 'x'.repeat(65), '__INF__'];
  const generators: (() => Frame)[] = [
    () => ({ text: pick(['null', 'true', 'false', '0', '-1', '1e400', '""', '"lab.list"', '[]', '[null]', '{}', '[{"id":1}]']) }),
    () => ({ text: JSON.stringify(randomValue()) }),
    () => ({ binary: Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256))) }),
    () => ({ binary: Buffer.from(JSON.stringify({ id: 1, method: 'lab.list' })) }),
    () => ({ text: randomText(80) }),
    () => ({ text: JSON.stringify({ id: int(100), method: 'lab.validate', params: { text: 'x' } }).slice(0, 1 + int(40)) }),
    () => ({ text: '['.repeat(1 + int(20_000)) }),
    () => ({ text: `${'{"a":'.repeat(1 + int(5_000))}1${'}'.repeat(int(5_000))}` }),
    () => ({ text: JSON.stringify({ id: pick(notAnId), method: 'lab.list', params: {} }).replace('"__INF__"', '1e400') }),
    () => ({ text: JSON.stringify({ id: int(1e6), method: pick([null, 42, {}, ['lab.list'], true]), params: {} }) }),
    () => ({ text: JSON.stringify({ id: int(1e6), params: {} }) }),
    () => ({ text: JSON.stringify({ id: int(1e6), method: pick(methods), params: pick([null, [], [1, 2], 'text', 7, true]) }) }),
    () => ({ text: JSON.stringify({ id: `s${int(1e6)}`, method: pick(oddMethods), params: {} }) }),
    () => ({ text: JSON.stringify({ id: int(1e6), method: pick(methods), params: randomValue() }) }),
    () => ({ text: JSON.stringify({ id: int(1e6), method: pick(methods), params: { id: randomText(70), data: randomText(50), name: randomText(70), chars: int(1e9), cols: int(3000) - 10, rows: -int(5) } }) }),
    () => ({ text: `{"id": 1, "method": "lab.list", "params": {"__proto__": {"polluted": true}}}` }),
  ];
  return Array.from({ length: count }, () => pick(generators)());
}

/** Codes a malformed frame may be answered with; anything else (say 'internal' with a TypeError) would be a gap. */
const EXPECTED_CODES = new Set(['invalid-message', 'invalid-params', 'unknown-method', 'internal', 'step-failed']);

/** A machine shell that echoes what is typed: the other connection's terminal in this test. */
const echoPty: PtyModule = {
  spawn: (() => {
    let output: (text: string) => void = () => {};
    let exit: (event: { exitCode: number }) => void = () => {};
    return {
      onData: (listener: (text: string) => void) => ((output = listener), { dispose() {} }),
      onExit: (listener: (event: { exitCode: number }) => void) => ((exit = listener), { dispose() {} }),
      write: (text: string) => output(text),
      resize: () => {},
      kill: () => exit({ exitCode: 0 }),
    };
  }) as unknown as PtyModule['spawn'],
};

let server: BrowserServer;

describe('vxlab serve under a flood of malformed frames', () => {
  beforeAll(async () => {
    const rendererDirectory = fakeRendererDirectory();
    // A fake engine: whatever request gets through is refused by it, as an error envelope.
    const engine = {} as LabEngine;
    const terminals = createTerminalManager(engine, { loadPty: async () => echoPty });
    const service = new VxlabService({ engine, terminals, templatesDirectory: rendererDirectory });
    server = await startBrowserServer({ service, rendererDirectory });
  });
  afterAll(async () => {
    await server.close();
  });

  it(`answers each of ${FRAMES} malformed frames with an error, and everything goes on`, async () => {
    const bystander = await openAppSocket(server);
    const opened = await ask(bystander, { id: 'shell', method: 'terminal.open', params: { kind: 'machine', cols: 80, rows: 24 } });
    const terminalId = (opened.result as { id: string }).id;

    const fuzzed = await openAppSocket(server);
    const replies: Record<string, unknown>[] = [];
    fuzzed.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString()) as Record<string, unknown>));
    const frames = malformedFrames(FRAMES, SEED);
    for (const frame of frames) {
      if ('binary' in frame) fuzzed.send(frame.binary, { binary: true });
      else fuzzed.send(frame.text);
    }
    await untilCount(() => replies.length, frames.length);

    // Every frame had its one reply, and each reply is an error of a known kind.
    expect(replies).toHaveLength(frames.length);
    const codes = new Map<string, number>();
    for (const reply of replies) {
      const code = (reply.error as { code?: string } | undefined)?.code ?? 'result';
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    const unexpected = [...codes.keys()].filter((code) => !EXPECTED_CODES.has(code) && code !== 'result');
    expect(unexpected).toEqual([]);
    expect(codes.get('invalid-message')).toBeGreaterThan(FRAMES / 4);
    expect(codes.get('invalid-params')).toBeGreaterThan(10);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    // The same connection still answers a normal request.
    const valid = await ask(fuzzed, { id: 'after', method: 'lab.validate', params: { text: 'version: 1\n' } });
    expect((valid.result as { problems: unknown[] }).problems.length).toBeGreaterThan(0);

    // The other connection's terminal goes on.
    const echoed = new Promise<string>((resolve) => {
      bystander.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { event?: { type: string; id: string; data: string } };
        if (message.event?.type === 'terminal-data' && message.event.id === terminalId) resolve(message.event.data);
      });
    });
    expect(await ask(bystander, { id: 'typed', method: 'terminal.input', params: { id: terminalId, data: 'still here' } })).toEqual({ id: 'typed', result: null });
    expect(await echoed).toBe('still here');

    // And the page still loads.
    const page = await get(server, `/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>vxlab</title>');
    close(fuzzed, bystander);
  });

  it('a binary frame, null, a list and an id that is an object each get an error reply naming the fault', async () => {
    const ws = await openAppSocket(server);
    const replies: Record<string, unknown>[] = [];
    ws.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString()) as Record<string, unknown>));
    ws.send(Buffer.from('{"id":1,"method":"lab.list"}'), { binary: true });
    ws.send('null');
    ws.send('[1,2]');
    ws.send('{"id":{"x":1},"method":"lab.list"}');
    ws.send('{"id":7,"method":"lab.validate","params":null}');
    ws.send('{"id":8,"method":42}');
    await untilCount(() => replies.length, 6);
    expect(replies.map((reply) => [reply.id, (reply.error as { code: string }).code, (reply.error as { message: string }).message])).toEqual([
      [null, 'invalid-message', 'This frame is binary; requests are text frames holding JSON.'],
      [null, 'invalid-message', 'A request is a JSON object; this frame holds null.'],
      [null, 'invalid-message', 'A request is a JSON object; this frame holds a list.'],
      [null, 'invalid-message', 'id must be a number or a string of at most 64 characters; this one is an object.'],
      [7, 'invalid-params', 'Invalid parameters for lab.validate: params must be an object (or left out); these are null.'],
      [8, 'invalid-message', 'method must be a string naming a request; this one is a number.'],
    ]);
    close(ws);
  });
});

async function untilCount(count: () => number, wanted: number): Promise<void> {
  for (let i = 0; i < 2_000 && count() < wanted; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

function close(...sockets: WebSocket[]): void {
  for (const ws of sockets) ws.close();
}
